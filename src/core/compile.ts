import { generateFunction } from './codegen.js';
import type { CalendarDate } from './dates.js';
import { canonicalDecimal, compareCounted, signedIntegerDigits } from './decimal.js';
import type { Operator } from './operators.js';
import { EXACT_ORDERING, isOrderingOperator, JSON_RULES_ENGINE_SEMANTICS, ORDERING_OPERATORS } from './operators.js';
import type { PathSegment } from './path.js';
import { followPath } from './path.js';
import type { Condition, FactReference, LeafCondition, ParameterVersion, RuleDefinition, RuleFile, ValueType } from './rule-file.js';
import { isFactReference, PARAMETER_PREFIX, parsePath } from './rule-paths.js';
import { RuleSetError } from './errors.js';
import type { ComparisonTrace, ConditionTrace, Missing, RuleTrace } from './trace.js';

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

/** The outcome of running a version's rules on facts. */
export interface RunResult {
  /** Rules that fired, highest priority first (file order within a priority). */
  readonly fired: readonly CompiledRule[];
  /** Every rule evaluated, in evaluation order, when a trace was asked for; else empty. */
  readonly trace: readonly RuleTrace[];
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

export function isBuildChecked(value: unknown): value is RuleFile {
  return value !== null && typeof value === 'object' && buildChecked.has(value);
}

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
 * Compiles a version's rules into two straight-line functions (first hit, all hits), as a
 * programmer would write them by hand: about five times faster than calling the closures. Where
 * code generation is not allowed (a strict Content-Security-Policy), the closures serve instead.
 */
function generateKernels(expressions: readonly (readonly string[])[], tests: readonly Test[], paths: readonly (readonly PathSegment[])[], countedFacts: number): Pick<CompiledVersion, 'firstHit' | 'allHits'> | undefined {
  const first = sharedTests(expressions.map((conjuncts, index) => ({ conjuncts, index })), (i) => `return ${i};`);
  const all = sharedTests(expressions.map((conjuncts, index) => ({ conjuncts, index })), (i) => `r.push(${i});`);
  // One local per path, "not read yet" until the first rule that needs it reads it.
  // Likewise one per decimal fact compared with a threshold: its integer digits, counted once.
  const names = [...paths.map((_, i) => `m${i} = U`), ...Array.from({ length: countedFacts }, (_, i) => `d${i} = U`)];
  const locals = names.length === 0 ? '' : `let ${names.join(', ')};\n`;
  const make = generateFunction(
    ['t', 'x', 'p', 'U'],
    `"use strict";\nreturn [function firstHit(f) {\n${locals}${first}\nreturn -1;\n}, function allHits(f) {\n${locals}const r = [];\n${all}\nreturn r;\n}];`,
  ) as
    | ((tests: readonly Test[], exact: typeof EXACT, paths: readonly (readonly PathSegment[])[], unread: object) => [(facts: FactView) => number, (facts: FactView) => number[]])
    | undefined;
  if (!make) return undefined;
  const [firstHit, allHits] = make(tests, EXACT, paths, Object.freeze({}));
  return { firstHit, allHits };
}

/**
 * The rules as nested ifs: consecutive rules whose conditions begin with the same test share one
 * `if` for it (a decision tree), so it runs once, not once per rule; the rest of each rule's
 * conditions follow inside, in order, and are factored the same way. Conditions have no side
 * effects, so for first hit and for collect-all this fires exactly the rules the straight-line
 * code does; without shared tests it is the straight-line code.
 */
function sharedTests(rules: readonly { readonly conjuncts: readonly string[]; readonly index: number }[], hit: (index: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < rules.length; ) {
    const { conjuncts, index } = rules[i]!;
    const head = conjuncts[0];
    let end = i + 1;
    while (head !== undefined && end < rules.length && rules[end]!.conjuncts[0] === head) end++;
    if (end - i >= 2) {
      out.push(`if (${head}) {\n${sharedTests(rules.slice(i, end).map((rule) => ({ conjuncts: rule.conjuncts.slice(1), index: rule.index })), hit)}\n}`);
    } else {
      out.push(conjuncts.length === 0 ? hit(index) : `if (${conjuncts.join(' && ')}) ${hit(index)}`);
    }
    i = end;
  }
  return out.join('\n');
}

function closureKernels(rules: readonly CompiledRule[]): Pick<CompiledVersion, 'firstHit' | 'allHits'> {
  return {
    firstHit: (facts) => rules.findIndex((rule) => rule.test(facts)),
    allHits: (facts) => rules.flatMap((rule, i) => (rule.test(facts) ? [i] : [])),
  };
}

/**
 * Runs a compiled version's rules through its generated kernel. The same answer as
 * {@link runRules} on `version.rules`, faster; with a trace it is `runRules` itself.
 *
 * @example
 * runVersion(version, { amount: '1200000', channel: 'direct' }, { firstHit: true, trace: false }).fired[0]?.name; //=> 'REV-6.2'
 */
export function runVersion(version: CompiledVersion, facts: FactView, options: { readonly firstHit: boolean; readonly trace: boolean }): RunResult {
  if (options.trace) return runRules(version.rules, facts, options);
  if (options.firstHit) {
    const hit = version.firstHit(facts);
    return { fired: hit === -1 ? [] : [version.rules[hit]!], trace: [] };
  }
  return { fired: version.allHits(facts).map((i) => version.rules[i]!), trace: [] };
}

/**
 * Runs compiled rules on facts. `firstHit` stops at the first rule that fires (rules are in
 * priority order); otherwise every rule is evaluated (collect-all).
 *
 * @example
 * runRules(version.rules, { amount: '1200000', channel: 'direct' }, { firstHit: true, trace: false }).fired[0]?.name; //=> 'REV-6.2'
 */
export function runRules(rules: readonly CompiledRule[], facts: FactView, options: { readonly firstHit: boolean; readonly trace: boolean }): RunResult {
  const fired: CompiledRule[] = [];
  if (!options.trace) {
    for (const rule of rules) {
      if (rule.test(facts)) {
        fired.push(rule);
        if (options.firstHit) break;
      }
    }
    return { fired, trace: [] };
  }
  const trace: RuleTrace[] = [];
  for (const rule of rules) {
    const conditions = rule.trace(facts);
    const source = rule.definition.source;
    trace.push(
      source === undefined
        ? { rule: rule.name, index: rule.index, priority: rule.priority, fired: conditions.result, conditions }
        : { rule: rule.name, index: rule.index, priority: rule.priority, fired: conditions.result, conditions, source },
    );
    if (conditions.result) {
      fired.push(rule);
      if (options.firstHit) break;
    }
  }
  return { fired, trace };
}

interface CompileContext {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly types: (name: string) => ValueType | undefined;
  /** Tests the generated kernel calls by position (`t[3](f)`), collected while compiling. */
  readonly tests: Test[];
  /** Paths the generated kernel follows, by position (`p[2]`), each once per call into `m2`. */
  readonly paths: (readonly PathSegment[])[];
  readonly pathIndex: Map<string, number>;
  /** Decimal facts whose integer digits the generated kernel counts once per call into `d0`…, by name. */
  readonly counted: Map<string, number>;
}

interface CompiledNode {
  readonly test: (facts: FactView) => boolean;
  readonly trace: (facts: FactView) => ConditionTrace;
  /** The same test as a JavaScript expression over `f` (the facts), `t` (tests) and `x` (exact comparisons). */
  readonly source: string;
  /** For an `all` group, its children's expressions: `source` is them joined with `&&`. */
  readonly conjuncts?: readonly string[];
}

function compileCondition(condition: Condition, ctx: CompileContext): CompiledNode {
  if ('all' in condition || 'any' in condition) {
    const kind = 'all' in condition ? 'all' : 'any';
    const children = ('all' in condition ? condition.all : condition.any).map((child) => compileCondition(child, ctx));
    const tests = children.map((child) => child.test);
    const test = kind === 'all' ? allOf(tests) : anyOf(tests);
    const name = condition.name;
    return {
      test,
      source: `(${children.map((child) => child.source).join(kind === 'all' ? ' && ' : ' || ')})`,
      ...(kind === 'all' ? { conjuncts: children.map((child) => child.source) } : {}),
      trace: (facts) => {
        const conditions = children.map((child) => child.trace(facts));
        const result = kind === 'all' ? conditions.every((c) => c.result) : conditions.some((c) => c.result);
        return name === undefined ? { kind, result, conditions } : { kind, name, result, conditions };
      },
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, ctx);
    const name = condition.name;
    return {
      test: (facts) => !inner.test(facts),
      source: `!${inner.source}`,
      trace: (facts) => {
        const traced = inner.trace(facts);
        return name === undefined ? { kind: 'not', result: !traced.result, condition: traced } : { kind: 'not', name, result: !traced.result, condition: traced };
      },
    };
  }
  return compileComparison(condition, ctx);
}

type Reader = (facts: FactView) => unknown;
type Test = (facts: FactView) => boolean;

// Closures of fixed arity stay monomorphic and inline well; a loop serves the rare long groups.
function allOf(tests: readonly Test[]): Test {
  const [a, b, c, d] = tests;
  switch (tests.length) {
    case 1:
      return a!;
    case 2:
      return (f) => a!(f) && b!(f);
    case 3:
      return (f) => a!(f) && b!(f) && c!(f);
    case 4:
      return (f) => a!(f) && b!(f) && c!(f) && d!(f);
    default:
      return (f) => {
        for (const t of tests) if (!t(f)) return false;
        return true;
      };
  }
}

function anyOf(tests: readonly Test[]): Test {
  const [a, b, c] = tests;
  switch (tests.length) {
    case 1:
      return a!;
    case 2:
      return (f) => a!(f) || b!(f);
    case 3:
      return (f) => a!(f) || b!(f) || c!(f);
    default:
      return (f) => {
        for (const t of tests) if (t(f)) return true;
        return false;
      };
  }
}

/** The fast test of a comparison with a written value: specialised for the common operators. */
function literalTest(leaf: LeafCondition, read: Reader, literal: unknown, exact: boolean): Test {
  const name = leaf.fact;
  const direct = leaf.path === undefined && !name.startsWith(PARAMETER_PREFIX) && !(name in Object.prototype);
  if (leaf.operator === 'equal') return direct ? (f) => f[name] === literal : (f) => read(f) === literal;
  if (leaf.operator === 'notEqual') return direct ? (f) => f[name] !== literal : (f) => read(f) !== literal;
  const compare = exact && isOrderingOperator(leaf.operator) ? EXACT_ORDERING[leaf.operator] : JSON_RULES_ENGINE_SEMANTICS[leaf.operator];
  return direct ? (f) => compare(f[name], literal) : (f) => compare(read(f), literal);
}

/**
 * The generated expression of a comparison with a written value: plain JavaScript for equality
 * and exact decimal ordering on a fact read directly, the compiled test for anything else.
 */
function comparisonSource(leaf: LeafCondition, literal: unknown, exact: boolean, testIndex: number, ctx: CompileContext): string {
  const name = leaf.fact;
  const direct = leaf.path === undefined && !name.startsWith(PARAMETER_PREFIX) && !(name in Object.prototype);
  const primitive = isPrimitiveLiteral(literal);
  // A path into a fact read directly: json-rules-engine's own path semantics, called inline.
  const segments = leaf.path === undefined ? undefined : parsePath(leaf.path);
  const viaPath = segments !== undefined && !name.startsWith(PARAMETER_PREFIX) && !(name in Object.prototype);
  const read = viaPath ? pathRead(name, leaf.path!, segments, ctx) : `f[${JSON.stringify(name)}]`;
  if (!direct && !viaPath) return `t[${testIndex}](f)`;
  if (primitive && leaf.operator === 'equal') return `(${read} === ${JSON.stringify(literal)})`;
  if (primitive && leaf.operator === 'notEqual') return `(${read} !== ${JSON.stringify(literal)})`;
  // "in" is indexOf, so ===: for a short list of primitives, the same as a chain of === (NaN,
  // which no JSON list holds, is never found either way).
  if ((leaf.operator === 'in' || leaf.operator === 'notIn') && Array.isArray(literal) && literal.length > 0 && literal.length <= 16 && literal.every(isPrimitiveLiteral)) {
    const items = literal.map((item) => `${read} ${leaf.operator === 'in' ? '===' : '!=='} ${JSON.stringify(item)}`);
    return `(${items.join(leaf.operator === 'in' ? ' || ' : ' && ')})`;
  }
  if (exact && typeof literal === 'string' && ORDERING_OPERATORS.has(leaf.operator) && direct) {
    // The threshold's integer digits are counted here, once; the fact's once per call.
    let local = ctx.counted.get(name);
    if (local === undefined) ctx.counted.set(name, (local = ctx.counted.size));
    const digits = `(d${local} === U ? (d${local} = x.digits(${read})) : d${local})`;
    return `x.counted.${leaf.operator}(${read}, ${digits}, ${JSON.stringify(literal)}, ${signedIntegerDigits(literal)})`;
  }
  if (!exact && typeof literal === 'number' && primitive && direct && ORDERING_OPERATORS.has(leaf.operator)) {
    // A count against a number: JavaScript's own operator, as json-rules-engine applies it to two numbers.
    const operator = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' }[leaf.operator as 'lessThan'];
    return `(typeof ${read} === "number" ? ${read} ${operator} ${JSON.stringify(literal)} : x.loose.${leaf.operator}(${read}, ${JSON.stringify(literal)}))`;
  }
  if (!exact && primitive && ORDERING_OPERATORS.has(leaf.operator)) return `x.loose.${leaf.operator}(${read}, ${JSON.stringify(literal)})`;
  return `t[${testIndex}](f)`;
}

/** A value whose JSON text, in generated code, is the same value again. */
function isPrimitiveLiteral(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0));
}

