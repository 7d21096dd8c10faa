import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, rulesFixture } from '../helpers/cli.js';

// End to end on the built CLI (dist/cli.js): the VP limit lowered from 3,000,000 to 2,000,000.
const LOWER_VP = rulesFixture('review/approval.rules.json', (json) => {
  json.parameters[0].values.vpLimit = 2_000_000;
});
const CLOSER_TAKES_ALL = rulesFixture('commission/allocation.rules.json', (json) => {
  const rule = json.rules.find((r: { name: string; event: { params: { shares?: { role: string }[] } } }) => r.name === 'COM-4' && r.event.params.shares?.[0]?.role === 'handlers');
  rule.event.params.shares = [{ role: 'closer', percent: 100 }];
});
const BROKEN = rulesFixture('review/approval.rules.json', (json) => {
  json.rules[0].conditions.all[0].operator = 'lessThen';
});
const dir = mkdtempSync(join(tmpdir(), 'sales-policies-impact-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const HISTORY = file(
  'history.ndjson',
  [
    { id: 'C-1', amount: '100000', channel: 'direct' },
    { id: 'C-2', amount: '2000000', channel: 'direct' },
    { id: 'C-3', amount: '2999999.99', channel: 'direct' },
    { id: 'C-4', amount: '3000000', channel: 'direct' },
    { id: 'C-5', amount: 'lots', channel: 'direct' },
  ]
    .map((row) => JSON.stringify(row))
    .join('\n'),
);
const run = (...args: string[]) => runCli(['impact', '--base', 'rules', '--as-of', '2026-01-01', ...args]);

describe('sales-policies impact (built CLI)', () => {
  it('text: the counts and the transition with its basis and examples; exit 0', () => {
    const { code, stdout } = run('--rules', LOWER_VP, '--data', HISTORY, '--policy', 'review.approval');
    expect(code).toBe(0);
    expect(stdout).toContain('5 rows: 4 decided by both, 2 change outcome (50.00%), 0 change basis only, 0 refused by one side, 1 by both');
    expect(stdout).toMatch(/ 2 {2}authority=sales_vp .*\[REV-6\.2]\n +→ authority=general_manager .*\[REV-6\.3]\n +e\.g\. C-2, C-3/);
    expect(stdout).toContain('Refused by both: INVALID_FACTS 1');
  });

  it('json: the report object; --fail-on-change makes a change exit 1, no change exit 0', () => {
    const changed = run('--rules', LOWER_VP, '--data', HISTORY, '--policy', 'review.approval', '--format', 'json', '--fail-on-change');
    expect(changed.code).toBe(1);
    const report = JSON.parse(changed.stdout);
    expect(report).toMatchObject({ policy: 'review.approval', rows: 5, decided: 4, changed: 2, transitions: [{ count: 2, examples: ['C-2', 'C-3'], before: { basis: ['REV-6.2'] }, after: { basis: ['REV-6.3'] } }] });
    expect(run('--rules', 'rules', '--data', HISTORY, '--policy', 'review.approval', '--fail-on-change').code).toBe(0);
  });

  it('markdown for a pull-request comment, with ids from the data escaped', () => {
    const hostile = file('hostile.ndjson', `${JSON.stringify({ policy: 'review.approval', id: '| ![x](http://e/x.png) <b>', amount: '2500000', channel: 'direct' })}\n`);
    const { code, stdout } = run('--rules', LOWER_VP, '--data', hostile, '--format', 'markdown');
    expect(code).toBe(0);
    expect(stdout).toContain('### impact on review.approval');
    expect(stdout).toContain('| rows | before | after | examples |');
    expect(stdout).toContain('\\| \\!\\[x](http://e/x.png) \\<b> |');
  });

  it('CSV with a policy column, commission.allocation: the money per agent, exact', () => {
    const deals = file('deals.csv', ['policy,id,pool,kind,depositPaidInFull,contractSigned,handlers,closer,receivingAgents,protectedBy', 'commission.allocation,L-1,10000.01,lease,true,true,"[""wang"",""li""]",wang,"[""wang"",""li""]",null', 'commission.allocation,L-2,300.00,lease,true,true,"[""zhao""]",zhao,"[""zhao""]",null'].join('\r\n'));
    const { code, stdout } = runCli(['impact', '--base', 'rules', '--rules', CLOSER_TAKES_ALL, '--data', deals, '--as-of', '2026-01-01']);
    expect(code).toBe(0);
    expect(stdout).toContain('2 rows: 2 decided by both, 1 change outcome');
    expect(stdout).toMatch(/li +5000\.01 +0\.00 +-5000\.01/);
    expect(stdout).toMatch(/wang +5000\.00 +10000\.01 +5000\.01/);
    expect(stdout).toMatch(/total +10300\.01 +10300\.01 +0\.00/);
  });

  it.each<[string, string[], number, RegExp]>([
    ['a side that does not load: exit 1', ['--rules', BROKEN, '--data', HISTORY, '--policy', 'review.approval'], 1, /lessThen/],
    ['a file with a line that is not JSON: exit 1', ['--rules', LOWER_VP, '--data', file('bad.ndjson', '{"amount":1,"channel":"direct"}\nnot json\n'), '--policy', 'review.approval'], 1, /1 INVALID_JSON row\(s\) could not be read/],
    ['an unknown policy (a usage error, as in every verb): exit 2', ['--rules', LOWER_VP, '--data', HISTORY, '--policy', 'review.aproval'], 2, /did you mean "review\.approval"/],
    ['no policy and no policy column: exit 2', ['--rules', LOWER_VP, '--data', HISTORY], 2, /needs --policy ID, or a "policy" column/],
    ['a missing file: exit 2', ['--rules', LOWER_VP, '--data', join(dir, 'none.ndjson'), '--policy', 'review.approval'], 2, /--data: no file/],
    ['Parquet: exit 2', ['--rules', LOWER_VP, '--data', file('x.parquet', ''), '--policy', 'review.approval'], 2, /Parquet is read only by --engine duckdb/],
    ['a CSV header naming a column twice: exit 2', ['--rules', LOWER_VP, '--data', file('twice.csv', 'amount,amount\n1,2\n'), '--policy', 'review.approval'], 2, /names column "amount" twice/],
    ['a bad --as-of: exit 2', ['--rules', LOWER_VP, '--data', HISTORY, '--policy', 'review.approval', '--as-of', '2026-02-30'], 2, /--as-of/],
  ])('%s', (_name, args, exit, message) => {
    const { code, stderr } = runCli(['impact', '--base', 'rules', ...args]);
    expect(code).toBe(exit);
    expect(stderr).toMatch(message);
  });

  it('has --help with examples', () => {
    const { code, stdout } = runCli(['impact', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: sales-policies impact --base OLD_DIR --rules NEW_DIR --data FILE');
  });
});
