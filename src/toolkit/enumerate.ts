import type { CompiledRule, CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import { EXACT_ORDERING, isOrderingOperator, JSON_RULES_ENGINE_SEMANTICS } from '../core/operators.js';
import type { PathSegment } from '../core/path.js';
import { canonicalDecimal, compareCanonical, decimalProblem } from '../core/decimal.js';
import { Dec } from '../core/money.js';
import { safeJson } from '../core/errors.js';
import type { Condition, FactDeclaration, LeafCondition } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX, parsePath } from '../core/rule-file.js';

/** One value a dimension takes in the enumeration, with the class of inputs it stands for. */
export interface DimensionPoint {
  readonly value: unknown;
  /** How a person names the class: `amount in (500000, 3000000)`, `channel=direct`. */
  readonly label: string;
}

/** A fact (or a path inside one) the rules read, and the values that split its range where the rules do. */
export interface Dimension {
  readonly fact: string;
  /** For a value inside an object fact: the path the conditions read, e.g. `['referrerAgentContacted']`. */
  readonly path?: readonly PathSegment[];
  /** Points in ascending order for numeric facts (false before true for booleans). */
  readonly points: readonly DimensionPoint[];
  readonly ordered: boolean;
}

/** One cell of the decision space: a value for every dimension. */
export interface Cell {
  readonly facts: Readonly<Record<string, unknown>>;
  /** Index into each dimension's points. */
  readonly coordinates: readonly number[];
  readonly label: string;
}

/** What the rules decide in one cell. */
export interface CellResult {
  readonly cell: Cell;
  /** Every rule that fires, highest priority first. */
  readonly fired: readonly CompiledRule[];
  /** The rules that decide: the first hit, or every fired rule for collect-all. */
  readonly deciding: readonly CompiledRule[];
}

/** The decision space of one parameter version: its dimensions and the results of the cells checked. */
export interface DecisionSpace {
  readonly dimensions: readonly Dimension[];
  readonly results: readonly CellResult[];
  /** Set when the space was too large to enumerate and was sampled instead. */
  readonly sampled?: {
    readonly total: number;
    readonly checked: number;
    /** Sampled because checking every cell against its candidate rules would pass the work bound ({@link MAX_RULE_TESTS}), or the rules are too many for a full sample each. */
    readonly workBound?: true;
  };
}

/**
 * Spaces up to this many cells are enumerated in full; larger ones are sampled.
 *
 * @example
 * space.sampled === undefined; //=> true when a space has at most MAX_CELLS cells
 */
export const MAX_CELLS = 200_000;
const RANDOM_SAMPLES = 20_000;
const SAMPLES_PER_RULE = 1_000;
const LINES_PER_MONOTONE_AXIS = 500;

/** Marks an object fact whose value is assembled from the dimensions of the paths read inside it. */
const ASSEMBLED = Symbol('assembled from paths');

/**
 * Splits every fact the rules read where the conditions split it (each threshold, just below,
 * just above; every enum value; both booleans; each value read inside an object fact), crosses
 * the dimensions, and evaluates the rules in every cell. A space too large to enumerate is
 * sampled instead: random cells, cells built to satisfy each rule's conditions, and whole lines
 * along each monotone fact. Facts computed by the policy (`derived`) are enumerated like any other.
 *
 * @example
 * const space = enumerateDecisionSpace(compiled, compiled.versions[0]!);
 * space.results.filter((r) => r.deciding.length === 0); // the gaps
 */
