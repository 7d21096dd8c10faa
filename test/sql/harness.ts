import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { expect } from 'vitest';
import { PolicyInputError, RuleGapError, evaluate } from '../../src/index.js';
import type { EvaluateOptions } from '../../src/index.js';
import type { SqlDialect, SqlPolicyId } from '../../src/sql/index.js';
import { toSql } from '../../src/sql/index.js';

// Loads fact objects into a `facts` table of DuckDB or PostgreSQL, runs the query toSql writes,
// and compares every row with what `evaluate` decides on the same facts.

/** Whether this run is CI, where an unreachable PostgreSQL is a failure rather than a reason to skip. */
export const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

/**
 * The database tests are heavy and do not depend on the machine's zone (no covered policy reads a
 * date, and every call passes `asOf`), so they run in one of the suite's three zone projects only.
 */
export const DATABASE_ZONE = process.env['TZ'] === 'UTC';

/** The connection `.ci/run` sets up; the same default works on a machine set up the same way. */
export const PG_URL = process.env['SALES_POLICIES_PG_URL'] ?? 'postgres://sales_policies:sales_policies@127.0.0.1:5432/sales_policies';

/** A database the harness loads facts into. */
export interface Database {
  readonly dialect: SqlDialect;
  /** Runs statements that return nothing. */
  readonly exec: (sql: string) => Promise<void>;
  /** Runs a query and returns its rows as plain JSON values (decimals as strings). */
  readonly rows: (sql: string) => Promise<Record<string, unknown>[]>;
  readonly close: () => Promise<void>;
}

/**
 * An in-memory DuckDB.
 *
 * @example
 * const db = await openDuckDb(); await db.rows('SELECT 1 AS one'); //=> [{ one: 1 }]
 */
export async function openDuckDb(): Promise<Database> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  return {
    dialect: 'duckdb',
    exec: async (sql) => {
      await connection.run(sql);
    },
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * A PostgreSQL session, or `undefined` when none answers at {@link PG_URL}. The harness's tables
 * are temporary (private to the session), so concurrent test files never meet.
 *
 * @example
 * const db = await openPostgres(); if (db) await db.rows('SELECT 1 AS one');
 */
export async function openPostgres(): Promise<Database | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  // Lists and JSON come back as text and are parsed here, so decimals inside keep their digits.
  const asText = (value: string) => value;
  return {
    dialect: 'postgres',
    exec: async (sql) => {
      await client.query(sql);
    },
    rows: async (sql) => {
      const result = await client.query({ text: sql, types: { getTypeParser: () => asText } as never });
      return result.rows.map((row: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const field of result.fields) out[field.name] = readPostgres(row[field.name] as string | null, field.dataTypeID);
        return out;
      });
    },
    close: async () => {
      await client.end();
    },
  };
}

const PG_TYPES = { bool: 16, int4: 23, int8: 20, text: 25, numeric: 1700, jsonb: 3802, textArray: 1009 } as const;

function readPostgres(value: string | null, type: number): unknown {
  if (value === null) return null;
  switch (type) {
    case PG_TYPES.bool:
      return value === 't';
    case PG_TYPES.int4:
      return Number(value);
    case PG_TYPES.textArray:
      return parseTextArray(value);
    case PG_TYPES.jsonb:
      // Amounts are JSON numbers written with two places: keep them as the strings they are.
      return JSON.parse(value.replace(/"amount": (-?[0-9]+\.[0-9]+)/g, '"amount": "$1"'));
    default:
      return value;
  }
}

/** PostgreSQL's text form of a one-dimensional text[]: `{a,"b c",NULL}`. */
function parseTextArray(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 1;
  if (text === '{}') return out;
  while (i < text.length) {
    if (text[i] === '"') {
      let item = '';
      i++;
      while (text[i] !== '"') {
        if (text[i] === '\\') i++;
        item += text[i];
        i++;
      }
      out.push(item);
      i += 2;
    } else {
      const end = text.indexOf(',', i) === -1 ? text.length - 1 : text.indexOf(',', i);
      const item = text.slice(i, end);
      out.push(item === 'NULL' ? null : item);
      i = end + 1;
    }
  }
  return out;
}

