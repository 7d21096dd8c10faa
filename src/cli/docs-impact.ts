import { existsSync, statSync } from 'node:fs';
import type { ExplorerImpact, ExplorerImpactSide } from '../explorer/data.js';
import { FactsFileError, readFactsFile } from '../node/facts-file.js';
import type { RuleSet } from '../rule-set.js';
import type { ImpactReport, ImpactSide } from '../toolkit/impact.js';
import { fromFen, impact, toFen } from '../toolkit/impact.js';
import { policyArg } from './deciding.js';
import { jsonForScript } from './explorer-html.js';
import { outcomeText } from './impact-format.js';
import { withPolicy } from './impact-verb.js';
import { UsageError } from './io.js';

/**
 * How much of an impact report the explorer page embeds. The data file and the rules are
 * untrusted and the page has a byte budget, so every list is cut and every text clipped, and
 * the lists are shortened further (the least frequent entries first) until the embedded JSON,
 * escaped for the page, takes at most `bytes`, whatever the file holds.
 */
export const PAGE_IMPACT_LIMITS = {
  transitions: 12,
  refusals: 8,
  agents: 50,
  /** Example ids per transition and per refusal. */
  examples: 3,
  /** Characters of an id, a code, a rule id, an agent's name, an outcome's text and a refusal's message. */
  id: 64,
  outcome: 300,
  message: 240,
  /** Rule ids listed per side. */
  basis: 12,
  /** The most bytes the embedded impact takes, as `<script type="application/json">` text. */
  bytes: 16 * 1024,
} as const;

/** What the page says the impact is of: the data file, each side's rules and the date of the rows. */
export interface PageImpactLabels {
  readonly data: string;
  readonly base: string;
  readonly rules: string;
  readonly asOf: ExplorerImpact['asOf'];
}

/**
 * Text of at most `max` characters: longer text is cut (never inside a surrogate pair) and ends in `…`.
 *
 * @example
 * clip('C-0000016', 4); //=> 'C-0…'
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

const idText = (id: unknown) => clip(typeof id === 'string' ? id : (JSON.stringify(id) ?? String(id)), PAGE_IMPACT_LIMITS.id);
const examplesOf = (ids: readonly unknown[]) => ids.slice(0, PAGE_IMPACT_LIMITS.examples).map(idText);
const sideOf = (side: ImpactSide): ExplorerImpactSide => ({
  outcome: clip(outcomeText(side.outcome), PAGE_IMPACT_LIMITS.outcome),
  basis: side.basis.slice(0, PAGE_IMPACT_LIMITS.basis).map((rule) => clip(rule, PAGE_IMPACT_LIMITS.id)),
});
const sum = (counts: readonly { count: number }[]) => counts.reduce((total, c) => total + c.count, 0);

/** How many transitions, refusals and agents a page lists. */
interface Listed {
  transitions: number;
  refusals: number;
  agents: number;
}

/**
 * The part of an impact report the explorer page embeds: the most frequent transitions and
 * refusals and the agents whose money moves most (the rest counted, the agents' money summed
 * exactly), ids and texts clipped, at most `PAGE_IMPACT_LIMITS.bytes` once escaped.
 *
 * @example
 * pageImpact(report, { data: 'history.ndjson', base: 'the bundled rules', rules: 'rules', asOf: { field: 'signedOn' } }).changed; //=> 1
 */
export function pageImpact(report: ImpactReport, labels: PageImpactLabels, maxBytes: number = PAGE_IMPACT_LIMITS.bytes): ExplorerImpact {
  const listed: Listed = {
    transitions: Math.min(PAGE_IMPACT_LIMITS.transitions, report.transitions.length),
    refusals: Math.min(PAGE_IMPACT_LIMITS.refusals, report.refusals.length),
    agents: Math.min(PAGE_IMPACT_LIMITS.agents, report.money?.agents.length ?? 0),
  };
  for (;;) {
    const impact = listedImpact(report, labels, listed);
    if (jsonForScript(impact).length <= maxBytes) return impact;
    // One of each, clipped, is a few KB at most: the floor.
    const longest = (['transitions', 'refusals', 'agents'] as const).reduce((a, b) => (listed[b] > listed[a] ? b : a));
    if (listed[longest] <= 1) return impact;
    listed[longest]--;
  }
}

