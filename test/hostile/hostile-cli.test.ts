import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleSetError } from '../../src/core/errors.js';
import { evaluate } from '../../src/evaluate.js';
import { loadRuleSet } from '../../src/node/load-rule-set.js';
import { ROOT } from '../helpers/case-files.js';
import { CLI, rulesFixture, runCli } from '../helpers/cli.js';

// The hostile-input corpus of the toolkit: rule folders (built here, one defect each: symbolic
// links cannot be committed portably) and input files (fixtures/), each case asserting the exact
// error code and exit status of the built CLI.
const FIXTURES = join(ROOT, 'test', 'hostile', 'fixtures');
const APPROVAL = 'review/approval.rules.json';
const temp = () => mkdtempSync(join(tmpdir(), 'sales-policies-hostile-'));
/** The codes of the findings in the approval file (the fixture folders hold every bundled file). */
const codes = (stdout: string, file = 'approval.rules.json'): string[] => (JSON.parse(stdout) as { findings: { code: string; file: string }[] }).findings.filter((f) => f.file.endsWith(file)).map((f) => f.code);
// Raw C0 (but tab and newline), DEL, C1 and bidi controls: none may reach a terminal.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A folder holding only the approval file, its directorLimit raised to 1,000,000 (the organisation's own). */
function organisationFile(): string {
  const dir = temp();
  const json = JSON.parse(readFileSync(join(ROOT, 'rules', APPROVAL), 'utf8'));
  delete json.$schema;
  json.parameters[0].values.directorLimit = 1_000_000;
  writeFileSync(join(dir, 'approval.rules.json'), JSON.stringify(json, null, 2));
  return join(dir, 'approval.rules.json');
}

describe('a rules file nested 10,000 deep', () => {
  const dir = rulesFixture(APPROVAL, () => {}, {
    raw: (text) => text.replace('"conditions": {', `"conditions": ${'{"all":['.repeat(10_000)}{"fact":"amount","operator":"greaterThan","value":0}${']}'.repeat(10_000)}, "unused": {`),
  });
  it('validate: exit 1, too_deep (no RangeError)', () => {
    const { code, stdout, stderr } = runCli(['validate', '--rules', dir, '--format', 'json']);
    expect([code, codes(stdout)]).toEqual([1, ['too_deep']]);
    expect(stderr).not.toMatch(/RangeError|at .*\.js:\d+/);
  });
  // A rule set that does not load is a finding (exit 1) on every verb, as the README says.
  it.each([['docs'], ['test']])('%s: exit 1, too_deep', (verb) => {
    const { code, stdout, stderr } = runCli([verb, '--rules', dir]);
    expect(code).toBe(1);
    expect(stdout + stderr).toMatch(/too deep|nested more than 100 levels/);
  });
});

describe('symbolic links in a rules folder', () => {
  it('a symlinked rules file is read: the organisation\'s limit decides, not the bundled one', () => {
    const dir = temp();
    symlinkSync(organisationFile(), join(dir, 'approval.rules.json'));
    const rules = loadRuleSet(dir);
    expect(evaluate('review.approval', { amount: '800000', channel: 'direct' }, { asOf: '2026-01-01', rules }).outcome.authority).toBe('marketing_director');
    const { code, stdout } = runCli(['validate', '--rules', dir, '--format', 'json']);
    expect([code, (JSON.parse(stdout) as { files: string[] }).files.length]).toEqual([0, 1]);
    expect(runCli(['docs', '--rules', dir, '--as-of', '2026-01-01']).stdout).toContain('directorLimit (1000000)');
  });

  it('a link loop (a folder linking to its parent) is read once and ends', () => {
    const dir = temp();
    mkdirSync(join(dir, 'review'));
    symlinkSync(organisationFile(), join(dir, 'review', 'approval.rules.json'));
    symlinkSync('..', join(dir, 'review', 'up'));
    const { code, stdout } = runCli(['validate', '--rules', dir, '--format', 'json']);
    expect([code, (JSON.parse(stdout) as { files: string[] }).files.length]).toEqual([0, 1]);
  });

  it('a dangling link named like a rules file: validate exit 1, unreadable; loadRuleSet throws unreadable', () => {
    const dir = temp();
    symlinkSync(organisationFile(), join(dir, 'approval.rules.json'));
    symlinkSync(join(dir, 'gone.json'), join(dir, 'dangling.rules.json'));
    const { code, stdout } = runCli(['validate', '--rules', dir, '--format', 'json']);
    expect([code, codes(stdout, 'dangling.rules.json')]).toEqual([1, ['unreadable']]);
    expect(() => loadRuleSet(dir)).toThrow(RuleSetError);
  });
});

