import { extname } from 'node:path';
import { SalesPoliciesError } from '../core/errors.js';
import type { EvaluateOptions } from '../core/policy.js';
import { engineOf } from '../core/policy.js';
import { csvCellValue } from '../node/facts-file.js';
import type { AnyPolicy, PolicyId } from '../policies.js';
import { POLICIES } from '../policies.js';
import { duckdbString, sqlIdentifier } from '../sql/dialect.js';
import type { SqlPolicyId } from '../sql/policies.js';
import type { SqlQuery } from '../sql/to-sql.js';
import { compileSql } from '../sql/to-sql.js';
import type { ImpactReport } from '../toolkit/impact.js';
import type { DuckDbConnection } from './duckdb-engine.js';
import { factsView, loadDuckDb } from './duckdb-engine.js';
import type { ImpactGroupRow } from './impact-sql.js';
import { impactQuery, impactReportOf } from './impact-sql.js';
import type { Io } from './io.js';
import { UsageError } from './io.js';

/** The most distinct values of the `--as-of-field` column a DuckDB run maps to rule versions. */
const MAX_DATES = 100_000;

/** What both sides share in a DuckDB impact run. */
export interface DuckDbImpactOptions {
  readonly asOf?: string;
  /** The column holding each row's date: each row is decided under the version in force on it. */
  readonly asOfField?: string;
  readonly timeZone: string;
  readonly idField: string;
  readonly examples: number;
  readonly maxTransitions?: number;
}

type Side = 'base' | 'rules';

/**
 * `impact --engine duckdb`: the whole report computed in embedded DuckDB by one query
 * ({@link impactQuery}): each rule set compiled to SQL (`toSql`, one query per parameter version
 * the rows' dates need), both run over the same view of the file, joined on the row, grouped into
 * transitions, refusals and (for `commission.allocation`) money per agent in exact DECIMAL. Only
 * the groups come back to Node, so memory does not grow with the file. With `asOfField` each row
 * is decided under the version in force on its own date; its distinct values (at most 100,000)
 * are mapped to versions (or to a refusal, as the Node engine refuses a bad date) before the query.
 *
 * @example
 * await impactWithDuckDb('review.approval', base, rules, 'contracts.parquet', { timeZone: 'Asia/Shanghai', idField: 'id', examples: 5 }, io);
 */