function listedImpact(report: ImpactReport, labels: PageImpactLabels, listed: Listed): ExplorerImpact {
  const hidden = report.transitions.slice(listed.transitions);
  const hiddenRefusals = report.refusals.slice(listed.refusals);
  return {
    policy: report.policy,
    ...labels,
    rows: report.rows,
    decided: report.decided,
    changed: report.changed,
    basisChanged: report.basisChanged,
    refusedByBoth: Object.entries(report.refusedByBoth)
      .map(([code, count]) => ({ code: clip(code, PAGE_IMPACT_LIMITS.id), count }))
      .sort((x, y) => y.count - x.count),
    transitions: report.transitions.slice(0, listed.transitions).map((t) => ({ before: sideOf(t.before), after: sideOf(t.after), outcomeChanged: t.outcomeChanged, count: t.count, examples: examplesOf(t.examples) })),
    otherTransitions: { count: sum(hidden) + report.otherTransitions.count, transitions: hidden.length + report.otherTransitions.transitions },
    refusals: report.refusals.slice(0, listed.refusals).map((r) => ({ refusedBy: r.refusedBy, code: clip(r.code, PAGE_IMPACT_LIMITS.id), count: r.count, examples: examplesOf(r.examples), message: clip(r.message, PAGE_IMPACT_LIMITS.message) })),
    otherRefusals: { count: sum(hiddenRefusals), groups: hiddenRefusals.length },
    ...(report.money === undefined ? {} : { money: pageMoney(report.money, listed.agents) }),
  };
}

function pageMoney(money: NonNullable<ImpactReport['money']>, listed: number): NonNullable<ExplorerImpact['money']> {
  const agents = money.agents.slice(0, listed).map((m) => ({ ...m, agent: clip(m.agent, PAGE_IMPACT_LIMITS.id) }));
  const rest = money.agents.slice(listed);
  if (rest.length === 0) return { agents, unallocated: money.unallocated, total: money.total };
  // The agents not listed, summed in exact fen, so the listed rows and this one still add up to the total.
  let before = 0n;
  let after = 0n;
  for (const m of rest) {
    before += toFen(m.before);
    after += toFen(m.after);
  }
  return { agents, others: { agents: rest.length, before: fromFen(before), after: fromFen(after), difference: fromFen(after - before) }, unallocated: money.unallocated, total: money.total };
}

/** What `docs --html --data FILE` reads its impact from. */
export interface DocsImpactOptions {
  readonly file: string;
  /** `--policy`; else the rows' `policy` column. */
  readonly policy: string | undefined;
  /** The policies the page shows: the data's must be one of them. */
  readonly shown: readonly string[];
  /** The page's rules (after); before is always the bundled rules. */
  readonly rules: RuleSet | undefined;
  readonly labels: Omit<PageImpactLabels, 'asOf' | 'data'>;
  readonly asOf: string;
  readonly asOfField: string | undefined;
  readonly idField: string | undefined;
  readonly timeZone: string;
}

/**
 * The impact of the page's rules against the bundled ones over a file of historical facts, read
 * as `sales-policies impact` reads it (NDJSON or CSV, `--policy` or a `policy` column, `--id`,
 * `--as-of-field`), bounded for the page. A file that cannot be read at all, or whose policy the
 * page does not show, is a usage error; a row that cannot be read is counted in the report.
 *
 * @example
 * const shown = await docsImpact({ file: 'history.ndjson', policy: 'review.approval', shown: ['review.approval'], rules, labels: { base: 'the bundled rules', rules: 'rules' }, asOf: '2026-01-01', asOfField: 'signedOn', idField: undefined, timeZone: 'Asia/Shanghai' });
 */
export async function docsImpact(options: DocsImpactOptions): Promise<ExplorerImpact> {
  const { file } = options;
  if (!existsSync(file)) throw new UsageError(`--data: no file ${JSON.stringify(file)}`);
  if (statSync(file).isDirectory()) throw new UsageError(`--data takes a file, ${JSON.stringify(file)} is a folder`);
  if (/\.parquet$/i.test(file)) throw new UsageError('--data: the page reads .ndjson or .csv (Parquet only impact --engine duckdb reads)');
  try {
    const { policy, rows } = await withPolicy(readFactsFile(file), options.policy === undefined ? undefined : policyArg(options.policy));
    if (!options.shown.includes(policy)) throw new UsageError(`--data holds facts of ${policy}, which the page does not show (it shows ${options.shown.join(', ')})`);
    const report = await impact(policy, rows, {
      base: undefined,
      rules: options.rules,
      asOf: options.asOf,
      timeZone: options.timeZone,
      examples: PAGE_IMPACT_LIMITS.examples,
      ...(options.asOfField === undefined ? {} : { asOfField: options.asOfField }),
      ...(options.idField === undefined ? {} : { idField: options.idField }),
    });
    return pageImpact(report, { data: file, ...options.labels, asOf: options.asOfField === undefined ? { date: options.asOf } : { field: options.asOfField } });
  } catch (error) {
    if (error instanceof FactsFileError) throw new UsageError(error.message);
    throw error;
  }
}
