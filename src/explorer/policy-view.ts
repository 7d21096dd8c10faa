/// <reference lib="dom" />
import type { CompiledRuleFile } from '../core/compile.js';
import { versionAt } from '../core/compile.js';
import { PolicyInputError, SalesPoliciesError } from '../core/errors.js';
import type { Decision, EvaluateOptions } from '../core/policy.js';
import { evaluate } from '../evaluate.js';
import { isPolicyId } from '../policies.js';
import type { PolicyDoc } from '../toolkit/docs.js';
import { policyDoc } from '../toolkit/docs.js';
import { chartableFacts, stepChart } from '../toolkit/step-chart.js';
import { chartView } from './chart-view.js';
import type { ExplorerPolicy } from './data.js';
import type { Attempt } from './decision-view.js';
import { attemptSummary, decisionView } from './decision-view.js';
import { domId, h } from './dom.js';
import type { RawFacts } from './facts-form.js';
import { factField, factsFromRaw, inputFacts, markIssues, rawFromFacts, readRaw } from './facts-form.js';
import type { Lang, Words } from './words.js';

/** What a policy's section is drawn from. */
export interface PolicyViewOptions {
  readonly policy: ExplorerPolicy;
  readonly compiled: CompiledRuleFile;
  /** The rule set `evaluate` receives as `options.rules`. */
  readonly rules: Readonly<Record<string, unknown>>;
  readonly asOf: string;
  readonly lang: Lang;
  readonly words: Words;
  /** What the form held before a redraw (language or date change); else the first example. */
  readonly raw?: RawFacts | undefined;
}

/** A policy's section, and how to read its form before it is redrawn. */
export interface PolicyView {
  readonly element: HTMLElement;
  readonly raw: () => RawFacts;
}

/**
 * Draws one policy: its decision table, parameters in force and source text, a form of its facts
 * that evaluates live with the library's `evaluate`, the decision with its trace, and a step
 * chart for each numeric fact the rules compare with a threshold.
 *
 * @example
 * document.body.append(policyView({ policy, compiled, rules, asOf: '2026-01-01', lang: 'en', words: WORDS.en }).element);
 */
export function policyView(options: PolicyViewOptions): PolicyView {
  const { policy, compiled, rules, asOf, lang, words } = options;
  const spec = compiled.spec;
  const doc = policyDoc(compiled, { asOf, lang });
  const id = domId('policy', policy.id);
  const evaluable = isPolicyId(policy.id);
  const raw = options.raw ?? rawFromFacts(spec.facts, policy.examples[0]?.facts ?? {});

  const fields = (values: RawFacts) => inputFacts(spec.facts).map(([name, declaration]) => factField({ policy: policy.id, name, declaration, value: values[name] ?? '', words }));
  const form = h('form', { class: 'facts', 'aria-labelledby': domId(id, 'try') }, ...fields(raw));
  const hasBoolean = inputFacts(spec.facts).some(([, declaration]) => declaration.type === 'boolean');
  const table = decisionTable(doc, evaluable ? words.firedRows : undefined);
  const result = h('div', { class: 'result', id: domId(id, 'result') });
  // Screen readers hear a one-line summary of each new decision, not the whole trace.
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const charts = h('div', { class: 'charts' });
  const version = versionAt(compiled, asOf);
  const chartFacts = version ? chartableFacts(compiled, version) : [];

  const update = () => {
    const current = readRaw(form);
    const read = factsFromRaw(spec.facts, current, words);
    const attempt: Attempt = read.issues.length > 0 ? { kind: 'issues', code: 'INVALID_FACTS', issues: read.issues } : tryFacts(policy.id, read.facts, { rules, asOf });
    markIssues(form, policy.id, attempt.kind === 'issues' ? attempt.issues : []);
    result.replaceChildren(...decisionView(attempt, spec, lang, words));
    status.textContent = attemptSummary(attempt, spec, lang, words);
    const fired = new Set(attempt.kind === 'decision' ? attempt.decision.trace.filter((rule) => rule.fired).map((rule) => rule.index) : []);
    for (const row of table.querySelectorAll<HTMLElement>('tr[data-rule-index]')) row.classList.toggle('fired', fired.has(Number(row.dataset['ruleIndex'])));
    if (version) {
      charts.replaceChildren(
        ...chartFacts.flatMap((fact) => {
          const chart = stepChart(compiled, version, fact, { held: read.facts });
          return chart ? [chartView({ chart, spec, lang, words, id: domId(id, 'chart', fact), current: current[fact] })] : [];
        }),
      );
    }
  };
  // "input" fires for text, selects and checkboxes alike (after a checkbox's own click handler).
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => event.preventDefault());

  const load = (facts: Readonly<Record<string, unknown>>) => {
    const next = rawFromFacts(spec.facts, facts);
    form.replaceChildren(...fields(next));
    update();
  };
  const exampleId = domId(id, 'example');
  const examples =
    policy.examples.length === 0
      ? null
      : h(
          'div',
          { class: 'field examples' },
          h('label', { for: exampleId }, words.example),
          h('select', { id: exampleId }, h('option', { value: '' }, words.exampleNone), ...policy.examples.map((example, i) => h('option', { value: String(i) }, example.name))),
        );
  examples?.querySelector('select')?.addEventListener('change', (event) => {
    const index = (event.target as HTMLSelectElement).value;
    const example = index === '' ? undefined : policy.examples[Number(index)];
    if (example) load(example.facts);
  });
  const clear = h('button', { type: 'button', class: 'clear' }, words.clear);
  clear.addEventListener('click', () => load({}));

  const element = h(
    'section',
    { class: 'policy', id, 'aria-labelledby': domId(id, 'title'), 'data-policy': policy.id },
    h('h2', { id: domId(id, 'title') }, h('code', {}, policy.id), ` — ${doc.title}`),
    h('p', { class: 'meta' }, policy.file, ` · ${doc.words.decision}: ${doc.decision}`),
    h('p', {}, spec.description),
    h('p', {}, `${doc.words.source}: `, h('span', { lang: 'zh' }, `「${doc.document}」`)),
    h('h3', {}, words.decisionTable),
    table,
    h('h3', {}, Object.keys(spec.parameterInfo).length > 0 ? `${doc.words.parameters} ${asOf}` : words.parametersHeading),
    ...parameters(doc, words, Object.keys(spec.parameterInfo).length > 0),
    doc.quotes.length > 0 ? h('h3', {}, doc.words.quotes) : null,
    doc.quotes.length > 0 ? quotes(doc, lang) : null,
    h(
      'div',
      { class: 'try' },
      h('div', { class: 'try-facts' }, h('h3', { id: domId(id, 'try') }, words.tryFacts), evaluable ? h('div', { class: 'form-tools' }, examples, clear) : h('p', {}, words.notEvaluable(policy.id)), evaluable && hasBoolean ? h('p', { class: 'help' }, words.checkboxHint) : null, evaluable ? form : null),
      evaluable ? h('div', { class: 'try-result' }, h('h3', {}, words.decision), status, result) : null,
    ),
    chartFacts.length > 0 ? charts : h('p', { class: 'help' }, words.noChart),
  );
  if (evaluable) update();
  else if (version) {
    charts.replaceChildren(...chartFacts.flatMap((fact) => {
      const chart = stepChart(compiled, version, fact);
      return chart ? [chartView({ chart, spec, lang, words, id: domId(id, 'chart', fact) })] : [];
    }));
  }
  return { element, raw: () => readRaw(form) };
}

