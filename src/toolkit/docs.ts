import type { CompiledRuleFile } from '../core/compile.js';
import { versionAt } from '../core/compile.js';
import type { CalendarDate } from '../core/dates.js';
import { safeJson } from '../core/errors.js';
import type { Condition } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX } from '../core/rule-file.js';

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

/**
 * Renders a policy as a Markdown decision table: each rule's conditions and outcome, its clause,
 * the source quoted, and the parameters in force on `asOf`.
 *
 * @example
 * policyMarkdown(compiled, { asOf: '2026-01-01', lang: 'en' }).split('\n')[0]; //=> '## review.approval — Contract review: approval authority and route'
 */
export function policyMarkdown(compiled: CompiledRuleFile, options: DocsOptions): string {
  const { spec } = compiled;
  const words = WORDS[options.lang];
  const version = versionAt(compiled, options.asOf);
  const lines = [`## ${spec.policy} — ${spec.title[options.lang]}`, '', spec.description, '', `${words.decision}: ${spec.decision === 'first-hit' ? words.firstHit : words.collectAll}. ${words.source}: 「${spec.source.document}」`, ''];
  lines.push(`| ${words.rule} | ${words.priority} | ${words.when} | ${words.then} | ${words.source} |`, '|---|---:|---|---|---|');
  const ordered = [...spec.rules.entries()].sort(([ia, a], [ib, b]) => (b.priority ?? 1) - (a.priority ?? 1) || ia - ib);
  for (const [, rule] of ordered) {
    const when = describeCondition(rule.conditions, version?.parameters ?? {}, words, true);
    const then = rule.event.params ? Object.entries(rule.event.params).map(([k, v]) => `${k}: ${label(spec.labels, k, v, options.lang)}`).join('; ') : rule.event.type;
    lines.push(`| ${cell(rule.name)} | ${rule.priority ?? 1} | ${cell(when)} | ${cell(then)} | ${cell(rule.source?.clause ?? '')} |`);
  }
  if (version && Object.keys(version.parameters).length > 0) {
    lines.push('', `### ${words.parameters} ${options.asOf}`, '', `| ${words.parameter} | ${words.value} | ${words.from} | ${words.meaning} |`, '|---|---|---|---|');
    for (const [name, value] of Object.entries(version.parameters)) {
      const info = spec.parameterInfo[name];
      const note = version.examples.includes(name) ? ` (${words.example})` : '';
      lines.push(`| \`${name}\` | ${cell(Array.isArray(value) ? value.join(', ') : String(value))}${note} | ${version.from} | ${cell(`${info?.description ?? ''}${info?.source ? ` ${info.source}` : ''}`)} |`);
    }
  }
  const quoted = new Map<string, { quote?: string | undefined; gloss?: string | undefined }>();
  for (const rule of spec.rules) if (rule.source?.quote && !quoted.has(rule.source.clause)) quoted.set(rule.source.clause, rule.source);
  if (quoted.size > 0) {
    lines.push('', `### ${words.quotes}`, '');
    for (const [clause, source] of quoted) lines.push(`- **${clause}** 「${source.quote}」${options.lang === 'en' && source.gloss ? `  \n  ${source.gloss}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeCondition(node: Condition, parameters: Readonly<Record<string, unknown>>, words: (typeof WORDS)['en' | 'zh'], top: boolean): string {
  if ('all' in node) {
    const parts = node.all.map((c) => describeCondition(c, parameters, words, false));
    return top || parts.length === 1 ? parts.join(` ${words.and} `) : `(${parts.join(` ${words.and} `)})`;
  }
  if ('any' in node) {
    const parts = node.any.map((c) => describeCondition(c, parameters, words, false));
    return parts.length === 1 ? parts[0]! : `(${parts.join(` ${words.or} `)})`;
  }
  if ('not' in node) return `${words.not} (${describeCondition(node.not, parameters, words, true)})`;
  const fact = `${node.fact.startsWith(PARAMETER_PREFIX) ? node.fact.slice(PARAMETER_PREFIX.length) : node.fact}${node.path?.slice(1) ?? ''}`;
  return `${fact} ${SYMBOLS[node.operator]} ${describeValue(node.value, parameters)}`;
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
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
