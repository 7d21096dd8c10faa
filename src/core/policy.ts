import type * as z from 'zod/mini';
import type { CompiledRule, CompiledRuleFile, CompiledVersion } from './compile.js';
import { isCompiledRuleFile, loadRules, runVersion, versionAt } from './compile.js';
import { conditionLeaves } from './condition-fold.js';
import type { CalendarDate, ZoneDay } from './dates.js';
import { currentDateIn, currentDayIn, DEFAULT_TIME_ZONE, dateProblem, inCalendarRange, isWithin, timeZoneProblem, toCalendarDate } from './dates.js';
import type { InputIssue } from './errors.js';
import type { DecidingRule, EventSchema } from './event.js';
import { eventIssues } from './event.js';
import { PolicyInputError, RuleSetError } from './errors.js';
import type { FactsContext } from './facts.js';
import { toInputIssues } from './facts.js';
import { PARAMETER_PREFIX } from './rule-paths.js';
import type { Condition } from './rule-file.js';
import type { RuleTrace } from './trace.js';

/**
 * The default bound on the items of any array in the facts.
 *
 * @example
 * evaluate('review.readiness', facts, { maxItems: DEFAULT_MAX_ITEMS * 2 });
 */
export const DEFAULT_MAX_ITEMS = 100_000;

/** Options every policy takes. */
export interface EvaluateOptions {
  /** Which dated parameters apply: a date `YYYY-MM-DD` or an instant with offset. Default: today in `timeZone`. */
  readonly asOf?: string;
  /** IANA zone for dates and `asOf`. Default `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** Build the trace (default `true`). Turn off for batch speed; `basis` is always there. */
  readonly trace?: boolean;
  /**
   * Rules to use instead of the bundled ones: one rules file for this policy (its parsed JSON, or
   * compiled with `compileRuleFile`), or a rule set, an object of such files keyed by policy id
   * (policies it does not name keep their bundled rules).
   */
  readonly rules?: unknown;
  /** The most items any array in the facts may hold (default 100,000). */
  readonly maxItems?: number;
}

/** What `evaluate` returns: the outcome, the rules it rests on, and how they came out. */
export interface Decision<Outcome> {
  readonly policy: string;
  /** The date whose parameters applied. */
  readonly asOf: CalendarDate;
  readonly outcome: Outcome;
  /** Ids of the rules that produced the outcome, e.g. `['REV-6.2']`. */
  readonly basis: readonly string[];
  /** Each rule evaluated and each of its conditions; empty with `{ trace: false }`. */
  readonly trace: readonly RuleTrace[];
  /** Present when the decision used a parameter that is only an example value. */
  readonly warnings?: readonly string[];
  /** The same warnings, in the same order, each with a code and what it is about: for programs. */
  readonly warningDetails?: readonly DecisionWarning[];
}

/**
 * A warning on a decision, with a code a program can act on. `example_parameter`: the decision
 * read a parameter whose value is only an example, not from the source.
 *
 * @example
 * decision.warningDetails?.filter((w) => w.code === 'example_parameter').map((w) => w.parameter); //=> ['chiefSpendingLimit']
 */
export interface DecisionWarning {
  readonly code: 'example_parameter';
  /** The parameter the warning is about. */
  readonly parameter: string;
  /** The warning in words: the text `warnings` holds. */
  readonly message: string;
}

/** What a policy's own code may read while deciding. */
export interface PolicyContext extends FactsContext {
  readonly asOf: CalendarDate;
  /** The value of a parameter in force (money in canonical decimal form). Records its use. */
  readonly param: (name: string) => unknown;
  /** Options for evaluating another policy inside this one: same date, zone, bounds and rule set, no trace. */
  readonly nested: EvaluateOptions;
}

/** What a policy's `decide` returns; `basis` defaults to the fired rules' ids. */
export interface PolicyResult<Outcome> {
  readonly outcome: Outcome;
  readonly basis?: readonly string[];
}

/**
 * Everything one policy is: its rules file, its facts schema, the events its rules may give, and
 * how fired rules become an outcome.
 */