describe('a rules folder with no rules file at all', () => {
  const empty = temp();
  const casesOnly = temp();
  cpSync(join(ROOT, 'rules', 'review', 'approval.cases.json'), join(casesOnly, 'approval.cases.json'));
  it.each([
    ['validate', empty],
    ['docs', empty],
    ['test', empty],
    ['test', casesOnly],
    ['sql review.approval --dialect duckdb', empty],
  ])('%s on %s: exit 1, no_rules_files (never the bundled rules)', (verb, dir) => {
    const { code, stderr } = runCli([...verb.split(' '), '--rules', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no \*\.rules\.json file under/);
  });
  it('loadRuleSet throws RuleSetError no_rules_files', () => {
    expect(() => loadRuleSet(empty)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: 'no_rules_files' })] }));
  });
});

describe('a key given twice in one object', () => {
  const dir = rulesFixture(APPROVAL, () => {}, { raw: (text) => text.replace('"directorLimit": 500000,', '"directorLimit": 500000,\n        "directorLimit": 900000,') });
  it('validate: exit 1, duplicate_key at parameters[0].values.directorLimit', () => {
    const { code, stdout } = runCli(['validate', '--rules', dir, '--format', 'json']);
    const findings = (JSON.parse(stdout) as { findings: { code: string; path: string; file: string }[] }).findings.filter((f) => f.file.endsWith('approval.rules.json'));
    expect(code).toBe(1);
    expect(findings).toEqual([expect.objectContaining({ code: 'duplicate_key', path: 'parameters[0].values.directorLimit' })]);
  });
  it('loadRuleSet: RuleSetError duplicate_key with the path', () => {
    expect(() => loadRuleSet(dir)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: 'duplicate_key', path: 'parameters[0].values.directorLimit' })] }));
  });
  it.each([
    ['test'],
    ['sql review.approval --dialect duckdb'],
    ['eval review.approval --engine duckdb --input x.ndjson --output y.ndjson'],
  ])('%s --rules: exit 1, duplicate_key (never the bundled file in its place)', (verb) => {
    const { code, stdout, stderr } = runCli([...verb.split(' '), '--rules', dir]);
    expect(code).toBe(1);
    expect(stdout + stderr).toMatch(/parameters\[0\]\.values\.directorLimit.*key "directorLimit" appears twice/);
  });
  it('in a case file: test exits 1 and names the key', () => {
    const cases = rulesFixture(APPROVAL, () => {});
    const path = join(cases, 'review', 'approval.cases.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"asOf": "2026-01-01",', '"asOf": "2026-01-01",\n  "asOf": "2099-01-01",'));
    const { code, stdout, stderr } = runCli(['test', '--rules', cases]);
    expect(code).toBe(1);
    expect(stdout + stderr).toMatch(/key "asOf" appears twice/);
  });
});

