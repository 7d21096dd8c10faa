/// <reference lib="dom" />
// The explorer page's script: bundled for the browser (tsup, iife) and inlined by
// `sales-policies docs --html`. It reads the rule set the page embeds and evaluates with the
// library's own `evaluate`; it never fetches anything.
import type { CompiledRuleFile } from '../core/compile.js';
import { compileRuleFile } from '../core/rule-loader.js';
import { dateProblem } from '../core/dates.js';
import type { ExplorerData } from './data.js';
import { EXPLORER_DATA_ID } from './data.js';
import { domId, h } from './dom.js';
import { impactView } from './impact-view.js';
import type { PolicyView } from './policy-view.js';
import { policyView } from './policy-view.js';
import type { Lang } from './words.js';
import { WORDS } from './words.js';

function start(): void {
  const holder = document.getElementById(EXPLORER_DATA_ID);
  const app = document.getElementById('app');
  if (!holder || !app) throw new Error('the explorer page lacks its data or its #app element');
  const data = JSON.parse(holder.textContent ?? '') as ExplorerData;
  let lang: Lang = data.lang;
  let asOf = data.asOf;

  const compiled = new Map<string, CompiledRuleFile | Error>();
  for (const policy of data.policies) {
    try {
      // The same name `evaluate` gives a file of a rule set, so both share one compiled copy.
      compiled.set(policy.id, compileRuleFile(data.rules[policy.id], `options.rules[${JSON.stringify(policy.id)}]`));
    } catch (error) {
      compiled.set(policy.id, error instanceof Error ? error : new Error(String(error)));
    }
  }

  let views = new Map<string, PolicyView>();
  const render = () => {
    const focused = document.activeElement?.id;
    const words = WORDS[lang];
    document.documentElement.lang = lang;
    document.title = `${words.title} (${asOf})`;

    const language = h(
      'fieldset',
      { class: 'lang' },
      h('legend', {}, words.language),
      ...(['en', 'zh'] as const).flatMap((code) => {
        const radio = h('input', { type: 'radio', name: 'lang', id: `lang-${code}`, value: code, checked: code === lang });
        radio.addEventListener('change', () => {
          lang = code;
          render();
        });
        return [h('span', { class: 'radio' }, radio, h('label', { for: `lang-${code}`, lang: code }, code === 'en' ? 'English' : '中文'))];
      }),
    );
    const date = h('input', { type: 'date', id: 'as-of', name: 'asOf', value: asOf, min: '1900-01-01', max: '2999-12-31', required: true });
    date.addEventListener('change', () => {
      if (date.value === '' || dateProblem(date.value) !== undefined) return;
      asOf = date.value;
      render();
    });
    const header = h(
      'header',
      {},
      h('h1', {}, words.title),
      h('p', {}, words.intro),
      h('p', { class: 'meta' }, `${words.rulesFrom}: ${data.bundled ? words.bundled(data.version) : data.source} · ${words.policiesCount(data.policies.length)}`),
      h('div', { class: 'controls' }, language, h('div', { class: 'field as-of' }, h('label', { for: 'as-of' }, words.asOf), date)),
      h(
        'nav',
        { 'aria-label': words.contents },
        h('ul', {}, ...data.policies.map((policy) => {
          const file = compiled.get(policy.id);
          const title = file instanceof Error || file === undefined ? '' : ` — ${file.spec.title[lang]}`;
          return h('li', {}, h('a', { href: `#${domId('policy', policy.id)}` }, h('code', {}, policy.id), title));
        })),
      ),
    );
    const next = new Map<string, PolicyView>();
    const sections = data.policies.map((policy) => {
      const file = compiled.get(policy.id);
      if (file === undefined || file instanceof Error) {
        return h('section', { class: 'policy', id: domId('policy', policy.id) }, h('h2', {}, h('code', {}, policy.id)), h('pre', { class: 'issues' }, file?.message ?? 'missing'));
      }
      const view = policyView({ policy, compiled: file, rules: data.rules, asOf, lang, words, raw: views.get(policy.id)?.raw() });
      next.set(policy.id, view);
      if (data.impact?.policy === policy.id) view.element.append(impactView(data.impact, words));
      return view.element;
    });
    views = next;
    app.replaceChildren(header, h('main', {}, ...sections));
    if (focused) document.getElementById(focused)?.focus();
  };
  render();
}

start();
