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
    let plan: Record<Side, Branches>;
    if (options.asOfField === undefined) {
      await connection.run(`CREATE TEMPORARY VIEW "facts" AS ${view}`);
      plan = { base: { versions: new Map([[0, first.base]]), refused: false, source: undefined }, rules: { versions: new Map([[0, first.rules]]), refused: false, source: undefined } };
    } else {
      await connection.run(`CREATE TEMPORARY VIEW "input" AS ${view}`);
      plan = await mapDates(connection, id, sides, options, first);
    }
    // ENUMs compare and group far faster than text, but each side's (each version's) ENUM types may differ: text only then.
    const typesOf = async (branches: Branches) =>
      Promise.all([...branches.versions.values()].map(async (query) => JSON.stringify((await connection.runAndReadAll(`DESCRIBE ${branch(query, branches.source, false)}`)).getRowObjectsJson().map((row) => row['column_type']))));
    const types = new Set([...(await typesOf(plan.base)), ...(await typesOf(plan.rules))]);
    const asText = types.size > 1;
    const before = sideDecisions(plan.base, 'base', asText);
    const after = sideDecisions(plan.rules, 'rules', asText);
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

/** One side's parameter versions (by position) with their SQL; whether some rows' dates have none (a refusal); where each version's rows come from. */
interface Branches {
  readonly versions: ReadonlyMap<number, SqlQuery>;
  readonly refused: boolean;
  /** Undefined: the view `facts` holds every row for the only version. Else the side's column of the table `dates` picks each row's version from the view `input`. */
  readonly source: Side | 'all' | undefined;
}

/** One side's decisions by one version's query, in the columns {@link impactQuery} reads (ENUMs as text when `asText`). */
function branch(query: SqlQuery, source: Branches['source'], asText: boolean, index = 0): string {
  const columns = query.outputs
    .filter((output) => output.name !== 'error')
    .map(({ name, type }) => {
      const column = `q.${sqlIdentifier(name)}`;
      return `${asText && type.startsWith('ENUM[]') ? `CAST(${column} AS VARCHAR[])` : asText && type.startsWith('ENUM') ? `CAST(${column} AS VARCHAR)` : column} AS ${sqlIdentifier(name)}`;
    });
  const select = `SELECT q."id"."n" AS "n", q."id"."id" AS "row_id", ${columns.join(', ')}, COALESCE(q."id"."input_error", q."error", q."id"."late_error") AS "e"
FROM (\n${query.sql}\n) AS q`;
  if (source === undefined) return select;
  const rows = source === 'all' ? `SELECT * FROM "input"` : `${datedRows(source)} = ${index}`;
  return `SELECT * FROM (WITH "facts" AS (${rows})\n${select})`;
}

const datedRows = (side: Side) => `SELECT i.* FROM "input" AS i JOIN "dates" AS d ON i."id"."asOf" IS NOT DISTINCT FROM d."text" WHERE d.${sqlIdentifier(side)}`;

/** One side's decisions: each version's query over its rows, and the rows it cannot decide on their date (BY NAME: those have no outcome columns). */
function sideDecisions(branches: Branches, side: Side, asText: boolean): string {
  const parts = [...branches.versions].map(([index, query]) => branch(query, branches.source, asText, index));
  if (branches.refused) parts.push(`SELECT i."id"."n" AS "n", i."id"."id" AS "row_id", d.${sqlIdentifier(`${side}_error`)} AS "e" FROM "input" AS i JOIN "dates" AS d ON i."id"."asOf" IS NOT DISTINCT FROM d."text" WHERE d.${sqlIdentifier(side)} = -1`);
  return parts.join('\nUNION ALL BY NAME\n');
}

/**
 * Per side, the SQL of each parameter version the rows' dates need (by its position), with the
 * rows' distinct dates mapped to it in the table `dates` (-1 and the refusal when none is in force).
 */
async function mapDates(connection: DuckDbConnection, policy: SqlPolicyId, sides: Readonly<Record<Side, unknown>>, options: DuckDbImpactOptions, fallback: Readonly<Record<Side, SqlQuery>>): Promise<Record<Side, Branches>> {
  const found = (await connection.runAndReadAll(`SELECT DISTINCT "id"."asOf" AS "text" FROM "input" LIMIT ${MAX_DATES + 1}`)).getRowObjectsJson();
  if (found.length > MAX_DATES) throw new UsageError(`--as-of-field ${options.asOfField}: more than ${MAX_DATES.toLocaleString('en')} distinct values; --engine duckdb maps each to a rule version (give dates as YYYY-MM-DD)`);
  const engine = engineOf(POLICIES[policy] as unknown as AnyPolicy);
  const versions: Record<Side, Map<number, SqlQuery>> = { base: new Map(), rules: new Map() };
  const refused = { base: false, rules: false };
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
        refused[side] = true;
        cells.push('-1', duckdbString(`${error.code} ${error.message}`));
      }
    }
    values.push(`(${cells.join(', ')})`);
  }
  await connection.run(`CREATE TEMPORARY TABLE "dates" ("text" VARCHAR, "base" INTEGER, "base_error" VARCHAR, "rules" INTEGER, "rules_error" VARCHAR)`);
  for (let start = 0; start < values.length; start += 1_000) await connection.run(`INSERT INTO "dates" VALUES ${values.slice(start, start + 1_000).join(', ')}`);
  // A side needs one version's columns even when no row has a date it is in force on (position -2 matches no row).
  for (const side of ['base', 'rules'] as const) if (versions[side].size === 0) versions[side].set(-2, fallback[side]);
  // A side with one version for every row reads them all, without the join.
  const plan = (side: Side): Branches => ({ versions: versions[side], refused: refused[side], source: versions[side].size === 1 && !refused[side] ? 'all' : side });
  return { base: plan('base'), rules: plan('rules') };
}
