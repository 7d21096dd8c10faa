import type { CompiledRuleFile } from '../core/compile.js';
import { versionAt } from '../core/compile.js';
import type { CalendarDate } from '../core/dates.js';
import { safeJson } from '../core/errors.js';
import { foldCondition } from '../core/condition-fold.js';
import type { PathSegment } from '../core/path.js';
import type { Condition } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX } from '../core/rule-file.js';
import { markdownCell, markdownText } from './escape.js';

/** Options of {@link policyMarkdown}. */
export interface DocsOptions {
  /** Whose parameters to show: the version in force on this date. */
  readonly asOf: CalendarDate;
  readonly lang: 'en' | 'zh';
}

const SYMBOLS: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

const WORDS = {
  en: { rule: 'Rule', priority: 'Priority', when: 'When', then: 'Then', source: 'Source', parameters: 'Parameters in force on', parameter: 'Parameter', value: 'Value', from: 'In force from', meaning: 'Meaning', example: 'example value, not from the source', decision: 'Decision', firstHit: 'first hit: the highest-priority rule that applies decides; file order breaks ties', collectAll: 'collect all: every rule that applies contributes', and: 'and', or: 'or', not: 'not', quotes: 'Source text' },
  zh: { rule: '規則', priority: '優先級', when: '條件', then: '結果', source: '出處', parameters: '生效參數,日期', parameter: '參數', value: '值', from: '生效日', meaning: '說明', example: '示例值,非原文所定', decision: '決策方式', firstHit: '首條命中:優先級最高的適用規則決定;同級按文件順序', collectAll: '全部適用:每條適用規則都計入', and: '且', or: '或', not: '非', quotes: '原文' },
} as const;

/** One row of a decision table: a rule, when it applies, and what it decides. */
export interface DecisionRow {
  /** The rule's clause id, e.g. `REV-6.2`. */
  readonly rule: string;
  /** Position of the rule in its file. */
  readonly index: number;
  readonly priority: number;
  /** The conditions in words, parameters resolved: `amount > directorLimit (500000)`. */
  readonly when: string;
  /** The event's parameters with their labels: `authority: sales_vp (Sales Vice President)`. */
  readonly then: string;
  readonly clause: string;
}

/** One parameter of the version in force. */
export interface ParameterRow {
  readonly name: string;
  readonly value: string;
  /** The value is an example, not from the source. */
  readonly example: boolean;
  /** The first day of the version that gives it. */
  readonly from: string;
  readonly meaning: string;
}

/** A policy as a document: what {@link policyMarkdown} prints, as data for other renderings. */
export interface PolicyDoc {
  readonly policy: string;
  readonly title: string;
  readonly description: string;
  /** How the rules combine, in words. */
  readonly decision: string;
  readonly document: string;
  /** Rules by priority, highest first, file order within a priority. */
  readonly rows: readonly DecisionRow[];
  /** The parameters in force on `asOf` (empty when none are declared or none are in force). */
  readonly parameters: readonly ParameterRow[];
  /** Every parameter version: when it takes effect, and whether it is the one in force on `asOf`. */
  readonly versions: readonly { readonly from: string; readonly inForce: boolean }[];
  /** The source text of each clause, once per clause, in rule order. */
  readonly quotes: readonly { readonly clause: string; readonly quote: string; readonly gloss?: string | undefined }[];
  /** The headings and phrases of the document in its language. */
  readonly words: DocWords;
}

/** The headings and phrases of a policy document in one language. */
export type DocWords = { readonly [K in keyof (typeof WORDS)['en']]: string };

/**
 * A policy as data: its decision table with conditions in words and parameters resolved, the
 * parameters in force on `asOf`, the dated versions, and the source quoted. The Markdown docs and
 * the HTML explorer both render it.
 *
 * @example
 * policyDoc(compiled, { asOf: '2026-01-01', lang: 'en' }).rows[0]?.rule; //=> 'REV-6.5'
 */
export function policyDoc(compiled: CompiledRuleFile, options: DocsOptions): PolicyDoc {
  const { spec } = compiled;
  const words = WORDS[options.lang];
  const version = versionAt(compiled, options.asOf);
  const ordered = [...spec.rules.entries()].sort(([ia, a], [ib, b]) => (b.priority ?? 1) - (a.priority ?? 1) || ia - ib);
  const rows = ordered.map(([index, rule]): DecisionRow => ({
    rule: rule.name,
    index,
    priority: rule.priority ?? 1,
    when: describeCondition(rule.conditions, version?.parameters ?? {}, words),
    then: rule.event.params ? Object.entries(rule.event.params).map(([k, v]) => `${k}: ${label(spec.labels, k, v, options.lang)}`).join('; ') : rule.event.type,
    clause: rule.source?.clause ?? '',
  }));
  const parameters = Object.entries(version?.parameters ?? {}).map(([name, value]): ParameterRow => {
    const info = spec.parameterInfo[name];
    return {
      name,
      value: Array.isArray(value) ? value.join(', ') : String(value),
      example: version!.examples.includes(name),
      from: version!.from,
      meaning: `${info?.description ?? ''}${info?.source ? ` ${info.source}` : ''}`,
    };
  });
  const versions = compiled.versions.map((v) => ({ from: v.from, inForce: v === version }));
  const quotes: { clause: string; quote: string; gloss?: string | undefined }[] = [];
  for (const rule of spec.rules) {
    if (rule.source?.quote && !quotes.some((q) => q.clause === rule.source!.clause)) quotes.push({ clause: rule.source.clause, quote: rule.source.quote, gloss: rule.source.gloss });
  }
  return {
    policy: spec.policy,
    title: spec.title[options.lang],
    description: spec.description,
    decision: spec.decision === 'first-hit' ? words.firstHit : words.collectAll,
    document: spec.source.document,
    rows,
    parameters,
    versions,
    quotes,
    words,
  };
}

