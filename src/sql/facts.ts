import { MAX_DECIMAL_STRING_LENGTH } from '../core/decimal.js';
import type { Dialect } from './dialect.js';
import { sqlIdentifier } from './dialect.js';

/**
 * A value a rule condition can read, as SQL. `sql` is the value when the JavaScript fact holds a
 * value of `type`, and NULL when it is `undefined` or `null`; `isNull` tells `null` apart (a SQL
 * boolean that is never NULL). Decimals are exact (`DECIMAL(38,10)` / `numeric`).
 */
export interface SqlValue {
  readonly type: 'boolean' | 'string' | 'decimal' | 'number' | 'list' | 'object';
  readonly sql: string;
  /** Can `sql` be NULL? When it cannot, comparisons need no NULL guard. */
  readonly nullable: boolean;
  readonly isNull: string;
  /** For objects: what a path `$.field` reads. */
  readonly fields?: Readonly<Record<string, SqlValue>>;
}

/** A problem with a row's facts, in the order the checks run: the first that holds is the row's error. */
export interface RowCheck {
  /** SQL boolean over the read columns; the check applies when it is true. */
  readonly when: string;
  readonly code: 'INVALID_FACTS' | 'SQL_UNSUPPORTED';
  /** SQL text expression of the dotted path, e.g. `'handlers[' || … || ']'`. */
  readonly path: string;
  readonly message: string;
}

/** How one input fact is read from the `facts` table, checked and normalised. */
export interface FactReader {
  /** The column types the reader takes, in words (for the query's header and the docs). */
  readonly type: string;
  /** What the fact holds, for readers of files (the CLI) that must check JSON types first. */
  readonly kind: FactKind;
  /** Columns of the read stage, over the `facts` table: alias and SQL. */
  readonly read: readonly (readonly [string, string])[];
  readonly checks: readonly RowCheck[];
  /** Columns of the checked stage, over the read stage. */
  readonly normalise: readonly (readonly [string, string])[];
  /** The fact as conditions and derived facts read it (over the checked stage). */
  readonly value: SqlValue;
}

/**
 * What a fact holds: `nullableString` is a string whose NULL is the fact's `null`; an object's
 * members are flags or strings.
 *
 * @example
 * const kind: FactKind = { type: 'object', members: { referrerAgent: 'string', delegatedToCloser: 'boolean' } };
 */
export type FactKind =
  | { readonly type: 'decimal' | 'boolean' | 'nullableString' | 'list' }
  | { readonly type: 'string'; readonly values?: readonly string[] }
  | { readonly type: 'object'; readonly members: Readonly<Record<string, 'boolean' | 'string'>> };

/**
 * Names of the columns each stage adds for a fact, quoted.
 *
 * @example
 * column.value('referral', 'referrerAgent'); //=> '"v:referral.referrerAgent"'
 */
export const column = {
  raw: (fact: string) => sqlIdentifier(fact),
  read: (fact: string, part: string) => sqlIdentifier(`${part}:${fact}`),
  value: (fact: string, part = '') => sqlIdentifier(part === '' ? `v:${fact}` : `v:${fact}.${part}`),
} as const;

const FALSE = 'false';

function path(dialect: Dialect, text: string): string {
  return dialect.string(text);
}

function valueOf(type: SqlValue['type'], sql: string, nullable: boolean, isNull = FALSE): SqlValue {
  return { type, sql, nullable, isNull };
}

/**
 * The message of a value outside a closed set, as evaluate words it.
 *
 * @example
 * oneOfMessage(['a', 'b']); //=> 'expected one of "a", "b"'
 */
