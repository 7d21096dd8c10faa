import type { CompiledRule, CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import { runRules } from '../core/compile.js';
import { canonicalDecimal, compareCanonical, Dec } from '../core/decimal.js';
import { safeJson } from '../core/errors.js';
import type { Condition, FactDeclaration, LeafCondition } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX } from '../core/rule-file.js';

/** One value a dimension takes in the enumeration, with the class of inputs it stands for. */
export interface DimensionPoint {
  readonly value: unknown;
  /** How a person names the class: `amount in (500000, 3000000)`, `channel=direct`. */
  readonly label: string;
}

/** A fact the rules read, and the values that split its range where the rules do. */
export interface Dimension {
  readonly fact: string;
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

/** The decision space of one parameter version: its dimensions and every cell's result. */
export interface DecisionSpace {
  readonly dimensions: readonly Dimension[];
  readonly results: readonly CellResult[];
  /** Set when the space had more cells than the limit and only the first were evaluated. */
  readonly truncated?: number;
}

/** The most cells evaluated for one version; beyond it the space is reported as truncated. */
export const MAX_CELLS = 200_000;

/**
 * Splits every fact the rules read where the conditions split it (each threshold, just below,
 * just above; every enum value; both booleans), crosses the dimensions, and evaluates the rules in
 * every cell. Facts computed by the policy (`derived`) are enumerated like any other fact.
 *
 * @example
 * const space = enumerateDecisionSpace(compiled, compiled.versions[0]!);
 * space.results.filter((r) => r.deciding.length === 0); // the gaps
 */
export function enumerateDecisionSpace(compiled: CompiledRuleFile, version: CompiledVersion): DecisionSpace {
  const { dimensions, cells, truncated } = enumerateCells([{ compiled, version }]);
  const firstHit = compiled.spec.decision === 'first-hit';
  const results = cells.map((cell): CellResult => {
    const { fired } = runRules(version.rules, cell.facts, { firstHit: false, trace: false });
    return { cell, fired, deciding: firstHit ? fired.slice(0, 1) : fired };
  });
  return truncated === undefined ? { dimensions, results } : { dimensions, results, truncated };
}

/**
 * The cells of the decision space of one or more rule files (for `diff`, the old and the new
 * together, so both sets of thresholds split the ranges), without evaluating them.
 *
 * @example
 * enumerateCells([{ compiled: before, version: v1 }, { compiled: after, version: v2 }]).cells.length;
 */
export function enumerateCells(sources: readonly { compiled: CompiledRuleFile; version: CompiledVersion }[]): { dimensions: Dimension[]; cells: Cell[]; truncated?: number } {
  const dimensions = dimensionsOf(sources);
  const total = dimensions.reduce((product, d) => product * d.points.length, 1);
  const limit = Math.min(total, MAX_CELLS);
  const cells: Cell[] = [];
  const coordinates = dimensions.map(() => 0);
  for (let n = 0; n < limit; n++) {
    const facts: Record<string, unknown> = {};
    const labels: string[] = [];
    dimensions.forEach((dimension, i) => {
      const point = dimension.points[coordinates[i]!]!;
      if (point.value !== undefined) facts[dimension.fact] = point.value;
      labels.push(point.label);
    });
    cells.push({ facts, coordinates: [...coordinates], label: labels.join(', ') || '(no facts)' });
    for (let i = dimensions.length - 1; i >= 0; i--) {
      coordinates[i]!++;
      if (coordinates[i]! < dimensions[i]!.points.length) break;
      coordinates[i] = 0;
    }
  }
  return total > limit ? { dimensions, cells, truncated: total } : { dimensions, cells };
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
  readonly path: string | undefined;
}

function dimensionsOf(sources: readonly { compiled: CompiledRuleFile; version: CompiledVersion }[]): Dimension[] {
  const comparisons = new Map<string, Comparison[]>();
  const declarations = new Map<string, FactDeclaration>();
  const note = (fact: string, comparison: Comparison) => {
    if (fact.startsWith(PARAMETER_PREFIX)) return;
    const list = comparisons.get(fact) ?? [];
    list.push(comparison);
    comparisons.set(fact, list);
  };
  for (const { compiled, version } of sources) {
    const visit = (node: Condition): void => {
      if ('all' in node) node.all.forEach(visit);
      else if ('any' in node) node.any.forEach(visit);
      else if ('not' in node) visit(node.not);
      else {
        const leaf = node as LeafCondition;
        note(leaf.fact, { operator: leaf.operator, value: resolveValue(leaf.value, version), path: leaf.path });
        if (isFactReference(leaf.value)) note(leaf.value.fact, { operator: 'reference', value: undefined, path: leaf.value.path });
      }
    };
    for (const rule of compiled.spec.rules) visit(rule.conditions);
    for (const [name, declaration] of Object.entries(compiled.spec.facts)) if (!declarations.has(name)) declarations.set(name, declaration);
  }
  return [...comparisons.keys()].sort().map((fact) => dimensionOf(fact, declarations.get(fact), comparisons.get(fact)!));
}

function resolveValue(value: unknown, version: CompiledVersion): unknown {
  if (isFactReference(value) && value.fact.startsWith(PARAMETER_PREFIX) && value.path === undefined) {
    return version.parameters[value.fact.slice(PARAMETER_PREFIX.length)];
  }
  return isFactReference(value) ? undefined : value;
}

function dimensionOf(fact: string, declaration: FactDeclaration | undefined, comparisons: readonly Comparison[]): Dimension {
  const type = declaration?.type;
  const plain = comparisons.every((c) => c.path === undefined);
  if (type === 'boolean' && plain) {
    return { fact, ordered: true, points: [false, true].map((value) => ({ value, label: `${fact}=${value}` })) };
  }
  if (type === 'string' && declaration?.values && plain) {
    return { fact, ordered: false, points: declaration.values.map((value) => ({ value, label: `${fact}=${value}` })) };
  }
  if ((type === 'money' || type === 'decimal' || type === 'integer') && plain) return numericDimension(fact, type, declaration!, comparisons);
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
  for (const { operator, value, path } of comparisons) {
    const literals = operator === 'reference' ? [] : Array.isArray(value) && (operator === 'in' || operator === 'notIn') ? value : [value];
    for (const literal of literals) {
      const wrapped = operator === 'contains' || operator === 'doesNotContain' ? [literal] : literal;
      add(path === undefined ? wrapped : objectAt(path, wrapped));
    }
  }
  add(undefined);
  return { fact, ordered: false, points: values.map((value) => ({ value, label: value === undefined ? `${fact} absent/other` : `${fact}=${safeJson(value, 60)}` })) };
}

function objectAt(path: string, value: unknown): unknown {
  const keys = path.slice(1).split(/\.|\[|\]/).filter(Boolean);
  return keys.reduceRight<unknown>((inner, key) => (/^\d+$/.test(key) ? Object.assign([], { [Number(key)]: inner }) : { [key]: inner }), value);
}
