import type { CompiledRule } from '../core/compile.js';
import type { Dialect } from './dialect.js';
import { commentText, duckdbString, sqlIdentifier } from './dialect.js';
import type { RowCheck } from './facts.js';

/**
 * Column names the query uses between its stages, quoted.
 *
 * @example
 * COLUMN.fired(3); //=> '"h:3"'
 */
export const COLUMN = {
  id: sqlIdentifier('id'),
  error: sqlIdentifier('error'),
  hit: sqlIdentifier('hit'),
  fired: (position: number) => sqlIdentifier(`h:${position}`),
  derived: (name: string) => sqlIdentifier(`d:${name}`),
  outcome: (name: string) => sqlIdentifier(`o:${name}`),
} as const;

/**
 * Which rules fired on a row, as SQL over the query's `ruled` stage. Positions are those of the
 * version's rules in evaluation order (priority, then file order).
 */
export interface FiredRules {
  readonly rules: readonly CompiledRule[];
  /** SQL boolean: the rule at `position` is among the fired rules `decide` receives. */
  readonly fired: (position: number) => string;
  /** SQL integer: the position of the first fired rule (the highest priority one), -1 when none fired; NULL on a row with bad facts. */
  readonly first: string;
  /** SQL list of the fired rules' ids without repeats, in order: `evaluate`'s default `basis`. */
  readonly names: string;
  /** Every id `names` can hold. */
  readonly nameValues: readonly string[];
}

/**
 * The values an outcome column can take, when they are a closed set known when compiling (the
 * rules' own words): DuckDB then returns it as an ENUM (a list of ENUM), which it stores and
 * writes far faster than VARCHAR lists, and which compares and casts as VARCHAR.
 */
export interface Domain {
  readonly values: readonly string[];
  readonly list: boolean;
}

/**
 * The SQL type of a domain in DuckDB, or `undefined` for an empty one.
 *
 * @example
 * enumType({ values: ['a', 'b'], list: true }); //=> "ENUM('a', 'b')[]"
 */
export function enumType(domain: Domain): string | undefined {
  const values = [...new Set(domain.values)];
  if (values.length === 0) return undefined;
  return `ENUM(${values.map((value) => duckdbString(value)).join(', ')})${domain.list ? '[]' : ''}`;
}

/**
 * Builds {@link FiredRules} for a first-hit policy (only the first firing rule is fired) or a
 * collect-all one (every firing rule is, each in its own `h:<position>` column).
 *
 * @example
 * firedRules(dialect, version.rules, 'first-hit').fired(2); //=> '("hit" = 2)'
 */
export function firedRules(dialect: Dialect, rules: readonly CompiledRule[], decision: 'first-hit' | 'collect-all'): FiredRules {
  if (decision === 'first-hit') {
    return {
      rules,
      fired: (position) => `(${COLUMN.hit} = ${position})`,
      first: COLUMN.hit,
      names: caseOfHit(rules.map((rule) => dialect.list([dialect.string(rule.name)])), dialect.list([])),
      nameValues: rules.map((rule) => rule.name),
    };
  }
  return {
    rules,
    fired: (position) => COLUMN.fired(position),
    first: COLUMN.hit,
    names: dialect.distinctInOrder(dialect.compact(rules.map((rule, position) => `CASE WHEN ${COLUMN.fired(position)} THEN ${dialect.string(rule.name)} END`))),
    nameValues: rules.map((rule) => rule.name),
  };
}

/**
 * `CASE "hit" WHEN 0 THEN … END` over the rules' positions; positions given `undefined` are left
 * out (NULL), and `otherwise` covers the rest.
 *
 * @example
 * caseOfHit(["'a'", undefined, "'c'"]); //=> 'CASE "hit" WHEN 0 THEN \'a\' WHEN 2 THEN \'c\' END'
 */
export function caseOfHit(values: readonly (string | undefined)[], otherwise?: string): string {
  const branches = values.flatMap((value, position) => (value === undefined ? [] : [`WHEN ${position} THEN ${value}`]));
  if (branches.length === 0) return otherwise ?? 'NULL';
  return `CASE ${COLUMN.hit} ${branches.join(' ')}${otherwise === undefined ? '' : ` ELSE ${otherwise}`} END`;
}

/**
 * The error text of the first check that holds, or NULL: `CODE path: message`.
 *
 * @example
 * errorCase(dialect, [{ when: '"t:channel" IS NULL', code: 'INVALID_FACTS', path: "'channel'", message: 'required' }]);
 * //=> "CASE WHEN \"t:channel\" IS NULL THEN 'INVALID_FACTS ' || 'channel' || ': required' END"
 */
export function errorCase(dialect: Dialect, checks: readonly RowCheck[]): string {
  if (checks.length === 0) return NO_ERROR;
  return `CASE ${checks.map((check) => `WHEN ${check.when} THEN ${errorText(dialect, check.code, check.path, check.message)}`).join('\n    ')} END`;
}

/**
 * A NULL error, typed as text (both dialects know VARCHAR), so it combines with other texts.
 *
 * @example
 * `COALESCE("error", ${NO_ERROR})`;
 */
export const NO_ERROR = 'CAST(NULL AS VARCHAR)';

/**
 * `CODE path: message` as a SQL text expression.
 *
 * @example
 * errorText(dialect, 'INVALID_FACTS', "'amount'", 'required'); //=> "'INVALID_FACTS amount: required'"
 */
export function errorText(dialect: Dialect, code: string, path: string | undefined, message: string): string {
  if (path === undefined) return dialect.string(`${code}: ${message}`);
  // A path written as a plain literal is folded into one string, for a readable query.
  const literal = /^'((?:[^']|'')*)'$/.exec(path);
  if (literal) return dialect.string(`${code} ${literal[1]!.replaceAll("''", "'")}: ${message}`);
  return `${dialect.string(`${code} `)} || ${path} || ${dialect.string(`: ${message}`)}`;
}

/** One stage of the query: a CTE that adds columns to the one before it. */
export interface Stage {
  readonly name: string;
  readonly columns: readonly (readonly [string, string])[];
  /** Select only these (and `columns`) instead of every column of the stage before. */
  readonly only?: readonly string[];
}

/**
 * Writes the stages as one query: `WITH a AS (SELECT …), b AS (SELECT *, … FROM a) SELECT … FROM last`.
 * Each header line becomes one `--` comment line, reduced to printable ASCII by `commentText`
 * (it holds text from the rules file, such as its name and parameters).
 * `materialized` keeps PostgreSQL from inlining the stages into each other: each stage reads the
 * columns of the one before many times, and inlined, every read would repeat the expression
 * (the query grows exponentially with the stages).
 *
 * @example
 * assemble('facts', stages, ['"id"', '"authority"'], header, false);
 */
export function assemble(source: string, stages: readonly Stage[], select: readonly string[], header: readonly string[], materialized: boolean): string {
  let from = source;
  const ctes = stages.map((stage) => {
    const list = [...(stage.only ?? ['*']), ...stage.columns.map(([alias, sql]) => `${sql} AS ${alias}`)];
    const cte = `${sqlIdentifier(stage.name)} AS ${materialized ? 'MATERIALIZED ' : ''}(\n  SELECT\n    ${list.join(',\n    ')}\n  FROM ${from}\n)`;
    from = sqlIdentifier(stage.name);
    return cte;
  });
  return `${header.map((line) => `-- ${commentText(line)}`).join('\n')}\nWITH\n${ctes.join(',\n')}\nSELECT\n  ${select.join(',\n  ')}\nFROM ${from}`;
}
