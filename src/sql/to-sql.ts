import type { CompiledRule } from '../core/compile.js';
import type { CalendarDate } from '../core/dates.js';
import { currentDateIn, DEFAULT_TIME_ZONE, toCalendarDate } from '../core/dates.js';
import { PolicyInputError, UnknownPolicyError } from '../core/errors.js';
import type { ValueType } from '../core/rule-file.js';
import { PARAMETER_PREFIX } from '../core/rule-file.js';
import type { DecidingRule, EventSchema, PolicyContext } from '../engine.js';
import type { AnyPolicy } from '../policies.js';
import { engineOf } from '../core/policy.js';
import type { EvaluateOptions } from '../core/policy.js';
import { DEFAULT_MAX_ITEMS } from '../core/policy.js';
import { isPolicyId, POLICIES, POLICY_IDS } from '../policies.js';
import { conditionSql } from './conditions.js';
import type { SqlDialect } from './dialect.js';
import { dialectOf, SQL_DIALECTS, sqlIdentifier, UnstorableTextError } from './dialect.js';
import { factDomains } from './domains.js';
import { SqlCompileError } from './errors.js';
import type { FactKind, FactReader, SqlValue } from './facts.js';
import type { AbsentCheck, OutcomeContext, OutcomeSql, VariantFact } from './outcome.js';
import { firstRuleOutcome } from './outcome.js';
import type { SqlPolicyId } from './policies.js';
import { sqlSupport, SQL_POLICY_IDS } from './policies.js';
import type { Domain, Stage } from './query.js';
import { assemble, COLUMN, enumType, errorCase, firedRules } from './query.js';
import { readersOf } from './readers.js';

/**
 * Options of {@link toSql}: the dialect, and the options `evaluate` takes that fix the rules.
 *
 * @example
 * const options: ToSqlOptions = { dialect: 'postgres', asOf: '2026-01-01' };
 */
export interface ToSqlOptions {
  readonly dialect: SqlDialect;
  /** Which dated parameters become literals: a date `YYYY-MM-DD` or an instant with offset. Default: today in `timeZone`. */
  readonly asOf?: string;
  /** IANA zone for `asOf`. Default `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** Rules to use instead of the bundled ones, as `evaluate` takes them. */
  readonly rules?: unknown;
  /** The most items a list fact may hold (default 100,000), as `evaluate`'s option. */
  readonly maxItems?: number;
}

/**
 * A column of the `facts` table the query reads, or of its result.
 *
 * @example
 * compileSql('review.approval', { dialect: 'duckdb' }).outputs[0]; //=> { name: 'authority', type: 'ENUM' }
 */
export interface SqlColumn {
  readonly name: string;
  /** Its type, in words: `DECIMAL or VARCHAR`, `BOOLEAN, NULL = false`, … */
  readonly type: string;
}

/**
 * A fact column the query reads, with what the fact holds.
 *
 * @example
 * compileSql('review.approval', { dialect: 'duckdb' }).inputs[0]; //=> { name: 'amount', type: 'DECIMAL or VARCHAR', kind: { type: 'decimal' } }
 */
export interface SqlFactColumn extends SqlColumn {
  readonly kind: FactKind;
}

/**
 * The query and what it reads and writes.
 *
 * @example
 * const { sql, inputs, outputs } = compileSql('commission.conduct', { dialect: 'postgres' });
 */
export interface SqlQuery {
  readonly policy: string;
  readonly dialect: SqlDialect;
  /** The date whose parameters the query holds as literals. */
  readonly asOf: CalendarDate;
  readonly sql: string;
  /** The fact columns of `facts` (besides `id`). */
  readonly inputs: readonly SqlFactColumn[];
  /** The result's columns after `id`: one per outcome field, then `basis` and `error`. */
  readonly outputs: readonly SqlColumn[];
  /** For readers of JSON lines: the facts that choose a variant of a facts schema that is a union, outermost first. */
  readonly variants: readonly VariantFact[];
  /** For readers of JSON lines: nullable facts refused when missing (a table's NULL reads as null). */
  readonly absentChecks: readonly AbsentCheck[];
}

