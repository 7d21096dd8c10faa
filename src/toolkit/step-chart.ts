import type { CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import { runRules } from '../core/compile.js';
import { canonicalDecimal } from '../core/decimal.js';
import { safeJson } from '../core/errors.js';
import type { Dimension } from './enumerate.js';
import { decisionDimensions } from './enumerate.js';

/** Options of {@link stepChart}. */
export interface StepChartOptions {
  /**
   * Values for the facts the chart neither plots nor splits into lines (e.g. what a form holds).
   * A value the rules do not split on, or that is not valid for the fact, is replaced by the
   * fact's first enumerated value. Default: each fact's first enumerated value.
   */
  readonly held?: Readonly<Record<string, unknown>>;
  /** The most lines (default 8). */
  readonly maxSeries?: number;
}

/** A stretch of the plotted fact on which the rules decide the same: a threshold, or the open range between two. */
export interface StepClass {
  readonly kind: 'point' | 'interval';
  /** How the enumeration names it: `amount = 500000`, `amount in (500000, 3000000)`. */
  readonly label: string;
  /** The value evaluated for the class (the threshold itself for a point). */
  readonly value: unknown;
  /** The class's bounds, as canonical decimals; absent when the range is open on that side. */
  readonly low?: string;
  readonly high?: string;
}

/** One line of the chart: the outcome in each class, for one combination of the splitting facts. */
export interface StepSeries {
  /** `channel=direct, disputed=false` (empty when nothing splits the lines). */
  readonly label: string;
  /** The values of the splitting facts for this line. */
  readonly facts: Readonly<Record<string, unknown>>;
  /** The outcome in each class, as an index into {@link StepChart.categories}. */
  readonly steps: readonly number[];
  /** The clause ids of the rules that decide in each class. */
  readonly basis: readonly (readonly string[])[];
}

/** The outcome of a policy's rules across the range of one numeric fact. */
export interface StepChart {
  /** The plotted fact. */
  readonly fact: string;
  /** The outcome field shown (an event parameter, e.g. `authority`), or `basis` for the rules that decide. */
  readonly outcome: string;
  readonly classes: readonly StepClass[];
  /** The outcome values, lowest first (the declared monotone order when there is one); `''` means no rule decides. */
  readonly categories: readonly string[];
  /** The facts whose combinations make the lines. */
  readonly split: readonly string[];
  /** The values used for every other fact the rules read. */
  readonly held: Readonly<Record<string, unknown>>;
  readonly series: readonly StepSeries[];
}

const NUMERIC = new Set(['money', 'decimal', 'integer']);

/**
 * The numeric facts a caller gives (not derived) that the rules compare with a threshold: the
 * facts a step chart can plot.
 *
 * @example
 * chartableFacts(approval, approval.versions[0]!); //=> ['amount']
 */
export function chartableFacts(compiled: CompiledRuleFile, version: CompiledVersion): string[] {
  return decisionDimensions(compiled, version)
    .filter((d) => {
      const declaration = compiled.spec.facts[d.fact];
      return declaration !== undefined && NUMERIC.has(declaration.type) && declaration.derived !== true && d.points.some((p) => p.label.startsWith(`${d.fact} = `));
    })
    .map((d) => d.fact);
}

/**
 * Evaluates the rules of one version across the range of a numeric fact, at the thresholds the
 * rules use and between them, with one line per combination of the facts that change the outcome
 * most (e.g. authority against amount, one line per channel × disputed). The data of a step chart;
 * `undefined` when the rules do not compare `fact` with a threshold.
 *
 * @example
 * const chart = stepChart(approval, approval.versions[0]!, 'amount');
 * chart?.split; //=> ['channel', 'disputed']
 */
export function stepChart(compiled: CompiledRuleFile, version: CompiledVersion, fact: string, options: StepChartOptions = {}): StepChart | undefined {
  const dimensions = decisionDimensions(compiled, version);
  const axis = dimensions.find((d) => d.fact === fact);
  if (axis === undefined || !chartableFacts(compiled, version).includes(fact)) return undefined;
  const classes = classesOf(axis);
  const others = dimensions.filter((d) => d !== axis);
  const held: Record<string, unknown> = {};
  for (const dimension of others) held[dimension.fact] = heldValue(dimension, compiled, options.held);

  const firstHit = compiled.spec.decision === 'first-hit';
  const outcome = outcomeField(compiled, fact);
  const decide = (facts: Record<string, unknown>): { value: string; basis: string[] } => {
    const { fired } = runRules(version.rules, withoutAbsent(facts), { firstHit, trace: false });
    const deciding = firstHit ? fired.slice(0, 1) : fired;
    const basis = [...new Set(deciding.map((rule) => rule.name))];
    if (outcome === 'basis') return { value: basis.join(', '), basis };
    const value = deciding[0]?.definition.event.params?.[outcome];
    return { value: deciding.length === 0 ? '' : typeof value === 'string' ? value : safeJson(value, 60), basis };
  };
  const lineAt = (base: Record<string, unknown>, fixed: Record<string, unknown>) => classes.map((c) => decide({ ...base, ...fixed, [fact]: c.value }));
  const line = (fixed: Record<string, unknown>) => lineAt(held, fixed);

  // The facts that change the line most when they alone move away from their first values split
  // it. Measured from the first values, not the held ones, so the lines stay put while a form changes.
  const first = Object.fromEntries(others.map((d) => [d.fact, d.points[0]?.value]));
  const key = (fixed: Record<string, unknown>) => lineAt(first, fixed).map((step) => step.value).join('\u0000');
  const baseline = key({});
  const influence = others
    .filter((d) => !d.ordered || d.points.every((p) => typeof p.value === 'boolean'))
    .filter((d) => compiled.spec.facts[d.fact]?.derived !== true)
    .map((d, order) => ({ dimension: d, changed: d.points.filter((p) => key({ [d.fact]: p.value }) !== baseline).length, order }))
    .filter((entry) => entry.changed > 0)
    .sort((a, b) => b.changed - a.changed || a.order - b.order);
  const maxSeries = options.maxSeries ?? 8;
  const split: Dimension[] = [];
  for (const { dimension } of influence) {
    const lines = split.reduce((n, d) => n * d.points.length, 1) * dimension.points.length;
    if (split.length < 2 && lines <= maxSeries) split.push(dimension);
  }
  split.sort((a, b) => dimensions.indexOf(a) - dimensions.indexOf(b));
  const splitFacts = new Set(split.map((d) => d.fact));
  for (const key of Object.keys(held)) if (splitFacts.has(key)) Reflect.deleteProperty(held, key);

  const combinations = split.reduce<Record<string, unknown>[]>((all, d) => all.flatMap((partial) => d.points.map((p) => ({ ...partial, [d.fact]: p.value }))), [{}]);
  const decided = combinations.map((facts) => ({ facts, steps: line(facts) }));
  const categories = orderCategories(compiled, fact, outcome, decided.flatMap((s) => s.steps.map((step) => step.value)));
  const series = decided.map(({ facts, steps }): StepSeries => ({
    label: Object.entries(facts)
      .map(([name, value]) => `${name}=${value === undefined ? 'absent' : typeof value === 'string' ? value : safeJson(value, 40)}`)
      .join(', '),
    facts,
    steps: steps.map((step) => categories.indexOf(step.value)),
    basis: steps.map((step) => step.basis),
  }));
  return { fact, outcome, classes, categories, split: split.map((d) => d.fact), held: withoutAbsent(held), series };
}

function classesOf(axis: Dimension): StepClass[] {
  const groups: { label: string; values: unknown[] }[] = [];
  for (const point of axis.points) {
    const last = groups.at(-1);
    if (last?.label === point.label) last.values.push(point.value);
    else groups.push({ label: point.label, values: [point.value] });
  }
  const pointPrefix = `${axis.fact} = `;
  const kinds = groups.map((g) => (g.label.startsWith(pointPrefix) ? 'point' : 'interval'));
  return groups.map((group, i): StepClass => {
    const value = group.values[0];
    if (kinds[i] === 'point') return { kind: 'point', label: group.label, value, low: String(value), high: String(value) };
    const low = group.label.startsWith(`${axis.fact} in [`) ? String(value) : i > 0 ? String(groups[i - 1]!.values.at(-1)) : undefined;
    const high = i + 1 < groups.length ? String(groups[i + 1]!.values[0]) : undefined;
    return { kind: 'interval', label: group.label, value, ...(low === undefined ? {} : { low }), ...(high === undefined ? {} : { high }) };
  });
}

function heldValue(dimension: Dimension, compiled: CompiledRuleFile, held: Readonly<Record<string, unknown>> | undefined): unknown {
  const fallback = dimension.points[0]?.value;
  if (held === undefined || !Object.prototype.hasOwnProperty.call(held, dimension.fact)) return fallback;
  const given = held[dimension.fact];
  const type = compiled.spec.facts[dimension.fact]?.type;
  if (type !== undefined && NUMERIC.has(type) && dimension.ordered && (typeof given === 'number' || typeof given === 'string') && /^-?\d+(\.\d+)?$/.test(String(given))) {
    const canonical = canonicalDecimal(String(given));
    return type === 'integer' ? Number(canonical) : canonical;
  }
  const match = dimension.points.find((p) => safeJson(p.value, 1000) === safeJson(given, 1000));
  return match === undefined ? fallback : match.value;
}

/** The event parameter the chart shows: the one a monotone declaration names for the fact, else the first that varies between rules. */
function outcomeField(compiled: CompiledRuleFile, fact: string): string {
  const { spec } = compiled;
  if (spec.decision === 'collect-all') return 'basis';
  const declared = spec.monotone.find((m) => m.fact === fact);
  if (declared) return declared.outcome;
  const keys = [...new Set(spec.rules.flatMap((rule) => Object.keys(rule.event.params ?? {})))];
  const varying = keys.find((key) => new Set(spec.rules.map((rule) => safeJson(rule.event.params?.[key], 1000))).size > 1);
  return varying ?? 'basis';
}

function orderCategories(compiled: CompiledRuleFile, fact: string, outcome: string, seen: readonly string[]): string[] {
  const declared = compiled.spec.monotone.find((m) => m.fact === fact && m.outcome === outcome)?.order ?? [];
  const present = new Set(seen);
  const ordered = declared.filter((value) => present.has(value));
  for (const value of seen) if (!ordered.includes(value)) ordered.push(value);
  // "No rule decides" sits at the bottom.
  return present.has('') ? ['', ...ordered.filter((value) => value !== '')] : ordered;
}

function withoutAbsent(facts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
}