export interface PolicyDefinition<Id extends string, FactsInput, Facts, Outcome, Events extends EventSchema = EventSchema> {
  readonly id: Id;
  /** The bundled rules file, parsed JSON. */
  readonly rules: unknown;
  /** Where the bundled rules file lives in the package, for messages. */
  readonly rulesFile: string;
  /** The facts schema for a zone and size bound (built once per pair). */
  readonly facts: (context: FactsContext) => z.ZodMiniType<Facts, FactsInput>;
  /**
   * The events the rules may give, by event type, each with the schema of its params. Every rules
   * file for the policy (bundled or custom) is checked against it when it is compiled: an event
   * that does not fit is a {@link RuleSetError} with the file and JSON path, never a surprise at
   * evaluation.
   */
  readonly event: Events;
  /** Facts the rules use that are computed from the input (counts, comparisons). */
  readonly derive?: (facts: Facts, context: PolicyContext) => Readonly<Record<string, unknown>>;
  /** Turns the fired rules into the outcome; `derived` is what `derive` returned. */
  readonly decide: (fired: readonly DecidingRule<Events>[], facts: Facts, context: PolicyContext, derived: Readonly<Record<string, unknown>>) => PolicyResult<Outcome>;
}

/** Evaluates one set of facts with options fixed in advance; throws {@link PolicyInputError} for bad facts. */
export type PreparedEvaluate<FactsInput, Outcome> = (facts: FactsInput) => Decision<Outcome>;

/** The result of `safeEvaluate`: a decision, or the issues that prevented one. */
export type SafeEvaluateResult<Outcome> =
  | { readonly success: true; readonly decision: Decision<Outcome> }
  | { readonly success: false; readonly issues: readonly InputIssue[]; readonly error: PolicyInputError };

/**
 * A policy ready to evaluate: what apps use. Its definition and compiled rules are the engine's
 * business (tools reach them with `engineOf` from `sales-policies/engine`).
 *
 * @example
 * reviewArbitration.safeEvaluate({ clause: 'price' }).success; //=> true
 */
// Facts and Events are kept as parameters so engineOf(policy) can give back the engine's types.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface Policy<Id extends string = string, FactsInput = unknown, Facts = unknown, Outcome = unknown, Events extends EventSchema = EventSchema> {
  readonly id: Id;
  /** Evaluates facts; throws {@link PolicyInputError} for bad facts or options. */
  readonly evaluate: (facts: FactsInput, options?: EvaluateOptions) => Decision<Outcome>;
  /** Like `evaluate`, but bad facts or options come back as `{ success: false, issues }`. */
  readonly safeEvaluate: (facts: FactsInput, options?: EvaluateOptions) => SafeEvaluateResult<Outcome>;
  /**
   * Checks the options and picks the rules once, for many evaluations: the batch path. Throws
   * {@link PolicyInputError} for bad options.
   */
  readonly prepare: (options?: EvaluateOptions) => PreparedEvaluate<FactsInput, Outcome>;
}

/**
 * A policy as the engine and tools see it: its definition plus lazily built, cached machinery.
 * Reached from a {@link Policy} with {@link engineOf}.
 *
 * @example
 * engineOf(reviewApproval).version({ asOf: '2026-01-01' }).parameters['directorLimit']; //=> '500000'
 */
export interface PolicyEngine<Id extends string = string, FactsInput = unknown, Facts = unknown, Outcome = unknown, Events extends EventSchema = EventSchema> extends Policy<Id, FactsInput, Facts, Outcome, Events> {
  readonly definition: PolicyDefinition<Id, FactsInput, Facts, Outcome, Events>;
  /** The bundled rules, compiled on first use. */
  readonly compiled: () => CompiledRuleFile;
  /** The rules and parameter values that `evaluate` would use with these options. */
  readonly version: (options?: EvaluateOptions) => CompiledVersion;
  /**
   * The rules file (bundled, or from `options.rules`) and its version that `evaluate` would use
   * with these options: for tools that need the file's declarations too (the SQL compiler).
   */
  readonly resolve: (options?: EvaluateOptions) => { readonly rules: CompiledRuleFile; readonly version: CompiledVersion };
  /**
   * The rules file that `options.rules` picks for this policy (the bundled one when it names
   * none), without choosing a version: for readers of its declarations, such as `explain`'s labels.
   * Throws {@link RuleSetError} for rules that do not load.
   */
  readonly rulesFor: (rules?: unknown) => CompiledRuleFile;
}

