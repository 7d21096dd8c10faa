import { safeJson } from '../core/errors.js';

/**
 * The SQL dialects `toSql` writes. PostgreSQL's also serves engines that speak it.
 *
 * @example
 * SQL_DIALECTS.includes('postgres'); //=> true
 */
export const SQL_DIALECTS = ['duckdb', 'postgres'] as const;
/**
 * One of {@link SQL_DIALECTS}.
 *
 * @example
 * const dialect: SqlDialect = 'duckdb';
 */
export type SqlDialect = (typeof SQL_DIALECTS)[number];

/**
 * What differs between the dialects, as small SQL builders. Everything else the compiler writes
 * is SQL both engines read the same way. Lists are `VARCHAR[]` in DuckDB and `text[]` in
 * PostgreSQL once the input is checked; decimals are `DECIMAL(38,10)` in DuckDB (its widest exact
 * type) and `numeric` (unbounded, exact) in PostgreSQL.
 */
export interface Dialect {
  readonly name: SqlDialect;
  /** A string literal of this dialect, safe whatever the session settings ({@link duckdbString}, {@link postgresString}). */
  readonly string: (value: string) => string;
  /** The type decimal facts are compared in. */
  readonly decimal: string;
  /** The type of a list of strings. */
  readonly textList: string;
  /** The JSON type nested facts are read through. */
  readonly json: string;
  /** A list of SQL string expressions. */
  readonly list: (items: readonly string[]) => string;
  /** The items of a list of SQL string expressions that are not NULL, in order. */
  readonly compact: (items: readonly string[]) => string;
  /** The list without repeats, each item where it first appears. */
  readonly distinctInOrder: (list: string) => string;
  readonly length: (list: string) => string;
  /** Does the (NULL-free) list hold the value? NULL only when the value is NULL. */
  readonly contains: (list: string, value: string) => string;
  /** Concatenates lists. */
  readonly concat: (lists: readonly string[]) => string;
  /** How many items of the list satisfy `predicate` (a SQL expression over `item`). */
  readonly countWhere: (list: string, item: string, predicate: string) => string;
  /** The 0-based position of the first item satisfying `predicate` over `item` and its 1-based `position`, or NULL. */
  readonly firstIndexWhere: (list: string, item: string, position: string, predicate: string) => string;
  /** How many different non-NULL items the list holds. */
  readonly distinctCount: (list: string) => string;
  /** Does the text match the regular expression as a whole? */
  readonly fullMatch: (text: string, pattern: string) => string;
  /** The text form of any value, compared byte for byte. */
  readonly toText: (value: string) => string;
  /** The length of a string in Unicode code points, as the facts schemas (zod) count it. */
  readonly codePoints: (text: string) => string;
  /** Type of a value as the engine names it (DuckDB `typeof`, PostgreSQL `pg_typeof`), as text. */
  readonly typeName: (value: string) => string;
  /** Is the column of a binary floating-point type (refused for money)? */
  readonly isFloat: (value: string) => string;
}

/**
 * Why a text cannot be a SQL literal, or `undefined`: neither engine stores a NUL character (and
 * drivers cut the query's text at one), and a lone surrogate has no UTF-8 form (it would arrive
 * as another character).
 *
 * @example
 * unstorableText('a\u0000b'); //=> 'it holds a NUL character, which SQL text cannot'
 */
export function unstorableText(value: string): string | undefined {
  if (value.includes('\u0000')) return 'it holds a NUL character, which SQL text cannot';
  if (/[\uD800-\uDFFF]/.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) return 'it holds a lone surrogate, which has no UTF-8 form';
  return undefined;
}

/**
 * A text the compiler was asked to write as a SQL literal or identifier and cannot (see
 * {@link unstorableText}); `compileSql` turns it into a `SqlCompileError` naming the policy.
 *
 * @example
 * try { duckdbString('a\u0000'); } catch (e) { e instanceof UnstorableTextError; } //=> true
 */
export class UnstorableTextError extends Error {
  readonly text: string;
  constructor(text: string, reason: string) {
    super(`the text ${safeJson(text)} cannot be written in SQL: ${reason}`);
    this.name = 'UnstorableTextError';
    this.text = text;
  }
}

function storable(value: string): string {
  const problem = unstorableText(value);
  if (problem !== undefined) throw new UnstorableTextError(value, problem);
  return value;
}

/** Printable ASCII without a backslash: a plain literal of it reads the same under every session setting and client encoding. */
const PLAIN = /^[\x20-\x5B\x5D-\x7E]*$/;

/**
 * A string literal for DuckDB: `'…'` with `'` doubled. DuckDB reads a backslash in a plain
 * literal as a backslash (it has no escape strings by default and no setting that changes it) and
 * reads the query as UTF-8, so nothing else in the text can end the literal.
 *
 * @example
 * duckdbString("it's \\ $$"); //=> "'it''s \\ $$'"
 */
export function duckdbString(value: string): string {
  return `'${storable(value).replaceAll("'", "''")}'`;
}

/**
 * A string literal for PostgreSQL that means the same whatever the session's settings: printable
 * ASCII without a backslash as `'…'` (`'` doubled), which `standard_conforming_strings = off`
 * reads the same; anything else dollar-quoted (`$s$…$s$`, no escapes at all) with a tag that
 * does not occur in the text, so neither a backslash, a quote nor a multibyte character misread
 * under another `client_encoding` can end it early.
 *
 * @example
 * postgresString("it's"); //=> "'it''s'"
 * postgresString("a\\'b"); //=> "$s$a\\'b$s$"
 */
