import type { FactView } from './compile.js';
import type { ConditionFolder } from './condition-fold.js';
import { foldCondition } from './condition-fold.js';
import { canonicalDecimal, isDecimalType } from './decimal.js';
import type { KernelContext } from './kernel.js';
import { comparisonSource } from './kernel.js';
import { comparisonFor } from './operators.js';
import { followPath } from './path.js';
import type { Condition, LeafCondition, ValueType } from './rule-file.js';
import { isFactReference, PARAMETER_PREFIX, parsePath } from './rule-paths.js';
import { traceComparison } from './comparison-trace.js';
import type { ConditionTrace } from './trace.js';

// A rule's conditions compiled to closures, for one parameter version: the fast test, the same
// test with every value recorded (the trace), and its expression for the generated kernel.

/** What compiling one version's conditions needs and collects. */
export interface CompileContext extends KernelContext {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly types: (name: string) => ValueType | undefined;
  /** Tests the generated kernel calls by position (`t[3](f)`), collected while compiling. */
  readonly tests: Test[];
}

/** A condition, compiled. */
export interface CompiledNode {
  readonly test: (facts: FactView) => boolean;
  readonly trace: (facts: FactView) => ConditionTrace;
  /** The same test as a JavaScript expression over `f` (the facts), `t` (tests) and `x` (exact comparisons). */
  readonly source: string;
  /** For an `all` group, its children's expressions: `source` is them joined with `&&`. */
  readonly conjuncts?: readonly string[];
}

/**
 * Compiles a checked condition tree for one parameter version (its values in `ctx`): closures
 * for the test and the trace, and the expression the generated kernel inlines.
 *
 * @example
 * compileCondition(rule.conditions, ctx).test({ amount: '1200000', channel: 'direct' }); //=> true
 */
export function compileCondition(condition: Condition, ctx: CompileContext): CompiledNode {
  return foldCondition(condition, compiler(ctx));
}

function compiler(ctx: CompileContext): ConditionFolder<CompiledNode> {
  const group = (kind: 'all' | 'any', children: readonly CompiledNode[], name: string | undefined): CompiledNode => {
    const tests = children.map((child) => child.test);
    const traces = children.map((child) => child.trace);
    return {
      test: kind === 'all' ? allOf(tests) : anyOf(tests),
      source: `(${children.map((child) => child.source).join(kind === 'all' ? ' && ' : ' || ')})`,
      ...(kind === 'all' ? { conjuncts: children.map((child) => child.source) } : {}),
      trace: (facts) => {
        // One pass, no callbacks: a traced call runs this for every group of every rule.
        const conditions: ConditionTrace[] = [];
        let result = kind === 'all';
        for (let i = 0; i < traces.length; i++) {
          const traced = traces[i]!(facts);
          conditions.push(traced);
          if (traced.result !== (kind === 'all')) result = kind !== 'all';
        }
        return name === undefined ? { kind, result, conditions } : { kind, name, result, conditions };
      },
    };
  };
  return {
    all: (children, node) => group('all', children, node.name),
    any: (children, node) => group('any', children, node.name),
    not: (inner, { name }) => ({
      test: (facts) => !inner.test(facts),
      source: `!${inner.source}`,
      trace: (facts) => {
        const traced = inner.trace(facts);
        return name === undefined ? { kind: 'not', result: !traced.result, condition: traced } : { kind: 'not', name, result: !traced.result, condition: traced };
      },
    }),
    fact: (leaf) => compileComparison(leaf, ctx),
  };
}

type Reader = (facts: FactView) => unknown;
/** A compiled comparison or group: does it hold on these facts? */
export type Test = (facts: FactView) => boolean;

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
  const compare = comparisonFor(leaf.operator, exact);
  return direct ? (f) => compare(f[name], literal) : (f) => compare(read(f), literal);
}

function compileComparison(leaf: LeafCondition, ctx: CompileContext): CompiledNode {
  const readFact = compileReader(leaf.fact, leaf.path, ctx);
  const factType = leaf.path === undefined ? ctx.types(leaf.fact) : undefined;
  const decimal = isDecimalType(factType);
  let valueFrom: string | undefined;
  // The value is a constant for this version (written, or a parameter), or another fact to read.
  let value: { readonly literal: { value: unknown } } | { readonly read: Reader };
  if (isFactReference(leaf.value) && leaf.value.fact.startsWith(PARAMETER_PREFIX)) {
    // A parameter is a constant for this version: compare with it as with a written value.
    const constant = compileReader(leaf.value.fact, leaf.value.path, ctx)({});
    value = { literal: { value: decimal && leaf.value.path === undefined ? canonicalLiteral(constant) : constant } };
    valueFrom = leaf.value.path === undefined ? leaf.value.fact : `${leaf.value.fact} at ${leaf.value.path}`;
  } else if (isFactReference(leaf.value)) {
    value = { read: compileReader(leaf.value.fact, leaf.value.path, ctx) };
    valueFrom = leaf.value.path === undefined ? leaf.value.fact : `${leaf.value.fact} at ${leaf.value.path}`;
  } else {
    value = { literal: { value: decimal ? canonicalLiteral(leaf.value) : leaf.value } };
  }
  const compare = comparisonFor(leaf.operator, decimal);
  if ('read' in value) {
    const { read } = value;
    const test = (facts: FactView) => compare(readFact(facts), read(facts));
    ctx.tests.push(test);
    return { test, source: `t[${ctx.tests.length - 1}](f)`, trace: traceComparison(leaf, { readFact, readValue: read, valueFrom: valueFrom!, compare }) };
  }
  const { literal } = value;
  const test = literalTest(leaf, readFact, literal.value, decimal);
  ctx.tests.push(test);
  return {
    test,
    source: comparisonSource(leaf, literal.value, decimal, ctx.tests.length - 1, ctx),
    trace: traceComparison(leaf, { readFact, literal, valueFrom, compare }),
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

function canonicalLiteral(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalDecimal(item as number | string));
  return typeof value === 'number' || typeof value === 'string' ? canonicalDecimal(value) : value;
}
