/// <reference lib="dom" />
import { canonicalDecimal, compareCanonical } from '../core/decimal.js';
import { safeJson } from '../core/errors.js';
import type { RuleFile } from '../core/rule-file.js';
import type { StepChart } from '../toolkit/step-chart.js';
import { domId, h, svg } from './dom.js';
import type { Lang, Words } from './words.js';

// Okabe–Ito colours (distinct for colour-blind readers), each line also with its own dash.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
const DASHES = ['', '7 4', '2 3', '9 3 2 3'];

const ROW = 44;
/** The plot's width to aim at; each range between thresholds gets an equal share, at least MIN_INTERVAL. */
const PLOT = 720;
const MIN_INTERVAL = 110;
const WRAP = 26;
const GAP = 24;
const TOP = 22;
const BOTTOM = 44;
const RIGHT = 24;

/**
 * Draws a step chart as inline SVG: the outcome (y, one row per value) across the classes of the
 * numeric fact (x: each threshold a dot, the ranges between them as flat steps), one line per
 * combination of the splitting facts, with a legend and the same data as a table.
 *
 * @example
 * section.append(chartView({ chart, spec, lang: 'en', words: WORDS.en, id: 'review-approval--chart-amount' }));
 */
export function chartView(options: { chart: StepChart; spec: RuleFile; lang: Lang; words: Words; id: string; current?: string | undefined }): HTMLElement {
  const { chart, spec, lang, words, id } = options;
  const categoryLabel = (value: string) => {
    if (value === '') return words.noRule;
    const label = spec.labels[chart.outcome]?.[value];
    return label ? `${label[lang]}` : value;
  };
  const wrapped = chart.categories.map((c) => wrapLabel(categoryLabel(c)));
  const left = 16 + Math.max(...wrapped.flat().map(textWidth));
  const intervals = chart.classes.filter((c) => c.kind === 'interval').length;
  const interval = Math.max(MIN_INTERVAL, Math.floor(PLOT / Math.max(1, intervals)));

  // x positions: ranges take a fixed width, thresholds sit between them.
  const positions: { start: number; end: number }[] = [];
  let x = left + 8;
  chart.classes.forEach((c, i) => {
    if (c.kind === 'point') {
      if (i > 0 && chart.classes[i - 1]!.kind === 'point') x += GAP;
      positions.push({ start: x, end: x });
    } else {
      positions.push({ start: x, end: x + interval });
      x += interval;
    }
  });
  const width = x + RIGHT;
  const height = TOP + chart.categories.length * ROW + BOTTOM;
  const yOf = (category: number) => TOP + (chart.categories.length - category - 0.5) * ROW;
  const n = chart.series.length;
  const offset = (i: number) => (i - (n - 1) / 2) * Math.min(4, 16 / Math.max(1, n));

  const titleId = domId(id, 'title');
  const descId = domId(id, 'desc');
  const title = words.chart(chart.outcome, chart.fact);
  const grid = wrapped.map((lines, i) =>
    svg(
      'g',
      {},
      svg('line', { x1: left, x2: width - RIGHT, y1: yOf(i), y2: yOf(i), class: 'grid' }),
      svg('text', { x: left - 8, y: yOf(i) + 4 - (lines.length - 1) * 7, 'text-anchor': 'end', class: 'tick' }, ...lines.map((line, n) => svg('tspan', { x: left - 8, dy: n === 0 ? 0 : 14 }, line))),
    ),
  );
  const ticks = chart.classes.flatMap((c, i) => {
    if (c.kind !== 'point' && !(i === 0 && c.low !== undefined)) return [];
    const at = c.kind === 'point' ? positions[i]!.start : positions[i]!.start;
    const text = formatNumber(c.kind === 'point' ? String(c.value) : c.low!);
    return [svg('line', { x1: at, x2: at, y1: TOP, y2: height - BOTTOM + 4, class: 'axis-tick' }), svg('text', { x: at, y: height - BOTTOM + 18, 'text-anchor': 'middle', class: 'tick' }, text)];
  });
  const lines = chart.series.map((series, s) => {
    const colour = COLOURS[s % COLOURS.length]!;
    const dash = DASHES[Math.floor(s / 2) % DASHES.length]!;
    const dy = offset(s);
    const points: string[] = [];
    chart.classes.forEach((_c, i) => {
      const y = yOf(series.steps[i]!) + dy;
      points.push(`${positions[i]!.start},${y}`, `${positions[i]!.end},${y}`);
    });
    const dots = chart.classes.flatMap((c, i) => (c.kind === 'point' ? [svg('circle', { cx: positions[i]!.start, cy: yOf(series.steps[i]!) + dy, r: 4, fill: colour })] : []));
    return svg('g', { 'data-series': series.label }, svg('polyline', { points: points.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2.5, 'stroke-dasharray': dash || undefined }), ...dots);
  });
  const marker = markerAt(chart, positions, options.current);
  const axisLabel = svg('text', { x: width - RIGHT, y: height - 6, 'text-anchor': 'end', class: 'axis-label' }, `${chart.fact} →`);
  const drawing = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart' },
    svg('title', { id: titleId }, title),
    svg('desc', { id: descId }, chart.series.map((s) => `${s.label || chart.outcome}: ${s.steps.map((c, i) => `${chart.classes[i]!.label} → ${categoryLabel(chart.categories[c]!)}`).join('; ')}`).join('. ')),
    ...grid,
    ...ticks,
    marker === undefined
      ? null
      : svg(
          'g',
          { class: 'marker' },
          svg('line', { x1: marker, x2: marker, y1: TOP - 8, y2: height - BOTTOM, class: 'marker-line' }),
          // The label reads away from the nearer edge so it is never cut off.
          svg('text', { x: marker > (left + width) / 2 ? marker - 5 : marker + 5, y: TOP - 1, 'text-anchor': marker > (left + width) / 2 ? 'end' : 'start', class: 'marker-text' }, `${words.chartYours}: ${formatNumber(options.current!.trim())}`),
        ),
    ...lines,
    axisLabel,
  );
  const legend = h(
    'ul',
    { class: 'legend' },
    ...chart.series.map((series, s) =>
      h(
        'li',
        {},
        svg('svg', { width: 36, height: 12, 'aria-hidden': 'true' }, svg('line', { x1: 2, x2: 34, y1: 6, y2: 6, stroke: COLOURS[s % COLOURS.length]!, 'stroke-width': 2.5, 'stroke-dasharray': DASHES[Math.floor(s / 2) % DASHES.length] || undefined })),
        ' ',
        series.label || chart.outcome,
      ),
    ),
  );
  const held = Object.entries(chart.held);
  return h(
    'figure',
    { class: 'chart-figure', id },
    h('figcaption', {}, h('strong', {}, title), held.length > 0 ? ` · ${words.chartHeld} ${held.map(([k, v]) => `${k}=${typeof v === 'string' ? v : safeJson(v)}`).join(', ')}` : ''),
    h('div', { class: 'chart-scroll' }, drawing),
    legend,
    h('p', { class: 'help' }, words.chartNote),
    dataTable(chart, categoryLabel, words),
  );
}

