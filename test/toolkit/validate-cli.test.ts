import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rulesFixture, runCli } from '../helpers/cli.js';

// Each fixture folder is the bundled rule set with exactly one defect.
const APPROVAL = 'review/approval.rules.json';
const fixtures: [string, string, (json: any) => void, RegExp][] = [
  // Since D-REV-2's amendment the last rule (REV-6.3, from vpLimit up) covers both channels, so the gap it leaves names no channel.
  ['a gap', APPROVAL, (f) => f.rules.pop(), /gap.*amount = 3000000, repeatBatch=false.*no rule decides/],
  ['a conflict', APPROVAL, (f) => (f.rules[4].conditions.all[2] = { fact: 'amount', operator: 'lessThanInclusive', value: { fact: 'param.vpLimit' } }), /conflict.*rules\[4\] \(REV-6\.2\) and rules\[7\] \(REV-6\.3\) both decide at priority 1 and differ.*amount = 3000000/],
  ['an unreachable rule', APPROVAL, (f) => f.rules.push({ ...f.rules[1], name: 'REV-6.1-copy' }), /unreachable.*rule REV-6\.1-copy never decides/],
  ['a misspelt operator', APPROVAL, (f) => (f.rules[3].conditions.all[1].operator = 'lessThen'), /unknown_operator.*unknown operator "lessThen"; did you mean "lessThan"\?/],
  ['an unknown fact', APPROVAL, (f) => ((f.facts.region = { type: 'string', description: 'sales region' }), f.rules[1].conditions.all.push({ fact: 'region', operator: 'equal', value: 'north' })), /unknown_fact.*have no "region"/],
  ['overlapping effective dates', APPROVAL, (f) => f.parameters.push(structuredClone(f.parameters[0])), /duplicate_effective_date/],
  ['a monotonicity breach', APPROVAL, (f) => (f.rules[7].event.params.authority = 'marketing_director'), /monotonicity.*authority falls from sales_vp to marketing_director as amount rises/],
];

describe('sales-policies validate', () => {
  it('passes the bundled rules: exit 0, no errors; the only findings are the example parameters SPEC §4 ships', () => {
    const { code, stdout, stderr } = runCli(['validate']);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((line) => line !== '' && !/^warning \S+ \S+ \[example_parameter\]/.test(line))).toEqual([]);
    expect(stderr).toMatch(/rules files? checked: 0 errors/);
  });

  it.each(fixtures)('finds %s: exit 1, file, line and message', (_name, file, edit, message) => {
    const { code, stdout } = runCli(['validate', '--rules', rulesFixture(file, edit)]);
    expect(code).toBe(1);
    expect(stdout).toMatch(message);
    expect(stdout).toMatch(new RegExp(`^error \\S*rules/${file.replace('.', '\\.')}:\\d+ `, 'm'));
  });

  it.each([
    ['a broken $schema', (f: any) => (f.$schema = '../schema/rules.schema.json'), /^warning \S*rules\/review\/approval\.rules\.json:2 \$schema \[broken_schema\]: \$schema points to \.\.\/schema\/rules\.schema\.json/m],
    ['no $schema', (f: any) => delete f.$schema, /^warning \S*rules\/review\/approval\.rules\.json:1 \(root\) \[missing_schema\]: no \$schema/m],
  ])('warns about %s (editor support, not a decision): exit 0, and 1 with --strict', (_name, edit, message) => {
    const dir = rulesFixture(APPROVAL, edit);
    const { code, stdout, stderr } = runCli(['validate', '--rules', dir]);
    expect({ code, errors: /checked: 0 errors/.test(stderr) }).toEqual({ code: 0, errors: true });
    expect(stdout).toMatch(message);
    const strict = runCli(['validate', '--rules', dir, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('(--strict: warnings fail)');
  });

  it('fails --strict on the bundled example parameters, which an organisation must replace', () => {
    const { code, stdout } = runCli(['validate', '--strict']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^warning \S+ \S+ \[example_parameter\]/m);
  });

  it('prints GitHub annotations on the real line of the JSON file', () => {
    const dir = rulesFixture(APPROVAL, (f) => (f.rules[3].conditions.all[1].operator = 'lessThen'));
    const { code, stdout } = runCli(['validate', '--rules', dir, '--format', 'github']);
    expect(code).toBe(1);
    const match = /^::error file=([^,]+),line=(\d+),title=unknown_operator at rules\[3\]\.conditions\.all\[1\]\.operator::unknown operator "lessThen"/m.exec(stdout);
    expect(match).not.toBeNull();
    const line = readFileSync(match![1]!, 'utf8').split('\n')[Number(match![2]) - 1];
    expect(line).toContain('"operator": "lessThen"');
  });

  it('reports JSON with --format json', () => {
    const { code, stdout } = runCli(['validate', '--rules', rulesFixture(APPROVAL, (f) => f.rules.pop()), '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.errors).toBeGreaterThan(0);
    expect(report.findings.find((f: { severity: string }) => f.severity === 'error')).toMatchObject({ severity: 'error', code: 'gap', path: 'rules' });
  });

  it('reports a file that is not JSON', () => {
    const { code, stdout } = runCli(['validate', '--rules', rulesFixture(APPROVAL, () => undefined, { raw: (text) => text.replace('"policy"', 'policy') })]);
    expect(code).toBe(1);
    expect(stdout).toContain('invalid_json');
  });

  it.each([
    [['validate', '--rules', '/nonexistent/folder']],
    [['validate', '--format', 'xml']],
    [['validate', 'extra']],
  ])('exits 2 on a usage error: %j', (args) => {
    expect(runCli(args).code).toBe(2);
  });
});
