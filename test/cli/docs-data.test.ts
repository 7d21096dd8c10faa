import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExplorerData } from '../../src/explorer/data.js';
import { runCli } from '../helpers/cli.js';
import { closerTakesAllRules, lowerVpRules } from '../helpers/impact-rules.js';

// `docs --html FILE --data FACTS` on the built CLI: the page embeds the impact of its rules
// against the bundled ones over the facts; a data file that cannot be read is a usage error.

const LOWER_VP = lowerVpRules();
const CLOSER_TAKES_ALL = closerTakesAllRules();
const dir = mkdtempSync(join(tmpdir(), 'sales-policies-docs-data-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ndjson = (rows: readonly unknown[]) => rows.map((row) => JSON.stringify(row)).join('\n');
const HISTORY = file(
  'history.ndjson',
  ndjson([
    { id: 'C-1', signedOn: '2026-03-01', amount: '100000', channel: 'direct' },
    { id: 'C-2', signedOn: '2026-03-02', amount: '2000000', channel: 'direct' },
    { id: 'C-3', signedOn: '2026-03-03', amount: '2999999.99', channel: 'direct' },
    { id: 'C-4', signedOn: '2026-03-04', amount: 'lots', channel: 'direct' },
  ]),
);
const DEALS = file(
  'deals.csv',
  [
    'policy,deal,pool,kind,depositPaidInFull,contractSigned,handlers,closer,receivingAgents,protectedBy',
    'commission.allocation,D-1,10000.01,lease,true,true,"[""li"",""wang""]",wang,"[""li"",""wang""]",null',
    'commission.allocation,D-2,300,lease,true,true,"[""zhao""]",zhao,"[""zhao""]",null',
  ].join('\n'),
);
const out = () => join(mkdtempSync(join(tmpdir(), 'sales-policies-docs-data-page-')), 'explorer.html');

function embedded(path: string): ExplorerData {
  const json = /<script type="application\/json" id="explorer-data">([^<]*)<\/script>/.exec(readFileSync(path, 'utf8'))![1]!;
  return JSON.parse(json) as ExplorerData;
}

describe('sales-policies docs --html --data (built CLI)', () => {
  it('embeds the transitions, counts and refusals of the page rules against the bundled ones, and says so', () => {
    const page = out();
    const { code, stdout, stderr } = runCli(['docs', '--html', page, '--rules', LOWER_VP, '--as-of', '2026-01-01', '--data', HISTORY, '--policy', 'review.approval', '--as-of-field', 'signedOn']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`impact of ${LOWER_VP} on review.approval over ${HISTORY}: 4 rows, 3 decided by both, 2 change outcome`);
    const impact = embedded(page).impact!;
    expect(impact).toMatchObject({ policy: 'review.approval', base: 'the bundled rules', rules: LOWER_VP, asOf: { field: 'signedOn' }, rows: 4, decided: 3, changed: 2, refusedByBoth: [{ code: 'INVALID_FACTS', count: 1 }], refusals: [] });
    expect(impact.transitions.map((t) => [t.count, t.before.basis, t.after.basis, t.examples])).toEqual([[2, ['REV-6.2'], ['REV-6.3'], ['C-2', 'C-3']]]);
  });

  it('reads CSV with a policy column and --id, and embeds the money per agent', () => {
    const page = out();
    const { code, stdout } = runCli(['docs', '--html', page, '--rules', CLOSER_TAKES_ALL, '--as-of', '2026-01-01', '--data', DEALS, '--id', 'deal', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).impact).toEqual({ policy: 'commission.allocation', rows: 2, decided: 2, changed: 1 });
    const impact = embedded(page).impact!;
    expect(impact.transitions[0]!.examples).toEqual(['D-1']);
    expect(impact.money).toEqual({
      agents: [
        { agent: 'li', before: '5000.01', after: '0.00', difference: '-5000.01' },
        { agent: 'wang', before: '5000.00', after: '10000.01', difference: '5000.01' },
        { agent: 'zhao', before: '300.00', after: '300.00', difference: '0.00' },
      ],
      unallocated: { before: '0.00', after: '0.00', difference: '0.00' },
      total: { before: '10300.01', after: '10300.01', difference: '0.00' },
    });
  });

  it('writes the page without an impact when --data is absent', () => {
    const page = out();
    expect(runCli(['docs', '--html', page, '--as-of', '2026-01-01']).code).toBe(0);
    expect(embedded(page).impact).toBeUndefined();
  });

  it('counts rows it cannot read on the page, and exits 1 saying how many', () => {
    const page = out();
    const broken = file('broken.ndjson', `${ndjson([{ id: 'C-1', amount: '100000', channel: 'direct' }])}\nnot json\n`);
    const { code, stderr } = runCli(['docs', '--html', page, '--rules', LOWER_VP, '--as-of', '2026-01-01', '--data', broken, '--policy', 'review.approval']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${broken}: 1 INVALID_JSON row(s) could not be read`);
    expect(embedded(page).impact).toMatchObject({ rows: 2, decided: 1, changed: 0, refusedByBoth: [{ code: 'INVALID_JSON', count: 1 }] });
  });

  it('exits 2 with a clear message, writing nothing, for a data file it cannot use', () => {
    const folder = join(dir, 'a-folder.ndjson');
    mkdirSync(folder, { recursive: true });
    const twice = file('twice.csv', 'amount,amount\n1,2\n');
    const cases: [string[], RegExp][] = [
      [['--data', join(dir, 'missing.ndjson'), '--policy', 'review.approval'], /--data: no file ".*missing\.ndjson"/],
      [['--data', folder, '--policy', 'review.approval'], /--data takes a file, ".*" is a folder/],
      [['--data', file('x.parquet', 'PAR1'), '--policy', 'review.approval'], /--data: the page reads \.ndjson or \.csv/],
      [['--data', twice, '--policy', 'review.approval'], /twice\.csv: .*amount/],
      [['--data', HISTORY], /needs --policy ID, or a "policy" column/],
      [['--data', HISTORY, '--policy', 'review.aproval'], /unknown policy "review\.aproval"; did you mean "review\.approval"/],
      [['review.arbitration', '--data', HISTORY, '--policy', 'review.approval'], /--data holds facts of review\.approval, which the page does not show \(it shows review\.arbitration\)/],
    ];
    for (const [args, message] of cases) {
      const page = out();
      const result = runCli(['docs', '--html', page, '--as-of', '2026-01-01', ...args]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
      expect(existsSync(page)).toBe(false);
    }
    for (const [args, message] of [
      [['--data', HISTORY], /--data is for the explorer page's impact table: give --html FILE too/],
      [['--html', out(), '--policy', 'review.approval'], /--policy says how to read --data FILE: give --data too/],
      [['--id', 'deal'], /--id is for the explorer page's impact table: give --html FILE and --data FILE too/],
    ] as const) {
      const result = runCli(['docs', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