function dataTable(chart: StepChart, categoryLabel: (value: string) => string, words: Words): HTMLElement {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, words.chartData),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, `${chart.fact} (${words.chartRange})`), ...chart.series.map((s) => h('th', { scope: 'col' }, s.label || chart.outcome)))),
      h(
        'tbody',
        {},
        ...chart.classes.map((c, i) => h('tr', {}, h('th', { scope: 'row' }, c.label), ...chart.series.map((s) => h('td', {}, `${categoryLabel(chart.categories[s.steps[i]!]!)} [${s.basis[i]!.join(', ')}]`)))),
      ),
    ),
  );
}

/** The x position of the value the form holds, when it is a number inside the chart's classes. */
function markerAt(chart: StepChart, positions: readonly { start: number; end: number }[], current: string | undefined): number | undefined {
  if (current === undefined || !/^-?\d+(\.\d+)?$/.test(current.trim())) return undefined;
  const value = canonicalDecimal(current.trim());
  for (const [i, c] of chart.classes.entries()) {
    const { start, end } = positions[i]!;
    if (c.kind === 'point' && compareCanonical(value, String(c.value)) === 0) return start;
    if (c.kind !== 'interval') continue;
    const aboveLow = c.low === undefined || compareCanonical(value, c.low) > 0 || (c.label.includes(' in [') && compareCanonical(value, c.low) === 0);
    const belowHigh = c.high === undefined || compareCanonical(value, c.high) < 0;
    if (!aboveLow || !belowHigh) continue;
    // Inside a range: place it proportionally when both ends are known, else in the middle.
    if (c.low !== undefined && c.high !== undefined) {
      const fraction = (Number(value) - Number(c.low)) / (Number(c.high) - Number(c.low));
      return start + Math.min(0.95, Math.max(0.05, fraction)) * (end - start);
    }
    return (start + end) / 2;
  }
  return undefined;
}

/**
 * A decimal with thousands separators: `3000000` → `3,000,000`.
 *
 * @example
 * formatNumber('1234567.5'); //=> '1,234,567.5'
 */
function formatNumber(text: string): string {
  const [integer = '', fraction] = text.split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Splits a long label into two lines at the space nearest its middle. */
function wrapLabel(text: string): string[] {
  if (text.length <= WRAP) return [text];
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
  if (spaces.length === 0) return [text];
  const middle = text.length / 2;
  const at = spaces.reduce((best, i) => (Math.abs(i - middle) < Math.abs(best - middle) ? i : best));
  return [text.slice(0, at), text.slice(at + 1)];
}

/** Roughly how wide a label is at 12px: CJK characters are square, others about half. */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u2E80-\uFFEF]/.test(char) ? 12.5 : 6.8;
  return width;
}
