import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalWithDuckDb } from '../../src/cli/duckdb-engine.js';
import type { Io } from '../../src/cli/io.js';
import { SQL_POLICY_IDS } from '../../src/sql/index.js';
import type { SqlPolicyId } from '../../src/sql/index.js';
import { ROOT } from '../helpers/case-files.js';
import { CLI, rulesFixture, runCli } from '../helpers/cli.js';
import { factsOf } from '../sql/generators.js';
import type { Database } from '../sql/harness.js';
import { DATABASE_ZONE, expected, openDuckDb } from '../sql/harness.js';

// `eval --engine duckdb` reads facts files with embedded DuckDB and decides them with the SQL of
// toSql. Every line of an NDJSON file must come out as evaluate decides that line: the outcome and
// basis, or a refusal with evaluate's code and one of its paths. Heavy and independent of the
// zone, so these run in the TZ=UTC project only.

const AS_OF = '2026-01-01';
const dir = mkdtempSync(join(tmpdir(), 'sales-policies-duckdb-engine-'));

function quietIo(): Io & { errors: string[] } {
  const errors: string[] = [];
  return { out: () => undefined, err: (text) => errors.push(text), stdin: () => '', errors };
}

/** A JSON value of another type than the fact wants, or null: what a facts file may hold and a table may not. */
const stray = fc.constantFrom<unknown>(null, 7, 'yes', true, [], {}, 2 ** 53, ['li', 3]);

/** A line: generated facts, sometimes with a value replaced by a stray one, an unknown field or an id. */
function line(policy: SqlPolicyId): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(factsOf(policy), fc.nat(20), stray, fc.nat(9)).map(([facts, pick, value, extra]) => {
    const out: Record<string, unknown> = { ...facts };
    const keys = Object.keys(out);
    if (pick < keys.length && pick % 3 === 0) out[keys[pick]!] = value;
    if (extra === 0) out['colour'] = 'red';
    if (extra === 1) out['id'] = `row-${pick}`;
    return out;
  });
}

