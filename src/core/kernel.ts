import { generateFunction } from './codegen.js';
import type { CompiledRule, CompiledVersion, FactView } from './compile.js';
import type { Test } from './compile-condition.js';
import { signedIntegerDigits } from './decimal.js';
import { COUNTED_ORDERING, EXACT_ORDERING, JSON_RULES_ENGINE_SEMANTICS, ORDERING_OPERATORS } from './operators.js';
import type { PathSegment } from './path.js';
import { followPath } from './path.js';
import type { LeafCondition } from './rule-file.js';
import { PARAMETER_PREFIX, parsePath } from './rule-paths.js';

// The generated kernel: a version's rules as one straight-line JavaScript function (first hit,
// all hits), built from each comparison's expression. Rules-file text reaches the code only as
// JSON.stringify'd data; anything not written inline is a call of its compiled test, `t[i](f)`.

/** What the generated code of one version collects while its comparisons are compiled. */
export interface KernelContext {
  /** Paths the generated kernel follows, by position (`p[2]`), each once per call into `m2`. */
  readonly paths: (readonly PathSegment[])[];
  readonly pathIndex: Map<string, number>;
  /** Decimal facts whose integer digits the generated kernel counts once per call into `d0`…, by name. */
  readonly counted: Map<string, number>;
}

/**
 * Compiles a version's rules into two straight-line functions (first hit, all hits), as a
 * programmer would write them by hand: about five times faster than calling the closures. Where
 * code generation is not allowed (a strict Content-Security-Policy), the closures serve instead.
 * `expressions` are each rule's conjuncts in evaluation order (see {@link comparisonSource}).
 *
 * @example
 * generateKernels([['(f["channel"] === "direct")']], [], [], 0)?.firstHit({ channel: 'direct' }); //=> 0
 */
export function generateKernels(expressions: readonly (readonly string[])[], tests: readonly Test[], paths: readonly (readonly PathSegment[])[], countedFacts: number): Pick<CompiledVersion, 'firstHit' | 'allHits'> | undefined {
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

/**
 * The closures as the kernel, where code generation is off or not allowed: the same answers,
 * rule by rule.
 *
 * @example
 * closureKernels(rules).firstHit({ amount: '1200000', channel: 'direct' }); //=> 0
 */
export function closureKernels(rules: readonly CompiledRule[]): Pick<CompiledVersion, 'firstHit' | 'allHits'> {
  return {
    firstHit: (facts) => rules.findIndex((rule) => rule.test(facts)),
    allHits: (facts) => rules.flatMap((rule, i) => (rule.test(facts) ? [i] : [])),
  };
}


/**
 * The generated expression of a comparison with a written value: plain JavaScript for equality
 * and exact decimal ordering on a fact read directly, the compiled test for anything else.
 *
 * @example
 * comparisonSource({ fact: 'channel', operator: 'equal', value: 'direct' }, 'direct', false, 0, ctx); //=> '(f["channel"] === "direct")'
 */
export function comparisonSource(leaf: LeafCondition, literal: unknown, exact: boolean, testIndex: number, ctx: KernelContext): string {
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
function pathRead(fact: string, path: string, segments: readonly PathSegment[], ctx: KernelContext): string {
  const key = `${fact}\u0000${path}`;
  let index = ctx.pathIndex.get(key);
  if (index === undefined) {
    index = ctx.paths.push(segments) - 1;
    ctx.pathIndex.set(key, index);
  }
  return `(m${index} === U ? (m${index} = x.at(f[${JSON.stringify(fact)}], p[${index}])) : m${index})`;
}

/** What the generated code reaches as `x`: path reads, json-rules-engine's comparisons and the exact orderings. */
const EXACT = {
  at: (value: unknown, segments: readonly PathSegment[]) => followPath(value, segments),
  loose: JSON_RULES_ENGINE_SEMANTICS,
  ...EXACT_ORDERING,
  digits: (value: unknown) => (typeof value === 'string' ? signedIntegerDigits(value) : 0),
  counted: COUNTED_ORDERING,
} as const;
