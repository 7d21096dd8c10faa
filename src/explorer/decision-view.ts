/// <reference lib="dom" />
import type { InputIssue } from '../core/errors.js';
import { safeJson } from '../core/errors.js';
import { describeValue, labelsFor } from '../core/labels.js';
import type { Decision } from '../core/policy.js';
import type { RuleFile } from '../core/rule-file.js';
import type { ConditionTrace, RuleTrace } from '../core/trace.js';
import { h } from './dom.js';
import type { Lang, Words } from './words.js';

/** What trying the facts gave: a decision, the issues that prevent one, or another error. */
export type Attempt =
  | { readonly kind: 'decision'; readonly decision: Decision<unknown> }
  | { readonly kind: 'issues'; readonly code: string; readonly issues: readonly InputIssue[] }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/**
 * The attempt as JSON: the decision itself, or `{ error, issues }` shaped like a case file's
 * expected error.
 *
 * @example
 * attemptJson({ kind: 'issues', code: 'INVALID_FACTS', issues }); //=> '{\n  "error": "INVALID_FACTS", …'
 */
function attemptJson(attempt: Attempt): string {
  const value = attempt.kind === 'decision' ? attempt.decision : attempt.kind === 'issues' ? { error: attempt.code, issues: attempt.issues } : { error: attempt.code, message: attempt.message };
  return JSON.stringify(value, null, 2);
}

/**
 * Renders an attempt: the outcome with its labels, the rules that fired with their source, the
 * trace with every condition marked true or false, and the JSON (`data-testid="decision"`); or
 * the issues, each with its path.
 *
 * @example
 * container.replaceChildren(...decisionView(attempt, spec, 'en', WORDS.en));
 */
export function decisionView(attempt: Attempt, spec: RuleFile, lang: Lang, words: Words): Node[] {
  const json = h('details', { class: 'json' }, h('summary', {}, words.json), h('pre', { 'data-testid': 'decision' }, attemptJson(attempt)));
  if (attempt.kind === 'issues') {
    return [
      h('div', { class: 'issues' }, h('p', { class: 'issues-title' }, words.issues), h('ul', { 'data-testid': 'issues' }, ...attempt.issues.map((issue) => issueItem(issue, words)))),
      json,
    ];
  }
  if (attempt.kind === 'error') {
    return [h('div', { class: 'issues' }, h('p', { class: 'issues-title' }, words.error), h('p', { 'data-testid': 'issues' }, attempt.message)), json];
  }
  const { decision } = attempt;
  const fired = decision.trace.filter((rule) => rule.fired);
  const warnings = decision.warnings ?? [];
  return [
    h('dl', { class: 'outcome', 'data-testid': 'outcome' }, ...outcomeEntries(decision.outcome, spec.labels, lang)),
    h('p', { class: 'basis' }, `${words.decidedBy} `, ...join(decision.basis.map((id) => h('strong', {}, id)), ', '), ` · ${decision.asOf}`),
    ...(warnings.length > 0 ? [h('ul', { class: 'warnings', 'aria-label': words.warnings }, ...warnings.map((w) => h('li', {}, `${words.warnings}: ${w}`)))] : []),
    h('h4', {}, words.fired),
    fired.length === 0 ? h('p', {}, words.noneFired) : h('ul', { class: 'fired' }, ...fired.map((rule) => firedItem(rule, spec, lang))),
    h('details', { class: 'trace', open: true }, h('summary', {}, words.trace), h('ol', { class: 'trace-rules' }, ...decision.trace.map((rule) => traceItem(rule, words)))),
    json,
  ];
}

/**
 * One line that says what the attempt gave, for screen readers: the outcome and its basis, or how
 * many issues stand in the way.
 *
 * @example
 * attemptSummary(attempt, spec, 'en', WORDS.en); //=> 'Decision: authority = sales_vp (Sales Vice President); … Decided by REV-6.2'
 */