describe.runIf(DATABASE_ZONE)('eval --engine duckdb', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDuckDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  for (const policy of SQL_POLICY_IDS) {
    it(`${policy}: every NDJSON line decides as evaluate decides it`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(line(policy), { minLength: 200, maxLength: 400 }), async (lines) => {
          const input = join(dir, `${policy}.ndjson`);
          const output = join(dir, `${policy}.out.ndjson`);
          writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n'));
          const io = quietIo();
          const code = await evalWithDuckDb(policy, { asOf: AS_OF }, input, output, io);
          const rows = readFileSync(output, 'utf8').trim().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
          expect(rows).toHaveLength(lines.length);
          let refused = 0;
          rows.forEach((row, index) => {
            const { id, ...facts } = lines[index]!;
            expect(row['id']).toEqual(id ?? index + 1);
            const want = expected(policy, facts, { asOf: AS_OF });
            const context = `${policy} line ${index + 1}: ${JSON.stringify(lines[index])}`;
            if ('outcome' in want) {
              // The shape --ndjson --no-trace writes: the outcome nested, exactly as evaluate gives it.
              expect(row, context).toEqual({ line: index + 1, id: id ?? index + 1, policy, asOf: AS_OF, outcome: want.outcome, basis: want.basis });
            } else {
              refused++;
              const error = row['error'] as { code: string; issues?: { path: string }[] };
              expect(Object.keys(row), context).toEqual(['line', 'id', 'error']);
              expect(error.code, context).toBe(want.error);
              if (want.error === 'INVALID_FACTS') expect(want.paths, `${context}: ${JSON.stringify(error)}`).toContain(error.issues![0]!.path);
            }
          });
          expect(code).toBe(refused > 0 ? 1 : 0);
          expect(io.errors.at(-1)).toMatch(new RegExp(`^${rows.length} rows: ${rows.length - refused} decided, ${refused} refused`));
        }),
        { numRuns: 3, endOnFailure: true },
      );
    });
  }

  it('numbers rows by their line in the file, blank lines included, and passes ids through as --ndjson does (--id FIELD too)', () => {
    const input = join(dir, 'blanks.ndjson');
    writeFileSync(input, ['{"ref":"A","amount":"1200000","channel":"direct"}', '', '  \r', '{"amount":1,"channel":"distributor"}', '{"ref":"C","amount":"x","channel":"direct"}', ''].join('\n'));
    const output = join(dir, 'blanks.out.ndjson');
    expect(runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', input, '--output', output, '--as-of', AS_OF, '--id', 'ref']).code).toBe(1);
    const duck = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const node = runCli(['eval', 'review.approval', '--ndjson', '--id', 'ref', '--as-of', AS_OF], { input: readFileSync(input, 'utf8') }).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const keys = (rows: { line: number; id?: unknown; blank?: boolean; basis?: string[] | null; error?: unknown }[]) => rows.filter((r) => r.blank !== true).map((r) => [r.line, r.id, r.error ? 'refused' : r.basis]);
    expect(keys(duck)).toEqual([[1, 'A', ['REV-6.2']], [4, 4, ['REV-6.1']], [5, 'C', 'refused']]);
    expect(keys(node)).toEqual(keys(duck));
    // The same shape as --ndjson --no-trace: decided lines identical, refused lines with the same
    // keys, code and issue paths (the SQL's messages are its own wording, and it gives no received/expected).
    const shape = runCli(['eval', 'review.approval', '--ndjson', '--no-trace', '--id', 'ref', '--as-of', AS_OF], { input: readFileSync(input, 'utf8') }).stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.blank !== true);
    expect(duck.filter((r) => !r.error)).toEqual(shape.filter((r) => !r.error));
    const refusal = (rows: any[]) => rows.filter((r) => r.error).map((r) => ({ ...r, error: { code: r.error.code, issues: r.error.issues.map((i: any) => i.path) } }));
    expect(refusal(duck)).toEqual(refusal(shape));
  });

  it('writes outcomes exactly: allocation amounts as DECIMAL(18,2) in Parquet, as decimal strings in NDJSON (as evaluate gives them)', async () => {
    const input = join(dir, 'pool.ndjson');
    writeFileSync(input, `${JSON.stringify({ pool: '10000.01', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['wang', 'li'], closer: 'wang', receivingAgents: ['wang', 'li'], protectedBy: null })}\n`);
    await evalWithDuckDb('commission.allocation', { asOf: AS_OF }, input, join(dir, 'pool.parquet'), quietIo());
    const [row] = await db.rows(`SELECT typeof("shares") AS t, "shares" FROM read_parquet('${join(dir, 'pool.parquet')}')`);
    expect(row).toEqual({ t: 'STRUCT(agent VARCHAR, "percent" INTEGER, amount DECIMAL(18,2))[]', shares: [{ agent: 'li', percent: 50, amount: '5000.01' }, { agent: 'wang', percent: 50, amount: '5000.00' }] });
    await evalWithDuckDb('commission.allocation', { asOf: AS_OF }, input, join(dir, 'pool.out.ndjson'), quietIo());
    expect(readFileSync(join(dir, 'pool.out.ndjson'), 'utf8')).toContain('"shares":[{"agent":"li","percent":50,"amount":"5000.01"},{"agent":"wang","percent":50,"amount":"5000.00"}]');
  });

  it('reads CSV (booleans true/false, lists as JSON) and Parquet, and refuses a column that is no fact', async () => {
    const csv = join(dir, 'facts.csv');
    writeFileSync(csv, 'id,amount,channel,disputed\nA-1,1200000,direct,\nA-2,500000.00,direct,true\nA-3,3000000,direct,yes\n');
    const { code, stderr } = runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', csv, '--output', join(dir, 'csv.parquet'), '--as-of', AS_OF]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/3 rows: 2 decided, 1 refused \(e\.g\. INVALID_FACTS disputed: expected boolean/);
    const rows = await db.rows(`SELECT "id", "authority", "error" FROM read_parquet('${join(dir, 'csv.parquet')}')`);
    expect(rows).toEqual([
      { id: 'A-1', authority: 'sales_vp', error: null },
      { id: 'A-2', authority: 'sales_vp', error: null },
      { id: 'A-3', authority: null, error: 'INVALID_FACTS disputed: expected boolean (true or false)' },
    ]);
    // The decisions as Parquet in, typed columns and all, as a warehouse would hand them over.
    await db.exec(`COPY (SELECT "id", CAST(1200000 AS DECIMAL(18,2)) AS "amount", 'direct' AS "channel" FROM range(3) AS r("id")) TO '${join(dir, 'typed.parquet')}' (FORMAT PARQUET)`);
    const typed = runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', join(dir, 'typed.parquet'), '--output', join(dir, 'typed.csv'), '--as-of', AS_OF]);
    expect(typed.code).toBe(0);
    expect(readFileSync(join(dir, 'typed.csv'), 'utf8').split('\n')[1]).toBe('1,0,sales_vp,"[""technical"",""materials"",""manufacturing"",""quality"",""finance"",""legal"",""marketing_director"",""sales_vp""]","[""REV-6.2""]",');
    writeFileSync(join(dir, 'odd.csv'), 'amount,channel,colour\n1,direct,red\n');
    const odd = runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', join(dir, 'odd.csv'), '--output', join(dir, 'odd.ndjson')]);
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/"colour" is not a fact of review.approval/);
  });

  it('uses --rules and --as-of as evaluate does', () => {
    const rules = rulesFixture('review/approval.rules.json', (json) => {
      json.parameters[0].values.directorLimit = 2000000;
    });
    const input = join(dir, 'one.ndjson');
    writeFileSync(input, '{"amount":"1200000","channel":"direct"}\n');
    expect(runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', input, '--output', join(dir, 'one.out.ndjson'), '--rules', rules, '--as-of', AS_OF]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'one.out.ndjson'), 'utf8'))).toMatchObject({ outcome: { authority: 'marketing_director' }, basis: ['REV-6.1'] });
  });

  it('says what to install when @duckdb/node-api is missing, and which files it reads', () => {
    // The built CLI beside every dependency but DuckDB.
    const root = mkdtempSync(join(tmpdir(), 'sales-policies-without-duckdb-'));
    cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'rules'), join(root, 'rules'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
    mkdirSync(join(root, 'node_modules'));
    for (const name of readdirSync(join(ROOT, 'node_modules'))) {
      if (name !== '@duckdb' && name !== '.bin') symlinkSync(join(ROOT, 'node_modules', name), join(root, 'node_modules', name));
    }
    const input = join(dir, 'one.ndjson');
    const result = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'eval', 'review.approval', '--engine', 'duckdb', '--input', input, '--output', join(dir, 'x.ndjson')], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/needs the optional peer dependency @duckdb\/node-api, which is not installed \(npm install @duckdb\/node-api\)/);
    expect(runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', input, '--output', join(dir, 'x.xlsx')]).stderr).toMatch(/reads and writes \.parquet, \.csv and \.ndjson/);
    expect(runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', input]).code).toBe(2);
    expect(runCli(['eval', 'review.approval', '--engine', 'duckdb', '--input', input, '--output', join(dir, 'y.ndjson'), '--no-trace']).code).toBe(2);
    expect(runCli(['eval', 'review.readiness', '--engine', 'duckdb', '--input', input, '--output', join(dir, 'y.ndjson')]).stderr).toMatch(/cannot compile policy review.readiness to SQL/);
  });
});