/**
 * Renders a policy as a Markdown decision table: each rule's conditions and outcome, its clause,
 * the source quoted, and the parameters in force on `asOf`.
 *
 * @example
 * policyMarkdown(compiled, { asOf: '2026-01-01', lang: 'en' }).split('\n')[0]; //=> '## review.approval — Contract review: approval authority and route'
 */
export function policyMarkdown(compiled: CompiledRuleFile, options: DocsOptions): string {
  const doc = policyDoc(compiled, options);
  const { words } = doc;
  // Every text from the file is escaped: it adds no heading, link, image or HTML to the page.
  const lines = [`## ${markdownText(doc.policy)} — ${markdownText(doc.title)}`, '', markdownText(doc.description), '', `${words.decision}: ${doc.decision}. ${words.source}: 「${markdownText(doc.document)}」`, ''];
  lines.push(`| ${words.rule} | ${words.priority} | ${words.when} | ${words.then} | ${words.source} |`, '|---|---:|---|---|---|');
  for (const row of doc.rows) lines.push(`| ${cell(row.rule)} | ${row.priority} | ${cell(row.when)} | ${cell(row.then)} | ${cell(row.clause)} |`);
  if (doc.parameters.length > 0) {
    lines.push('', `### ${words.parameters} ${options.asOf}`, '', `| ${words.parameter} | ${words.value} | ${words.from} | ${words.meaning} |`, '|---|---|---|---|');
    for (const p of doc.parameters) lines.push(`| ${/^[\w.-]+$/.test(p.name) ? `\`${p.name}\`` : cell(p.name)} | ${cell(p.value)}${p.example ? ` (${words.example})` : ''} | ${p.from} | ${cell(p.meaning)} |`);
  }
  if (doc.quotes.length > 0) {
    lines.push('', `### ${words.quotes}`, '');
    for (const q of doc.quotes) lines.push(`- **${markdownText(q.clause)}** 「${markdownText(q.quote)}」${options.lang === 'en' && q.gloss ? `  \n  ${markdownText(q.gloss)}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The conditions in words: `amount > 500000 and (channel = direct or …)`; an `all` at the top or under `not` needs no parentheses. */
function describeCondition(node: Condition, parameters: Readonly<Record<string, unknown>>, words: (typeof WORDS)['en' | 'zh']): string {
  const top = (path: readonly PathSegment[]) => path.length === 0 || path[path.length - 1] === 'not';
  return foldCondition<string>(node, {
    all: (parts, _node, path) => (top(path) || parts.length === 1 ? parts.join(` ${words.and} `) : `(${parts.join(` ${words.and} `)})`),
    any: (parts) => (parts.length === 1 ? parts[0]! : `(${parts.join(` ${words.or} `)})`),
    not: (inner) => `${words.not} (${inner})`,
    fact: (leaf) => {
      const fact = `${leaf.fact.startsWith(PARAMETER_PREFIX) ? leaf.fact.slice(PARAMETER_PREFIX.length) : leaf.fact}${leaf.path?.slice(1) ?? ''}`;
      return `${fact} ${SYMBOLS[leaf.operator]} ${describeValue(leaf.value, parameters)}`;
    },
  });
}

function describeValue(value: unknown, parameters: Readonly<Record<string, unknown>>): string {
  if (isFactReference(value)) {
    if (value.fact.startsWith(PARAMETER_PREFIX)) {
      const name = value.fact.slice(PARAMETER_PREFIX.length);
      const current = parameters[name];
      return `${name} (${Array.isArray(current) ? current.join(', ') : String(current)})`;
    }
    return `${value.fact}${value.path?.slice(1) ?? ''}`;
  }
  return safeJson(value, 200);
}

function label(labels: CompiledRuleFile['spec']['labels'], field: string, value: unknown, lang: 'en' | 'zh'): string {
  if (Array.isArray(value)) return value.map((v) => label(labels, field, v, lang)).join(', ');
  const found = typeof value === 'string' && Object.prototype.hasOwnProperty.call(labels, field) ? labels[field]?.[value] : undefined;
  return found ? `${String(value)} (${found[lang]})` : typeof value === 'string' ? value : safeJson(value, 200);
}

function cell(text: string): string {
  return markdownCell(text);
}
