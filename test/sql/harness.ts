import { expect } from 'vitest';
import { PolicyInputError, RuleGapError } from '../../src/index.js';
import type { EvaluateOptions } from '../../src/index.js';
import type { AnyPolicy } from '../../src/engine.js';
import { POLICIES } from '../../src/policies.js';
import type { SqlDialect, SqlFactColumn, SqlPolicyId } from '../../src/sql/index.js';
import { compileSql, toSql } from '../../src/sql/index.js';

export { DATABASE_ZONE, IN_CI, openDuckDb, openPostgres, PG_URL } from './databases.js';
export type { Database } from './databases.js';
import type { Database } from './databases.js';

// Loads fact objects into a `facts` table of DuckDB or PostgreSQL, runs the query toSql writes,
// and compares every row with what `evaluate` decides on the same facts.

/** A policy the harness runs: a bundled one by id, or a policy object (a fixture's). */
export type SqlPolicy = SqlPolicyId | AnyPolicy;

const policyOf = (policy: SqlPolicy): AnyPolicy => (typeof policy === 'string' ? (POLICIES[policy] as unknown as AnyPolicy) : policy);

/** How a fact is stored in a column (and what the row means for `evaluate`). */
export type FactKind = 'money' | 'flag' | 'string' | 'nullableString' | 'list' | 'object';

/** Column layouts a test may ask for: text money or DECIMAL, native lists or JSON, a STRUCT object or JSON. */
export interface Layout {
  readonly money: 'text' | 'decimal';
  readonly lists: 'native' | 'json';
  readonly objects: 'json' | 'struct';
}

export const DEFAULT_LAYOUT: Layout = { money: 'text', lists: 'native', objects: 'json' };

/** A fact as the harness stores it: its kind, and for an object its members' SQL types. */
interface StoredFact {
  readonly kind: FactKind;
  readonly members?: Readonly<Record<string, 'VARCHAR' | 'BOOLEAN'>>;
}

interface SqlColumns {
  readonly facts: Readonly<Record<string, StoredFact>>;
  readonly outcome: readonly string[];
}
const columnsCache = new Map<AnyPolicy, SqlColumns>();

/** The columns toSql's query reads and writes for a policy: what the harness takes its tables from. */
export function sqlColumns(policy: SqlPolicy): SqlColumns {
  const cached = columnsCache.get(policyOf(policy));
  if (cached !== undefined) return cached;
  const query = compileSql(policy, { dialect: 'duckdb', asOf: '2026-01-01' });
  const stored = (input: SqlFactColumn): StoredFact => {
    const { kind } = input;
    if (kind.type === 'object') return { kind: 'object', members: Object.fromEntries(Object.entries(kind.members).map(([name, type]) => [name, type === 'boolean' ? 'BOOLEAN' : 'VARCHAR'])) };
    return { kind: kind.type === 'decimal' ? 'money' : kind.type === 'boolean' ? 'flag' : kind.type };
  };
  const columns = {
    facts: Object.fromEntries(query.inputs.map((input) => [input.name, stored(input)])),
    outcome: query.outputs.map((output) => output.name).filter((name) => name !== 'basis' && name !== 'error'),
  };
  columnsCache.set(policyOf(policy), columns);
  return columns;
}

/**
 * The layouts a policy's table is loaded with: the default, and when it has money, lists or
 * objects, one with each of them stored the other way.
 *
 * @example
 * layoutsOf('review.approval'); //=> [DEFAULT_LAYOUT, { money: 'decimal', lists: 'native', objects: 'json' }]
 */
export function layoutsOf(policy: SqlPolicy): readonly Layout[] {
  const kinds = Object.values(sqlColumns(policy).facts).map((fact) => fact.kind);
  if (!kinds.some((kind) => kind === 'money' || kind === 'list' || kind === 'object')) return [DEFAULT_LAYOUT];
  return [DEFAULT_LAYOUT, { money: kinds.includes('money') ? 'decimal' : 'text', lists: kinds.includes('list') ? 'json' : 'native', objects: kinds.includes('object') ? 'struct' : 'json' }];
}

