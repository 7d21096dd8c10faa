import type { CalendarDate } from './dates.js';
import { canonicalDecimal, compareCanonical } from './decimal.js';
import type { Operator } from './operators.js';
import { JSON_RULES_ENGINE_SEMANTICS, ORDERING_OPERATORS } from './operators.js';
import type { PathSegment } from './path.js';
import type { Condition, LeafCondition, ParameterVersion, RuleDefinition, RuleFile, ValueType } from './rule-file.js';
import { isFactReference, PARAMETER_PREFIX, parsePath, parseRuleFile } from './rule-file.js';
import type { ComparisonTrace, ConditionTrace, RuleTrace } from './trace.js';

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

const compiledFiles = new WeakMap<object, CompiledRuleFile>();

/**
 * Checks and compiles a rules file (parsed JSON) once; the same object is compiled only once.
 * Throws {@link RuleSetError} for any problem, with the file and JSON path.
 *
 * @example
 * const compiled = compileRuleFile(approvalJson, 'rules/review/approval.rules.json');
 * compiled.versions[0]?.from; //=> '2017-04-26'
 */
export function compileRuleFile(json: unknown, file: string): CompiledRuleFile {
  if (json !== null && typeof json === 'object') {
    const cached = compiledFiles.get(json);
    if (cached && cached.spec.file === file) return cached;
  }
  // A private deep copy: later changes to the caller's object cannot reach compiled closures.
  const spec = deepFreeze(parseRuleFile(structuredClone(json), file));
  const compiled: CompiledRuleFile = { spec, versions: spec.parameters.map((version) => compileVersion(spec, version)) };
  if (json !== null && typeof json === 'object') compiledFiles.set(json, compiled);
  return compiled;
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

function compileVersion(spec: RuleFile, version: ParameterVersion): CompiledVersion {
  const parameters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(version.values)) {
    const type = spec.parameterInfo[name]?.type;
    parameters[name] = isDecimalType(type) ? canonicalDecimal(value as number | string) : value;
  }
  const types = (name: string): ValueType | undefined =>
    name.startsWith(PARAMETER_PREFIX) ? spec.parameterInfo[name.slice(PARAMETER_PREFIX.length)]?.type : spec.facts[name]?.type;
  const rules = spec.rules
    .map((definition, index): CompiledRule => {
      const node = compileCondition(definition.conditions, { parameters, types });
      return { name: definition.name, index, priority: definition.priority ?? 1, definition, test: node.test, trace: node.trace };
    })
    .sort((a, b) => b.priority - a.priority || a.index - b.index);
  return { from: version.from, parameters, examples: version.examples, rules };
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
    trace.push({ rule: rule.name, index: rule.index, priority: rule.priority, fired: conditions.result, conditions, ...(source ? { source } : {}) });
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
}

interface CompiledNode {
  readonly test: (facts: FactView) => boolean;
  readonly trace: (facts: FactView) => ConditionTrace;
}

function compileCondition(condition: Condition, ctx: CompileContext): CompiledNode {
  if ('all' in condition || 'any' in condition) {
    const kind = 'all' in condition ? 'all' : 'any';
    const children = ('all' in condition ? condition.all : condition.any).map((child) => compileCondition(child, ctx));
    const tests = children.map((child) => child.test);
    const test = kind === 'all' ? (facts: FactView) => tests.every((t) => t(facts)) : (facts: FactView) => tests.some((t) => t(facts));
    return {
      test,
      trace: (facts) => {
        const conditions = children.map((child) => child.trace(facts));
        const result = kind === 'all' ? conditions.every((c) => c.result) : conditions.some((c) => c.result);
        return { kind, result, conditions };
      },
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, ctx);
    return {
      test: (facts) => !inner.test(facts),
      trace: (facts) => {
        const traced = inner.trace(facts);
        return { kind: 'not', result: !traced.result, condition: traced };
      },
    };
  }
  return compileComparison(condition, ctx);
}

type Reader = (facts: FactView) => unknown;

function compileComparison(leaf: LeafCondition, ctx: CompileContext): CompiledNode {
  const readFact = compileReader(leaf.fact, leaf.path, ctx);
  const factType = leaf.path === undefined ? ctx.types(leaf.fact) : undefined;
  const decimal = isDecimalType(factType);
  let readValue: Reader;
  let valueFrom: string | undefined;
  if (isFactReference(leaf.value)) {
    readValue = compileReader(leaf.value.fact, leaf.value.path, ctx);
    valueFrom = leaf.value.path === undefined ? leaf.value.fact : `${leaf.value.fact} at ${leaf.value.path}`;
  } else {
    const literal = decimal ? canonicalLiteral(leaf.value) : leaf.value;
    readValue = () => literal;
  }
  const compare = decimal && ORDERING_OPERATORS.has(leaf.operator) ? exactOrdering(leaf.operator) : JSON_RULES_ENGINE_SEMANTICS[leaf.operator];
  const test = (facts: FactView) => compare(readFact(facts), readValue(facts));
  return {
    test,
    trace: (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      const trace: ComparisonTrace = {
        kind: 'fact',
        result: compare(factValue, value),
        fact: leaf.fact,
        ...(leaf.path === undefined ? {} : { path: leaf.path }),
        operator: leaf.operator,
        factValue,
        value,
        ...(valueFrom === undefined ? {} : { valueFrom }),
      };
      return trace;
    },
  };
}

/** Reads a fact, or a parameter (a constant for this version), then follows `path` the way json-rules-engine does. */
function compileReader(fact: string, path: string | undefined, ctx: CompileContext): Reader {
  const segments = path === undefined ? undefined : parsePath(path);
  if (fact.startsWith(PARAMETER_PREFIX)) {
    const constant = followPath(ctx.parameters[fact.slice(PARAMETER_PREFIX.length)], segments);
    return () => constant;
  }
  if (segments === undefined) return (facts) => (Object.prototype.hasOwnProperty.call(facts, fact) ? facts[fact] : undefined);
  return (facts) => followPath(Object.prototype.hasOwnProperty.call(facts, fact) ? facts[fact] : undefined, segments);
}

// json-rules-engine applies a path only to objects; any other value is returned as it is.
function followPath(value: unknown, segments: readonly PathSegment[] | undefined): unknown {
  if (segments === undefined || value === null || typeof value !== 'object') return value;
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || current === undefined) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function exactOrdering(operator: Operator): (a: unknown, b: unknown) => boolean {
  const loose = JSON_RULES_ENGINE_SEMANTICS[operator];
  switch (operator) {
    case 'lessThan':
      return (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) < 0 : loose(a, b));
    case 'lessThanInclusive':
      return (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) <= 0 : loose(a, b));
    case 'greaterThan':
      return (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) > 0 : loose(a, b));
    default:
      return (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) >= 0 : loose(a, b));
  }
}

function canonicalLiteral(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalDecimal(item as number | string));
  return canonicalDecimal(value as number | string);
}

function isDecimalType(type: ValueType | undefined): boolean {
  return type === 'money' || type === 'decimal';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