describe('text from rule and case files reaching a terminal or Markdown', () => {
  const hostileName = 'REV\u001b[2J\u001b]8;;http://example.invalid\u0007x\u001b]8;;\u0007\u009b31m\u202e';
  const named = rulesFixture(APPROVAL, (json) => {
    json.rules.push({ ...json.rules[1], name: hostileName });
    json.description = '# Injected\n![img](http://example.invalid/x.png) [link](http://example.invalid) <img src=x>';
  });
  // A rule name is an identifier (refused at load when it is not); a description is free text.
  const described = rulesFixture(APPROVAL, (json) => {
    json.description = '# Injected\n![img](http://example.invalid/x.png) [link](http://example.invalid) <img src=x> \u001b]8;;http://example.invalid\u0007x\u001b]8;;\u0007\u202e';
  });
  it('validate (text and github): no control or bidi character raw, one finding a line', () => {
    for (const format of ['text', 'github']) {
      const { code, stdout, stderr } = runCli(['validate', '--rules', named, '--format', format]);
      expect(code).toBe(1);
      expect(stdout + stderr).not.toMatch(RAW_CONTROL);
      expect(stdout).toContain('\\u001b');
    }
  });
  it('docs: the description adds no heading, image, link or HTML; nothing raw', () => {
    const { code, stdout } = runCli(['docs', '--rules', described, '--as-of', '2026-01-01']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stdout).not.toMatch(/^# Injected/m);
    expect(stdout).not.toMatch(/(^|[^\\])!\[|(^|[^\\])\[link\]|(^|[^\\])<img/);
    expect(stdout).toContain('\\# Injected');
  });
  it('diff --format markdown: a case name with a newline, heading, row, image, link, HTML and escapes stays in its cell', () => {
    const before = rulesFixture(APPROVAL, () => {});
    const after = rulesFixture(APPROVAL, (json) => (json.parameters[0].values.directorLimit = 1_000_000));
    cpSync(join(FIXTURES, 'hostile-names.cases.json'), join(after, 'review', 'hostile.cases.json'));
    const { code, stdout } = runCli(['diff', before, after, '--as-of', '2026-01-01', '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(RAW_CONTROL);
    const row = stdout.split('\n').find((line) => line.includes('800k direct'));
    expect(row).toBeDefined();
    // The row is one line of three cells: every | and ` inside is escaped; no heading, image, link or HTML.
    expect(row!.replace(/\\./g, '').split('|')).toHaveLength(5);
    expect(stdout).not.toMatch(/^#+ Injected/m);
    expect(row).not.toMatch(/(^|[^\\])!\[|(^|[^\\])\[link\]|(^|[^\\])<script/);
    const text = runCli(['diff', before, after, '--as-of', '2026-01-01']).stdout;
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).not.toMatch(/^# Injected/m);
  });
});

describe('CLI input and output', () => {
  const ndjson = ['eval', 'review.approval', '--ndjson', '--no-trace', '--as-of', '2026-01-01'];
  it('--ndjson from a folder: exit 2', () => {
    const result = spawnSync('bash', ['-c', `node ${JSON.stringify(CLI)} ${ndjson.join(' ')} < ${JSON.stringify(FIXTURES)}`], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([2, expect.stringMatching(/standard input is a folder/)]);
  });
  it('a line over --max-line-bytes: reported as LINE_TOO_LONG, the run goes on, exit 1', () => {
    const input = `{"amount":"1","channel":"direct"}\n{"amount":"${'9'.repeat(500)}","channel":"direct"}\n{"amount":"2","channel":"direct"}\n`;
    const { code, stdout, stderr } = runCli([...ndjson, '--max-line-bytes', '100'], { input });
    const out = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect([code, out.map((o) => o.error?.code ?? o.outcome.authority)]).toEqual([1, ['marketing_director', 'LINE_TOO_LONG', 'marketing_director']]);
    expect(stderr).toMatch(/line 2: the line is 532 bytes, over the limit of 100/);
  });
  it('--max-line-bytes takes a whole number: exit 2', () => {
    expect(runCli([...ndjson, '--max-line-bytes', 'lots']).code).toBe(2);
  });
  it('a bad line\'s error record echoes a bounded part of it back', () => {
    const { code, stdout } = runCli(ndjson, { input: `{"amount":"${'x'.repeat(100_000)}","channel":"direct"}\n${'y'.repeat(100_000)}\n` });
    const [first, second] = stdout.trim().split('\n');
    expect([code, JSON.parse(first!).error.code, JSON.parse(second!).error.code]).toEqual([1, 'INVALID_FACTS', 'INVALID_JSON']);
    expect(first!.length).toBeLessThan(3_000);
    expect(second!.length).toBeLessThan(3_000);
  });
  it('a UTF-8 BOM before --facts and the first NDJSON line is dropped: exit 0', () => {
    expect(runCli(['eval', 'review.approval', '--facts', join(FIXTURES, 'bom-facts.json'), '--as-of', '2026-01-01']).code).toBe(0);
    const { code, stdout } = runCli(ndjson, { input: readFileSync(join(FIXTURES, 'bom.ndjson'), 'utf8') });
    expect([code, stdout.trim().split('\n').length]).toEqual([0, 2]);
  });
  it('demo | head -1: exits 0 quietly on the closed pipe', () => {
    const result = spawnSync('bash', ['-c', `node ${JSON.stringify(CLI)} demo | head -c 1 > /dev/null; echo "exit \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('exit 0');
    expect(result.stderr).toBe('');
  });
  it.each([
    ['a line that is not JSON', 'not-json-line.ndjson', /DuckDB cannot read .*not-json-line\.ndjson.*line \d/],
    ['a corrupt parquet file', 'corrupt.parquet', /DuckDB cannot read .*corrupt\.parquet/],
  ])('--engine duckdb with %s: exit 2, the file (and line) named', (_name, file, message) => {
    const out = join(temp(), 'decisions.ndjson');
    const { code, stderr } = runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', join(FIXTURES, file), '--output', out, '--as-of', '2026-01-01']);
    expect([code, stderr]).toEqual([2, expect.stringMatching(message)]);
  });
});
