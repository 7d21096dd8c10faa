import type { CompiledRule } from '../core/compile.js';
import { RuleGapError, safeJson } from '../core/errors.js';
import type { RuleFile } from '../core/rule-file.js';
import type { PolicyContext, PolicyResult } from '../engine.js';
import type { Dialect } from './dialect.js';
import type { FactReader, RowCheck, SqlValue } from './facts.js';
import type { Domain, FiredRules, Stage } from './query.js';
import { caseOfHit, errorText } from './query.js';

/** What a policy's outcome SQL works with. */
export interface OutcomeContext {
  readonly policy: string;
  readonly dialect: Dialect;
  readonly fired: FiredRules;
  /** The policy's own `decide`, for outcomes that depend on the fired rules only. */
  readonly decide: (fired: readonly CompiledRule[]) => PolicyResult<unknown>;
  readonly context: PolicyContext;
  /** Input and derived facts, as SQL. */
  readonly facts: Readonly<Record<string, SqlValue>>;
}

/** An outcome column: its field name, its SQL, and its values when they are a closed set. */
export type OutcomeColumn = readonly [string, string, (Domain | undefined)?];

/** The outcome as SQL: extra stages after the rules ran, one column per outcome field, `basis`, and the rules' own errors. */
export interface OutcomeSql {
  readonly stages?: readonly Stage[];
  readonly columns: readonly OutcomeColumn[];
  /** Each outcome field's SQL type, in words, for the query's header. */
  readonly types: readonly (readonly [string, string])[];
  readonly basis: string;
  readonly basisValues: readonly string[];
  /** SQL text (`RULE_GAP: …`) when the fired rules cannot give an outcome, else NULL. */
  readonly error: string;
}

/**
 * A fact whose valid value chooses the variant of a facts schema that is a union (on `event`, then
 * on `complaintSeverity` for a complaint): until it is valid, evaluate reports only it.
 */
export interface VariantFact {
  readonly fact: string;
  readonly values: readonly string[];
  /** It chooses only when this other fact has this value. */
  readonly when?: { readonly fact: string; readonly value: string };
}

/**
 * A nullable fact that the policy refuses when missing (not null) while another fact has a value:
 * a table's NULL is the fact's `null`, so only readers of JSON lines can tell it apart.
 */
export interface AbsentCheck {
  readonly fact: string;
  readonly when: { readonly fact: string; readonly value: string };
  readonly message: string;
}

/**
 * A policy's SQL of its own, beside it in `src/sql/outcomes/`: only what the policy's metadata
 * cannot say. Policies whose outcome is the first fired rule's (see {@link firstRuleOutcome})
 * need none.
 */
export interface SqlOutcome {
  readonly id: string;
  /** Fact readers for a facts schema the generic reading cannot follow (a union of variants). */
  readonly facts?: (dialect: Dialect, spec: RuleFile) => Readonly<Record<string, FactReader>>;
  /** Decimal facts whose values must have fewer integer digits than this, for the outcome's SQL types. */
  readonly integerDigits?: Readonly<Record<string, number>>;
  /** The checks the policy's `derive` makes once the schema passed. */
  readonly deriveChecks?: (dialect: Dialect) => readonly RowCheck[];
  /** Facts the TypeScript derives, as SQL over the checked facts. */
  readonly derived?: (dialect: Dialect, facts: Readonly<Record<string, SqlValue>>) => Readonly<Record<string, Pick<SqlValue, 'type' | 'sql'>>>;
  readonly outcome: (ctx: OutcomeContext) => OutcomeSql;
  readonly variants?: (spec: RuleFile) => readonly VariantFact[];
  readonly absentChecks?: readonly AbsentCheck[];
}

/**
 * SQL type names that differ by dialect: a closed set of words is an ENUM in DuckDB (see Domain),
 * text in PostgreSQL.
 *
 * @example
 * sqlTypes(dialect).words; //=> 'ENUM[]' (DuckDB)
 */