/**
 * Builds a policy from its definition. Compiling the rules and building (and compiling) the facts
 * schema happen once, on first use, never per call; so does checking a given set of options.
 *
 * @example
 * export const reviewArbitration = definePolicy({ id: 'review.arbitration', rules, rulesFile, facts, decide });
 */
// Calling it has no side effects (policies mark their call pure, so an entry point importing one policy of an area drops the others).
// @__NO_SIDE_EFFECTS__
export function definePolicy<Id extends string, FactsInput, Facts, Outcome, Events extends EventSchema>(
  definition: PolicyDefinition<Id, FactsInput, Facts, Outcome, Events>,
): Policy<Id, FactsInput, Facts, Outcome, Events> {
  let bundled: CompiledRuleFile | undefined;
  // Each rules file's events are checked against the policy's event schema once, before first use.
  const eventsChecked = new WeakSet<CompiledRuleFile>();
  const checkEvents = (file: CompiledRuleFile): CompiledRuleFile => {
    if (eventsChecked.has(file)) return file;
    const issues = eventIssues(file, definition.event);
    if (issues.length > 0) throw new RuleSetError(issues);
    eventsChecked.add(file);
    return file;
  };
  const compiled = () => (bundled ??= checkEvents(loadRules(definition.rules, definition.rulesFile)));
  const schemas = new Map<string, z.ZodMiniType<Facts, FactsInput>>();
  const schemaFor = (context: FactsContext) => {
    const key = `${context.timeZone}\u0000${context.maxItems}`;
    let schema = schemas.get(key);
    if (!schema) {
      // With zod's ahead-of-time compiler installed (see installSchemaCompiler), the schema
      // becomes straight-line code (about 3× faster); otherwise zod's ordinary parser checks it.
      schema = schemaCompiler(definition.facts(context));
      if (schemas.size > 32) schemas.clear();
      schemas.set(key, schema);
    }
    return schema;
  };

  const resolve = (options: EvaluateOptions) => {
    const settings = readOptions(definition.id, options);
    const rules = rulesFor(definition.id, settings.rules, compiled, checkEvents);
    const version = versionAt(rules, settings.asOf);
    if (!version) {
      const first = rules.versions[0]?.from ?? '(none)';
      throw new PolicyInputError(definition.id, [optionIssue('asOf', options.asOf, `no parameters are in force on ${settings.asOf}: the first version takes effect from ${first}`, `a date on or after ${first}`)], 'INVALID_OPTIONS');
    }
    return { settings, rules, version };
  };

  const prepare = (options: EvaluateOptions = {}): PreparedEvaluate<FactsInput, Outcome> => {
    const { settings, rules, version } = resolve(options);
    const schema = schemaFor(settings);
    const firstHit = rules.spec.decision === 'first-hit';
    const nested: EvaluateOptions = { asOf: settings.asOf, timeZone: settings.timeZone, maxItems: settings.maxItems, trace: false, ...(isRuleSet(settings.rules) ? { rules: settings.rules } : {}) };
    const contextFor = (used: Set<string> | undefined): PolicyContext => ({
      timeZone: settings.timeZone,
      maxItems: settings.maxItems,
      asOf: settings.asOf,
      param: used === undefined ? (name) => version.parameters[name] : (name) => (used.add(name), version.parameters[name]),
      nested,
    });
    // Example values are rare; only then is it worth recording, per call, which parameters were read.
    const shared = version.examples.length === 0 ? contextFor(undefined) : undefined;

    return (input) => {
      const parsed = safeParseFacts(schema, input, definition.id);
      if (!parsed.success) throw new PolicyInputError(definition.id, toInputIssues(parsed.error.issues, input));
      const facts = parsed.data;
      const used = shared === undefined ? new Set<string>() : undefined;
      const context = shared ?? contextFor(used);
      const derived = definition.derive?.(facts, context);
      const view = derived === undefined ? (facts as Readonly<Record<string, unknown>>) : merge(facts as Readonly<Record<string, unknown>>, derived);
      const run = runVersion(version, view, { firstHit, trace: settings.trace });
      // The events of every rule in `rules` were checked against `definition.event` (checkEvents).
      const result = definition.decide(run.fired as readonly DecidingRule<Events>[], facts, context, derived ?? {});
      const warnings = used === undefined ? [] : exampleWarnings(version, rulesEvaluated(version, run.fired, rules.spec.decision), used);
      const decision: { -readonly [K in keyof Decision<Outcome>]: Decision<Outcome>[K] } = {
        policy: definition.id,
        asOf: settings.asOf,
        outcome: result.outcome,
        basis: result.basis ?? uniqueNames(run.fired),
        trace: run.trace,
      };
      if (warnings.length > 0) {
        decision.warnings = warnings.map((warning) => warning.message);
        decision.warningDetails = warnings;
      }
      return decision;
    };
  };

  // Callers usually pass equal options call after call; remember the last preparation. Its
  // options were checked when it was prepared; without asOf it holds for the day it was made on
  // (in its zone), so a call compares the clock with that day's ends. The memo also remembers
  // which file the rule set held for this policy: an entry replaced after first use is compiled
  // anew, so no call answers from the file it held before. (A file object itself is copied when
  // compiled: changing it afterwards never matters.)
  let last: { options: EvaluateOptions; day: ZoneDay | undefined; entry: unknown; run: PreparedEvaluate<FactsInput, Outcome> } | undefined;
  const evaluate = (input: FactsInput, options: EvaluateOptions = {}): Decision<Outcome> => {
    // Options that are not an object never reach the memo: reading them would throw a TypeError
    // (null), or match a remembered set of default options and skip their check (a string).
    if (!isOptionsObject(options)) return prepare(options)(input);
    const entry = ruleSetEntry(options.rules, definition.id);
    if (last === undefined || !sameOptions(last.options, options) || last.entry !== entry || (last.day !== undefined && !isWithin(last.day, Date.now()))) {
      const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
      const day = options.asOf === undefined && timeZoneProblem(zone) === undefined ? currentDayIn(zone) : undefined;
      last = { options: { ...options }, day, entry, run: prepare(options) };
    }
    return last.run(input);
  };

  const safeEvaluate = (input: FactsInput, options?: EvaluateOptions): SafeEvaluateResult<Outcome> => {
    try {
      return { success: true, decision: evaluate(input, options) };
    } catch (error) {
      if (error instanceof PolicyInputError) return { success: false, issues: error.issues, error };
      throw error;
    }
  };
  const policy: Policy<Id, FactsInput, Facts, Outcome, Events> = Object.freeze({ id: definition.id, evaluate, safeEvaluate, prepare });
  ENGINES.set(
    policy,
    Object.freeze({
      ...policy,
      definition,
      compiled,
      version: (options: EvaluateOptions = {}) => resolve(options).version,
      resolve: (options: EvaluateOptions = {}) => {
        const { rules, version } = resolve(options);
        return { rules, version };
      },
      rulesFor: (rules: unknown) => rulesFor(definition.id, rules, compiled, checkEvents),
    }) as unknown as PolicyEngine,
  );
  return policy;
}

