import type { CalendarDate } from './dates.js';
import { canonicalDecimal, isDecimalType } from './decimal.js';
import type { PathSegment } from './path.js';
import type { ParameterVersion, RuleDefinition, RuleFile, ValueType } from './rule-file.js';
import { PARAMETER_PREFIX } from './rule-paths.js';
import { RuleSetError } from './errors.js';
import type { ConditionTrace } from './trace.js';
import type { Test } from './compile-condition.js';
import { compileCondition } from './compile-condition.js';
import { closureKernels, generateKernels } from './kernel.js';

// A checked rules file compiled once per parameter version, and how the compiled files are
// trusted (a private brand) and reached (loadRules). The conditions compile in
// compile-condition.ts, the generated kernel in kernel.ts, running them in run.ts.

export type { RunResult } from './run.js';
export { runRules, runVersion } from './run.js';

/** The facts a compiled rule reads: plain values by fact name (already validated and normalised). */
export type FactView = Readonly<Record<string, unknown>>;

/** A rule, compiled to closures for one parameter version. */
export interface CompiledRule {
  readonly name: string;
  readonly index: number;
  readonly priority: number;
  readonly definition: RuleDefinition;
  /** Does the rule fire on these facts? The fast path: no trace, short-circuits. */
  readonly test: (facts: FactView) => boolean;
  /** The same answer, with every condition's values recorded. */
  readonly trace: (facts: FactView) => ConditionTrace;
}

/** The rules of a file with one parameter version's values built in. */
export interface CompiledVersion {
  readonly from: CalendarDate;
  /** Parameter values in force; money and decimals in canonical form. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Parameters whose value is an example, not from the source. */
  readonly examples: readonly string[];
  /** Rules by priority, highest first; equal priorities keep file order. */
  readonly rules: readonly CompiledRule[];
  /** The position in `rules` of the first rule that fires, or -1: the rules compiled to one function. */
  readonly firstHit: (facts: FactView) => number;
  /** The positions in `rules` of every rule that fires, in order. */
  readonly allHits: (facts: FactView) => number[];
}

/** A rules file, checked and compiled once, ready to evaluate many times. */
export interface CompiledRuleFile {
  readonly spec: RuleFile;
  readonly versions: readonly CompiledVersion[];
}

/** Compiled files by the object they were compiled from (the loader's, and those checked at build). */
export const compiledFiles = new WeakMap<object, CompiledRuleFile>();
/** Every CompiledRuleFile this module made: the only ones trusted as compiled (never an object of the same shape). */
const madeHere = new WeakSet<object>();

/**
 * Is `value` a rules file that {@link compileRuleFile} compiled? Told by a private brand, never
 * by shape: an object with `spec` and `versions` that this package did not make is not one
 * (it would skip every check of the rules file).
 *
 * @example
 * isCompiledRuleFile(compileRuleFile(json, 'a.rules.json')); //=> true
 * isCompiledRuleFile({ spec: {}, versions: [] }); //=> false
 */
export function isCompiledRuleFile(value: unknown): value is CompiledRuleFile {
  return value !== null && typeof value === 'object' && madeHere.has(value);
}

/**
 * Compiles a checked rules file, every parameter version, and brands the result as compiled
 * here. `generate`: build the straight-line kernel (else the closures serve).
 *
 * @example
 * compileSpec(parseRuleFile(json, file), true).versions.length; //=> 1
 */
export function compileSpec(spec: RuleFile, generate: boolean): CompiledRuleFile {
  const compiled: CompiledRuleFile = Object.freeze({ spec, versions: Object.freeze(spec.parameters.map((version) => compileVersion(spec, version, generate))) });
  madeHere.add(compiled);
  return compiled;
}

/** Rules files checked by the library build (see {@link checkedAtBuild}): the only ones compiled without the loader. */
const buildChecked = new WeakSet<object>();

/**
 * Marks a rules file that the library build checked with the loader (`parseRuleFile`) and bundled
 * as its result: the build's rules plugin (tsup.config.ts) writes a call of this function around
 * each bundled file, so evaluating the bundled rules never loads the loader or its zod schema.
 * Internal: not exported by any entry point, so nothing outside this package can mark an object
 * (told by a private brand, never by shape: see {@link isCompiledRuleFile}).
 *
 * @example
 * export default checkedAtBuild({ file: 'rules/review/approval.rules.json', policy: 'review.approval', … });
 */
// @__NO_SIDE_EFFECTS__
export function checkedAtBuild(spec: RuleFile): RuleFile {
  buildChecked.add(deepFreeze(spec));
  return spec;
}

/**
 * Is `value` a rules file marked by {@link checkedAtBuild}?
 *
 * @example
 * isBuildChecked(bundledApprovalRules); //=> true
 */