/** How a fact is stored in a column (and what the row means for `evaluate`). */
export type FactKind = 'money' | 'flag' | 'string' | 'nullableString' | 'list' | 'referral';

/** Column layouts a test may ask for: text money or DECIMAL, native lists or JSON, a STRUCT referral or JSON. */
export interface Layout {
  readonly money: 'text' | 'decimal';
  readonly lists: 'native' | 'json';
  readonly referral: 'json' | 'struct';
}

export const DEFAULT_LAYOUT: Layout = { money: 'text', lists: 'native', referral: 'json' };

/** The facts of each covered policy as the harness stores them. */
export const FACT_KINDS: Readonly<Record<SqlPolicyId, Readonly<Record<string, FactKind>>>> = {
  'review.approval': { amount: 'money', channel: 'string', disputed: 'flag', repeatBatch: 'flag', technicalTermsChanged: 'flag', priceChanged: 'flag' },
  'review.arbitration': { clause: 'string', firstRulingAccepted: 'flag' },
  'commission.handler': { request: 'string', originalAgent: 'string', originalAgentStatus: 'string' },
  'commission.conduct': { jointReception: 'flag', newClientArrived: 'flag', enoughStaffFree: 'flag', splitOff: 'flag', oldClientReturned: 'flag', followingBoth: 'flag' },
  'followUp.escalation': { event: 'string', complaintSeverity: 'string', resolvedByDepartments: 'flag', compensationRequested: 'flag', anomaly: 'string', service: 'string' },
  'commission.allocation': {
    pool: 'money',
    kind: 'string',
    depositPaidInFull: 'flag',
    contractSigned: 'flag',
    handlers: 'list',
    closer: 'string',
    originalAgents: 'list',
    originalAgentsActive: 'flag',
    referral: 'referral',
    receivingAgents: 'list',
    protectedBy: 'nullableString',
  },
};

const REFERRAL_FIELDS = {
  referrerAgent: 'VARCHAR',
  referrerAgentContacted: 'BOOLEAN',
  namedReferrerAgent: 'BOOLEAN',
  referrerAgentPresent: 'BOOLEAN',
  notifiedReferrerAgent: 'BOOLEAN',
  delegatedToCloser: 'BOOLEAN',
  intentSigned: 'BOOLEAN',
  referrerChoice: 'VARCHAR',
} as const;

