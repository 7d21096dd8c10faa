import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/case-files.js';
import { rulesFixture, runCli } from '../helpers/cli.js';

const APPROVAL = 'review/approval.rules.json';
const raiseDirectorLimit = (json: any) => (json.parameters[0].values.directorLimit = 1_000_000);

describe('sales-policies test', () => {
  it('runs every bundled case and reports full rule coverage', () => {
    const { code, stdout } = runCli(['test', '--min-coverage', '100']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/rule coverage 100% \((\d+)\/\1\)/);
    expect(stdout).toMatch(/cases: \d+ passed, 0 failed/);
  });

  it('shows expected against actual, with the trace, when a threshold change breaks a case', () => {
    const { code, stdout } = runCli(['test', '--rules', rulesFixture(APPROVAL, raiseDirectorLimit)]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ ');
    expect(stdout).toContain('review/approval.cases.json › direct 500000.01, not disputed: sales_vp (REV-6.2)');
    expect(stdout).toContain('    outcome.authority:\n      - "sales_vp"\n      + "marketing_director"\n');
    expect(stdout).toContain('    basis:\n      - ["REV-6.2"]\n      + ["REV-6.1"]\n      (only expected: "REV-6.2"; only actual: "REV-6.1")\n');
    expect(stdout).toMatch(/ {4}outcome\.route:\n {6}- \[.*"sales_vp"\]\n {6}\+ \[.*"marketing_director"\]\n {6}\(only expected: "sales_vp"\)\n/);
    expect(stdout).toContain('amount lessThanInclusive "1000000" [param.directorLimit] (was "500000.01")');
  });

  it('names outcome values with the labels of the rules under test', () => {
    const ourTitles = (json: any) => {
      raiseDirectorLimit(json);
      json.labels.authority.marketing_director.en = 'Head of Marketing (our title)';
    };
    const { stdout } = runCli(['test', '--rules', rulesFixture(APPROVAL, ourTitles)]);
    expect(stdout).toContain('authority = marketing_director (Head of Marketing (our title))');
  });

  it('names the rules no case makes decide, and fails below --min-coverage', () => {
    const dir = rulesFixture('review/arbitration.cases.json', (json) => (json.cases = json.cases.filter((c: { facts: { clause?: string } }) => c.facts.clause !== 'delivery')));
    const { code, stdout } = runCli(['test', '--rules', dir, '--min-coverage', '99']);
    expect(code).toBe(1);
    expect(stdout).toContain('arbitration.rules.json: 4/6 rules decide in some case; never: rules[4] REV-5.3, rules[5] REV-5.3');
    expect(runCli(['test', '--rules', dir, '--min-coverage', '80']).code).toBe(0);
  });

  it('reports JSON with --format json', () => {
    const report = JSON.parse(runCli(['test', '--format', 'json']).stdout);
    expect(report).toMatchObject({ failed: 0, coverage: { percent: 100 } });
  });

  it('prints a summary by default (a line per case file, failures in full) and every case with --verbose', () => {
    const { stdout } = runCli(['test', '--rules', rulesFixture(APPROVAL, raiseDirectorLimit)]);
    expect(stdout).toMatch(/^✗ \S*review\/approval\.cases\.json: 3 of \d+ failed$/m);
    expect(stdout).toMatch(/^✓ \S*review\/arbitration\.cases\.json: 11 cases passed$/m);
    expect(stdout.match(/^ {4}✓ /gm)).toBeNull(); // passing cases are not listed
    const verbose = runCli(['test', '--policy', 'review.arbitration', '--verbose']).stdout;
    expect(verbose.match(/^ {4}✓ /gm)).toHaveLength(11);
  });

  it('--policy and --case select cases; coverage counts only the policies selected', () => {
    const { code, stdout } = runCli(['test', '--policy', 'review.*', '--case', '500000.01']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cases: 2 passed, 0 failed$/m);
    expect(stdout).not.toContain('commission');
    const commission = runCli(['test', '--policy', 'commission.*', '--format', 'json']).stdout;
    expect(new Set(JSON.parse(commission).files.map((f: { policy: string }) => f.policy))).toEqual(new Set(['commission.allocation', 'commission.handler', 'commission.protection', 'commission.conduct']));
    expect(runCli(['test', '--policy', 'review.nope']).code).toBe(2);
  });

  it('matches only the fields given with "match": "partial", and names the extra field without it', () => {
    const trimmed = (json: any) => {
      json.cases = json.cases.slice(0, 1);
      delete json.cases[0].expected.outcome.route;
    };
    const exact = runCli(['test', '--rules', rulesFixture('review/approval.cases.json', trimmed), '--policy', 'review.approval']);
    expect(exact.code).toBe(1);
    expect(exact.stdout).toContain('    outcome.route: not expected (the case matches the whole outcome; "match": "partial" checks only the fields given)');
    const partial = runCli(['test', '--rules', rulesFixture('review/approval.cases.json', (json) => ((json.match = 'partial'), trimmed(json))), '--policy', 'review.approval']);
    expect(partial.code).toBe(0);
  });

  it('is an error on a folder with no cases (exit 1), unless --allow-empty', () => {
    // Rules but no cases (a folder with no rules file at all does not load: no_rules_files).
    const empty = mkdtempSync(join(tmpdir(), 'sales-policies-empty-'));
    cpSync(join(ROOT, 'rules', 'review', 'approval.rules.json'), join(empty, 'approval.rules.json'));
    const { code, stderr } = runCli(['test', '--rules', empty]);
    expect(code).toBe(1);
    expect(stderr).toContain('no cases to run: no *.cases.json under');
    expect(runCli(['test', '--rules', empty, '--allow-empty']).code).toBe(0);
    expect(runCli(['test', '--case', 'no such case name']).code).toBe(1);
  });

  it('reports a rule set that does not load, or a broken case file, as a finding: exit 1', () => {
    const brokenRules = runCli(['test', '--rules', rulesFixture(APPROVAL, (json) => (json.rules[0].conditions.all[0].operator = 'lessThen'))]);
    expect(brokenRules.code).toBe(1);
    expect(brokenRules.stdout).toMatch(/^✗ the rule set does not load, so no case can run:\n {2}\S*approval\.rules\.json → rules\[0\]/m);
    const json = runCli(['test', '--rules', rulesFixture(APPROVAL, (j) => (j.rules[0].conditions.all[0].operator = 'lessThen')), '--format', 'json']);
    expect({ code: json.code, report: JSON.parse(json.stdout) }).toMatchObject({ code: 1, report: { error: 'INVALID_RULE_SET', issues: [{ code: 'unknown_operator', path: 'rules[0].conditions.all[0].operator' }] } });
    const brokenCases = runCli(['test', '--rules', rulesFixture('review/approval.cases.json', (json) => (json.cases[0].expected = { outcome: 'x' }))]);
    expect(brokenCases.code).toBe(1);
    expect(brokenCases.stdout).toMatch(/^✗ \S*approval\.cases\.json → cases\[0\]\.expected/m);
    expect(brokenCases.stdout).toMatch(/; 1 problem in case files$/m);
  });
});

describe('sales-policies diff', () => {
  const before = join(ROOT, 'rules');

  it('reports nothing between a rule set and itself', () => {
    const { code, stdout } = runCli(['diff', before, before, '--as-of', '2026-01-01', '--fail-on-change']);
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'no decision changes' });
  });

  it('reports the input classes whose decision changes, before → after with the basis', () => {
    const after = rulesFixture(APPROVAL, raiseDirectorLimit);
    const { code, stdout } = runCli(['diff', before, after, '--as-of', '2026-01-01']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^review\.approval: \d+ changes/m);
    expect(stdout).toContain('case "direct 500000.01, not disputed: sales_vp (REV-6.2)"');
    expect(stdout).toContain('{"authority":"sales_vp","route":');
    expect(stdout).toMatch(/\[REV-6\.2\]\n {2}→ .*"authority":"marketing_director".*\[REV-6\.1\]/);
    expect(stdout).toMatch(/^ {2}amount in \(500000, 1000000\), channel=direct, disputed=false, repeatBatch=false, technicalTermsChanged=false\n {4}\{"authority":"sales_vp"\} \[REV-6\.2\]\n {2}→ \{"authority":"marketing_director"\} \[REV-6\.1\]$/m);
    expect(stdout).not.toContain('review.arbitration');
  });

  it('exits 1 on a change only with --fail-on-change, and writes Markdown and JSON', () => {
    const after = rulesFixture(APPROVAL, raiseDirectorLimit);
    expect(runCli(['diff', before, after, '--as-of', '2026-01-01', '--fail-on-change']).code).toBe(1);
    expect(runCli(['diff', before, after, '--as-of', '2026-01-01', '--format', 'markdown']).stdout).toMatch(/^### review\.approval: \d+ changes from 2026-01-01\n\n\| input \| before \| after \|/m);
    const changes = JSON.parse(runCli(['diff', before, after, '--as-of', '2026-01-01', '--format', 'json']).stdout);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c: { policy: string }) => c.policy === 'review.approval')).toBe(true);
  });

  it('exits 2 without two folders', () => {
    expect(runCli(['diff', before]).code).toBe(2);
  });
});