/** Evaluates with the library, turning every error it throws on purpose into something to show. */
function tryFacts(policy: string, facts: Record<string, unknown>, options: { rules: Readonly<Record<string, unknown>>; asOf: string }): Attempt {
  try {
    return { kind: 'decision', decision: (evaluate as unknown as (p: string, f: unknown, o: EvaluateOptions) => Decision<unknown>)(policy, facts, options) };
  } catch (error) {
    if (error instanceof PolicyInputError) return { kind: 'issues', code: error.code, issues: error.issues };
    if (error instanceof SalesPoliciesError) return { kind: 'error', code: error.code, message: error.message };
    return { kind: 'error', code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
  }
}

function decisionTable(doc: PolicyDoc, caption: string | undefined): HTMLElement {
  const { words: docWords } = doc;
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'decision-table' },
      caption === undefined ? null : h('caption', { class: 'help' }, caption),
      h('thead', {}, h('tr', {}, ...[docWords.rule, docWords.priority, docWords.when, docWords.then, docWords.source].map((text) => h('th', { scope: 'col' }, text)))),
      h(
        'tbody',
        {},
        ...doc.rows.map((row) => h('tr', { 'data-rule-index': row.index }, h('th', { scope: 'row' }, row.rule), h('td', { class: 'num' }, row.priority), h('td', {}, row.when), h('td', {}, row.then), h('td', {}, row.clause))),
      ),
    ),
  );
}

function parameters(doc: PolicyDoc, words: Words, declared: boolean): HTMLElement[] {
  const { words: docWords } = doc;
  const versions = h('p', { class: 'versions' }, `${words.versions}: `, ...doc.versions.flatMap((v, i) => [i > 0 ? ', ' : '', v.inForce ? h('strong', {}, `${v.from} (${words.inForce})`) : v.from]));
  if (!declared) return [h('p', {}, words.noParametersDeclared), versions];
  if (doc.parameters.length === 0) return [h('p', {}, words.noParameters), versions];
  return [
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'parameters' },
        h('thead', {}, h('tr', {}, ...[docWords.parameter, docWords.value, docWords.from, docWords.meaning].map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, ...doc.parameters.map((p) => h('tr', {}, h('th', { scope: 'row' }, h('code', {}, p.name)), h('td', {}, p.value, p.example ? ` (${docWords.example})` : ''), h('td', { class: 'date' }, p.from), h('td', {}, p.meaning)))),
      ),
    ),
    versions,
  ];
}

function quotes(doc: PolicyDoc, lang: Lang): HTMLElement {
  return h('dl', { class: 'quotes' }, ...doc.quotes.flatMap((q) => [h('dt', {}, q.clause), h('dd', {}, h('span', { lang: 'zh' }, `「${q.quote}」`), lang === 'en' && q.gloss ? h('span', { class: 'gloss', lang: 'en' }, q.gloss) : null)]));
}