export function postgresString(value: string): string {
  storable(value);
  if (PLAIN.test(value)) return `'${value.replaceAll("'", "''")}'`;
  let tag = '$s$';
  // The text followed by the tag must hold the tag only at its end (a text ending in "$s" would otherwise close early).
  for (let n = 0; `${value}${tag}`.indexOf(tag) !== value.length; n++) tag = `$s${n}$`;
  return `${tag}${value}${tag}`;
}

/**
 * Quotes an identifier, so a fact named `repeatBatch` stays `repeatBatch` (PostgreSQL folds
 * unquoted names to lower case): `"…"` with `"` doubled, the same in both dialects and under any
 * setting. The compiler's identifiers are its own (fact names from the policy's TypeScript);
 * one longer than PostgreSQL's 63 bytes would be cut short (and might meet another), so it is refused.
 *
 * @example
 * sqlIdentifier('repeatBatch'); //=> '"repeatBatch"'
 */
export function sqlIdentifier(name: string): string {
  storable(name);
  if (new TextEncoder().encode(name).length > 63) throw new UnstorableTextError(name, 'an identifier has at most 63 bytes');
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A text reduced to what may follow `--` in the query's comments: one line of printable ASCII
 * without a backslash. Every other character (line breaks of any kind, control and format
 * characters, non-ASCII letters, the backslash) becomes `<U+XXXX>`, so no text can end the
 * comment, and no client (psql included) reads anything in it.
 *
 * @example
 * commentText('a\nDROP'); //=> 'a<U+000A>DROP'
 */
export function commentText(text: string): string {
  return text.replace(/[^\x20-\x5B\x5D-\x7E]/gu, (char) => `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

const duckdb: Dialect = {
  name: 'duckdb',
  string: duckdbString,
  decimal: 'DECIMAL(38,10)',
  textList: 'VARCHAR[]',
  json: 'JSON',
  list: (items) => (items.length === 0 ? 'CAST([] AS VARCHAR[])' : `[${items.join(', ')}]`),
  compact: (items) => (items.length === 0 ? 'CAST([] AS VARCHAR[])' : `list_filter(CAST([${items.join(', ')}] AS VARCHAR[]), lambda x: x IS NOT NULL)`),
  distinctInOrder: (list) => `list_filter(${list}, lambda x, i: list_position(${list}, x) = i)`,
  length: (list) => `len(${list})`,
  contains: (list, value) => `list_contains(${list}, ${value})`,
  concat: (lists) => (lists.length === 1 ? lists[0]! : `list_concat(${lists.join(', ')})`),
  countWhere: (list, item, predicate) => `len(list_filter(${list}, lambda ${item}: ${predicate}))`,
  firstIndexWhere: (list, item, position, predicate) =>
    `nullif(list_position(list_transform(${list}, lambda ${item}, ${position}: ${predicate}), true), 0) - 1`,
  distinctCount: (list) => `len(list_distinct(${list}))`,
  fullMatch: (text, pattern) => `regexp_full_match(${text}, ${duckdbString(pattern)})`,
  // Binary, whatever the session's default_collation: strings compare as evaluate compares them.
  toText: (value) => `CAST(${value} AS VARCHAR) COLLATE "binary"`,
  codePoints: (text) => `length(${text})`,
  typeName: (value) => `typeof(${value})`,
  isFloat: (value) => `typeof(${value}) IN ('DOUBLE', 'FLOAT')`,
};

const postgres: Dialect = {
  name: 'postgres',
  string: postgresString,
  decimal: 'numeric',
  textList: 'text[]',
  json: 'jsonb',
  list: (items) => `ARRAY[${items.join(', ')}]::text[]`,
  compact: (items) => (items.length === 0 ? 'ARRAY[]::text[]' : `array_remove(ARRAY[${items.join(', ')}]::text[], NULL)`),
  distinctInOrder: (list) => `ARRAY(SELECT u.x FROM unnest(${list}) WITH ORDINALITY AS u(x, i) GROUP BY u.x ORDER BY min(u.i))`,
  length: (list) => `cardinality(${list})`,
  contains: (list, value) => `(${value} = ANY(${list}))`,
  concat: (lists) => (lists.length === 1 ? lists[0]! : `(${lists.join(' || ')})`),
  countWhere: (list, item, predicate) => `(SELECT count(*) FROM unnest(${list}) AS u(${item}) WHERE ${predicate})`,
  firstIndexWhere: (list, item, position, predicate) =>
    `(SELECT min(u.${position}) - 1 FROM unnest(${list}) WITH ORDINALITY AS u(${item}, ${position}) WHERE ${predicate})`,
  distinctCount: (list) => `(SELECT count(DISTINCT u.x) FROM unnest(${list}) AS u(x))`,
  fullMatch: (text, pattern) => `(${text} ~ ${postgresString(`^(?:${pattern})$`)})`,
  toText: (value) => `CAST(${value} AS text)`,
  codePoints: (text) => `char_length(${text})`,
  typeName: (value) => `pg_typeof(${value})::text`,
  isFloat: (value) => `pg_typeof(${value}) IN ('double precision'::regtype, 'real'::regtype)`,
};

/**
 * The builders of a dialect.
 *
 * @example
 * dialectOf('postgres').length('"handlers"'); //=> 'cardinality("handlers")'
 */
export function dialectOf(name: SqlDialect): Dialect {
  return name === 'duckdb' ? duckdb : postgres;
}
