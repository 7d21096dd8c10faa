import * as z from 'zod/mini';
import type { CompiledRule, CompiledRuleFile } from './compile.js';
import { runVersion, versionAt } from './compile.js';
import type { ZoneDay } from './dates.js';
import { currentDayIn, DEFAULT_TIME_ZONE, isWithin, timeZoneProblem } from './dates.js';
import type { DecidingRule, EventSchema } from './event.js';
import { eventIssues } from './event.js';
import { PolicyInputError, RuleSetError } from './errors.js';
import { exampleWarnings, rulesEvaluated } from './example-warnings.js';
import type { FactsContext } from './facts.js';
import { toInputIssues } from './facts.js';
import type { FactShape } from './facts-schema.js';
import { factSchema, factShape } from './facts-schema.js';
import type { FactDeclaration, NestedDeclaration } from './fact-declaration.js';
import type { FactsChecker } from './facts-checker.js';
import { isOptionsObject, optionIssue, readOptions, sameOptions } from './policy-options.js';
import type { Decision, EvaluateOptions, Policy, PolicyContext, PolicyDefinition, PolicyEngine, PreparedEvaluate, SafeEvaluateResult } from './policy-types.js';
import { isRuleSet, ruleSetEntry, rulesFor } from './rule-set-entry.js';
import { loadRules } from './compile.js';

export { DEFAULT_MAX_ITEMS } from './policy-options.js';
export type { Decision, DecisionWarning, EvaluateOptions, Policy, PolicyContext, PolicyDefinition, PolicyEngine, PolicyResult, PreparedEvaluate, SafeEvaluateResult } from './policy-types.js';

/**
 * The facts a rules file declares, as schemas built by core: `schema`, the strict object of every
 * fact the caller gives; `shape`, each of those facts' schemas, for a policy that builds its own
 * object from them.
 */
export interface DeclaredFacts {
  readonly schema: z.ZodMiniObject;
  readonly shape: FactShape;
}

/**
 * How a policy's facts schema comes from its rules file: given what the `facts` block declares,
 * the schema `evaluate` checks facts with. Most policies take the declared schema as it is
 * ({@link declaredFacts}); one may add what JSON cannot say (facts that apply only with some
 * values of another).
 */
export type FactsFromRules<Facts, FactsInput> = (declared: DeclaredFacts, context: FactsContext) => z.ZodMiniType<Facts, FactsInput>;

/**
 * The facts schema exactly as the rules file declares it, typed with the facts types generated
 * from that file (`npm run generate`): JSON imports are not typed literally, so the types come
 * from the generated module. Pass it instantiated, not called (`declaredFacts<In, Out>`), so a
 * bundler still sees the policy's definition as pure.
 *
 * @example
 * definePolicy({ id: 'review.approval', rules, rulesFile, facts: declaredFacts<ReviewApprovalFacts, ReviewApprovalCheckedFacts>, event, decide });
 */
export function declaredFacts<FactsInput, Facts = FactsInput>(declared: DeclaredFacts): z.ZodMiniType<Facts, FactsInput> {
  return declared.schema as unknown as z.ZodMiniType<Facts, FactsInput>;
}

