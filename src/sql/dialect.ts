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
 * Quotes a string as a SQL literal (both dialects take standard strings: `'` doubles, `\` is
 * literal). A NUL character cannot be stored by either engine and is refused by the caller.
 *
 * @example
 * sqlString("it's"); //=> "'it''s'"
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Quotes an identifier, so a fact named `repeatBatch` stays `repeatBatch` (PostgreSQL folds
 * unquoted names to lower case).
 *
 * @example
 * sqlIdentifier('repeatBatch'); //=> '"repeatBatch"'
 */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const duckdb: Dialect = {
  name: 'duckdb',
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
  fullMatch: (text, pattern) => `regexp_full_match(${text}, ${sqlString(pattern)})`,
  // Binary, whatever the session's default_collation: strings compare as evaluate compares them.
  toText: (value) => `CAST(${value} AS VARCHAR) COLLATE "binary"`,
  codePoints: (text) => `length(${text})`,
  typeName: (value) => `typeof(${value})`,
  isFloat: (value) => `typeof(${value}) IN ('DOUBLE', 'FLOAT')`,
};

const postgres: Dialect = {
  name: 'postgres',
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
  fullMatch: (text, pattern) => `(${text} ~ ${sqlString(`^(?:${pattern})$`)})`,
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