/**
 * A path read in the generated kernel: followed at most once per call, on first use (rules often
 * test several fields of one object, and several rules the same field), then read from a local.
 */
function pathRead(fact: string, path: string, segments: readonly PathSegment[], ctx: CompileContext): string {
  const key = `${fact}\u0000${path}`;
  let index = ctx.pathIndex.get(key);
  if (index === undefined) {
    index = ctx.paths.push(segments) - 1;
    ctx.pathIndex.set(key, index);
  }
  return `(m${index} === U ? (m${index} = x.at(f[${JSON.stringify(fact)}], p[${index}])) : m${index})`;
}

function compileComparison(leaf: LeafCondition, ctx: CompileContext): CompiledNode {
  const readFact = compileReader(leaf.fact, leaf.path, ctx);
  const factType = leaf.path === undefined ? ctx.types(leaf.fact) : undefined;
  const decimal = isDecimalType(factType);
  let readValue: Reader;
  let valueFrom: string | undefined;
  let literal: { value: unknown } | undefined;
  if (isFactReference(leaf.value) && leaf.value.fact.startsWith(PARAMETER_PREFIX)) {
    // A parameter is a constant for this version: compare with it as with a written value.
    const constant = compileReader(leaf.value.fact, leaf.value.path, ctx)({});
    literal = { value: decimal && leaf.value.path === undefined ? canonicalLiteral(constant) : constant };
    readValue = () => literal!.value;
    valueFrom = leaf.value.path === undefined ? leaf.value.fact : `${leaf.value.fact} at ${leaf.value.path}`;
  } else if (isFactReference(leaf.value)) {
    readValue = compileReader(leaf.value.fact, leaf.value.path, ctx);
    valueFrom = leaf.value.path === undefined ? leaf.value.fact : `${leaf.value.fact} at ${leaf.value.path}`;
  } else {
    literal = { value: decimal ? canonicalLiteral(leaf.value) : leaf.value };
    readValue = () => literal!.value;
  }
  const compare = decimal && isOrderingOperator(leaf.operator) ? EXACT_ORDERING[leaf.operator] : JSON_RULES_ENGINE_SEMANTICS[leaf.operator];
  const test = literal === undefined ? (facts: FactView) => compare(readFact(facts), readValue(facts)) : literalTest(leaf, readFact, literal.value, decimal);
  ctx.tests.push(test);
  return {
    test,
    source: literal === undefined ? `t[${ctx.tests.length - 1}](f)` : comparisonSource(leaf, literal.value, decimal, ctx.tests.length - 1, ctx),
    trace: markTrace(leaf, isFactReference(leaf.value) ? leaf.value : undefined, makeTrace(leaf, valueFrom, readFact, readValue, compare)),
  };
}