/** What {@link definePolicy} takes: a {@link PolicyDefinition} whose facts schema comes from its rules file. */
export interface PolicySource<Id extends string, FactsInput, Facts, Outcome, Events extends EventSchema> extends Omit<PolicyDefinition<Id, FactsInput, Facts, Outcome, Events>, 'facts'> {
  readonly facts: FactsFromRules<Facts, FactsInput>;
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
  source: PolicySource<Id, FactsInput, Facts, Outcome, Events>,
): Policy<Id, FactsInput, Facts, Outcome, Events> {
  let bundled: CompiledRuleFile | undefined;
  // Each rules file's events are checked against the policy's event schema once, before first use.
  const eventsChecked = new WeakSet<CompiledRuleFile>();
  const checkEvents = (file: CompiledRuleFile): CompiledRuleFile => {
    if (eventsChecked.has(file)) return file;
    const issues = eventIssues(file, source.event);
    if (issues.length > 0) throw new RuleSetError(issues);
    eventsChecked.add(file);
    return file;
  };
  const compiled = () => (bundled ??= checkEvents(loadRules(source.rules, source.rulesFile)));
  // The schema is built from the bundled file's checked `facts` block (a bad block is a RuleSetError on first use).
  const definition: PolicyDefinition<Id, FactsInput, Facts, Outcome, Events> = {
    ...source,
    facts: (context) => {
      const shape = factShape(compiled().spec.facts, context);
      return source.facts({ schema: z.strictObject(shape), shape }, context);
    },
  };
  const schemas = new Map<string, FactsParser<Facts>>();
  const schemaFor = (context: FactsContext) => {
    const key = `${context.timeZone}\u0000${context.maxItems}`;
    let schema = schemas.get(key);
    if (!schema) {
      // Facts exactly as the rules file declares them are checked by the library's own checker
      // where it is installed (see installFactsChecker); otherwise, and for a policy that adds to
      // the declared schema, by zod's parser.
      schema = checkers && source.facts === declaredFacts ? (checkers.facts(compiled().spec.facts, context) as FactsParser<Facts>) : definition.facts(context);
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

    const runOptions = { firstHit, trace: settings.trace };
    const { view: ownView } = definition;

    return (input) => {
      const parsed = safeParseFacts(() => schema.safeParse(input), definition.id);
      if (!parsed.success) throw new PolicyInputError(definition.id, toInputIssues(parsed.error.issues, input));
      const facts = parsed.data;
      const used = shared === undefined ? new Set<string>() : undefined;
      const context = shared ?? contextFor(used);
      const derived = (ownView ?? definition.derive)?.(facts, context);
      const view = derived === undefined ? (facts as Readonly<Record<string, unknown>>) : ownView ? derived : merge(facts as Readonly<Record<string, unknown>>, derived);
      const run = runVersion(version, view, runOptions);
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

/** What checks facts: zod's schema, or the library's own checker ({@link installFactsChecker}). */
export type FactsParser<T> = FactsChecker<T> | z.ZodMiniType<T>;

/** The library's own facts checker, for facts exactly as a rules file declares them. */
export interface FactsCheckers {
  /** The check of a `facts` block. */
  readonly facts: (facts: Readonly<Record<string, FactDeclaration>>, context: FactsContext) => FactsChecker;
  /** The check of one declared value (a list fact's item). */
  readonly value: (declaration: NestedDeclaration, context: FactsContext) => FactsChecker;
}

let checkers: FactsCheckers | undefined;

/**
 * Makes every policy whose facts are its rules file's `facts` block (all but follow-up.escalation)
 * check them with the library's own checker (facts-checker.ts): built once from the declarations
 * (each object's fields in one generated function, closures where code generation is not
 * allowed), faster than zod's parser and than its compiled schemas. The root entry point installs it; an area
 * entry point (`sales-policies/review`), bundled for size, checks facts with zod's parser, which it
 * needs anyway, unless the app also imports the root entry. Only speed differs: both accept and
 * refuse the same facts, with the same issues (a property test holds them to it). Installed before
 * first use (checks already built stay as they are).
 *
 * @example
 * installFactsChecker({ facts: factsChecker, value: valueChecker });
 */
export function installFactsChecker(installed: FactsCheckers): void {
  checkers = installed;
}

/**
 * The check of one declared value, by the installed checker (see {@link installFactsChecker}) or
 * zod's: for part of the facts checked many times (a streamed order).
 *
 * @example
 * const order = valueParser<DailyReportOrder>(items, context);
 */
export function valueParser<T>(declaration: NestedDeclaration, context: FactsContext): FactsParser<T> {
  return (checkers ? checkers.value(declaration, context) : factSchema(declaration, context)) as FactsParser<T>;
}

/** Parses facts; a getter that throws, a Proxy trap or a revoked Proxy is bad input, not a crash. */
function safeParseFacts<T>(parse: () => T, policy: string): T {
  try {
    return parse();
  } catch (error) {
    throw new PolicyInputError(policy, [{ code: 'unreadable_facts', path: '', message: `the facts cannot be read as plain data: ${error instanceof Error ? error.message : String(error)}`, received: undefined, expected: 'plain JSON data (no getters that throw, no proxies)' }]);
  }
}

/** The facts the rules read: the checked facts and the derived ones, in one object. */
function merge(facts: Readonly<Record<string, unknown>>, derived: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // Spread defines own properties (a "__proto__" key stays data) and V8 copies it by shape, faster than a loop.
  return { ...facts, ...derived };
}


function uniqueNames(rules: readonly CompiledRule[]): string[] {
  return rules.length === 1 ? [rules[0]!.name] : [...new Set(rules.map((rule) => rule.name))];
}