export function enumerateDecisionSpace(compiled: CompiledRuleFile, version: CompiledVersion, options: { readonly maxRuleTests?: number } = {}): DecisionSpace {
  const dimensions = dimensionsOf([{ compiled, version }]);
  const index = candidateIndex(dimensions, compiled, version);
  const total = dimensions.reduce((product, d) => product * d.points.length, 1);
  // The work bound: cells times the rules each cell is tested against. Past it, sample.
  const exact = total <= MAX_CELLS && index.work(total) <= (options.maxRuleTests ?? MAX_RULE_TESTS);
  const { cells } = enumerateCells([{ compiled, version }], { targeted: true, dimensions, sample: !exact });
  const firstHit = compiled.spec.decision === 'first-hit';
  const results = cells.map((cell): CellResult => {
    const fired = index.candidates(cell.coordinates).filter((rule) => rule.test(cell.facts));
    return { cell, fired, deciding: firstHit ? fired.slice(0, 1) : fired };
  });
  if (exact) return { dimensions, results };
  // Sampled because of the rules' number (not only the cells'): the work bound, which validate reports.
  const bound = index.work(Math.min(total, MAX_CELLS)) > (options.maxRuleTests ?? MAX_RULE_TESTS) || version.rules.length > (MAX_SAMPLED_CELLS - RANDOM_SAMPLES) / SAMPLES_PER_RULE;
  return { dimensions, results, sampled: { total, checked: cells.length, ...(bound ? { workBound: true as const } : {}) } };
}

/**
 * At most this many rule tests (cells times the candidate rules of each) are run to check one
 * parameter version exactly; a larger space is sampled and says so.
 *
 * @example
 * space.sampled !== undefined; //=> true when checking every cell would take more rule tests than this
 */
export const MAX_RULE_TESTS = 50_000_000;
/** How many cells a sampled space checks at most (random and targeted together). */
const MAX_SAMPLED_CELLS = 200_000;

/**
 * The rules each cell must be tested against: a rule whose conditions (through `all` alone)
 * restrict a dimension to some of its points can fire only in cells at one of those points, so
 * it is filed under the dimension where it allows the fewest; rules restricting nothing are
 * tested everywhere. Candidates come back in the rules' evaluation order, so `fired` is the
 * same as running every rule.
 */
function candidateIndex(dimensions: readonly Dimension[], compiled: CompiledRuleFile, version: CompiledVersion) {
  const everywhere: number[] = [];
  const byPoint = dimensions.map((d) => d.points.map((): number[] => []));
  let filed = 0; // sum over filed rules of the share of cells they are candidates in
  const assembled = assembledDimensions(dimensions);
  version.rules.forEach((rule, position) => {
    const allowed = restrictedPoints(rule.definition.conditions, dimensions, assembled, compiled, version);
    let best: [number, PointSet] | undefined;
    const share = (axis: number, points: PointSet) => sizeOf(points) / dimensions[axis]!.points.length;
    for (const [axis, points] of allowed) if (share(axis, points) < (best ? share(...best) : 1)) best = [axis, points];
    if (!best) everywhere.push(position);
    else {
      for (const point of membersOf(best[1])) byPoint[best[0]]![point]!.push(position);
      filed += share(...best);
    }
  });
  return {
    work: (cells: number) => cells * (everywhere.length + filed) + cells,
    candidates: (coordinates: readonly number[]): CompiledRule[] => {
      const positions = [...everywhere];
      coordinates.forEach((c, axis) => positions.push(...byPoint[axis]![c]!));
      if (positions.length !== everywhere.length) positions.sort((a, b) => a - b);
      return positions.map((p) => version.rules[p]!);
    },
  };
}

/** For each dimension the rule's `all` conditions test directly, the points where every such test holds. */
function restrictedPoints(node: Condition, dimensions: readonly Dimension[], assembled: ReadonlySet<number>, compiled: CompiledRuleFile, version: CompiledVersion): Map<number, PointSet> {
  const allowed = new Map<number, PointSet>();
  const visit = (current: Condition): void => {
    if ('all' in current) current.all.forEach(visit);
    else if ('any' in current || 'not' in current) return;
    else {
      const ok = leafPoints(current as LeafCondition, dimensions, compiled, version);
      // A whole fact also read through paths is assembled from other dimensions: not one dimension alone.
      if (ok === undefined || assembled.has(ok.index)) return;
      const previous = allowed.get(ok.index);
      allowed.set(ok.index, previous === undefined ? ok.points : intersect(previous, ok.points));
    }
  };
  visit(node);
  return allowed;
}

function assembledDimensions(dimensions: readonly Dimension[]): Set<number> {
  const out = new Set<number>();
  dimensions.forEach((d, i) => d.points.some((point) => point.value === ASSEMBLED) && out.add(i));
  return out;
}