/**
 * Adds to a comparison's trace what {@link makeTrace} leaves to the rare case: the condition's
 * name, and a missing fact marked as missing (`missing: 'fact' | 'path'`) instead of shown as the
 * value `undefined`. The common trace, a named-less comparison of present values, is returned as
 * it is.
 */
function markTrace(leaf: LeafCondition, reference: FactReference | undefined, trace: (facts: FactView) => ComparisonTrace): (facts: FactView) => ComparisonTrace {
  const { name } = leaf;
  // A parameter always has a value in its version: only a path into it can miss.
  const missing = (facts: FactView, fact: string, path: string | undefined): Missing =>
    fact.startsWith(PARAMETER_PREFIX) || (path !== undefined && ownFact(facts, fact) !== undefined) ? 'path' : 'fact';
  return (facts) => {
    const traced = trace(facts);
    const factMissing = traced.factValue === undefined;
    const valueMissing = reference !== undefined && traced.value === undefined;
    if (!factMissing && !valueMissing && name === undefined) return traced;
    const { factValue, value, ...rest } = traced;
    return {
      ...(name === undefined ? {} : { name }),
      ...rest,
      ...(factMissing ? { missing: missing(facts, leaf.fact, leaf.path) } : { factValue }),
      ...(valueMissing ? { valueMissing: missing(facts, reference.fact, reference.path) } : { value }),
    };
  };
}

