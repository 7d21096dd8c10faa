// The impact report as text for a terminal and as Markdown for a pull-request comment.
import { markdownCell, markdownText } from '../toolkit/escape.js';
import type { ImpactReport, ImpactSide } from '../toolkit/impact.js';

/** What the report compares, for its heading. */
export interface ImpactSides {
  readonly base: string;
  readonly rules: string;
  readonly asOf: string;
}

const count = (n: number) => n.toLocaleString('en');
const percent = (n: number, of: number) => (of === 0 ? '0%' : `${((100 * n) / of).toFixed(2)}%`);

/**
 * An outcome as `field=value` pairs, lists as `[a, b]`: shorter than its JSON, as exact.
 *
 * @example
 * outcomeText({ authority: 'sales_vp', route: ['technical', 'finance'] }); //=> 'authority=sales_vp route=[technical, finance]'
 */
export function outcomeText(outcome: unknown): string {
  if (outcome === null || typeof outcome !== 'object' || Array.isArray(outcome)) return JSON.stringify(outcome);
  return Object.entries(outcome)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v === 'string') ? `[${value.join(', ')}]` : JSON.stringify(value)}`
    )
    .join(' ');
}
const sideText = (side: ImpactSide) => `${outcomeText(side.outcome)} [${side.basis.join(', ')}]`;
const idsText = (ids: readonly unknown[], total: number) => `${ids.map((id) => (typeof id === 'string' ? id : JSON.stringify(id))).join(', ')}${total > ids.length ? ', …' : ''}`;

function headline(report: ImpactReport): string {
  const both = Object.values(report.refusedByBoth).reduce((a, b) => a + b, 0);
  const one = report.refusals.reduce((a, r) => a + r.count, 0);
  return `${count(report.rows)} rows: ${count(report.decided)} decided by both, ${count(report.changed)} change outcome (${percent(report.changed, report.decided)}), ${count(
    report.basisChanged
  )} change basis only, ${count(one)} refused by one side, ${count(both)} by both`;
}

/**
 * The impact report for a terminal (the CLI escapes control characters on output).
 *
 * @example
 * impactText(report, { base: 'main-rules', rules: 'rules', asOf: '2026-01-01' });
 */
export function impactText(report: ImpactReport, sides: ImpactSides): string {
  const lines = [`impact on ${report.policy}: ${sides.base} → ${sides.rules}, as of ${sides.asOf}`, headline(report)];
  if (report.transitions.length > 0) {
    lines.push('', 'Transitions (before → after):');
    for (const t of report.transitions) {
      lines.push(
        `  ${count(t.count).padStart(10)}  ${sideText(t.before)}`,
        `  ${''.padStart(10)}  → ${sideText(t.after)}${t.outcomeChanged ? '' : ' (basis only)'}`,
        `  ${''.padStart(10)}  e.g. ${idsText(t.examples, t.count)}`
      );
    }
  }
  if (report.otherTransitions.count > 0)
    lines.push(`  ${count(report.otherTransitions.count).padStart(10)}  in ${count(report.otherTransitions.transitions)} more transitions (past the first ones listed)`);
  if (report.refusals.length > 0) {
    lines.push('', 'Refused by one side only:');
    for (const r of report.refusals)
      lines.push(
        `  ${count(r.count).padStart(10)}  refused by ${r.refusedBy === 'base' ? 'base (before)' : 'rules (after)'}: ${r.code}, e.g. ${idsText(r.examples, r.count)}`,
        `  ${''.padStart(10)}  first: ${r.message.split('\n').join(' ')}`
      );
  }
  const both = Object.entries(report.refusedByBoth);
  if (both.length > 0) lines.push('', `Refused by both: ${both.map(([code, n]) => `${code} ${count(n)}`).join(', ')}`);
  if (report.money !== undefined) {
    const rows = [
      ...report.money.agents.map((m) => [m.agent, m.before, m.after, m.difference]),
      ['(unallocated)', report.money.unallocated.before, report.money.unallocated.after, report.money.unallocated.difference],
      ['total', report.money.total.before, report.money.total.after, report.money.total.difference],
    ];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...[['agent', 'before', 'after', 'difference'], ...rows].map((r) => r[i]!.length)));
    lines.push('', 'Money per agent, in the rows both sides decide (CNY, exact):');
    for (const r of [['agent', 'before', 'after', 'difference'], ...rows])
      lines.push(
        `  ${r[0]!.padEnd(widths[0]!)}  ${r
          .slice(1)
          .map((v, i) => v.padStart(widths[i + 1]!))
          .join('  ')}`
      );
  }
  return lines.join('\n');
}

/**
 * The impact report as Markdown for a pull-request comment: every value from the data or the
 * rules escaped, so a cell stays a cell and adds no link, image or HTML.
 *
 * @example
 * impactMarkdown(report, { base: 'main', rules: 'this branch', asOf: "each row's signedOn" });
 */
export function impactMarkdown(report: ImpactReport, sides: ImpactSides): string {
  const cell = (text: string) => markdownCell(text);
  const lines = [
    `### impact on ${markdownText(report.policy)}: ${markdownText(sides.base)} → ${markdownText(sides.rules)}, as of ${markdownText(sides.asOf)}`,
    '',
    markdownText(headline(report)),
  ];
  if (report.transitions.length > 0 || report.otherTransitions.count > 0) {
    lines.push('', '| rows | before | after | examples |', '|---:|---|---|---|');
    for (const t of report.transitions)
      lines.push(
        `| ${count(t.count)} | ${cell(sideText(t.before))} | ${cell(sideText(t.after))}${t.outcomeChanged ? '' : ' (basis only)'} | ${cell(idsText(t.examples, t.count))} |`
      );
    if (report.otherTransitions.count > 0) lines.push(`| ${count(report.otherTransitions.count)} | ${count(report.otherTransitions.transitions)} more transitions | | |`);
  }
  if (report.refusals.length > 0) {
    lines.push('', '| rows | refused by | code | examples | first message |', '|---:|---|---|---|---|');
    for (const r of report.refusals)
      lines.push(
        `| ${count(r.count)} | ${r.refusedBy === 'base' ? 'base (before)' : 'rules (after)'} | ${cell(r.code)} | ${cell(idsText(r.examples, r.count))} | ${cell(r.message)} |`
      );
  }
  if (report.money !== undefined) {
    lines.push('', 'Money per agent, in the rows both sides decide (CNY, exact):', '', '| agent | before | after | difference |', '|---|---:|---:|---:|');
    for (const m of report.money.agents) lines.push(`| ${cell(m.agent)} | ${m.before} | ${m.after} | ${m.difference} |`);
    const { unallocated, total } = report.money;
    lines.push(
      `| (unallocated) | ${unallocated.before} | ${unallocated.after} | ${unallocated.difference} |`,
      `| **total** | ${total.before} | ${total.after} | ${total.difference} |`
    );
  }
  return lines.join('\n');
}
