import type { CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import { conditionLeaves } from '../core/condition-fold.js';
import { canonicalDecimal, compareCanonical } from '../core/decimal.js';
import { Dec } from '../core/money.js';
import { safeJson } from '../core/errors.js';
import type { PathSegment } from '../core/path.js';
import type { FactDeclaration } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX, parsePath } from '../core/rule-file.js';

// The dimensions of a decision space: each fact the rules read, split where they split it.

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

/**
 * Marks an object fact whose value is assembled from the dimensions of the paths read inside it.
 *
 * @example
 * dimension.points.at(-1)?.value === ASSEMBLED; //=> true for an object fact read through paths
 */
export const ASSEMBLED = Symbol('assembled from paths');


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

interface Comparison {
  readonly operator: string;
  readonly value: unknown;
}

/**
 * The dimensions of the decision space of one or more rule files together: every fact (or path
 * in one) the conditions read, split at every value they compare it with.
 *
 * @example
 * dimensionsOf([{ compiled, version }]).map((d) => d.fact); //=> ['amount', 'channel', …]
 */
export function dimensionsOf(sources: readonly { compiled: CompiledRuleFile; version: CompiledVersion }[]): Dimension[] {
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
    for (const rule of compiled.spec.rules) {
      for (const { leaf } of conditionLeaves(rule.conditions)) {
        note(leaf.fact, leaf.path, { operator: leaf.operator, value: resolveValue(leaf.value, version) });
        if (isFactReference(leaf.value)) note(leaf.value.fact, leaf.value.path, { operator: 'reference', value: undefined });
      }
    }
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

/**
 * The value a comparison compares with in one version: a written value, a parameter's value,
 * or `undefined` for another fact.
 *
 * @example
 * resolveValue({ fact: 'param.vpLimit' }, version); //=> '3000000'
 */
export function resolveValue(value: unknown, version: CompiledVersion): unknown {
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