function ownFact(facts: FactView, fact: string): unknown {
  return Object.prototype.hasOwnProperty.call(facts, fact) || !(fact in Object.prototype) ? facts[fact] : undefined;
}

/**
 * The trace of a comparison. Each of the four shapes (with or without `path`, `valueFrom`) is a
 * fixed object literal chosen once, at compile time: building it with conditional spreads made
 * tracing four times slower on rules with many conditions.
 */
function makeTrace(leaf: LeafCondition, valueFrom: string | undefined, readFact: Reader, readValue: Reader, compare: (a: unknown, b: unknown) => boolean): (facts: FactView) => ComparisonTrace {
  const { fact, operator, path } = leaf;
  if (path === undefined && valueFrom === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      return { kind: 'fact', result: compare(factValue, value), fact, operator, factValue, value };
    };
  }
  if (path === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      return { kind: 'fact', result: compare(factValue, value), fact, operator, factValue, value, valueFrom: valueFrom! };
    };
  }
  if (valueFrom === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      return { kind: 'fact', result: compare(factValue, value), fact, path, operator, factValue, value };
    };
  }
  return (facts) => {
    const factValue = readFact(facts);
    const value = readValue(facts);
    return { kind: 'fact', result: compare(factValue, value), fact, path, operator, factValue, value, valueFrom };
  };
}

