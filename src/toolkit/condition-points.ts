import type { CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import { conditionLeaves, foldCondition } from '../core/condition-fold.js';
import { canonicalDecimal, decimalProblem, isDecimalType } from '../core/decimal.js';
import { comparisonFor } from '../core/operators.js';
import type { PathSegment } from '../core/path.js';
import type { Condition, LeafCondition } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX, parsePath } from '../core/rule-file.js';
import type { Dimension } from './dimensions.js';
import { ASSEMBLED, resolveValue } from './dimensions.js';
import type { PointSet } from './point-set.js';
import { intersect } from './point-set.js';

// Where in a decision space a rule's conditions can hold: the points of each dimension its
// comparisons allow, so cells are tested only against rules that may fire there.

/**
 * For each dimension the rule's `all` conditions test directly, the points where every such test holds.
 *
 * @example
 * restrictedPoints(rule.definition.conditions, dimensions, new Set(), compiled, version).get(0); //=> { from: 4, to: 9 }
 */
export function restrictedPoints(node: Condition, dimensions: readonly Dimension[], assembled: ReadonlySet<number>, compiled: CompiledRuleFile, version: CompiledVersion): Map<number, PointSet> {
  const allowed = new Map<number, PointSet>();
  for (const { leaf } of conditionLeaves(node, { any: false, not: false })) {
    // A value read at a path inside a parameter is left unfiled here (the rule is tested everywhere).
    const ok = isFactReference(leaf.value) && leaf.value.path !== undefined ? undefined : leafPoints(leaf, dimensions, compiled, version);
    // A whole fact also read through paths is assembled from other dimensions: not one dimension alone.
    if (ok === undefined || assembled.has(ok.index)) continue;
    const previous = allowed.get(ok.index);
    allowed.set(ok.index, previous === undefined ? ok.points : intersect(previous, ok.points));
  }
  return allowed;
}

/**
 * The dimensions of whole object facts assembled from the paths read inside them.
 *
 * @example
 * assembledDimensions(dimensions); //=> Set { 2 }
 */
export function assembledDimensions(dimensions: readonly Dimension[]): Set<number> {
  const out = new Set<number>();
  dimensions.forEach((d, i) => d.points.some((point) => point.value === ASSEMBLED) && out.add(i));
  return out;
}

/** The dimension a leaf tests and the points where it holds, or `undefined` when it does not test one dimension alone. */
function leafPoints(leaf: LeafCondition, dimensions: readonly Dimension[], compiled: CompiledRuleFile, version: CompiledVersion): { index: number; points: PointSet } | undefined {
  if (leaf.fact.startsWith(PARAMETER_PREFIX) || (isFactReference(leaf.value) && !leaf.value.fact.startsWith(PARAMETER_PREFIX))) return undefined;
  const path = leaf.path === undefined ? undefined : parsePath(leaf.path);
  const index = dimensions.findIndex((d) => d.fact === leaf.fact && samePath(d.path, path));
  if (index === -1) return undefined;
  const dimension = dimensions[index]!;
  const declaration = leaf.path === undefined ? compiled.spec.facts[leaf.fact] : undefined;
  const decimal = isDecimalType(declaration?.type);
  const literal = resolveValue(leaf.value, version);
  const compareWith = decimal ? canonicalOf(literal) : literal;
  return { index, points: pointsWhere(dimension, declaration?.type, leaf.operator, compareWith, decimal) };
}

/**
 * The points of a dimension where a comparison holds. On a numeric dimension (points ascending)
 * an ordering holds on a prefix or a suffix, found by bisection, so filing every rule stays
 * near-linear as thresholds (and points) grow with the rules.
 */
function pointsWhere(dimension: Dimension, type: string | undefined, operator: LeafCondition['operator'], compareWith: unknown, decimal: boolean): PointSet {
  const test = (p: number) => holds(operator, dimension.points[p]!.value, compareWith, decimal);
  const numeric = type === 'money' || type === 'decimal' || type === 'integer';
  const n = dimension.points.length;
  if (numeric && (operator === 'lessThan' || operator === 'lessThanInclusive' || operator === 'greaterThan' || operator === 'greaterThanInclusive')) {
    const prefix = operator === 'lessThan' || operator === 'lessThanInclusive';
    // The first point where the test stops (prefix) or starts (suffix) holding.
    let low = 0;
    let high = n;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (test(middle) === prefix) low = middle + 1;
      else high = middle;
    }
    return prefix ? { from: 0, to: low } : { from: low, to: n };
  }
  const out: number[] = [];
  for (let p = 0; p < n; p++) if (dimension.points[p]!.value !== ASSEMBLED && test(p)) out.push(p);
  return out;
}

/**
 * The comparisons a cell must meet to fire the rule, along one branch of each `any` (chosen with
 * `random`, outer groups first, in file order) and none under `not`: built once per rule, called
 * once per targeted sample.
 *
 * @example
 * satisfyingLeaves(rule.conditions)(Math.random).map((leaf) => leaf.fact); //=> ['amount', 'channel']
 */
export function satisfyingLeaves(node: Condition): (random: () => number) => LeafCondition[] {
  type Choose = (random: () => number, into: LeafCondition[]) => void;
  const choose = foldCondition<Choose>(node, {
    all: (children) => (random, into) => children.forEach((child) => child(random, into)),
    any: (children) => (random, into) => children[Math.floor(random() * children.length)]!(random, into),
    not: () => () => {},
    fact: (leaf) => (_random, into) => into.push(leaf),
  });
  return (random) => {
    const into: LeafCondition[] = [];
    choose(random, into);
    return into;
  };
}

/**
 * For the chosen comparisons of a rule (see {@link satisfyingLeaves}), the points of each
 * dimension that satisfy them.
 *
 * @example
 * satisfyingPoints(satisfyingLeaves(rule.conditions)(random), dimensions, compiled, version).get(0); //=> { from: 4, to: 9 }
 */
export function satisfyingPoints(leaves: readonly LeafCondition[], dimensions: readonly Dimension[], compiled: CompiledRuleFile, version: CompiledVersion): Map<number, PointSet> {
  const allowed = new Map<number, PointSet>();
  for (const leaf of leaves) {
    const ok = leafPoints(leaf, dimensions, compiled, version);
    if (ok === undefined) continue;
    const previous = allowed.get(ok.index);
    allowed.set(ok.index, previous === undefined ? ok.points : intersect(previous, ok.points));
  }
  return allowed;
}

/**
 * Does the condition hold an `any` group anywhere? Then the comparisons a targeted sample meets may vary with the branch chosen.
 *
 * @example
 * hasAny({ all: [{ any: [leaf, other] }] }); //=> true
 */
export function hasAny(node: Condition): boolean {
  return foldCondition<boolean>(node, { all: (children) => children.some(Boolean), any: () => true, not: (inner) => inner, fact: () => false });
}

function holds(operator: LeafCondition['operator'], value: unknown, compareWith: unknown, decimal: boolean): boolean {
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(compareWith)) return false;
  return comparisonFor(operator, decimal)(value, compareWith);
}

function canonicalOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalOf);
  return typeof value === 'number' || typeof value === 'string' ? (decimalProblem(value) === undefined ? canonicalDecimal(value) : value) : value;
}

function samePath(a: readonly PathSegment[] | undefined, b: readonly PathSegment[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

