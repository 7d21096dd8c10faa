import type { CompiledRule, CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import { EXACT_ORDERING, isOrderingOperator, JSON_RULES_ENGINE_SEMANTICS } from '../core/operators.js';
import type { PathSegment } from '../core/path.js';
import { runRules } from '../core/compile.js';
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
  readonly sampled?: { readonly total: number; readonly checked: number };
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
export function enumerateDecisionSpace(compiled: CompiledRuleFile, version: CompiledVersion): DecisionSpace {
  const { dimensions, cells, total } = enumerateCells([{ compiled, version }], { targeted: true });
  const firstHit = compiled.spec.decision === 'first-hit';
  const results = cells.map((cell): CellResult => {
    const { fired } = runRules(version.rules, cell.facts, { firstHit: false, trace: false });
    return { cell, fired, deciding: firstHit ? fired.slice(0, 1) : fired };
  });
  return total > MAX_CELLS ? { dimensions, results, sampled: { total, checked: cells.length } } : { dimensions, results };
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
  options: { readonly targeted?: boolean } = {},
): { dimensions: Dimension[]; cells: Cell[]; total: number } {
  const dimensions = dimensionsOf(sources);
  const total = dimensions.reduce((product, d) => product * d.points.length, 1);
  const build = (coordinates: readonly number[]) => cellAt(dimensions, coordinates);
  if (total <= MAX_CELLS) {
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
    for (const { compiled, version } of sources) {
      for (const rule of compiled.spec.rules) {
        for (let n = 0; n < SAMPLES_PER_RULE; n++) {
          const allowed = satisfyingPoints(rule.conditions, dimensions, compiled, version, random);
          add(dimensions.map((d, i) => {
            const choices = allowed.get(i);
            return choices && choices.length > 0 ? choices[pick(choices.length)]! : pick(d.points.length);
          }));
        }
      }
      for (const monotone of compiled.spec.monotone) {
        const axis = dimensions.findIndex((d) => d.fact === monotone.fact && d.path === undefined);
        if (axis === -1) continue;
        for (let n = 0; n < LINES_PER_MONOTONE_AXIS; n++) {
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
function satisfyingPoints(node: Condition, dimensions: readonly Dimension[], compiled: CompiledRuleFile, version: CompiledVersion, random: () => number): Map<number, number[]> {
  const allowed = new Map<number, number[]>();
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
      const ok = dimensions[index]!.points.flatMap((point, p) => (point.value !== ASSEMBLED && holds(leaf.operator, point.value, compareWith, decimal) ? [p] : []));
      const previous = allowed.get(index);
      allowed.set(index, previous === undefined ? ok : previous.filter((p) => ok.includes(p)));
    }
  };
  visit(node);
  return allowed;
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
  const classOf = dimensions.map((d) => d.points.map((p) => d.points.findIndex((q) => q.label === p.label)));
  const classCount = classOf.map((classes) => new Set(classes).size);
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
      groups.set(key, [...(groups.get(key) ?? []), cell]);
    }
    current = [...groups.values()].flatMap((group) => {
      const values = new Set(group.map((cell) => cell[axis]));
      return values.size === classCount[axis] && !values.has(-1) ? [group[0]!.map((c, i) => (i === axis ? -1 : c))] : group;
    });
  });
  return current;
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
    .sort(compareCanonical)
    .map((value) => ({ value: type === 'integer' ? Number(value) : value, label: classLabel(fact, value, sorted, minimum) }));
  return { fact, ordered: true, points };
}

/** Names the class of a numeric value: a threshold itself, or the open interval it falls in. */
function classLabel(fact: string, value: string, thresholds: readonly string[], minimum: string | undefined): string {
  if (thresholds.includes(value)) return `${fact} = ${value}`;
  const below = thresholds.filter((t) => compareCanonical(t, value) < 0).at(-1);
  const above = thresholds.find((t) => compareCanonical(t, value) > 0);
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
  const add = (value: unknown) => {
    if (!values.some((v) => safeJson(v, 1000) === safeJson(value, 1000))) values.push(value);
  };
  for (const { operator, value } of comparisons) {
    const literals = operator === 'reference' ? [] : Array.isArray(value) && (operator === 'in' || operator === 'notIn') ? value : [value];
    for (const literal of literals) add(operator === 'contains' || operator === 'doesNotContain' ? [literal] : literal);
  }
  add(undefined);
  return { fact, ordered: false, points: values.map((value) => ({ value, label: value === undefined ? `${fact} absent/other` : `${fact}=${safeJson(value, 60)}` })) };
}