/**
 * Compiles a policy's rules, with the parameters in force on `asOf` as literals, to one SQL query
 * for DuckDB or PostgreSQL. The query reads a table or view named `facts` (an `id` column and one
 * column per fact, named as the fact) and returns one row per input row: `id`, one column per
 * outcome field (lists as arrays), `basis` (the rule ids, as `evaluate` gives them) and `error`
 * (NULL, or why `evaluate` would refuse the row; the outcome columns are then NULL).
 *
 * Covers the policies whose decision is a function of one row's facts: see `SQL_POLICY_IDS`.
 * Anything it cannot compile exactly throws `SqlCompileError` (code `SQL_UNSUPPORTED`) naming it.
 *
 * @example
 * const sql = toSql('review.approval', { dialect: 'duckdb', asOf: '2026-01-01' });
 * // SELECT … FROM facts → id, authority, route, basis, error
 */
export function toSql(policy: SqlPolicyId | AnyPolicy, options: ToSqlOptions): string {
  return compileSql(policy, options).sql;
}

/**
 * Like {@link toSql}, with the columns the query reads and writes.
 *
 * @example
 * compileSql('review.approval', { dialect: 'postgres' }).inputs.map((c) => c.name);
 * //=> ['amount', 'channel', 'disputed', 'repeatBatch', 'technicalTermsChanged', 'priceChanged']
 */
export function compileSql(policy: SqlPolicyId | AnyPolicy, options: ToSqlOptions): SqlQuery {
  try {
    return compile(policy, options);
  } catch (error) {
    // A text of the rules (a value, an outcome word) that no SQL literal can hold: refused, never written.
    if (error instanceof UnstorableTextError) throw new SqlCompileError(typeof policy === 'string' ? String(policy) : policy.id, 'a text of the rules', error.message);
    throw error;
  }
}