export function attemptSummary(attempt: Attempt, spec: RuleFile, lang: Lang, words: Words): string {
  if (attempt.kind === 'issues') return `${words.issues}: ${attempt.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`;
  if (attempt.kind === 'error') return `${words.error}: ${attempt.message}`;
  const { outcome, basis } = attempt.decision;
  const parts = outcome !== null && typeof outcome === 'object' ? Object.entries(outcome).map(([key, value]) => `${key} = ${describeValue(value, labelsFor(spec.labels, key), lang)}`) : [safeJson(outcome)];
  return `${words.decision}: ${parts.join('; ')}. ${words.decidedBy} ${basis.join(', ')}`;
}

function issueItem(issue: InputIssue, words: Words): HTMLElement {
  const received = issue.received === undefined ? words.nothing : safeJson(issue.received);
  return h('li', {}, issue.path ? h('code', {}, issue.path) : null, issue.path ? ': ' : '', issue.message, h('span', { class: 'received' }, ` (${words.received} ${received})`));
}

type Labels = RuleFile['labels'];

function outcomeEntries(outcome: unknown, labels: Labels, lang: Lang): Node[] {
  if (outcome === null || typeof outcome !== 'object') return [h('dt', {}, 'outcome'), h('dd', {}, safeJson(outcome, 400))];
  return Object.entries(outcome).flatMap(([key, value]) => [h('dt', {}, key), h('dd', {}, describeValue(value, labelsFor(labels, key), lang))]);
}


function firedItem(rule: RuleTrace, spec: RuleFile, lang: Lang): HTMLElement {
  const definition = spec.rules[rule.index];
  const source = rule.source;
  return h(
    'li',
    {},
    h('strong', {}, rule.rule),
    definition?.description ? ` ${definition.description}` : '',
    source?.quote ? h('span', { class: 'quote', lang: 'zh' }, ` 「${source.quote}」`) : null,
    lang === 'en' && source?.gloss ? h('span', { class: 'gloss' }, ` ${source.gloss}`) : null,
  );
}

function traceItem(rule: RuleTrace, words: Words): HTMLElement {
  const conditions = rule.conditions.kind === 'all' ? rule.conditions.conditions : [rule.conditions];
  return h(
    'li',
    { class: rule.fired ? 'rule fired' : 'rule', 'data-result': String(rule.fired), 'data-rule': rule.rule },
    h('span', { class: 'rule-head' }, mark(rule.fired), ' ', h('strong', {}, rule.rule), ` ${rule.fired ? words.applied : words.notApplied}`, h('span', { class: 'meta' }, ` · rules[${rule.index}] · ${words.priority} ${rule.priority}`)),
    h('ul', { class: 'conditions' }, ...conditions.map((c) => conditionItem(c, words))),
  );
}

function conditionItem(node: ConditionTrace, words: Words): HTMLElement {
  const attributes = { class: `condition ${node.result}`, 'data-result': String(node.result) };
  switch (node.kind) {
    case 'all':
    case 'any':
      return h('li', attributes, mark(node.result), ` ${node.kind === 'all' ? words.allOf : words.anyOf}:`, h('ul', {}, ...node.conditions.map((c) => conditionItem(c, words))));
    case 'not':
      return h('li', attributes, mark(node.result), ` ${words.not}:`, h('ul', {}, conditionItem(node.condition, words)));
    case 'fact': {
      const from = node.valueFrom === undefined ? '' : ` [${node.valueFrom}]`;
      const seen = node.factValue === undefined ? words.missing : safeJson(node.factValue);
      const value = node.valueMissing === undefined ? safeJson(node.value) : words.missing;
      const name = node.name === undefined ? '' : `[${node.name}] `;
      return h('li', attributes, mark(node.result), ` ${name}`, h('code', {}, `${node.fact}${node.path ?? ''} ${node.operator} ${value}${from}`), ` (${words.was} ${seen})`);
    }
  }
}

function mark(result: boolean): HTMLElement {
  return h('span', { class: `mark ${result}` }, result ? '✓ true' : '✗ false');
}

function join(nodes: readonly Node[], separator: string): (Node | string)[] {
  return nodes.flatMap((node, i) => (i === 0 ? [node] : [separator, node]));
}