export function sqlTypes(dialect: Dialect): { readonly text: string; readonly word: string; readonly words: string; readonly boolean: string } {
  const duck = dialect.name === 'duckdb';
  return { text: duck ? 'VARCHAR' : 'text', word: duck ? 'ENUM' : 'text', words: duck ? 'ENUM[]' : 'text[]', boolean: duck ? 'BOOLEAN' : 'boolean' };
}

/** A plain literal for an outcome value: a string, a list of strings, a boolean, or NULL. */
function outcomeLiteral(dialect: Dialect, value: unknown): string | undefined {
  if (value === undefined || value === null) return 'NULL';
  if (typeof value === 'string') return dialect.string(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return dialect.list(value.map((item) => dialect.string(item)));
  return undefined;
}

/**
 * The outcome of a first-hit policy whose `decide` reads only the fired rule and the parameters
 * (never the facts): each rule's outcome is computed once, when compiling, by the policy's own
 * `decide`; its fields are the fields those outcomes have; `basis` is the fired rules' ids. The
 * generic path: a policy whose outcome is its event params needs no SQL of its own. Returns a
 * reason instead when an outcome value has no SQL literal (numbers, objects).
 *
 * @example
 * firstRuleOutcome(ctx).columns.map(([field]) => field); //=> ['authority', 'route'] (review.approval)
 */
export function firstRuleOutcome(ctx: OutcomeContext): OutcomeSql | string {
  const { dialect, fired, policy } = ctx;
  const outcomes = fired.rules.map((rule): { outcome: Record<string, unknown> } | { error: string } => {
    try {
      const result = ctx.decide([rule]);
      if (result.basis !== undefined) throw new Error(`internal: ${policy} decides its basis; the SQL takes the fired rules'`);
      return { outcome: result.outcome as Record<string, unknown> };
    } catch (error) {
      if (error instanceof RuleGapError) return { error: error.message };
      throw error;
    }
  });
  const decided = outcomes.flatMap((o) => ('outcome' in o ? [o.outcome] : []));
  const fields = [...new Set(decided.flatMap((outcome) => Object.keys(outcome)))];
  const types = sqlTypes(dialect);
  const columns: OutcomeColumn[] = [];
  const header: [string, string][] = [];
  for (const field of fields) {
    const values = decided.map((outcome) => outcome[field]).filter((value) => value !== undefined);
    const literals = outcomes.map((o) => ('outcome' in o && o.outcome[field] !== undefined ? outcomeLiteral(dialect, o.outcome[field]) : undefined));
    const bad = values.find((value) => outcomeLiteral(dialect, value) === undefined);
    if (bad !== undefined) return `its outcome field ${JSON.stringify(field)} holds ${safeJson(bad, 80)}, which has no plain SQL literal`;
    const absent = decided.length > values.length ? ', NULL when absent' : '';
    if (values.every((value) => typeof value === 'string')) {
      columns.push([field, caseOfHit(literals), { values: values as string[], list: false }]);
      header.push([field, `${types.word}${absent}`]);
    } else if (values.every((value) => Array.isArray(value))) {
      columns.push([field, caseOfHit(literals), { values: (values as string[][]).flat(), list: true }]);
      header.push([field, `${types.words}${absent}`]);
    } else if (values.every((value) => typeof value === 'boolean')) {
      columns.push([field, caseOfHit(literals)]);
      header.push([field, `${types.boolean}${absent}`]);
    } else {
      return `its outcome field ${JSON.stringify(field)} holds values of more than one type`;
    }
  }
  return {
    columns,
    types: header,
    basis: fired.names,
    basisValues: fired.nameValues,
    error: `CASE WHEN ${fired.first} = -1 THEN ${errorText(dialect, 'RULE_GAP', undefined, `${policy}: no rule decides these facts`)}${outcomes
      .map((o, position) => ('error' in o ? ` WHEN ${fired.first} = ${position} THEN ${dialect.string(`RULE_GAP: ${o.error}`)}` : ''))
      .join('')} END`,
  };
}