function compile(given: SqlPolicyId | AnyPolicy, options: ToSqlOptions): SqlQuery {
  const id = typeof given === 'string' || given === null || typeof given !== 'object' ? String(given) : given.id;
  if (typeof given !== 'object' && !isPolicyId(id)) throw new UnknownPolicyError(id, POLICY_IDS);
  const policy = typeof given === 'object' ? given : (POLICIES[id as SqlPolicyId] as unknown as AnyPolicy);
  const support = sqlSupport(policy);
  if ('reason' in support) {
    throw new SqlCompileError(id, `policy ${id}`, `${support.reason}. toSql covers the policies whose decision is one row's facts through the rules: ${SQL_POLICY_IDS.join(', ')}`);
  }
  const module = 'outcome' in support ? support.outcome : undefined;
  if (options === null || typeof options !== 'object' || !(SQL_DIALECTS as readonly string[]).includes(options.dialect)) {
    const received = options !== null && typeof options === 'object' ? options.dialect : undefined;
    throw new PolicyInputError(id, [{ code: 'invalid_option', path: 'options.dialect', message: `the dialect is one of ${SQL_DIALECTS.join(', ')}`, received, expected: SQL_DIALECTS.join(' | ') }], 'INVALID_OPTIONS');
  }
  const engine = engineOf(policy);
  const evaluateOptions: EvaluateOptions = {
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    ...(options.rules === undefined ? {} : { rules: options.rules }),
    ...(options.maxItems === undefined ? {} : { maxItems: options.maxItems }),
  };
  // Checks the options and picks the rules file and version exactly as evaluate does.
  const { rules, version } = engine.resolve(evaluateOptions);
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const asOf = options.asOf === undefined ? currentDateIn(timeZone) : toCalendarDate(options.asOf, timeZone);
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  const dialect = dialectOf(options.dialect);
  const spec = rules.spec;

  // The facts are read as evaluate checks them: by the policy's facts schema and its bundled
  // `facts` block, whatever rules are in force (their declarations type the conditions only).
  const bundled = engine.compiled().spec;
  const readers: Record<string, FactReader> = { ...(module?.facts?.(dialect, bundled) ?? readersOf(factDomains(engine, bundled, { timeZone, maxItems }), dialect, maxItems, module?.integerDigits)) };
  const values: Record<string, SqlValue> = Object.fromEntries(Object.entries(readers).map(([name, reader]) => [name, reader.value]));
  const derived = module?.derived?.(dialect, values) ?? {};
  const facts: Record<string, SqlValue> = { ...values };
  for (const [name, value] of Object.entries(derived)) facts[name] = { type: value.type, sql: COLUMN.derived(name), nullable: false, isNull: 'false' };

  const declaredType = (name: string): ValueType | undefined =>
    name.startsWith(PARAMETER_PREFIX) ? spec.parameterInfo[name.slice(PARAMETER_PREFIX.length)]?.type : Object.prototype.hasOwnProperty.call(spec.facts, name) ? spec.facts[name]?.type : undefined;
  const conditionContext = {
    policy: id,
    dialect,
    fact: (name: string) => (Object.prototype.hasOwnProperty.call(facts, name) ? facts[name] : undefined),
    parameters: version.parameters,
    declaredType,
  };
  const conditions = version.rules.map((rule: CompiledRule) => conditionSql(rule.definition.conditions, conditionContext, `rules[${rule.index}].conditions`));
  const fired = firedRules(dialect, version.rules, spec.decision);

  const context: PolicyContext = {
    timeZone,
    maxItems,
    asOf,
    param: (name) => version.parameters[name],
    nested: { ...evaluateOptions, asOf, trace: false },
  };
  const ctx: OutcomeContext = {
    policy: id,
    dialect,
    fired,
    // The rules come from policy.resolve, whose events were checked against the policy's event schema.
    decide: (firedList) => engine.definition.decide(firedList as readonly DecidingRule<EventSchema>[], {} as never, context, {}),
    context,
    facts,
  };
  const outcome = module?.outcome(ctx) ?? genericOutcome(ctx, engine.definition.decide);

  const dedupe = (columns: readonly (readonly [string, string])[]) => [...new Map(columns.map(([alias, sql]) => [alias, sql] as const)).entries()];
  const stages: Stage[] = [
    { name: 'read', only: [COLUMN.id], columns: dedupe(Object.values(readers).flatMap((reader) => reader.read)) },
    { name: 'normalised', columns: dedupe(Object.values(readers).flatMap((reader) => reader.normalise)) },
    { name: 'checked', columns: [[COLUMN.error, errorCase(dialect, [...Object.values(readers).flatMap((reader) => reader.checks), ...(module?.deriveChecks?.(dialect) ?? [])])]] },
  ];
  if (Object.keys(derived).length > 0) stages.push({ name: 'derived', columns: Object.entries(derived).map(([name, value]) => [COLUMN.derived(name), value.sql]) });
  const firstOf = (tests: readonly string[]) => `CASE WHEN ${COLUMN.error} IS NOT NULL THEN NULL ${tests.map((test, position) => `WHEN ${test} THEN ${position}`).join(' ')} ELSE -1 END`;
  if (spec.decision === 'first-hit') {
    stages.push({ name: 'ruled', columns: [[COLUMN.hit, firstOf(conditions)]] });
  } else {
    stages.push({ name: 'ruled', columns: conditions.map((condition, position) => [COLUMN.fired(position), `(${COLUMN.error} IS NULL AND ${condition})`]) });
    stages.push({ name: 'first', columns: [[COLUMN.hit, firstOf(conditions.map((_, position) => COLUMN.fired(position)))]] });
  }
  stages.push(...(outcome.stages ?? []));
  stages.push({
    name: 'decided',
    only: [COLUMN.id],
    columns: [
      ...outcome.columns.map(([name, sql, domain]) => [COLUMN.outcome(name), asEnum(sql, domain)] as const),
      [COLUMN.outcome('basis'), asEnum(outcome.basis, { values: outcome.basisValues, list: true })],
      [COLUMN.error, `COALESCE(${COLUMN.error}, ${outcome.error})`],
    ],
  });
  // DuckDB returns closed sets of words as ENUMs (see Domain); PostgreSQL has no ENUM without CREATE TYPE.
  function asEnum(sql: string, domain: Domain | undefined): string {
    const type = dialect.name === 'duckdb' && domain !== undefined ? enumType(domain) : undefined;
    return type === undefined ? sql : `CAST(${sql} AS ${type})`;
  }
  const select = [
    COLUMN.id,
    ...[...outcome.columns.map(([name]) => name), 'basis'].map((name) => `CASE WHEN ${COLUMN.error} IS NULL THEN ${COLUMN.outcome(name)} END AS ${sqlIdentifier(name)}`),
    COLUMN.error,
  ];

  const textType = dialect.name === 'duckdb' ? 'VARCHAR' : 'text';
  const inputs = Object.entries(readers).map(([name, reader]) => ({ name, type: reader.type, kind: reader.kind }));
  const outputs = [
    ...outcome.types.map(([name, type]) => ({ name, type })),
    { name: 'basis', type: dialect.name === 'duckdb' ? 'ENUM[]' : 'text[]' },
    { name: 'error', type: textType },
  ];
  const parameters = Object.entries(version.parameters)
    .map(([name, value]) => `${name} = ${JSON.stringify(value)}`)
    .join(', ');
  const header = [
    `sales-policies: ${id} as one ${dialect.name === 'duckdb' ? 'DuckDB' : 'PostgreSQL'} query: the ${spec.decision} rules of ${spec.file}`,
    `with the parameters in force on ${asOf} (version from ${version.from})${parameters === '' ? '' : `: ${parameters}`}.`,
    `Reads the table or view "facts": "id" (any type) and one column per fact:`,
    ...inputs.map((input) => `  "${input.name}" ${input.type}`),
    `Returns one row per input row: "id", ${outputs.map((output) => `"${output.name}" ${output.type}`).join('; ')}.`,
    ...(dialect.name === 'duckdb' ? ['ENUM columns hold the closed sets of words the rules give (they compare and cast as VARCHAR).'] : []),
    `"basis" lists the rule ids as evaluate does. "error" is NULL, or why evaluate would refuse the row`,
    `("INVALID_FACTS path: ...", "RULE_GAP: ..."), or why SQL cannot decide it exactly ("SQL_UNSUPPORTED path: ..."); the outcome is then NULL.`,
  ];
  return {
    policy: id,
    dialect: dialect.name,
    asOf,
    sql: assemble(sqlIdentifier('facts'), stages, select, header, dialect.name === 'postgres'),
    inputs,
    outputs,
    variants: module?.variants?.(bundled) ?? [],
    absentChecks: module?.absentChecks ?? [],
  };
}

/**
 * The outcome of a policy without SQL of its own: its first fired rule's outcome, computed when
 * compiling, which is exact only when `decide` reads no fact. Each rule's outcome is asked with
 * facts that note every read: a read means the outcome depends on the row, and SQL refuses it.
 */
function genericOutcome(ctx: OutcomeContext, decide: (...args: never[]) => unknown): OutcomeSql {
  const reads: PropertyKey[] = [];
  const watched = new Proxy({}, { get: (_, key) => (reads.push(key), undefined), has: (_, key) => (reads.push(key), false), ownKeys: () => (reads.push('*'), []) });
  const refuse = (reason: string) => new SqlCompileError(ctx.policy, `the outcome of ${ctx.policy}`, reason);
  for (const rule of ctx.fired.rules) {
    try {
      (decide as (...args: unknown[]) => unknown)([rule], watched, ctx.context, watched);
    } catch {
      // A gap or a failure: whether it read a fact first is what counts.
    }
    if (reads.length > 0) throw refuse(`its decide reads the facts (${String(reads[0])}), not only the fired rule: that needs SQL of its own in src/sql/outcomes/`);
  }
  const outcome = firstRuleOutcome(ctx);
  if (typeof outcome === 'string') throw refuse(outcome);
  return outcome;
}
