import type * as z from 'zod/mini';
import type { CompiledRuleFile, CompiledVersion } from './compile.js';
import type { CalendarDate } from './dates.js';
import type { InputIssue, PolicyInputError } from './errors.js';
import type { EventSchema, DecidingRule } from './event.js';
import type { FactsContext } from './facts.js';
import type { RuleTrace } from './trace.js';

// The types of a policy and its engine (what definePolicy, in policy.ts, makes).
// Doc links name the error classes, imported as types only.
export type { PolicyInputError };

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
   * that does not fit is a `RuleSetError` with the file and JSON path, never a surprise at
   * evaluation.
   */
  readonly event: Events;
  /** Facts the rules use that are computed from the input (counts, comparisons). */
  readonly derive?: (facts: Facts, context: PolicyContext) => Readonly<Record<string, unknown>>;
  /**
   * Instead of `derive`: the whole object the rules read, every checked fact and the derived ones,
   * built by the policy as one object literal. The engine otherwise merges `{ ...facts, ...derived }`
   * per call, which is slow when the checked facts come in many shapes (optional fields given or
   * not): 400 ns of commission.allocation's 2.6 µs. `decide` receives it as `derived`.
   */
  readonly view?: (facts: Facts, context: PolicyContext) => Readonly<Record<string, unknown>>;
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
   * Throws `RuleSetError` for rules that do not load.
   */
  readonly rulesFor: (rules?: unknown) => CompiledRuleFile;
}