export function isBuildChecked(value: unknown): value is RuleFile {
  return value !== null && typeof value === 'object' && buildChecked.has(value);
}

/**
 * Compiles a rules file checked at build, once per object.
 *
 * @example
 * compileBuildChecked(bundledApprovalRules) === compileBuildChecked(bundledApprovalRules); //=> true
 */
export function compileBuildChecked(spec: RuleFile): CompiledRuleFile {
  let compiled = compiledFiles.get(spec);
  if (!compiled) compiledFiles.set(spec, (compiled = compileSpec(spec, true)));
  return compiled;
}

type RuleLoader = (json: unknown, file: string) => CompiledRuleFile;
let ruleLoader: RuleLoader | undefined;

/**
 * Lets {@link loadRules} read rules files that are neither compiled nor checked at build: the
 * entry points that take a custom rules file as JSON (`evaluate`, `createPolicies`, `explain`)
 * install {@link compileRuleFile}; an area entry point (`sales-policies/review`) does not, so an
 * app importing only it bundles no loader.
 *
 * @example
 * installRuleLoader(compileRuleFile);
 */
export function installRuleLoader(loader: RuleLoader): void {
  ruleLoader = loader;
}

/**
 * A policy's rules, compiled: what {@link compileRuleFile} made, a bundled file checked at build,
 * or (with the loader installed) any rules file's JSON. Without the loader, JSON is refused with
 * `not_compiled`, naming the way to pass it.
 *
 * @example
 * loadRules(reviewApproval.definition.rules, 'rules/review/approval.rules.json').versions.length; //=> 1
 */
export function loadRules(json: unknown, file: string): CompiledRuleFile {
  if (isCompiledRuleFile(json)) return json;
  if (isBuildChecked(json)) return compileBuildChecked(json);
  if (ruleLoader) return ruleLoader(json, file);
  throw new RuleSetError([{ code: 'not_compiled', file, path: '', message: "this entry point bundles no rules-file loader: pass what compileRuleFile (import { compileRuleFile } from 'sales-policies') returns for the file, or evaluate through 'sales-policies'" }]);
}


/** Options of {@link compileRuleFile}. */
export interface CompileOptions {
  /**
   * Generate straight-line code for the rules (default `true`). Without it, or where the
   * environment forbids code generation, compiled closures evaluate the rules instead.
   */
  readonly generate?: boolean;
}

/**
 * The parameter version in force on `asOf`: the latest whose `from` is not after it.
 *
 * @example
 * versionAt(compiled, '2020-01-01')?.from; //=> '2017-04-26'
 */
export function versionAt(compiled: CompiledRuleFile, asOf: CalendarDate): CompiledVersion | undefined {
  let found: CompiledVersion | undefined;
  for (const version of compiled.versions) {
    if (version.from <= asOf) found = version;
    else break;
  }
  return found;
}

function compileVersion(spec: RuleFile, version: ParameterVersion, generate: boolean): CompiledVersion {
  const parameters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(version.values)) {
    const type = spec.parameterInfo[name]?.type;
    parameters[name] = isDecimalType(type) ? canonicalDecimal(value as number | string) : value;
  }
  const types = (name: string): ValueType | undefined =>
    name.startsWith(PARAMETER_PREFIX) ? spec.parameterInfo[name.slice(PARAMETER_PREFIX.length)]?.type : spec.facts[name]?.type;
  const expressions = new Map<CompiledRule, readonly string[]>();
  const tests: Test[] = [];
  const paths: (readonly PathSegment[])[] = [];
  const pathIndex = new Map<string, number>();
  const counted = new Map<string, number>();
  const rules = spec.rules
    .map((definition, index): CompiledRule => {
      const node = compileCondition(definition.conditions, { parameters, types, tests, paths, pathIndex, counted });
      const rule: CompiledRule = { name: definition.name, index, priority: definition.priority ?? 1, definition, test: node.test, trace: node.trace };
      expressions.set(rule, node.conjuncts ?? [node.source]);
      return rule;
    })
    .sort((a, b) => b.priority - a.priority || a.index - b.index);
  const kernels = (generate ? generateKernels(rules.map((rule) => expressions.get(rule)!), tests, paths, counted.size) : undefined) ?? closureKernels(rules);
  // Frozen, like the spec: what compileRuleFile vouches for cannot be swapped afterwards.
  for (const rule of rules) Object.freeze(rule);
  return Object.freeze({ from: version.from, parameters: Object.freeze(parameters), examples: version.examples, rules: Object.freeze(rules), ...kernels });
}

/**
 * Freezes a JSON value and everything in it, in place; returns it.
 *
 * @example
 * Object.isFrozen(deepFreeze({ a: [1] }).a); //=> true
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
