import { sqlIdentifier } from '../sql/dialect.js';
import type { SqlPolicyId } from '../sql/policies.js';
import type { SqlQuery } from '../sql/to-sql.js';
import { compileSql } from '../sql/to-sql.js';
import type { ImpactReport } from '../toolkit/impact.js';
import type { ImpactGroupRow } from './impact-sql.js';
import { impactQuery, impactReportOf } from './impact-sql.js';
import { UsageError } from './io.js';

/**
 * A table name `--table` accepts: an identifier, or `schema.table`, each part a letter or `_`
 * then letters, digits, `_` or `$` (at most 63 characters). Anything else is refused rather than
 * quoted, so the name means what it says in psql, in the query and in the report.
 */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/;

/** What both sides share in a PostgreSQL impact query. */
export interface PostgresImpactOptions {
  /** The table or view of historical facts: `id` (unique, any type that sorts) and one column per fact, as `toSql`'s query reads `facts`. */
  readonly table: string;
  /** The date both sides decide every row as of (default: today in `timeZone`). */
  readonly asOf?: string;
  readonly timeZone: string;
  readonly examples: number;
  readonly maxTransitions?: number;
}

/**
 * The impact of a rule change as one PostgreSQL query over a table of history: both rule sets
 * compiled by `toSql` (the parameters in force on `asOf`), each run over the table, joined on
 * `id`, grouped as `impact` groups them (transitions, one-sided refusals, money per agent in
 * exact `numeric`). What `impact --engine postgres --print-sql` prints; its rows are
 * {@link ImpactGroupRow}s, and {@link impactWithPostgres} turns them into the report. Examples
 * are the smallest ids of each group.
 *
 * @example
 * const sql = postgresImpactQuery('review.approval', base, rules, { table: 'history.contracts', asOf: '2027-01-01', timeZone: 'Asia/Shanghai', examples: 5 });
 */
export function postgresImpactQuery(policy: SqlPolicyId, base: unknown, rules: unknown, options: PostgresImpactOptions): string {
  if (!TABLE_NAME.test(options.table)) {
    throw new UsageError(`--table ${JSON.stringify(options.table)}: a table name is an identifier or schema.table (letters, digits, _ and $, starting with a letter or _)`);
  }
  const compile = (side: unknown): SqlQuery => compileSql(policy, { dialect: 'postgres', timeZone: options.timeZone, rules: side, ...(options.asOf === undefined ? {} : { asOf: options.asOf }) });
  const before = compile(base);
  const after = compile(rules);
  const sql = impactQuery({
    dialect: 'postgres',
    policy,
    before: sideDecisions(before),
    after: sideDecisions(after),
    outputs: before.outputs,
    examples: options.examples,
    maxTransitions: options.maxTransitions ?? 1_000,
    // The compiled queries read "facts": here that is the table, for both sides.
    facts: `SELECT * FROM ${options.table.split('.').map(sqlIdentifier).join('.')}`,
  });
  const header = [
    `-- sales-policies impact: ${policy} before and after a rule change, over the table ${options.table} (as of ${before.asOf}).`,
    `-- One row per group: kind (same, changed, basis, both, base, rules, other, money, unallocated), key, before, after, count, first, examples, message, order.`,
  ];
  return `${header.join('\n')}\n${sql}`;
}

/** One side's decisions in the columns {@link impactQuery} reads: the row's id is both its key and the id shown. */
function sideDecisions(query: SqlQuery): string {
  const columns = query.outputs.filter((output) => output.name !== 'error').map(({ name }) => `q.${sqlIdentifier(name)}`);
  return `SELECT q."id" AS "n", q."id" AS "row_id", ${columns.join(', ')}, q."error" AS "e"\nFROM (\n${query.sql}\n) AS q`;
}

/** Runs a query and returns its rows as `pg` gives them (numerics and bigints as text). */
export type PostgresQuery = (sql: string) => Promise<readonly Record<string, unknown>[]>;

/**
 * `impact --engine postgres`: the report computed in PostgreSQL by {@link postgresImpactQuery},
 * run by `query`; only the groups come back, so the table may hold any number of rows.
 *
 * @example
 * const report = await impactWithPostgres('review.approval', base, rules, { table: 'contracts', timeZone: 'Asia/Shanghai', examples: 5 }, (sql) => client.query(sql).then((r) => r.rows));
 */
export async function impactWithPostgres(policy: SqlPolicyId, base: unknown, rules: unknown, options: PostgresImpactOptions, query: PostgresQuery): Promise<ImpactReport> {
  const sql = postgresImpactQuery(policy, base, rules, options);
  return impactReportOf(policy, (await query(sql)) as unknown as readonly ImpactGroupRow[]);
}

/** The part of the `pg` package the CLI uses. */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

/**
 * A `PostgresQuery` over a new connection (`pg`, an optional peer dependency) to `url`, or, without
 * one, to what libpq's environment names (`PGHOST`, `PGDATABASE`, `PGUSER`, …); closed by `close`.
 *
 * @example
 * const db = await connectPostgres('postgres://reader@db/history'); try { await db.query('SELECT 1'); } finally { await db.close(); }
 */
export async function connectPostgres(url: string | undefined): Promise<{ query: PostgresQuery; close: () => Promise<void> }> {
  let pg: { default?: { Client: new (config: unknown) => PgClient }; Client?: new (config: unknown) => PgClient };
  try {
    const name = 'pg';
    pg = (await import(name)) as typeof pg;
  } catch (error) {
    throw new UsageError(`--engine postgres needs the optional peer dependency pg, which is not installed (npm install pg): ${error instanceof Error ? error.message : String(error)}`);
  }
  const Client = pg.default?.Client ?? pg.Client!;
  const client = new Client(url === undefined ? {} : { connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new UsageError(`--engine postgres: cannot connect${url === undefined ? ' (no --pg-url: the PG* environment variables)' : ''}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    query: async (sql) => {
      try {
        return (await client.query(sql)).rows;
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        // PostgreSQL refusing the table (missing, a column missing or of another type): its words.
        throw new UsageError(`PostgreSQL refused the impact query: ${error.message}`);
      }
    },
    close: () => client.end(),
  };
}
