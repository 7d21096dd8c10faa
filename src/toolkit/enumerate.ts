import type { CompiledRule, CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import type { PathSegment } from '../core/path.js';
import { assembledDimensions, hasAny, restrictedPoints, satisfyingLeaves, satisfyingPoints } from './condition-points.js';
import type { Dimension } from './dimensions.js';
import { ASSEMBLED, dimensionsOf } from './dimensions.js';
import type { PointSet } from './point-set.js';
import { memberAt, membersOf, sizeOf } from './point-set.js';

// The decision space of a rules file: its cells (a value for every dimension), enumerated in
// full or sampled, and what the rules decide in each. Dimensions are found in dimensions.ts,
// the points a rule allows in condition-points.ts, classes of cells merged in merge-cells.ts.

export type { Dimension } from './dimensions.js';
export { decisionDimensions } from './dimensions.js';
export { describeCell, mergeCells } from './merge-cells.js';

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
        const choose = satisfyingLeaves(rule.conditions);
        const fixed = hasAny(rule.conditions) ? undefined : satisfyingPoints(choose(random), dimensions, compiled, version);
        for (let n = 0; n < perRule; n++) {
          const allowed = fixed ?? satisfyingPoints(choose(random), dimensions, compiled, version);
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