describe('sales-policies sql', () => {
  it('prints the query for a dialect, with the parameters of --as-of and the rules of --rules', () => {
    const { code, stdout } = runCli(['sql', 'review.approval', '--dialect', 'postgres', '--as-of', AS_OF]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^-- sales-policies: review.approval as one PostgreSQL query/);
    expect(stdout).toContain(`"v:amount" <= CAST('500000' AS numeric)`);
    expect(stdout.trim().endsWith(';')).toBe(true);
    const rules = rulesFixture('review/approval.rules.json', (json) => {
      json.parameters[0].values.directorLimit = 2000000;
    });
    expect(runCli(['sql', 'review.approval', '--dialect', 'duckdb', '--as-of', AS_OF, '--rules', rules]).stdout).toContain(`CAST('2000000' AS DECIMAL(38,10))`);
  });

  it('refuses a missing dialect, an unknown policy and a policy it does not cover', () => {
    expect(runCli(['sql', 'review.approval']).code).toBe(2);
    expect(runCli(['sql', 'review.approval', '--dialect', 'sqlite']).stderr).toMatch(/--dialect takes duckdb, postgres/);
    expect(runCli(['sql', 'nope', '--dialect', 'duckdb']).code).toBe(2);
    const uncovered = runCli(['sql', 'followUp.workflow', '--dialect', 'duckdb']);
    expect(uncovered.code).toBe(2);
    expect(uncovered.stderr).toMatch(/cannot compile policy followUp.workflow to SQL/);
    expect(readFileSync(CLI, 'utf8')).not.toMatch(/from ["']@duckdb\/node-api["']/);
  });
});