const ENGINES = new WeakMap<object, PolicyEngine>();

/**
 * The engine side of a policy made by {@link definePolicy}: its definition, compiled rules and
 * the version a set of options picks, for tools (the SQL compiler, validate, docs). Throws a
 * `TypeError` for anything `definePolicy` did not make.
 *
 * @example
 * engineOf(reviewApproval).compiled().spec.policy; //=> 'review.approval'
 */
export function engineOf<Id extends string, FactsInput, Facts, Outcome, Events extends EventSchema>(policy: Policy<Id, FactsInput, Facts, Outcome, Events>): PolicyEngine<Id, FactsInput, Facts, Outcome, Events>;
/** Any policy, as the engine's loosely typed view (for a policy picked from a union of policies). */
export function engineOf(policy: { readonly id: string }): PolicyEngine;
export function engineOf(policy: { readonly id: string }): PolicyEngine {
  const engine = ENGINES.get(policy);
  if (engine === undefined) throw new TypeError('not a policy made by definePolicy');
  return engine;
}

type SchemaCompiler = <T extends z.ZodMiniType>(schema: T) => T;
let schemaCompiler: SchemaCompiler = (schema) => schema;

/**
 * Makes every policy compile its facts schemas with `compiler` (zod's ahead-of-time compiler,
 * about 3× faster checks, 7 KB gzipped): the root entry point installs it; an area entry point
 * (`sales-policies/review`), bundled for size, checks facts with zod's parser unless the app also
 * imports the root entry. Only speed differs: both accept and refuse the same facts, with the
 * same issues. Installed before first use (schemas already built keep their compiler).
 *
 * @example
 * installSchemaCompiler(compileSchema);
 */