describe('sales-policies docs', () => {
  it('renders each policy as a decision table with the parameters in force and the source quoted', () => {
    const { code, stdout } = runCli(['docs', '--as-of', '2026-01-01']);
    expect(code).toBe(0);
    expect(stdout).toContain('## review.approval — Contract review: approval authority and route');
    expect(stdout).toContain('| REV-6.2 | 1 | channel = "direct" and amount > directorLimit (500000) and amount < vpLimit (3000000) and disputed = false | authority: sales_vp (Sales Vice President) | 6.2 |');
    expect(stdout).toContain('| `directorLimit` | 500000 | 2017-04-26 |');
    expect(stdout).toContain('「單項合同金額在50-300萬元或50萬元以內有爭議的訂單,評審至銷售副總為止。」');
  });

  it('shows the version in force on --as-of, and Chinese labels with --lang zh', () => {
    const dir = rulesFixture(APPROVAL, (json) => json.parameters.push({ from: '2027-01-01', values: { ...json.parameters[0].values, directorLimit: 800000 } }));
    expect(runCli(['docs', '--rules', dir, '--as-of', '2026-12-31']).stdout).toContain('directorLimit (500000)');
    expect(runCli(['docs', '--rules', dir, '--as-of', '2027-01-01']).stdout).toContain('directorLimit (800000)');
    expect(runCli(['docs', '--as-of', '2026-01-01', '--lang', 'zh']).stdout).toContain('sales_vp (銷售副總)');
  });
});

describe('sales-policies schemas', () => {
  it('writes the committed schemas', () => {
    const dir = rulesFixture(APPROVAL, () => undefined);
    expect(runCli(['schemas', '--out', join(dir, 'out')]).code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'rules.schema.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'schema', 'rules.schema.json'), 'utf8'));
    writeFileSync(join(dir, 'touched'), '');
  });
});
