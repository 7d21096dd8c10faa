import type { PathSegment } from './path.js';
import type { Condition, LeafCondition } from './rule-file.js';

// The one walk of a checked condition tree. Compiling (closures, trace, generated kernel), the
// SQL compiler, validate, docs and the decision-space enumeration each fold the tree with their
// own folder instead of each writing the recursion over all / any / not / fact again. (Shared
// `{ "condition": name }` references are written out in place when the file is checked, so a
// checked tree has only these four kinds of node.)

/** What a fold does at each kind of node; children come folded, in file order. */
export interface ConditionFolder<R> {
  readonly all: (children: readonly R[], node: Extract<Condition, { all: unknown }>, path: readonly PathSegment[]) => R;
  readonly any: (children: readonly R[], node: Extract<Condition, { any: unknown }>, path: readonly PathSegment[]) => R;
  readonly not: (inner: R, node: Extract<Condition, { not: unknown }>, path: readonly PathSegment[]) => R;
  readonly fact: (leaf: LeafCondition, path: readonly PathSegment[]) => R;
}

/** Options of {@link foldCondition}. */
export interface FoldOptions<R> {
  /** The path of the root node, e.g. `['rules', 3, 'conditions']` (default `[]`): each node's path continues it. */
  readonly path?: readonly PathSegment[];
  /**
   * Results by node, reused when the same node object occurs again: a shared condition written
   * out in many places is folded once (its path is then where it was met first).
   */
  readonly memo?: Map<Condition, R> | WeakMap<Condition, R>;
}

/**
 * Folds a checked condition tree bottom-up: each node's children are folded first, in file
 * order (so leaves are met depth first, left to right), then the node's own function gets their
 * results and the node's JSON path (`rules[3].conditions.all[1]` as segments), for errors that
 * point at the node.
 *
 * @example
 * const count = foldCondition(rule.conditions, {
 *   all: (children) => children.reduce((a, b) => a + b, 0),
 *   any: (children) => children.reduce((a, b) => a + b, 0),
 *   not: (inner) => inner,
 *   fact: () => 1,
 * });
 * //=> the number of comparisons in the rule
 */
export function foldCondition<R>(condition: Condition, folder: ConditionFolder<R>, options: FoldOptions<R> = {}): R {
  const { memo } = options;
  const visit = (node: Condition, path: readonly PathSegment[]): R => {
    if (memo?.has(node)) return memo.get(node)!;
    let result: R;
    if ('all' in node) result = folder.all(node.all.map((child, i) => visit(child, [...path, 'all', i])), node, path);
    else if ('any' in node) result = folder.any(node.any.map((child, i) => visit(child, [...path, 'any', i])), node, path);
    else if ('not' in node) result = folder.not(visit(node.not, [...path, 'not']), node, path);
    else result = folder.fact(node, path);
    memo?.set(node, result);
    return result;
  };
  return visit(condition, options.path ?? []);
}

/** Which groups {@link conditionLeaves} looks inside (default all three). */
export interface LeavesOptions {
  /** Look inside `any` groups (default `true`). */
  readonly any?: boolean;
  /** Look inside `not` (default `true`). */
  readonly not?: boolean;
}

/** A comparison of a condition tree, with its path. */
export interface PathedLeaf {
  readonly leaf: LeafCondition;
  readonly path: readonly PathSegment[];
}

/**
 * The comparisons of a condition tree in file order, each with its path: every one, or (with
 * `{ any: false, not: false }`) only those every fact that fires the rule must meet, reached
 * through `all` alone.
 *
 * @example
 * conditionLeaves(rule.conditions).map(({ leaf }) => leaf.fact); //=> ['amount', 'channel']
 */
export function conditionLeaves(condition: Condition, options: LeavesOptions & { readonly path?: readonly PathSegment[] } = {}): PathedLeaf[] {
  const out: PathedLeaf[] = [];
  // Built as a list of thunks so skipped groups are dropped whole and the order stays the file's.
  const collect = foldCondition<() => void>(
    condition,
    {
      all: (children) => () => children.forEach((child) => child()),
      any: (children) => (options.any === false ? noop : () => children.forEach((child) => child())),
      not: (inner) => (options.not === false ? noop : inner),
      fact: (leaf, path) => () => out.push({ leaf, path }),
    },
    options.path === undefined ? {} : { path: options.path },
  );
  collect();
  return out;
}

const noop = (): void => {};