export function installSchemaCompiler(compiler: SchemaCompiler): void {
  schemaCompiler = compiler;
}

/** Parses facts; a getter that throws, a Proxy trap or a revoked Proxy is bad input, not a crash. */
function safeParseFacts<T>(schema: { safeParse: (input: unknown) => T }, input: unknown, policy: string): T {
  try {
    return schema.safeParse(input);
  } catch (error) {
    throw new PolicyInputError(policy, [{ code: 'unreadable_facts', path: '', message: `the facts cannot be read as plain data: ${error instanceof Error ? error.message : String(error)}`, received: undefined, expected: 'plain JSON data (no getters that throw, no proxies)' }]);
  }
}

/** The facts the rules read: the checked facts and the derived ones, in one object. */
function merge(facts: Readonly<Record<string, unknown>>, derived: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // Spread defines own properties (a "__proto__" key stays data) and V8 copies it by shape, faster than a loop.
  return { ...facts, ...derived };
}

function sameOptions(a: EvaluateOptions, b: EvaluateOptions): boolean {
  return a.asOf === b.asOf && a.timeZone === b.timeZone && a.trace === b.trace && a.maxItems === b.maxItems && a.rules === b.rules;
}

interface Settings extends FactsContext {
  readonly asOf: CalendarDate;
  readonly trace: boolean;
  readonly rules: unknown;
}

function isOptionsObject(options: unknown): options is EvaluateOptions {
  return options !== null && typeof options === 'object' && !Array.isArray(options);
}

function readOptions(policy: string, options: EvaluateOptions): Settings {
  if (!isOptionsObject(options)) {
    throw new PolicyInputError(policy, [optionIssue('', options, 'options must be an object', 'an object')], 'INVALID_OPTIONS');
  }
  const issues: InputIssue[] = [];
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const zoneProblem = timeZoneProblem(timeZone);
  if (zoneProblem) issues.push(optionIssue('timeZone', options.timeZone, zoneProblem, 'an IANA time zone name'));
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  if (!Number.isSafeInteger(maxItems) || maxItems < 0) issues.push(optionIssue('maxItems', options.maxItems, 'maxItems must be a whole number ≥ 0', 'a whole number ≥ 0'));
  if (options.trace !== undefined && typeof options.trace !== 'boolean') issues.push(optionIssue('trace', options.trace, 'trace must be true or false', 'a boolean'));
  let asOf = '';
  if (options.asOf !== undefined) {
    const problem = dateProblem(options.asOf);
    if (problem) issues.push(optionIssue('asOf', options.asOf, problem, 'a date "YYYY-MM-DD" or an instant with offset'));
    else if (!zoneProblem) {
      asOf = toCalendarDate(options.asOf, timeZone);
      if (!inCalendarRange(asOf)) issues.push(optionIssue('asOf', options.asOf, `falls on ${asOf} in ${timeZone}, outside 0001-01-01 to 9999-12-31`, 'a date from 0001-01-01 to 9999-12-31'));
    }
  } else if (!zoneProblem) {
    asOf = currentDateIn(timeZone);
  }
  if (issues.length > 0) throw new PolicyInputError(policy, issues, 'INVALID_OPTIONS');
  return { timeZone, maxItems, asOf, trace: options.trace ?? true, rules: options.rules };
}

function optionIssue(name: string, received: unknown, message: string, expected: string): InputIssue {
  return { code: 'invalid_option', path: name ? `options.${name}` : 'options', message, received, expected };
}