export async function impactWithDuckDb(policy: PolicyId, base: unknown, rules: unknown, file: string, options: DuckDbImpactOptions, io: Io): Promise<ImpactReport> {
  const id = policy as SqlPolicyId;
  const format = formatOf(file);
  const sides = { base, rules } as const;
  const compile = (side: Side, asOf: string | undefined): SqlQuery =>
    compileSql(id, { dialect: 'duckdb', timeZone: options.timeZone, rules: sides[side], ...(asOf === undefined ? {} : { asOf }) });
  // As the Node engine: a --as-of that either side cannot decide on is an error, not a refusal per row.
  const first = { base: compile('base', options.asOf), rules: compile('rules', options.asOf) };
  const duckdb = await loadDuckDb();
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    if (io.progress !== undefined) await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
    const view = await factsView(connection, first.base, file, format, options.idField, options.asOfField);
    let before: string;
    let after: string;
    if (options.asOfField === undefined) {
      await connection.run(`CREATE TEMPORARY VIEW "facts" AS ${view}`);
      before = decisions(first.base);
      after = decisions(first.rules);
    } else {
      await connection.run(`CREATE TEMPORARY VIEW "input" AS ${view}`);
      const versions = await mapDates(connection, id, sides, options);
      before = datedDecisions('base', versions.base, first.base);
      after = datedDecisions('rules', versions.rules, first.rules);
    }
    const sql = impactQuery({ dialect: 'duckdb', policy: id, before, after, outputs: first.base.outputs, examples: options.examples, maxTransitions: options.maxTransitions ?? 1_000 });
    const pending = await connection.start(sql);
    const timer = io.progress === undefined ? undefined : setInterval(() => io.progress?.(`${policy}: ${Math.max(0, connection.progress.percentage).toFixed(0)}% of ${file}`), 250);
    let rows: ImpactGroupRow[];
    try {
      const result = (await pending.getResult()) as { getRowObjectsJson(): Promise<Record<string, unknown>[]> };
      rows = (await result.getRowObjectsJson()) as unknown as ImpactGroupRow[];
    } finally {
      if (timer !== undefined) clearInterval(timer);
      io.progress?.('');
    }
    // CSV cells are text to DuckDB; the Node reader makes `17` a number: the ids are shown as it shows them.
    return impactReportOf(id, rows, format === 'csv' ? (value) => (typeof value === 'string' ? csvCellValue(value) : value) : undefined);
  } catch (error) {
    if (error instanceof UsageError || error instanceof SalesPoliciesError || !(error instanceof Error)) throw error;
    // DuckDB refusing the input (a line that is not JSON, a corrupt parquet file): its message names the file, and the line or row.
    throw new UsageError(`DuckDB cannot read ${file}: ${error.message.length > 500 ? `${error.message.slice(0, 500)}…` : error.message}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function formatOf(file: string): 'parquet' | 'csv' | 'ndjson' {
  const format = ({ '.parquet': 'parquet', '.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'ndjson' } as const)[extname(file).toLowerCase()];
  if (format === undefined) throw new UsageError(`--data ${JSON.stringify(file)}: --engine duckdb reads .parquet, .csv and .ndjson (or .jsonl) files`);
  return format;
}

/** One side's decisions over the view `facts`, in the columns {@link impactQuery} reads (ENUMs as text: each side's, each version's ENUM types differ). */
function decisions(query: SqlQuery): string {
  const columns = query.outputs
    .filter((output) => output.name !== 'error')
    .map(({ name, type }) => {
      const column = `q.${sqlIdentifier(name)}`;
      return `${type.startsWith('ENUM[]') ? `CAST(${column} AS VARCHAR[])` : type.startsWith('ENUM') ? `CAST(${column} AS VARCHAR)` : column} AS ${sqlIdentifier(name)}`;
    });
  return `SELECT q."id"."n" AS "n", q."id"."id" AS "row_id", ${columns.join(', ')}, COALESCE(q."id"."input_error", q."error", q."id"."late_error") AS "e"
FROM (\n${query.sql}\n) AS q`;
}

/** Per side, the SQL of each parameter version the rows need (by its position), and the rows' dates mapped to it (table `dates`). */
async function mapDates(connection: DuckDbConnection, policy: SqlPolicyId, sides: Readonly<Record<Side, unknown>>, options: DuckDbImpactOptions): Promise<Record<Side, Map<number, SqlQuery>>> {
  const found = (await connection.runAndReadAll(`SELECT DISTINCT "id"."asOf" AS "text" FROM "input" LIMIT ${MAX_DATES + 1}`)).getRowObjectsJson();
  if (found.length > MAX_DATES) throw new UsageError(`--as-of-field ${options.asOfField}: more than ${MAX_DATES.toLocaleString('en')} distinct values; --engine duckdb maps each to a rule version (give dates as YYYY-MM-DD)`);
  const engine = engineOf(POLICIES[policy] as unknown as AnyPolicy);
  const versions: Record<Side, Map<number, SqlQuery>> = { base: new Map(), rules: new Map() };
  const values: string[] = [];
  for (const row of found) {
    const text = row['text'] === null || row['text'] === undefined ? undefined : String(row['text']);
    const asOf = text ?? options.asOf;
    const cells = [text === undefined ? 'NULL' : duckdbString(text)];
    for (const side of ['base', 'rules'] as const) {
      const evaluateOptions: EvaluateOptions = { timeZone: options.timeZone, rules: sides[side], ...(asOf === undefined ? {} : { asOf }) };
      try {
        const { rules, version } = engine.resolve(evaluateOptions);
        const index = rules.versions.indexOf(version);
        if (!versions[side].has(index)) versions[side].set(index, compileSql(policy, { dialect: 'duckdb', timeZone: options.timeZone, rules: sides[side], asOf: version.from }));
        cells.push(String(index), 'NULL');
      } catch (error) {
        // As the Node engine: a row's bad date is that row's refusal (INVALID_OPTIONS).
        if (!(error instanceof SalesPoliciesError) || error.code === 'INVALID_RULE_SET' || error.code === 'UNKNOWN_POLICY') throw error;
        cells.push('-1', duckdbString(`${error.code} ${error.message}`));
      }
    }
    values.push(`(${cells.join(', ')})`);
  }
  await connection.run(`CREATE TEMPORARY TABLE "dates" ("text" VARCHAR, "base" INTEGER, "base_error" VARCHAR, "rules" INTEGER, "rules_error" VARCHAR)`);
  for (let start = 0; start < values.length; start += 1_000) await connection.run(`INSERT INTO "dates" VALUES ${values.slice(start, start + 1_000).join(', ')}`);
  return versions;
}

/** One side's decisions when each row has its date: each version's query over its rows, and the rows it cannot decide on their date. */
function datedDecisions(side: Side, versions: ReadonlyMap<number, SqlQuery>, fallback: SqlQuery): string {
  const rowsOf = (condition: string) => `SELECT i.* FROM "input" AS i JOIN "dates" AS d ON i."id"."asOf" IS NOT DISTINCT FROM d."text" WHERE ${condition}`;
  const column = sqlIdentifier(side);
  const parts = [...versions].map(([index, query]) => `SELECT * FROM (WITH "facts" AS (${rowsOf(`d.${column} = ${index}`)})\n${decisions(query)})`);
  const refused = `SELECT i."id"."n" AS "n", i."id"."id" AS "row_id", d.${sqlIdentifier(`${side}_error`)} AS "e" FROM "input" AS i JOIN "dates" AS d ON i."id"."asOf" IS NOT DISTINCT FROM d."text" WHERE d.${column} = -1`;
  // BY NAME: the refused rows have no outcome columns (NULL).
  if (parts.length === 0) parts.push(`SELECT * FROM (WITH "facts" AS (${rowsOf('false')})\n${decisions(fallback)})`);
  return [...parts, refused].join('\nUNION ALL BY NAME\n');
}