function columnType(dialect: SqlDialect, kind: FactKind, layout: Layout): string {
  const duck = dialect === 'duckdb';
  switch (kind) {
    case 'money':
      return layout.money === 'decimal' ? (duck ? 'DECIMAL(18,2)' : 'numeric(18,2)') : duck ? 'VARCHAR' : 'text';
    case 'flag':
      return duck ? 'BOOLEAN' : 'boolean';
    case 'string':
    case 'nullableString':
      return duck ? 'VARCHAR' : 'text';
    case 'list':
      return layout.lists === 'json' ? (duck ? 'JSON' : 'jsonb') : duck ? 'VARCHAR[]' : 'text[]';
    case 'referral':
      return layout.referral === 'struct' && duck ? `STRUCT(${Object.entries(REFERRAL_FIELDS).map(([name, type]) => `"${name}" ${type}`).join(', ')})` : duck ? 'JSON' : 'jsonb';
  }
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A JSON value can be stored in SQL text only without NUL or lone surrogates. */
function storable(text: string): boolean {
  return !text.includes('\u0000') && !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

/**
 * The SQL literal of a fact in its column, or `undefined` when the facts cannot be one row of the
 * table (a fact the table has no column for, a value of another type, a key that is absent where
 * NULL means null): such facts are not part of the SQL's contract.
 */
function literal(dialect: SqlDialect, kind: FactKind, value: unknown, present: boolean, layout: Layout): string | undefined {
  if (!present) return kind === 'nullableString' ? undefined : 'NULL';
  switch (kind) {
    case 'money': {
      if (typeof value === 'number') {
        const text = String(value);
        if (/e/i.test(text)) return undefined;
        return layout.money === 'decimal' ? (/^-?[0-9]+(\.[0-9]{1,2})?$/.test(text) ? text : undefined) : quote(text);
      }
      if (typeof value !== 'string' || !storable(value)) return undefined;
      if (layout.money === 'decimal') return /^-?[0-9]{1,16}(\.[0-9]{1,2})?$/.test(value) ? value : undefined;
      return quote(value);
    }
    case 'flag':
      return typeof value === 'boolean' ? String(value) : undefined;
    case 'string':
      return typeof value === 'string' && storable(value) ? quote(value) : undefined;
    case 'nullableString':
      return value === null ? 'NULL' : typeof value === 'string' && storable(value) ? quote(value) : undefined;
    case 'list': {
      if (!Array.isArray(value) || !value.every((item) => item === null || (typeof item === 'string' && storable(item)))) return undefined;
      if (layout.lists === 'json') return `${quote(JSON.stringify(value))}::${dialect === 'duckdb' ? 'JSON' : 'jsonb'}`;
      const items = value.map((item) => (item === null ? 'NULL' : quote(item as string)));
      return dialect === 'duckdb' ? `CAST([${items.join(', ')}] AS VARCHAR[])` : `ARRAY[${items.join(', ')}]::text[]`;
    }
    case 'referral': {
      if (value === null) return 'NULL';
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const entries = Object.entries(value as Record<string, unknown>);
      // In the table a member that is NULL is absent; facts that hold a null member mean something else.
      if (entries.some(([, member]) => member === null || (typeof member === 'string' && !storable(member)))) return undefined;
      if (layout.referral === 'struct' && dialect === 'duckdb') {
        if (entries.some(([name, member]) => !(name in REFERRAL_FIELDS) || (REFERRAL_FIELDS[name as keyof typeof REFERRAL_FIELDS] === 'BOOLEAN' ? typeof member !== 'boolean' : typeof member !== 'string'))) return undefined;
        const members = Object.keys(REFERRAL_FIELDS).map((name) => {
          const member = (value as Record<string, unknown>)[name];
          return `'${name}': ${member === undefined ? `CAST(NULL AS ${REFERRAL_FIELDS[name as keyof typeof REFERRAL_FIELDS]})` : typeof member === 'string' ? quote(member) : String(member)}`;
        });
        return `{${members.join(', ')}}`;
      }
      return `${quote(JSON.stringify(value))}::${dialect === 'duckdb' ? 'JSON' : 'jsonb'}`;
    }
  }
}

/**
 * Creates `facts` (a temporary table) and loads the fact objects that fit it, in order, with ids
 * 1, 2, …; returns them with their ids (those that do not fit a row are left out).
 */
export async function loadFacts(db: Database, policy: SqlPolicyId, all: readonly Record<string, unknown>[], layout: Layout = DEFAULT_LAYOUT): Promise<{ id: number; facts: Record<string, unknown> }[]> {
  const kinds = FACT_KINDS[policy];
  const names = Object.keys(kinds);
  const loaded: { id: number; facts: Record<string, unknown> }[] = [];
  const values: string[] = [];
  for (const facts of all) {
    if (facts === null || typeof facts !== 'object' || Array.isArray(facts) || Object.keys(facts).some((key) => !Object.prototype.hasOwnProperty.call(kinds, key))) continue;
    const literals = names.map((name) => literal(db.dialect, kinds[name]!, facts[name], Object.prototype.hasOwnProperty.call(facts, name), layout));
    if (literals.some((item) => item === undefined)) continue;
    const id = loaded.length + 1;
    loaded.push({ id, facts });
    values.push(`(${id}, ${literals.join(', ')})`);
  }
  const columns = names.map((name) => `"${name}" ${columnType(db.dialect, kinds[name]!, layout)}`);
  await db.exec(`DROP TABLE IF EXISTS facts`);
  await db.exec(`CREATE TEMPORARY TABLE facts ("id" INTEGER, ${columns.join(', ')})`);
  for (let start = 0; start < values.length; start += 1000) {
    await db.exec(`INSERT INTO facts VALUES ${values.slice(start, start + 1000).join(',\n')}`);
  }
  return loaded;
}

/** What `evaluate` gives, reduced to what the SQL row carries. */
export type Expected = { readonly outcome: unknown; readonly basis: readonly string[] } | { readonly error: 'INVALID_FACTS'; readonly paths: readonly string[] } | { readonly error: 'RULE_GAP' };

/**
 * `evaluate`'s answer on the facts of a row.
 *
 * @example
 * expected('review.approval', { amount: '1', channel: 'direct' }, { asOf: '2026-01-01' });
 */
export function expected(policy: SqlPolicyId, facts: unknown, options: EvaluateOptions): Expected {
  try {
    const decision = evaluate(policy, facts as never, { ...options, trace: false });
    return { outcome: decision.outcome, basis: decision.basis };
  } catch (error) {
    if (error instanceof PolicyInputError) return { error: 'INVALID_FACTS', paths: error.issues.map((issue) => issue.path) };
    if (error instanceof RuleGapError) return { error: 'RULE_GAP' };
    throw error;
  }
}

const OUTCOME_FIELDS: Readonly<Record<SqlPolicyId, readonly string[]>> = {
  'review.approval': ['authority', 'route'],
  'review.arbitration': ['decidedBy', 'convenedBy'],
  'commission.handler': ['handler'],
  'commission.conduct': ['allowed', 'violations'],
  'followUp.escalation': ['actions', 'owner'],
  'commission.allocation': ['status', 'shares', 'followUpBy', 'by', 'violations'],
};

/** A result row as `evaluate` would have written the outcome: NULL fields left out, percents as numbers. */
function outcomeOf(policy: SqlPolicyId, row: Record<string, unknown>): Record<string, unknown> {
  const outcome: Record<string, unknown> = {};
  for (const field of OUTCOME_FIELDS[policy]) {
    const value = row[field];
    if (value === null || value === undefined) continue;
    outcome[field] =
      field === 'shares'
        ? (value as { agent: string; percent: unknown; amount: string }[]).map((share) => ({ agent: share.agent, percent: Number(share.percent), amount: share.amount }))
        : value;
  }
  return outcome;
}

/**
 * Runs the policy's query on the loaded rows and checks each against `evaluate`: the same outcome
 * and basis; or an error where `evaluate` refuses the facts, with the same code and (for bad
 * facts) a path among those `evaluate` reports. Returns how the rows came out, for the
 * test's coverage checks.
 */
export async function checkAgainstEvaluate(
  db: Database,
  policy: SqlPolicyId,
  loaded: readonly { id: number; facts: Record<string, unknown> }[],
  options: { readonly asOf: string; readonly rules?: unknown; readonly unsupported?: (facts: Record<string, unknown>) => boolean },
): Promise<{ decided: number; refused: number; gaps: number; unsupported: number; basis: Set<string> }> {
  const sql = toSql(policy, { dialect: db.dialect, asOf: options.asOf, ...(options.rules === undefined ? {} : { rules: options.rules }) });
  const rows = await db.rows(`${sql}\nORDER BY "id"`);
  expect(rows.map((row) => Number(row['id']))).toEqual(loaded.map((row) => row.id));
  const tally = { decided: 0, refused: 0, gaps: 0, unsupported: 0, basis: new Set<string>() };
  rows.forEach((row, index) => {
    const { facts } = loaded[index]!;
    const want = expected(policy, facts, { asOf: options.asOf, ...(options.rules === undefined ? {} : { rules: options.rules }) });
    const context = `${policy} on ${JSON.stringify(facts)} (${db.dialect})`;
    const error = row['error'] as string | null;
    if (error?.startsWith('SQL_UNSUPPORTED') && options.unsupported?.(facts)) {
      // A value the SQL refuses on purpose (documented), never decides differently.
      tally.unsupported++;
    } else if ('outcome' in want) {
      expect(error, context).toBeNull();
      expect({ outcome: outcomeOf(policy, row), basis: row['basis'] }, context).toEqual({ outcome: want.outcome, basis: want.basis });
      tally.decided++;
      for (const id of want.basis) tally.basis.add(id);
    } else if (want.error === 'INVALID_FACTS') {
      expect(error, context).toMatch(/^INVALID_FACTS /);
      const path = /^INVALID_FACTS (.*?): /.exec(error!)![1];
      expect(want.paths, `${context}: SQL says ${error}`).toContain(path);
      tally.refused++;
    } else {
      expect(error, context).toMatch(/^RULE_GAP: /);
      tally.gaps++;
    }
  });
  return tally;
}