/** The dimension a leaf tests and the points where it holds, or `undefined` when it does not test one dimension alone. */
function leafPoints(leaf: LeafCondition, dimensions: readonly Dimension[], compiled: CompiledRuleFile, version: CompiledVersion): { index: number; points: PointSet } | undefined {
  if (leaf.fact.startsWith(PARAMETER_PREFIX) || isFactReference(leaf.value) && !leaf.value.fact.startsWith(PARAMETER_PREFIX)) return undefined;
  if (isFactReference(leaf.value) && leaf.value.path !== undefined) return undefined;
  const path = leaf.path === undefined ? undefined : parsePath(leaf.path);
  const index = dimensions.findIndex((d) => d.fact === leaf.fact && samePath(d.path, path));
  if (index === -1) return undefined;
  const dimension = dimensions[index]!;
  const declaration = leaf.path === undefined ? compiled.spec.facts[leaf.fact] : undefined;
  const decimal = declaration?.type === 'money' || declaration?.type === 'decimal';
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

/** Points of one dimension: a run `[from, to)` (what an ordering allows) or ascending indices. */
type PointSet = { readonly from: number; readonly to: number } | readonly number[];

function sizeOf(points: PointSet): number {
  return 'from' in points ? Math.max(0, points.to - points.from) : points.length;
}

function membersOf(points: PointSet): readonly number[] {
  return 'from' in points ? Array.from({ length: sizeOf(points) }, (_, i) => points.from + i) : points;
}

/** The i-th member, without listing a run. */
function memberAt(points: PointSet, i: number): number {
  return 'from' in points ? points.from + i : points[i]!;
}

function intersect(a: PointSet, b: PointSet): PointSet {
  if ('from' in a && 'from' in b) return { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
  if ('from' in a) return (b as readonly number[]).filter((p) => p >= a.from && p < a.to);
  if ('from' in b) return a.filter((p) => p >= b.from && p < b.to);
  return intersectSorted(a, b);
}

/** The common members of two ascending arrays of point indices. */
function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

/**
 * The cells of the decision space of one or more rule files (for `diff`, the old and the new
 * together, so both sets of thresholds split the ranges), without evaluating them. All of them
 * when there are at most {@link MAX_CELLS}, else a deterministic sample.
 *
 * @example
 * enumerateCells([{ compiled: before, version: v1 }, { compiled: after, version: v2 }]).cells.length;
 */
export function enumerateCells(
  sources: readonly { compiled: CompiledRuleFile; version: CompiledVersion }[],
  options: { readonly targeted?: boolean; readonly dimensions?: Dimension[]; readonly sample?: boolean } = {},
): { dimensions: Dimension[]; cells: Cell[]; total: number } {
  const dimensions = options.dimensions ?? dimensionsOf(sources);
  const total = dimensions.reduce((product, d) => product * d.points.length, 1);
  const build = (coordinates: readonly number[]) => cellAt(dimensions, coordinates);
  if (!(options.sample ?? total > MAX_CELLS)) {
    const cells: Cell[] = [];
    const coordinates = dimensions.map(() => 0);
    for (let n = 0; n < total; n++) {
      cells.push(build(coordinates));
      for (let i = dimensions.length - 1; i >= 0; i--) {
        coordinates[i]!++;
        if (coordinates[i]! < dimensions[i]!.points.length) break;
        coordinates[i] = 0;
      }
    }
    return { dimensions, cells, total };
  }
  // Too many to enumerate: a seeded sample, so two runs report the same findings.
  const random = seededRandom(0x5a1e5);
  const pick = (n: number) => Math.floor(random() * n);
  const seen = new Map<string, Cell>();
  const add = (coordinates: readonly number[]) => {
    const key = coordinates.join(',');
    if (!seen.has(key)) seen.set(key, build(coordinates));
  };
  for (let n = 0; n < RANDOM_SAMPLES; n++) add(dimensions.map((d) => pick(d.points.length)));
  if (options.targeted) {
    const rules = sources.reduce((n, { compiled }) => n + compiled.spec.rules.length, 0);
    // Each rule's share of the sample shrinks as the rules grow, so the sample stays bounded.
    const perRule = Math.max(4, Math.min(SAMPLES_PER_RULE, Math.floor((MAX_SAMPLED_CELLS - RANDOM_SAMPLES) / Math.max(1, rules))));
    for (const { compiled, version } of sources) {
      for (const rule of compiled.spec.rules) {
        const fixed = hasAny(rule.conditions) ? undefined : satisfyingPoints(rule.conditions, dimensions, compiled, version, random);
        for (let n = 0; n < perRule; n++) {
          const allowed = fixed ?? satisfyingPoints(rule.conditions, dimensions, compiled, version, random);
          add(dimensions.map((d, i) => {
            const choices = allowed.get(i);
            return choices && sizeOf(choices) > 0 ? memberAt(choices, pick(sizeOf(choices))) : pick(d.points.length);
          }));
        }
      }
      for (const monotone of compiled.spec.monotone) {
        const axis = dimensions.findIndex((d) => d.fact === monotone.fact && d.path === undefined);
        if (axis === -1) continue;
        const lines = Math.max(1, Math.min(LINES_PER_MONOTONE_AXIS, Math.floor(MAX_SAMPLED_CELLS / 4 / dimensions[axis]!.points.length)));
        for (let n = 0; n < lines; n++) {
          const base = dimensions.map((d) => pick(d.points.length));
          for (let p = 0; p < dimensions[axis]!.points.length; p++) add(base.map((c, i) => (i === axis ? p : c)));
        }
      }
    }
  }
  return { dimensions, cells: [...seen.values()], total };
}

function cellAt(dimensions: readonly Dimension[], coordinates: readonly number[]): Cell {
  const facts: Record<string, unknown> = {};
  const assembled = new Set<string>();
  const labels: string[] = [];
  // Whole facts first, then the values read inside the object facts that are given as objects.
  dimensions.forEach((dimension, i) => {
    if (dimension.path !== undefined) return;
    const point = dimension.points[coordinates[i]!]!;
    if (point.value === ASSEMBLED) {
      assembled.add(dimension.fact);
      facts[dimension.fact] = {};
    } else if (point.value !== undefined) facts[dimension.fact] = point.value;
  });
  dimensions.forEach((dimension, i) => {
    const point = dimension.points[coordinates[i]!]!;
    labels.push(point.label);
    if (dimension.path !== undefined && assembled.has(dimension.fact) && point.value !== undefined) {
      setAt(facts[dimension.fact] as Record<string, unknown>, dimension.path, point.value);
    }
  });
  return { facts, coordinates: [...coordinates], label: labels.join(', ') || '(no facts)' };
}

function setAt(object: Record<string, unknown>, path: readonly PathSegment[], value: unknown): void {
  let current: Record<string | number, unknown> = object;
  path.forEach((segment, i) => {
    if (i === path.length - 1) current[segment] = value;
    else {
      const next = current[segment];
      current = (next !== null && typeof next === 'object' ? next : (current[segment] = typeof path[i + 1] === 'number' ? [] : {})) as Record<string | number, unknown>;
    }
  });
}

/** For the rule's conditions, the points of each dimension that satisfy its comparisons (one branch of each `any`). */
function satisfyingPoints(node: Condition, dimensions: readonly Dimension[], compiled: CompiledRuleFile, version: CompiledVersion, random: () => number): Map<number, PointSet> {
  const allowed = new Map<number, PointSet>();
  const visit = (current: Condition): void => {
    if ('all' in current) current.all.forEach(visit);
    else if ('any' in current) visit(current.any[Math.floor(random() * current.any.length)]!);
    else if ('not' in current) return;
    else {
      const leaf = current as LeafCondition;
      if (leaf.fact.startsWith(PARAMETER_PREFIX) || (isFactReference(leaf.value) && !leaf.value.fact.startsWith(PARAMETER_PREFIX))) return;
      const path = leaf.path === undefined ? undefined : parsePath(leaf.path);
      const index = dimensions.findIndex((d) => d.fact === leaf.fact && samePath(d.path, path));
      if (index === -1) return;
      const declaration = leaf.path === undefined ? compiled.spec.facts[leaf.fact] : undefined;
      const decimal = declaration?.type === 'money' || declaration?.type === 'decimal';
      const literal = resolveValue(leaf.value, version);
      const compareWith = decimal ? canonicalOf(literal) : literal;
      const ok = pointsWhere(dimensions[index]!, declaration?.type, leaf.operator, compareWith, decimal);
      const previous = allowed.get(index);
      allowed.set(index, previous === undefined ? ok : intersect(previous, ok));
    }
  };
  visit(node);
  return allowed;
}

function hasAny(node: Condition): boolean {
  if ('all' in node) return node.all.some(hasAny);
  if ('any' in node) return true;
  if ('not' in node) return hasAny(node.not);
  return false;
}

function holds(operator: LeafCondition['operator'], value: unknown, compareWith: unknown, decimal: boolean): boolean {
  if (decimal && isOrderingOperator(operator)) return EXACT_ORDERING[operator](value, compareWith);
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(compareWith)) return false;
  return JSON_RULES_ENGINE_SEMANTICS[operator](value, compareWith);
}

function canonicalOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalOf);
  return typeof value === 'number' || typeof value === 'string' ? (decimalProblem(value) === undefined ? canonicalDecimal(value) : value) : value;
}

