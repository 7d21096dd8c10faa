import type { Dialect } from './dialect.js';
import type { FactReader, RowCheck, SqlValue } from './facts.js';
import { column, identifierChecks, oneOfMessage, tooLong } from './facts.js';

// The readers of facts that hold structure: lists of identifiers and objects, read from native
// lists and structs or from JSON alike.

const path = (dialect: Dialect, text: string): string => dialect.string(text);
const valueOf = (type: SqlValue['type'], sql: string, nullable: boolean): SqlValue => ({ type, sql, nullable, isNull: 'false' });
/** JSON type tests and reads, per dialect; `key` reads a member of an object. */
function jsonType(dialect: Dialect, json: string, key?: string): string {
  if (dialect.name === 'duckdb') return key === undefined ? `json_type(${json})` : `json_type(${json}, ${dialect.string(`$.${key}`)})`;
  return key === undefined ? `jsonb_typeof(${json})` : `jsonb_typeof(${json} -> ${dialect.string(key)})`;
}

const JSON_TYPE_NAMES = {
  duckdb: { array: 'ARRAY', object: 'OBJECT', string: 'VARCHAR', boolean: 'BOOLEAN', null: 'NULL' },
  postgres: { array: 'array', object: 'object', string: 'string', boolean: 'boolean', null: 'null' },
} as const;

function jsonIs(dialect: Dialect, json: string, kind: keyof (typeof JSON_TYPE_NAMES)['duckdb'], key?: string): string {
  return `(${jsonType(dialect, json, key)} = ${dialect.string(JSON_TYPE_NAMES[dialect.name][kind])})`;
}

/** The JSON form of a column: lists and structs (DuckDB), arrays, composite rows and json (PostgreSQL) alike. */
function asJson(dialect: Dialect, raw: string): string {
  return dialect.name === 'duckdb' ? `CAST(${raw} AS JSON)` : `to_jsonb(${raw})`;
}

/**
 * A list of identifiers (agent ids): a `VARCHAR[]` or JSON array column in DuckDB, a `text[]`,
 * `json` or `jsonb` array in PostgreSQL. NULL is absent (an error when `required`). Each item is
 * a non-empty string of at most 200 characters; at most `maxItems` items.
 *
 * @example
 * identifierListFact(dialect, 'handlers', { required: true, maxItems: 100000 });
 */