export function oneOfMessage(values: readonly string[]): string {
  return `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/**
 * A boolean fact that takes its default when NULL (SPEC: booleans default to false unless it
 * says otherwise).
 *
 * @example
 * flagFact(dialect, 'disputed', false).normalise; //=> [['"v:disputed"', 'COALESCE(CAST("disputed" AS BOOLEAN), false)']]
 */
export function flagFact(dialect: Dialect, fact: string, defaultValue: boolean): FactReader {
  const alias = column.value(fact);
  return {
    type: `${dialect.name === 'duckdb' ? 'BOOLEAN' : 'boolean'}, NULL = ${defaultValue}`,
    kind: { type: 'boolean' },
    read: [[column.raw(fact), column.raw(fact)]],
    checks: [],
    normalise: [[alias, `COALESCE(CAST(${column.raw(fact)} AS BOOLEAN), ${defaultValue})`]],
    value: valueOf('boolean', alias, false),
  };
}

/**
 * A string fact from a closed list; NULL is absent (an error when `required`).
 *
 * @example
 * enumFact(dialect, 'channel', ['direct', 'distributor'], true);
 */
export function enumFact(dialect: Dialect, fact: string, values: readonly string[], required: boolean): FactReader {
  const text = column.read(fact, 't');
  const alias = column.value(fact);
  const checks: RowCheck[] = [];
  if (required) checks.push({ when: `${text} IS NULL`, code: 'INVALID_FACTS', path: path(dialect, fact), message: `required: ${oneOfMessage(values)}` });
  checks.push({ when: `${text} NOT IN (${values.map(dialect.string).join(', ')})`, code: 'INVALID_FACTS', path: path(dialect, fact), message: oneOfMessage(values) });
  return {
    type: `${dialect.name === 'duckdb' ? 'VARCHAR' : 'text'}: ${values.join(' | ')}${required ? '' : ', NULL = absent'}`,
    kind: { type: 'string', values },
    read: [[text, dialect.toText(column.raw(fact))]],
    checks,
    normalise: [[alias, text]],
    value: valueOf('string', alias, !required),
  };
}

/**
 * The checks of an identifier (an agent id): a non-empty string of at most 200 characters.
 *
 * @example
 * identifierChecks(dialect, '"t:closer"', "'closer'").length; //=> 2
 */
export function identifierChecks(dialect: Dialect, text: string, at: string): RowCheck[] {
  return [
    { when: `${text} = ''`, code: 'INVALID_FACTS', path: at, message: 'too small: at least 1' },
    { when: tooLong(dialect, text, 200), code: 'INVALID_FACTS', path: at, message: 'too big: at most 200' },
  ];
}

/**
 * Is the string longer than `max` characters (code points, as zod counts them)?
 *
 * @example
 * tooLong(dialect, 'x_', 200);
 */
export function tooLong(dialect: Dialect, text: string, max: number): string {
  return `${dialect.codePoints(text)} > ${max}`;
}

/**
 * An identifier fact (agent id). `nullable`: NULL is the fact's `null` (e.g. `protectedBy`: no
 * protection entry); otherwise NULL is absent (an error when `required`).
 *
 * @example
 * identifierFact(dialect, 'closer', { required: false, nullable: false });
 */
export function identifierFact(dialect: Dialect, fact: string, options: { readonly required: boolean; readonly nullable: boolean }): FactReader {
  const text = column.read(fact, 't');
  const alias = column.value(fact);
  const checks: RowCheck[] = [];
  if (options.required) checks.push({ when: `${text} IS NULL`, code: 'INVALID_FACTS', path: path(dialect, fact), message: 'required: expected string' });
  checks.push(...identifierChecks(dialect, text, path(dialect, fact)));
  return {
    type: `${dialect.name === 'duckdb' ? 'VARCHAR' : 'text'}${options.nullable ? ', NULL = null' : options.required ? '' : ', NULL = absent'}`,
    kind: { type: options.nullable ? 'nullableString' : 'string' },
    read: [[text, dialect.toText(column.raw(fact))]],
    checks,
    normalise: [[alias, text]],
    value: valueOf('string', alias, !options.required, options.nullable ? `(${alias} IS NULL)` : FALSE),
  };
}

/** Options of a decimal fact, as the TypeScript schema gives them. */
export interface DecimalOptions {
  readonly nonNegative?: boolean;
  readonly maxPlaces?: number;
  /** Refuse values of this many integer digits or more (the SQL outcome type's bound). */
  readonly maxIntegerDigits?: number;
}

const DECIMAL_TEXT = '-?[0-9]+(\\.[0-9]+)?';
// DuckDB reads a string into DECIMAL(18,8) quickly and into its 128-bit decimals very slowly, so
// strings that fit the first go that way; both are exact, and anything that would round is refused.
const DUCKDB_FAST_TEXT = '-?[0-9]{1,10}(\\.[0-9]{1,8})?';
const DUCKDB_EXACT_TEXT = '-?[0-9]+(\\.[0-9]{1,10}0*)?';
// Column types read as they are: integers, and DECIMAL(w,s) with w ≤ 28 and s ≤ 10 (which
// DECIMAL(38,10) holds exactly). Anything else goes through its text.
const DUCKDB_EXACT_TYPES = 'DECIMAL\\(([1-9]|1[0-9]|2[0-8]),([0-9]|10)\\)|TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT';
const POSTGRES_EXACT_TYPES = ["'numeric'::regtype", "'integer'::regtype", "'bigint'::regtype", "'smallint'::regtype"];

/**
 * A money or decimal fact: a DECIMAL/NUMERIC or integer column is read as it is, a text column is
 * checked as `evaluate` checks decimal strings (ASCII digits, optional sign and fraction, at most
 * 40 characters) then read exactly. Binary floating-point columns are refused: their values are
 * not the decimals people wrote. DuckDB compares in DECIMAL(38,10): a value with more than 10
 * places (other than trailing zeros) or more than 28 integer digits is refused, never rounded.
 *
 * @example
 * decimalFact(dialect, 'amount', { nonNegative: true });
 */
export function decimalFact(dialect: Dialect, fact: string, options: DecimalOptions): FactReader {
  const raw = column.raw(fact);
  const direct = column.read(fact, 'd');
  const text = column.read(fact, 't');
  const alias = column.value(fact);
  const at = path(dialect, fact);
  const isExactType = dialect.name === 'duckdb' ? dialect.fullMatch(dialect.typeName(raw), DUCKDB_EXACT_TYPES) : `pg_typeof(${raw}) IN (${POSTGRES_EXACT_TYPES.join(', ')})`;
  const read: [string, string][] = [
    [raw, raw],
    [direct, `CASE WHEN ${isExactType} THEN CAST(${raw} AS ${dialect.decimal}) END`],
    [text, `CASE WHEN NOT (${isExactType}) THEN ${dialect.toText(raw)} END`],
  ];
  const validText = `(length(${text}) <= ${MAX_DECIMAL_STRING_LENGTH} AND ${dialect.fullMatch(text, DECIMAL_TEXT)})`;
  const fromText =
    dialect.name === 'duckdb'
      ? `CASE WHEN ${dialect.fullMatch(text, DUCKDB_FAST_TEXT)} THEN CAST(TRY_CAST(${text} AS DECIMAL(18,8)) AS DECIMAL(38,10)) WHEN ${dialect.fullMatch(text, DUCKDB_EXACT_TEXT)} THEN TRY_CAST(${text} AS DECIMAL(38,10)) END`
      : `CASE WHEN ${validText} THEN CAST(${text} AS numeric) END`;
  const checks: RowCheck[] = [
    { when: `${raw} IS NULL`, code: 'INVALID_FACTS', path: at, message: 'required' },
    { when: dialect.isFloat(raw), code: 'SQL_UNSUPPORTED', path: at, message: 'a decimal column must be DECIMAL, NUMERIC, an integer or text, not binary floating point: its values are not exact' },
    { when: `${direct} IS NULL AND NOT ${validText}`, code: 'INVALID_FACTS', path: at, message: 'a decimal string has only digits, an optional "-" and one ".", at most 40 characters' },
    // Refusals evaluate makes come before the SQL's own limits, also for strings the SQL cannot hold.
    ...(options.nonNegative
      ? [{ when: `${text} LIKE '-%' AND NOT ${dialect.fullMatch(text, '-0+(\\.0+)?')}`, code: 'INVALID_FACTS' as const, path: at, message: 'must not be negative' }]
      : []),
    ...(options.maxPlaces !== undefined
      ? [{ when: `NOT ${dialect.fullMatch(text, `-?[0-9]+(\\.[0-9]{0,${options.maxPlaces}}0*)?`)}`, code: 'INVALID_FACTS' as const, path: at, message: `has more than ${options.maxPlaces} decimal places` }]
      : []),
  ];
  if (dialect.name === 'duckdb') {
    checks.push({
      when: `${alias} IS NULL`,
      code: 'SQL_UNSUPPORTED',
      path: at,
      message: 'the value does not fit DECIMAL(38,10), in which DuckDB compares decimals exactly (at most 28 integer digits and 10 places)',
    });
  }
  if (dialect.name === 'postgres') {
    // Compared as text: 'Infinity'::numeric only parses from PostgreSQL 14 on.
    checks.push({ when: `CAST(${alias} AS text) IN ('NaN', 'Infinity', '-Infinity')`, code: 'INVALID_FACTS', path: at, message: 'a number must be finite' });
  }
  if (options.nonNegative) checks.push({ when: `${alias} < 0`, code: 'INVALID_FACTS', path: at, message: 'must not be negative' });
  if (options.maxPlaces !== undefined) {
    const rounded = dialect.name === 'duckdb' ? `CAST(${alias} AS DECIMAL(38,${options.maxPlaces}))` : `round(${alias}, ${options.maxPlaces})`;
    checks.push({ when: `${alias} <> ${rounded}`, code: 'INVALID_FACTS', path: at, message: `has more than ${options.maxPlaces} decimal places` });
  }
  if (options.maxIntegerDigits !== undefined) {
    checks.push({
      when: `abs(${alias}) >= CAST('1${'0'.repeat(options.maxIntegerDigits)}' AS ${dialect.decimal})`,
      code: 'SQL_UNSUPPORTED',
      path: at,
      message: `the value has more than ${options.maxIntegerDigits} integer digits, more than the SQL outcome's DECIMAL(18,2) holds`,
    });
  }
  return {
    type: dialect.name === 'duckdb' ? 'DECIMAL or VARCHAR' : 'numeric or text',
    kind: { type: 'decimal' },
    read,
    checks,
    normalise: [[alias, `COALESCE(${direct}, ${fromText})`]],
    value: valueOf('decimal', alias, false),
  };
}
