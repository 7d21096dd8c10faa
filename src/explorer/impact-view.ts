/// <reference lib="dom" />
import type { ExplorerImpact, ExplorerImpactSide } from './data.js';
import { domId, h } from './dom.js';
import type { Words } from './words.js';

const count = (n: number) => n.toLocaleString('en');
const share = (n: number, of: number) => (of === 0 ? '0%' : `${((100 * n) / of).toFixed(2)}%`);
const total = (counts: readonly { count: number }[]) => counts.reduce((sum, c) => sum + c.count, 0);
const ids = (examples: readonly string[], rows: number) => `${examples.join(', ')}${rows > examples.length ? ', …' : ''}`;

/**
 * The impact the page was written with (`docs --html --data FILE`): what the page's rules change
 * in a file of historical facts against the bundled rules, as tables. Every text comes from the
 * embedded data and becomes text nodes, never markup.
 *
 * @example
 * section.append(impactView(data.impact, WORDS.en));
 */
export function impactView(impact: ExplorerImpact, words: Words): HTMLElement {
  const id = domId('policy', impact.policy, 'impact');
  const asOf = 'date' in impact.asOf ? impact.asOf.date : words.impactRowDates(impact.asOf.field);
  const oneSide = total(impact.refusals) + impact.otherRefusals.count;
  return h(
    'div',
    { class: 'impact', id, 'aria-labelledby': domId(id, 'title') },
    h('h3', { id: domId(id, 'title') }, words.impact),
    h('p', { class: 'meta' }, words.impactIntro(impact.data, impact.base, impact.rules, asOf)),
    h('p', { class: 'impact-summary' }, words.impactSummary(count(impact.rows), count(impact.decided), count(impact.changed), share(impact.changed, impact.decided), count(impact.basisChanged), count(oneSide), count(total(impact.refusedByBoth)))),
    impact.transitions.length === 0 && impact.otherTransitions.count === 0 ? h('p', {}, words.impactNone) : transitions(impact, words),
    impact.refusals.length === 0 ? null : refusals(impact, words),
    impact.refusedByBoth.length === 0 ? null : h('p', { class: 'refused-by-both' }, `${words.impactRefusedByBoth}: `, impact.refusedByBoth.map((r) => `${r.code} ${count(r.count)}`).join(', ')),
    impact.money === undefined ? null : money(impact.money, words),
  );
}

function table(className: string, caption: string, headings: readonly string[], rows: readonly HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h('table', { class: className }, h('caption', {}, caption), h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))), h('tbody', {}, ...rows)),
  );
}

const sideCells = (side: ExplorerImpactSide) => [h('td', {}, side.outcome), h('td', {}, side.basis.join(', '))];

function transitions(impact: ExplorerImpact, words: Words): HTMLElement {
  const rows = impact.transitions.map((t) =>
    h('tr', {}, h('td', { class: 'num' }, count(t.count)), ...sideCells(t.before), h('td', {}, t.after.outcome, t.outcomeChanged ? null : h('span', { class: 'help' }, ` (${words.impactBasisOnly})`)), h('td', {}, t.after.basis.join(', ')), h('td', {}, ids(t.examples, t.count))),
  );
  if (impact.otherTransitions.count > 0) rows.push(h('tr', {}, h('td', { class: 'num' }, count(impact.otherTransitions.count)), h('td', { colspan: 5 }, words.impactOther(count(impact.otherTransitions.count), count(impact.otherTransitions.transitions)))));
  const { impactRows, impactBefore, impactAfter, impactBasis, impactExamples } = words;
  return table('impact-transitions', words.impactTransitions, [impactRows, impactBefore, `${impactBasis} (${impactBefore})`, impactAfter, `${impactBasis} (${impactAfter})`, impactExamples], rows);
}

function refusals(impact: ExplorerImpact, words: Words): HTMLElement {
  const rows = impact.refusals.map((r) => h('tr', {}, h('td', { class: 'num' }, count(r.count)), h('td', {}, words.impactSide[r.refusedBy]), h('td', {}, h('code', {}, r.code)), h('td', {}, ids(r.examples, r.count)), h('td', {}, r.message)));
  if (impact.otherRefusals.count > 0) rows.push(h('tr', {}, h('td', { class: 'num' }, count(impact.otherRefusals.count)), h('td', { colspan: 4 }, words.impactOtherRefusals(count(impact.otherRefusals.count), count(impact.otherRefusals.groups)))));
  return table('impact-refusals', words.impactRefusals, [words.impactRows, words.impactRefusedBy, words.impactCode, words.impactExamples, words.impactMessage], rows);
}

function money(money: NonNullable<ExplorerImpact['money']>, words: Words): HTMLElement {
  const row = (agent: string, m: { before: string; after: string; difference: string }, head = false) =>
    h('tr', {}, h(head ? 'th' : 'td', head ? { scope: 'row' } : {}, agent), h('td', { class: 'num' }, m.before), h('td', { class: 'num' }, m.after), h('td', { class: 'num' }, m.difference));
  const rows = [
    ...money.agents.map((m) => row(m.agent, m)),
    money.others === undefined ? null : row(words.impactOtherAgents(count(money.others.agents)), money.others, true),
    row(words.impactUnallocated, money.unallocated, true),
    row(words.impactTotal, money.total, true),
  ].filter((r): r is HTMLTableRowElement => r !== null);
  return table('impact-money', words.impactMoney, [words.impactAgent, words.impactBefore, words.impactAfter, words.impactDifference], rows);
}