export function identifierListFact(dialect: Dialect, fact: string, options: { readonly required: boolean; readonly maxItems: number }): FactReader {
  const raw = column.raw(fact);
  const json = column.read(fact, 'j');
  const alias = column.value(fact);
  // The checks read the items once they are a list of strings (the normalised column).
  const items = alias;
  const at = path(dialect, fact);
  const read: [string, string][] = [
    [raw, raw],
    [json, asJson(dialect, raw)],
  ];
  const isArray = jsonIs(dialect, json, 'array');
  // The items as JSON values, to find one that is not a string; then as strings.
  const jsonItems = dialect.name === 'duckdb' ? `CAST(${json} AS JSON[])` : undefined;
  const notString = `CASE WHEN ${isArray} THEN ${
    dialect.name === 'duckdb'
      ? `nullif(list_position(list_transform(${jsonItems}, lambda e: json_type(e) IS DISTINCT FROM 'VARCHAR'), true), 0) - 1`
      : `(SELECT min(u.i) - 1 FROM jsonb_array_elements(${json}) WITH ORDINALITY AS u(e, i) WHERE jsonb_typeof(u.e) <> 'string')`
  } END`;
  const normalise: [string, string][] = [
    [alias, dialect.name === 'duckdb' ? `CASE WHEN ${isArray} THEN CAST(${json} AS VARCHAR[]) END` : `CASE WHEN ${isArray} THEN ARRAY(SELECT jsonb_array_elements_text(${json})) END`],
  ];
  const itemAt = (index: string) => `${dialect.string(`${fact}[`)} || CAST(${index} AS ${dialect.name === 'duckdb' ? 'VARCHAR' : 'text'}) || ']'`;
  const firstEmpty = dialect.firstIndexWhere(items, 'x_', 'i_', `x_ = ''`);
  const firstLong = dialect.firstIndexWhere(items, 'x_', 'i_', tooLong(dialect, 'x_', 200));
  const checks: RowCheck[] = [];
  if (options.required) checks.push({ when: `${raw} IS NULL`, code: 'INVALID_FACTS', path: at, message: 'required: expected a list' });
  checks.push(
    { when: `${raw} IS NOT NULL AND NOT ${isArray}`, code: 'INVALID_FACTS', path: at, message: 'expected a list' },
    { when: `${dialect.length(items)} > ${options.maxItems}`, code: 'INVALID_FACTS', path: at, message: `too many items: at most ${options.maxItems} are accepted (options.maxItems)` },
    { when: `${notString} IS NOT NULL`, code: 'INVALID_FACTS', path: itemAt(notString), message: 'expected string' },
    { when: `${firstEmpty} IS NOT NULL`, code: 'INVALID_FACTS', path: itemAt(firstEmpty), message: 'too small: at least 1' },
    { when: `${firstLong} IS NOT NULL`, code: 'INVALID_FACTS', path: itemAt(firstLong), message: 'too big: at most 200' },
  );
  return {
    type: `${dialect.name === 'duckdb' ? 'VARCHAR[] or JSON' : 'text[] or jsonb'}${options.required ? '' : ', NULL = absent'}`,
    kind: { type: 'list' },
    read,
    checks,
    normalise,
    value: valueOf('list', alias, !options.required),
  };
}

/**
 * A check that each agent is listed once (the TypeScript `derive` refuses repeats), reporting the
 * first repeat at its position as `derive` does.
 *
 * @example
 * duplicateCheck(dialect, 'handlers');
 */
export function duplicateCheck(dialect: Dialect, fact: string): RowCheck {
  const list = column.value(fact);
  const repeat =
    dialect.name === 'duckdb'
      ? `nullif(list_position(list_transform(${list}, lambda x_, i_: list_position(${list}, x_) < i_), true), 0) - 1`
      : `(SELECT min(u.i) - 1 FROM unnest(${list}) WITH ORDINALITY AS u(x, i) WHERE EXISTS (SELECT 1 FROM unnest(${list}) WITH ORDINALITY AS w(y, j) WHERE w.y = u.x AND w.j < u.i))`;
  return {
    when: `${repeat} IS NOT NULL`,
    code: 'INVALID_FACTS',
    path: `${dialect.string(`${fact}[`)} || CAST(${repeat} AS ${dialect.name === 'duckdb' ? 'VARCHAR' : 'text'}) || ']'`,
    message: 'an agent is already listed before: list each agent once',
  };
}

/** A member of an object fact: its type and whether it is required. */
export type ObjectField =
  | { readonly kind: 'identifier'; readonly required: boolean }
  | { readonly kind: 'flag'; readonly default: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

/**
 * An object fact such as `referral`: a STRUCT or JSON column in DuckDB, `jsonb`, `json` or a
 * composite row in PostgreSQL. NULL (or JSON null) is the fact's `null`. A member that is
 * missing or JSON null is absent (so a STRUCT's NULL fields are absent too); a member the policy
 * does not know is refused, as `evaluate` refuses unknown fields.
 *
 * @example
 * objectFact(dialect, 'referral', { referrerAgent: { kind: 'identifier', required: true } });
 */
export function objectFact(dialect: Dialect, fact: string, fields: Readonly<Record<string, ObjectField>>): FactReader {
  const raw = column.raw(fact);
  const json = column.read(fact, 'j');
  const present = column.value(fact, 'present');
  const read: [string, string][] = [
    [raw, raw],
    [json, asJson(dialect, raw)],
  ];
  const isObject = jsonIs(dialect, json, 'object');
  const names = Object.keys(fields);
  const unknownKey =
    dialect.name === 'duckdb'
      ? `CASE WHEN ${isObject} THEN list_filter(json_keys(${json}), lambda k: k NOT IN (${names.map(dialect.string).join(', ')}))[1] END`
      : `CASE WHEN ${isObject} THEN (SELECT min(k) FROM jsonb_object_keys(${json}) AS k WHERE k NOT IN (${names.map(dialect.string).join(', ')})) END`;
  const checks: RowCheck[] = [
    { when: `${raw} IS NOT NULL AND NOT ${isObject} AND NOT ${jsonIs(dialect, json, 'null')}`, code: 'INVALID_FACTS', path: path(dialect, fact), message: 'expected an object' },
    { when: `${isObject} AND ${unknownKey} IS NOT NULL`, code: 'INVALID_FACTS', path: `${dialect.string(`${fact}.`)} || ${unknownKey}`, message: 'unknown field' },
  ];
  const normalise: [string, string][] = [[present, `COALESCE(${isObject}, false)`]];
  const values: Record<string, SqlValue> = {};
  const isNull = `(NOT ${present})`;
  for (const [name, field] of Object.entries(fields)) {
    const at = path(dialect, `${fact}.${name}`);
    const absent = `(${jsonType(dialect, json, name)} IS NULL OR ${jsonIs(dialect, json, 'null', name)})`;
    const text = dialect.name === 'duckdb' ? `(json_extract_string(${json}, ${dialect.string(`$.${name}`)}) COLLATE "binary")` : `(${json} ->> ${dialect.string(name)})`;
    const alias = column.value(fact, name);
    const guard = (when: string) => `${isObject} AND NOT ${absent} AND ${when}`;
    if (field.kind === 'flag') {
      checks.push({ when: guard(`NOT ${jsonIs(dialect, json, 'boolean', name)}`), code: 'INVALID_FACTS', path: at, message: 'expected boolean' });
      const bool = dialect.name === 'duckdb' ? `CAST(json_extract(${json}, ${dialect.string(`$.${name}`)}) AS BOOLEAN)` : `CAST(${json} -> ${dialect.string(name)} AS boolean)`;
      normalise.push([alias, `CASE WHEN ${isObject} THEN CASE WHEN ${absent} THEN ${field.default} WHEN ${jsonIs(dialect, json, 'boolean', name)} THEN ${bool} END END`]);
      values[name] = { type: 'boolean', sql: alias, nullable: true, isNull };
      continue;
    }
    if (field.kind === 'identifier' && field.required) checks.push({ when: `${isObject} AND ${absent}`, code: 'INVALID_FACTS', path: at, message: 'required: expected string' });
    checks.push({ when: guard(`NOT ${jsonIs(dialect, json, 'string', name)}`), code: 'INVALID_FACTS', path: at, message: 'expected string' });
    const member = `CASE WHEN ${isObject} AND ${jsonIs(dialect, json, 'string', name)} THEN ${text} END`;
    if (field.kind === 'identifier') {
      checks.push(...identifierChecks(dialect, alias, at));
      normalise.push([alias, member]);
    } else {
      checks.push({ when: guard(`${text} NOT IN (${field.values.map(dialect.string).join(', ')})`), code: 'INVALID_FACTS', path: at, message: oneOfMessage(field.values) });
      normalise.push([alias, member]);
    }
    values[name] = { type: 'string', sql: alias, nullable: true, isNull };
  }
  return {
    type: `${dialect.name === 'duckdb' ? 'STRUCT or JSON' : 'jsonb'}, NULL = null`,
    kind: { type: 'object', members: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.kind === 'flag' ? 'boolean' : 'string'])) },
    read,
    checks,
    normalise,
    value: { type: 'object', sql: present, nullable: false, isNull, fields: values },
  };
}