function rulesFor(policy: string, rules: unknown, bundled: () => CompiledRuleFile, checkEvents: (file: CompiledRuleFile) => CompiledRuleFile): CompiledRuleFile {
  if (rules === undefined) return bundled();
  const own = ruleSetEntry(rules, policy);
  if (own !== NOT_A_RULE_SET) return own === undefined ? bundled() : checkEvents(customRules(policy, own, `options.rules[${JSON.stringify(policy)}]`));
  return checkEvents(customRules(policy, rules, 'options.rules'));
}

const NOT_A_RULE_SET = Symbol('not a rule set');

/** The rule set's file for `policy` (`undefined` when it has none), or NOT_A_RULE_SET; a throwing getter or Proxy trap is a RuleSetError. */
function ruleSetEntry(rules: unknown, policy: string): unknown {
  try {
    if (!isRuleSet(rules)) return NOT_A_RULE_SET;
    if (looksCompiled(rules)) {
      // Shaped like compileRuleFile's result but not made by it: trusting it would skip every check.
      throw new RuleSetError([{ code: 'not_compiled', file: 'options.rules', path: '', message: 'an object with "spec" and "versions" that compileRuleFile did not make: pass the rules file\'s JSON, or what compileRuleFile returned' }]);
    }
    return Object.prototype.hasOwnProperty.call(rules, policy) ? rules[policy] : undefined;
  } catch (error) {
    if (error instanceof RuleSetError) throw error;
    throw new RuleSetError([{ code: 'not_json', file: 'options.rules', path: policy, message: `the rule set cannot be read as plain data: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

/** A rule set is an object keyed by policy id; a single rules file has a `policy` field. */
function isRuleSet(rules: unknown): rules is Readonly<Record<string, unknown>> {
  return rules !== null && typeof rules === 'object' && !Array.isArray(rules) && !('policy' in rules) && !isCompiledRuleFile(rules);
}

function looksCompiled(rules: object): boolean {
  return 'spec' in rules || 'versions' in rules;
}

function customRules(policy: string, rules: unknown, origin: string): CompiledRuleFile {
  const compiled = loadRules(rules, origin);
  if (compiled.spec.policy !== policy) {
    throw new RuleSetError([{ code: 'wrong_policy', file: compiled.spec.file, path: 'policy', message: `this rules file is for ${JSON.stringify(compiled.spec.policy)}, not ${JSON.stringify(policy)}` }]);
  }
  return compiled;
}

function rulesEvaluated(version: CompiledVersion, fired: readonly CompiledRule[], decision: 'first-hit' | 'collect-all'): readonly CompiledRule[] {
  if (decision === 'collect-all' || fired.length === 0) return version.rules;
  return version.rules.slice(0, version.rules.indexOf(fired[0]!) + 1);
}

function exampleWarnings(version: CompiledVersion, evaluated: readonly CompiledRule[], used: Set<string>): DecisionWarning[] {
  for (const rule of evaluated) for (const name of parametersRead(rule.definition.conditions)) used.add(name);
  return version.examples
    .filter((name) => used.has(name))
    .map((name) => ({ code: 'example_parameter', parameter: name, message: `${name} is an example value, not from the source: set your organisation's own` }));
}

const parameterCache = new WeakMap<object, readonly string[]>();

function parametersRead(condition: Condition): readonly string[] {
  let names = parameterCache.get(condition);
  if (names) return names;
  const found = new Set<string>();
  for (const { leaf } of conditionLeaves(condition)) {
    if (leaf.fact.startsWith(PARAMETER_PREFIX)) found.add(leaf.fact.slice(PARAMETER_PREFIX.length));
    const value = leaf.value as { fact?: unknown } | null;
    if (value !== null && typeof value === 'object' && typeof value.fact === 'string' && value.fact.startsWith(PARAMETER_PREFIX)) {
      found.add(value.fact.slice(PARAMETER_PREFIX.length));
    }
  }
  names = [...found];
  parameterCache.set(condition, names);
  return names;
}

function uniqueNames(rules: readonly CompiledRule[]): string[] {
  return rules.length === 1 ? [rules[0]!.name] : [...new Set(rules.map((rule) => rule.name))];
}