function samePath(a: readonly PathSegment[] | undefined, b: readonly PathSegment[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The dimensions of one version's decision space (each fact the rules read, split where they
 * split it), without building or evaluating the cells.
 *
 * @example
 * decisionDimensions(compiled, compiled.versions[0]!).map((d) => d.fact); //=> ['amount', 'channel', 'disputed', …]
 */
export function decisionDimensions(compiled: CompiledRuleFile, version: CompiledVersion): Dimension[] {
  return dimensionsOf([{ compiled, version }]);
}

/**
 * Merges cells that differ only in one dimension and together cover all its values into one cell
 * where that dimension is "any" (-1), so a finding reads "amount = 3000000, channel=direct" rather
 * than sixteen lines, one per combination of the facts that do not matter.
 *
 * @example
 * mergeCells(space.dimensions, gaps.map((r) => r.cell.coordinates)); //=> [[3, 0, -1, -1, -1, -1]]
 */
export function mergeCells(dimensions: readonly Dimension[], cells: readonly (readonly number[])[]): number[][] {
  // Points that name the same class (500000.01 and 999999.99 are both "in (500000, 1000000)") count once.
  const { classOf, classCount } = classesOf(dimensions);
  const unique = new Map<string, number[]>();
  for (const cell of cells) {
    const normal = cell.map((c, i) => (c === -1 ? -1 : classOf[i]![c]!));
    unique.set(normal.join(','), normal);
  }
  let current = [...unique.values()];
  dimensions.forEach((_dimension, axis) => {
    const groups = new Map<string, number[][]>();
    for (const cell of current) {
      const key = cell.map((c, i) => (i === axis ? '*' : c)).join(',');
      const group = groups.get(key);
      if (group) group.push(cell);
      else groups.set(key, [cell]);
    }
    current = [...groups.values()].flatMap((group) => {
      const values = new Set(group.map((cell) => cell[axis]));
      return values.size === classCount[axis] && !values.has(-1) ? [group[0]!.map((c, i) => (i === axis ? -1 : c))] : group;
    });
  });
  return current;
}

const classCache = new WeakMap<readonly Dimension[], { classOf: number[][]; classCount: number[] }>();

/** For each dimension, the first point of each point's class (by label), and how many classes: once per space, as mergeCells runs once per finding. */
function classesOf(dimensions: readonly Dimension[]): { classOf: number[][]; classCount: number[] } {
  const cached = classCache.get(dimensions);
  if (cached) return cached;
  const classOf = dimensions.map((d) => {
    const first = new Map<string, number>();
    return d.points.map((p, index) => {
      if (!first.has(p.label)) first.set(p.label, index);
      return first.get(p.label)!;
    });
  });
  const classes = { classOf, classCount: classOf.map((c) => new Set(c).size) };
  classCache.set(dimensions, classes);
  return classes;
}

/**
 * Names a (possibly merged) cell by the classes of the facts that matter.
 *
 * @example
 * describeCell(dimensions, [3, 0, -1]); //=> 'amount = 3000000, channel=direct'
 */
export function describeCell(dimensions: readonly Dimension[], coordinates: readonly number[]): string {
  const parts = coordinates.flatMap((c, i) => (c === -1 ? [] : [dimensions[i]!.points[c]!.label]));
  return parts.length === 0 ? 'every combination of facts' : parts.join(', ');
}

interface Comparison {
  readonly operator: string;
  readonly value: unknown;
}

function dimensionsOf(sources: readonly { compiled: CompiledRuleFile; version: CompiledVersion }[]): Dimension[] {
  const groups = new Map<string, { fact: string; path: PathSegment[] | undefined; comparisons: Comparison[] }>();
  const declarations = new Map<string, FactDeclaration>();
  const note = (fact: string, path: string | undefined, comparison: Comparison) => {
    if (fact.startsWith(PARAMETER_PREFIX)) return;
    const segments = path === undefined ? undefined : parsePath(path);
    const key = `${fact}\u0000${segments?.join('\u0000') ?? ''}`;
    const group = groups.get(key) ?? { fact, path: segments, comparisons: [] };
    group.comparisons.push(comparison);
    groups.set(key, group);
  };
  for (const { compiled, version } of sources) {
    const visit = (node: Condition): void => {
      if ('all' in node) node.all.forEach(visit);
      else if ('any' in node) node.any.forEach(visit);
      else if ('not' in node) visit(node.not);
      else {
        const leaf = node as LeafCondition;
        note(leaf.fact, leaf.path, { operator: leaf.operator, value: resolveValue(leaf.value, version) });
        if (isFactReference(leaf.value)) note(leaf.value.fact, leaf.value.path, { operator: 'reference', value: undefined });
      }
    };
    for (const rule of compiled.spec.rules) visit(rule.conditions);
    for (const [name, declaration] of Object.entries(compiled.spec.facts)) if (!declarations.has(name)) declarations.set(name, declaration);
  }
  const withPaths = new Set([...groups.values()].filter((g) => g.path !== undefined).map((g) => g.fact));
  // An object fact read through paths also needs a whole-fact dimension, to be present at all.
  for (const fact of withPaths) {
    const key = `${fact}\u0000`;
    if (!groups.has(key)) groups.set(key, { fact, path: undefined, comparisons: [] });
  }
  return [...groups.values()]
    .sort((a, b) => (a.fact === b.fact ? (a.path?.join('.') ?? '').localeCompare(b.path?.join('.') ?? '') : a.fact < b.fact ? -1 : 1))
    .map((group) => {
      if (group.path !== undefined) return pathDimension(group.fact, group.path, group.comparisons);
      const dimension = dimensionOf(group.fact, declarations.get(group.fact), group.comparisons);
      if (!withPaths.has(group.fact)) return dimension;
      // Whole-fact values the conditions name (null, …), plus "an object built from the paths".
      const points = dimension.points.filter((p) => p.value !== undefined);
      return { ...dimension, points: [...points, { value: ASSEMBLED, label: `${group.fact} given` }] };
    });
}

/** A value read inside an object fact: the literals compared with, the other boolean, and absent. */
function pathDimension(fact: string, path: readonly PathSegment[], comparisons: readonly Comparison[]): Dimension {
  const name = `${fact}.${path.join('.')}`;
  const literal = literalDimension(name, comparisons);
  const values = literal.points.map((p) => p.value);
  const points = [...literal.points];
  for (const value of values) {
    if (typeof value === 'boolean' && !values.includes(!value)) points.splice(points.length - 1, 0, { value: !value, label: `${name}=${!value}` });
  }
  return { fact, path, ordered: false, points };
}

function resolveValue(value: unknown, version: CompiledVersion): unknown {
  if (isFactReference(value) && value.fact.startsWith(PARAMETER_PREFIX) && value.path === undefined) {
    return version.parameters[value.fact.slice(PARAMETER_PREFIX.length)];
  }
  return isFactReference(value) ? undefined : value;
}

function dimensionOf(fact: string, declaration: FactDeclaration | undefined, comparisons: readonly Comparison[]): Dimension {
  const type = declaration?.type;
  if (type === 'boolean') {
    return { fact, ordered: true, points: [false, true].map((value) => ({ value, label: `${fact}=${value}` })) };
  }
  if (type === 'string' && declaration?.values) {
    return { fact, ordered: false, points: declaration.values.map((value) => ({ value, label: `${fact}=${value}` })) };
  }
  if ((type === 'money' || type === 'decimal' || type === 'integer')) return numericDimension(fact, type, declaration!, comparisons);
  return literalDimension(fact, comparisons);
}

function numericDimension(fact: string, type: 'money' | 'decimal' | 'integer', declaration: FactDeclaration, comparisons: readonly Comparison[]): Dimension {
  const thresholds = new Set<string>();
  for (const comparison of comparisons) {
    const values = Array.isArray(comparison.value) ? comparison.value : [comparison.value];
    for (const value of values) if ((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) thresholds.add(canonicalDecimal(value));
  }
  const minimum = declaration.minimum === undefined ? undefined : canonicalDecimal(declaration.minimum);
  const step = type === 'integer' ? '1' : type === 'money' ? '0.01' : smallestStep([...thresholds]);
  const sorted = [...thresholds].sort(compareCanonical);
  const candidates = new Set<string>(minimum === undefined ? [] : [minimum]);
  for (const t of sorted) for (const value of [new Dec(t).minus(step), new Dec(t), new Dec(t).plus(step)]) candidates.add(canonicalDecimal(value.toFixed()));
  if (candidates.size === 0) candidates.add(minimum ?? '0');
  const points = [...candidates]
    .filter((value) => minimum === undefined || compareCanonical(value, minimum) >= 0)
    .sort(compareCanonical);
  // Points and thresholds are both ascending: walk them together rather than search per point.
  let next = 0; // the first threshold not below the point
  const labelled = points.map((value) => {
    while (next < sorted.length && compareCanonical(sorted[next]!, value) < 0) next++;
    return { value: type === 'integer' ? Number(value) : value, label: classLabel(fact, value, sorted, next, minimum) };
  });
  return { fact, ordered: true, points: labelled };
}

/** Names the class of a numeric value: a threshold itself, or the open interval it falls in (`next`: the first threshold not below it). */
function classLabel(fact: string, value: string, thresholds: readonly string[], next: number, minimum: string | undefined): string {
  if (next < thresholds.length && compareCanonical(thresholds[next]!, value) === 0) return `${fact} = ${value}`;
  const below = next > 0 ? thresholds[next - 1] : undefined;
  const above = thresholds[next];
  if (below === undefined && above === undefined) return `${fact} = ${value}`;
  if (below === undefined) return minimum !== undefined ? `${fact} in [${minimum}, ${above})` : `${fact} < ${above}`;
  if (above === undefined) return `${fact} > ${below}`;
  return `${fact} in (${below}, ${above})`;
}

function smallestStep(thresholds: readonly string[]): string {
  const places = Math.max(2, ...thresholds.map((t) => (t.includes('.') ? t.length - t.indexOf('.') - 1 : 0))) + 1;
  return `0.${'0'.repeat(places - 1)}1`;
}

/** Facts of other kinds take the literal values the conditions name, and one value that none names. */
function literalDimension(fact: string, comparisons: readonly Comparison[]): Dimension {
  const values: unknown[] = [];
  const seen = new Set<string>();
  const add = (value: unknown) => {
    const key = safeJson(value, 1000);
    if (!seen.has(key)) {
      seen.add(key);
      values.push(value);
    }
  };
  for (const { operator, value } of comparisons) {
    const literals = operator === 'reference' ? [] : Array.isArray(value) && (operator === 'in' || operator === 'notIn') ? value : [value];
    for (const literal of literals) add(operator === 'contains' || operator === 'doesNotContain' ? [literal] : literal);
  }
  add(undefined);
  return { fact, ordered: false, points: values.map((value) => ({ value, label: value === undefined ? `${fact} absent/other` : `${fact}=${safeJson(value, 60)}` })) };
}
