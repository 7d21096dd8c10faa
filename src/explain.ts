import { installRuleLoader, isBuildChecked } from './core/compile.js';
import { compileRuleFile } from './core/rule-loader.js';
import { safeJson } from './core/errors.js';
import type { OutcomeLabels } from './core/labels.js';
import { describeValue, labelsFor } from './core/labels.js';
import type { Decision } from './core/policy.js';
import type { SourceRef } from './core/rule-file.js';
import type { ComparisonTrace, ConditionTrace, RuleTrace } from './core/trace.js';
import { isPolicyId, POLICIES } from './policies.js';
import { engineOf } from './core/policy.js';
import { bundledTexts } from './rule-texts.js';

// `options.rules` may be a rules file's JSON here: this entry brings the loader (an area entry
// point evaluates its bundled rules, checked at build, without it).
installRuleLoader(compileRuleFile);

/** Options of {@link explain}. */
export interface ExplainOptions {
  /** Language of the labels and of the source line: `en` quotes the English gloss beside the Chinese. Default `en`. */
  readonly lang?: 'en' | 'zh';
  /** Show the rules that did not fire too (default `false`). */
  readonly all?: boolean;
  /**
   * The rules the decision was made with, as given to `evaluate` in `options.rules` (one rules
   * file, compiled or not, or a rule set by policy id): their labels name the outcome's values.
   * Default: the bundled rules. {@link createPolicies} binds it for you.
   */
  readonly rules?: unknown;
}

// `was` and `missing` are in characters that simplified and traditional Chinese share: the facts
// they introduce may belong to a source in either script (000_… simplified, 003_… traditional).
const WORDS = {
  en: { decided: 'Decided by', source: 'Source', notFired: 'Did not apply', noTrace: 'no trace was kept (trace: false)', warning: 'Warning', was: 'was', missing: 'missing', nothingAt: 'nothing at' },
  zh: { decided: '依據', source: '原文', notFired: '未適用', noTrace: '未保留推理過程 (trace: false)', warning: '注意', was: '取值', missing: '未提供', nothingAt: '未提供' },
} as const;

type Words = (typeof WORDS)[keyof typeof WORDS];

/**
 * Renders a decision as a few lines a person can read: the outcome, the rules it rests on with
 * the clause they quote, and each condition with the value it saw.
 *
 * @example
 * console.log(explain(evaluate('review.approval', { amount: '1200000', channel: 'direct' })));
 * // review.approval (2026-11-23): authority = sales_vp (Sales Vice President); route = technical → … → sales_vp
 * // Decided by REV-6.2 — 6.2 「單項合同金額在50-300萬元或50萬元以內有爭議的訂單,評審至銷售副總為止。」
 * //   ✓ channel equal "direct" (was "direct")
 * //   ✓ amount greaterThan 500000 [param.directorLimit] (was "1200000")
 */
export function explain(decision: Decision<unknown>, options: ExplainOptions = {}): string {
  const lang = options.lang ?? 'en';
  const words = WORDS[lang];
  const { labels, sourceOf } = textsOf(decision.policy, options.rules);
  const lines = [`${decision.policy} (${decision.asOf}): ${describeOutcome(decision.outcome, labels, lang)}`];
  if (decision.trace.length === 0) {
    lines.push(`${words.decided} ${decision.basis.join(', ')} — ${words.noTrace}`);
  }
  for (const rule of decision.trace) {
    if (!rule.fired && !options.all) continue;
    lines.push(`${rule.fired ? words.decided : words.notFired} ${rule.rule}${sourceLine(sourceOf(rule), lang)}`);
    lines.push(...conditionLines(rule.conditions, 1, words));
  }
  for (const warning of decision.warnings ?? []) lines.push(`${words.warning}: ${warning}`);
  return lines.join('\n');
}

function sourceLine(source: SourceRef | undefined, lang: 'en' | 'zh'): string {
  if (!source) return '';
  const quote = source.quote ? ` 「${source.quote}」` : '';
  const gloss = lang === 'en' && source.gloss ? `\n  (${source.gloss})` : '';
  return ` — ${source.clause}${quote}${gloss}`;
}

function conditionLines(node: ConditionTrace, depth: number, words: Words): string[] {
  const indent = '  '.repeat(depth);
  const mark = node.result ? '✓' : '✗';
  switch (node.kind) {
    case 'all':
    case 'any':
      // The top-level "all" of a rule reads best as a plain list of its conditions (unless it has a name to show).
      if (depth === 1 && node.kind === 'all' && node.name === undefined) return node.conditions.flatMap((child) => conditionLines(child, depth, words));
      return [`${indent}${mark} ${named(node.name)}${node.kind} of:`, ...node.conditions.flatMap((child) => conditionLines(child, depth + 1, words))];
    case 'not':
      return [`${indent}${mark} ${named(node.name)}not:`, ...conditionLines(node.condition, depth + 1, words)];
    case 'fact':
      return [comparisonLine(node, indent, mark, words)];
  }
}

/** A condition's name, as a label before it: `[isWeekend] `. */
function named(name: string | undefined): string {
  return name === undefined ? '' : `[${name}] `;
}

function comparisonLine(node: ComparisonTrace, indent: string, mark: string, words: Words): string {
  const from = node.valueFrom === undefined ? '' : ` [${node.valueFrom}]`;
  const seen = missingWords(node.missing, node.path, words) ?? `${words.was} ${safeJson(node.factValue)}`;
  const value = node.valueMissing === undefined ? safeJson(node.value) : words.missing;
  return `${indent}${mark} ${named(node.name)}${node.fact}${node.path ?? ''} ${node.operator} ${value}${from} (${seen})`;
}

/** How a missing value reads: the fact was not given ("was missing"), or nothing was at its path. */
function missingWords(missing: ComparisonTrace['missing'], path: string | undefined, words: Words): string | undefined {
  if (missing === undefined) return undefined;
  return missing === 'path' && words.nothingAt !== words.missing ? `${words.nothingAt} ${path ?? ''}` : `${words.was} ${words.missing}`;
}


function describeOutcome(outcome: unknown, labels: OutcomeLabels, lang: 'en' | 'zh'): string {
  if (outcome === null || typeof outcome !== 'object') return safeJson(outcome);
  return Object.entries(outcome)
    .map(([key, value]) => `${key} = ${describeValue(value, labelsFor(labels, key), lang)}`)
    .join('; ');
}

interface Texts {
  readonly labels: OutcomeLabels;
  /** A traced rule's source clause with its quote and gloss. */
  readonly sourceOf: (rule: RuleTrace) => SourceRef | undefined;
}

/**
 * The labels and quotes of the rules a decision was made with. A rules file given as JSON or
 * compiled keeps its text, and the trace carries its quotes; a bundled file was built down to its
 * decision part (see decisionPart), its text bundled apart: read from there, rule by position,
 * and only for the clause the trace names.
 */
function textsOf(policy: string, rules: unknown): Texts {
  if (!isPolicyId(policy)) return { labels: {}, sourceOf: (rule) => rule.source };
  const engine = engineOf(POLICIES[policy]);
  const spec = engine.rulesFor(rules).spec;
  const texts = isBuildChecked(spec) ? bundledTexts(engine.definition.rulesFile) : undefined;
  if (!texts) return { labels: spec.labels, sourceOf: (rule) => rule.source };
  return {
    labels: texts.labels,
    sourceOf: (rule) => {
      const text = rule.source?.quote === undefined ? texts.rules[rule.index] : undefined;
      return text && text.clause === rule.source?.clause ? text : rule.source;
    },
  };
}