/** Reads a fact, or a parameter (a constant for this version), then follows `path` the way json-rules-engine does. */
function compileReader(fact: string, path: string | undefined, ctx: CompileContext): Reader {
  const segments = path === undefined ? undefined : parsePath(path);
  if (fact.startsWith(PARAMETER_PREFIX)) {
    const constant = followPath(ctx.parameters[fact.slice(PARAMETER_PREFIX.length)], segments);
    return () => constant;
  }
  // Facts are plain objects: only a name that Object.prototype also has needs the own-property check.
  // A path starts from the fact read the same way (as json-rules-engine and the generated kernel do).
  const read: Reader = fact in Object.prototype ? (facts) => (Object.prototype.hasOwnProperty.call(facts, fact) ? facts[fact] : undefined) : (facts) => facts[fact];
  if (segments === undefined) return read;
  return (facts) => followPath(read(facts), segments);
}

const EXACT = {
  at: (value: unknown, segments: readonly PathSegment[]) => followPath(value, segments),
  loose: JSON_RULES_ENGINE_SEMANTICS,
  ...EXACT_ORDERING,
  digits: (value: unknown) => (typeof value === 'string' ? signedIntegerDigits(value) : 0),
  counted: {
    lessThan: countedOrdering('lessThan'),
    lessThanInclusive: countedOrdering('lessThanInclusive'),
    greaterThan: countedOrdering('greaterThan'),
    greaterThanInclusive: countedOrdering('greaterThanInclusive'),
  },
} as const;

type CountedOrdering = (a: unknown, aDigits: number, b: string, bDigits: number) => boolean;

/** {@link EXACT_ORDERING} against a canonical threshold, both integer-digit counts given. */
function countedOrdering(operator: Operator): CountedOrdering {
  const loose = JSON_RULES_ENGINE_SEMANTICS[operator];
  switch (operator) {
    case 'lessThan':
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) < 0 : loose(a, b));
    case 'lessThanInclusive':
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) <= 0 : loose(a, b));
    case 'greaterThan':
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) > 0 : loose(a, b));
    default:
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) >= 0 : loose(a, b));
  }
}

function canonicalLiteral(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalDecimal(item as number | string));
  return typeof value === 'number' || typeof value === 'string' ? canonicalDecimal(value) : value;
}

function isDecimalType(type: ValueType | undefined): boolean {
  return type === 'money' || type === 'decimal';
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