function columnType(dialect: SqlDialect, fact: StoredFact, layout: Layout): string {
  const duck = dialect === 'duckdb';
  switch (fact.kind) {
    case 'money':
      return layout.money === 'decimal' ? (duck ? 'DECIMAL(18,2)' : 'numeric(18,2)') : duck ? 'VARCHAR' : 'text';
    case 'flag':
      return duck ? 'BOOLEAN' : 'boolean';
    case 'string':
    case 'nullableString':
      return duck ? 'VARCHAR' : 'text';
    case 'list':
      return layout.lists === 'json' ? (duck ? 'JSON' : 'jsonb') : duck ? 'VARCHAR[]' : 'text[]';
    case 'object':
      return layout.objects === 'struct' && duck ? `STRUCT(${Object.entries(fact.members!).map(([name, type]) => `"${name}" ${type}`).join(', ')})` : duck ? 'JSON' : 'jsonb';
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
function literal(dialect: SqlDialect, fact: StoredFact, value: unknown, present: boolean, layout: Layout): string | undefined {
  if (!present) return fact.kind === 'nullableString' ? undefined : 'NULL';
  switch (fact.kind) {
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
    case 'object': {
      const members = fact.members!;
      if (value === null) return 'NULL';
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const entries = Object.entries(value as Record<string, unknown>);
      // In the table a member that is NULL is absent; facts that hold a null member mean something else.
      if (entries.some(([, member]) => member === null || (typeof member === 'string' && !storable(member)))) return undefined;
      if (layout.objects === 'struct' && dialect === 'duckdb') {
        if (entries.some(([name, member]) => !(name in members) || (members[name] === 'BOOLEAN' ? typeof member !== 'boolean' : typeof member !== 'string'))) return undefined;
        const struct = Object.keys(members).map((name) => {
          const member = (value as Record<string, unknown>)[name];
          return `'${name}': ${member === undefined ? `CAST(NULL AS ${members[name]!})` : typeof member === 'string' ? quote(member) : String(member)}`;
        });
        return `{${struct.join(', ')}}`;
      }
      return `${quote(JSON.stringify(value))}::${dialect === 'duckdb' ? 'JSON' : 'jsonb'}`;
    }
  }
}

/**
 * Creates `facts` (a temporary table) and loads the fact objects that fit it, in order, with ids
 * 1, 2, …; returns them with their ids (those that do not fit a row are left out).
 */
export async function loadFacts(db: Database, policy: SqlPolicy, all: readonly Record<string, unknown>[], layout: Layout = DEFAULT_LAYOUT): Promise<{ id: number; facts: Record<string, unknown> }[]> {
  const kinds = sqlColumns(policy).facts;
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

/**
 * Facts the SQL refuses on purpose (SQL_UNSUPPORTED, documented) where evaluate decides: pools of
 * 10^16 or more do not fit the allocation's DECIMAL(18,2) amounts; decimals of more than 28
 * integer digits do not fit DuckDB's DECIMAL(38,10).
 *
 * @example
 * beyondSql('duckdb')({ amount: '1'.repeat(30) }); //=> true
 */
export function beyondSql(dialect: SqlDialect): (facts: Record<string, unknown>) => boolean {
  return (facts) => /^-?[0-9]{17,}/.test(String(facts['pool'])) || (dialect === 'duckdb' && Object.values(facts).some((value) => /^-?[0-9]{29,}/.test(String(value))));
}

/** What `evaluate` gives, reduced to what the SQL row carries. */
export type Expected = { readonly outcome: unknown; readonly basis: readonly string[] } | { readonly error: 'INVALID_FACTS'; readonly paths: readonly string[] } | { readonly error: 'RULE_GAP' };

/**
 * `evaluate`'s answer on the facts of a row.
 *
 * @example
 * expected('review.approval', { amount: '1', channel: 'direct' }, { asOf: '2026-01-01' });
 */
export function expected(policy: SqlPolicy, facts: unknown, options: EvaluateOptions): Expected {
  try {
    const decision = policyOf(policy).evaluate(facts as never, { ...options, trace: false });
    return { outcome: decision.outcome, basis: decision.basis };
  } catch (error) {
    if (error instanceof PolicyInputError) return { error: 'INVALID_FACTS', paths: error.issues.map((issue) => issue.path) };
    if (error instanceof RuleGapError) return { error: 'RULE_GAP' };
    throw error;
  }
}

/** A result row as `evaluate` would have written the outcome: NULL fields left out, percents as numbers. */
function outcomeOf(fields: readonly string[], row: Record<string, unknown>): Record<string, unknown> {
  const outcome: Record<string, unknown> = {};
  for (const field of fields) {
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
  policy: SqlPolicy,
  loaded: readonly { id: number; facts: Record<string, unknown> }[],
  options: { readonly asOf: string; readonly rules?: unknown; readonly unsupported?: (facts: Record<string, unknown>) => boolean },
): Promise<{ decided: number; refused: number; gaps: number; unsupported: number; basis: Set<string> }> {
  const sql = toSql(policy, { dialect: db.dialect, asOf: options.asOf, ...(options.rules === undefined ? {} : { rules: options.rules }) });
  const rows = await db.rows(`${sql}\nORDER BY "id"`);
  const fields = sqlColumns(policy).outcome;
  const name = policyOf(policy).id;
  expect(rows.map((row) => Number(row['id']))).toEqual(loaded.map((row) => row.id));
  const tally = { decided: 0, refused: 0, gaps: 0, unsupported: 0, basis: new Set<string>() };
  rows.forEach((row, index) => {
    const { facts } = loaded[index]!;
    const want = expected(policy, facts, { asOf: options.asOf, ...(options.rules === undefined ? {} : { rules: options.rules }) });
    const context = `${name} on ${JSON.stringify(facts)} (${db.dialect})`;
    const error = row['error'] as string | null;
    if (error?.startsWith('SQL_UNSUPPORTED') && options.unsupported?.(facts)) {
      // A value the SQL refuses on purpose (documented), never decides differently.
      tally.unsupported++;
    } else if ('outcome' in want) {
      expect(error, context).toBeNull();
      expect({ outcome: outcomeOf(fields, row), basis: row['basis'] }, context).toEqual({ outcome: want.outcome, basis: want.basis });
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
