import type { CaseFile, Evaluator } from '../core/cases.js';
import { canonicalJson } from '../core/cases.js';
import type { CompiledRuleFile, CompiledVersion } from '../core/compile.js';
import { runRules, versionAt } from '../core/compile.js';
import { compileRuleFile, copyRuleFile } from '../core/rule-loader.js';
import type { CalendarDate } from '../core/dates.js';
import { SalesPoliciesError } from '../core/errors.js';
import { describeCell, enumerateCells, mergeCells } from './enumerate.js';
import { markdownCell, markdownText, oneLine } from './escape.js';

/** One side of a change: what was decided, or the error. */
export interface DiffSide {
  readonly outcome?: unknown;
  readonly basis: readonly string[];
  readonly error?: string;
}

/** An input class whose decision differs between two rule sets. */
export interface Change {
  readonly policy: string;
  /** `case`: the facts of an example; `cell`: a class of facts from enumerating the rules; `policy`: added or removed. */
  readonly kind: 'case' | 'cell' | 'policy';
  /** The case name, or the class of facts (`amount in (500000, 1000000), channel=direct`). */
  readonly input: string;
  readonly before: DiffSide;
  readonly after: DiffSide;
  /** For a case whose file fixes its date: that date (the change shows whatever date is compared). */
  readonly asOf?: CalendarDate;
}

/** One rule set to compare: its rules files by policy id, and the case files that go with it. */
export interface DiffSource {
  readonly rules: Readonly<Record<string, unknown>>;
  readonly cases: readonly CaseFile[];
}

/**
 * Evaluates two rule sets on the same inputs (every case's facts from both, and every cell of
 * both decision spaces) and returns each input whose decision changed, before → after.
 *
 * @example
 * diffRuleSets(evaluate, oldSet, newSet, '2026-01-01').map((c) => c.input);
 * //=> ['amount in (500000, 1000000), channel=direct, …']
 */
export function diffRuleSets(evaluate: Evaluator, before: DiffSource, after: DiffSource, asOf: CalendarDate, knownPolicy: (id: string) => boolean): Change[] {
  const changes: Change[] = [];
  const policies = [...new Set([...Object.keys(before.rules), ...Object.keys(after.rules)])].sort();
  for (const policy of policies) {
    const had = Object.prototype.hasOwnProperty.call(before.rules, policy);
    const has = Object.prototype.hasOwnProperty.call(after.rules, policy);
    if (!had || !has) {
      changes.push({ policy, kind: 'policy', input: had ? 'policy removed' : 'policy added', before: { basis: [], ...(had ? {} : { error: 'absent' }) }, after: { basis: [], ...(has ? {} : { error: 'absent' }) } });
      continue;
    }
    if (knownPolicy(policy)) changes.push(...caseChanges(evaluate, policy, before, after, asOf));
    changes.push(...cellChanges(policy, before.rules[policy], after.rules[policy], asOf));
  }
  return changes;
}

function caseChanges(evaluate: Evaluator, policy: string, before: DiffSource, after: DiffSource, asOf: CalendarDate): Change[] {
  const seen = new Set<string>();
  const changes: Change[] = [];
  for (const file of [...before.cases, ...after.cases]) {
    if (file.policy !== policy) continue;
    for (const testCase of file.cases) {
      const own = testCase.asOf ?? file.asOf;
      const options = { asOf: own ?? asOf, ...(testCase.timeZone === undefined ? {} : { timeZone: testCase.timeZone }), trace: false };
      const key = canonicalJson([testCase.facts, options]);
      if (seen.has(key)) continue;
      seen.add(key);
      const run = (rules: unknown): DiffSide => {
        try {
          const decision = evaluate(policy, testCase.facts, { ...options, rules: { [policy]: rules } });
          return { outcome: decision.outcome, basis: decision.basis };
        } catch (error) {
          if (error instanceof SalesPoliciesError) return { basis: [], error: error.code };
          throw error;
        }
      };
      const a = run(before.rules[policy]);
      const b = run(after.rules[policy]);
      if (canonicalJson(a) !== canonicalJson(b)) changes.push({ policy, kind: 'case', input: testCase.name, before: a, after: b, ...(own === undefined ? {} : { asOf: own }) });
    }
  }
  return changes;
}

function cellChanges(policy: string, beforeJson: unknown, afterJson: unknown, asOf: CalendarDate): Change[] {
  const compile = (json: unknown, side: string): CompiledRuleFile | undefined => {
    try {
      return compileRuleFile(copyRuleFile(json, `${side} ${policy}`), `${side} ${policy}`);
    } catch {
      return undefined;
    }
  };
  const a = compile(beforeJson, 'old');
  const b = compile(afterJson, 'new');
  if (!a || !b) {
    return [{ policy, kind: 'policy', input: 'rules file unreadable', before: { basis: [], ...(a ? {} : { error: 'INVALID_RULE_SET' }) }, after: { basis: [], ...(b ? {} : { error: 'INVALID_RULE_SET' }) } }];
  }
  const va = versionAt(a, asOf);
  const vb = versionAt(b, asOf);
  if (!va || !vb) return [];
  const decide = (compiled: CompiledRuleFile, version: CompiledVersion, facts: Readonly<Record<string, unknown>>): DiffSide => {
    const fired = runRules(version.rules, facts, { firstHit: compiled.spec.decision === 'first-hit', trace: false }).fired;
    return { outcome: fired.map((rule) => rule.definition.event), basis: fired.map((rule) => rule.name) };
  };
  // One space split by the thresholds of both files, so each class is named by both sets of numbers.
  const { dimensions, cells } = enumerateCells([{ compiled: a, version: va }, { compiled: b, version: vb }]);
  const byChange = new Map<string, { before: DiffSide; after: DiffSide; coordinates: number[][] }>();
  for (const cell of cells) {
    const before = decide(a, va, cell.facts);
    const after = decide(b, vb, cell.facts);
    const key = canonicalJson([before, after]);
    if (canonicalJson(before) === canonicalJson(after)) continue;
    const entry = byChange.get(key) ?? { before, after, coordinates: [] };
    entry.coordinates.push([...cell.coordinates]);
    byChange.set(key, entry);
  }
  return [...byChange.values()].flatMap(({ before, after, coordinates }) =>
    mergeCells(dimensions, coordinates).map((merged): Change => ({ policy, kind: 'cell', input: describeCell(dimensions, merged), before, after })),
  );
}

/** A change with the dates it applies on: from `from` (a date on which either side's parameters change, or the date compared) until `until` when it stops. */
export interface DatedChange extends Change {
  readonly from: CalendarDate;
  /** The first later date compared on which the change no longer shows; absent when it lasts. */
  readonly until?: CalendarDate;
}

/**
 * The dates worth comparing for one policy: each parameter version's `from` on either side, and
 * `today`, sorted. Between two of them neither side's parameters change, so neither do decisions.
 *
 * @example
 * parameterDates(oldSet, newSet, 'review.approval', '2026-12-03'); //=> ['2017-04-26', '2026-12-03', '2027-01-01']
 */
export function parameterDates(before: DiffSource, after: DiffSource, policy: string, today: CalendarDate): CalendarDate[] {
  const dates = new Set<CalendarDate>([today]);
  for (const side of [before, after]) {
    if (!Object.prototype.hasOwnProperty.call(side.rules, policy)) continue;
    try {
      for (const version of compileRuleFile(structuredClone(side.rules[policy]), policy).versions) dates.add(version.from);
    } catch {
      // An uncompilable file has no dates; diffRuleSets reports it.
    }
  }
  return [...dates].sort();
}

/**
 * {@link diffRuleSets} on every date either side's parameters change (see {@link parameterDates}),
 * or on the given dates: each change once per stretch of dates it shows on, with the date it
 * applies from (and until, when a later version undoes it).
 *
 * @example
 * diffRuleSetsOverTime(evaluate, oldSet, newSet, { today: '2026-12-03', knownPolicy: isPolicyId })
 *   .map((c) => c.from); //=> ['2027-01-01', …]: the new limit's version
 */
export function diffRuleSetsOverTime(evaluate: Evaluator, before: DiffSource, after: DiffSource, options: { readonly today: CalendarDate; readonly dates?: readonly CalendarDate[]; readonly knownPolicy: (id: string) => boolean }): DatedChange[] {
  const policies = [...new Set([...Object.keys(before.rules), ...Object.keys(after.rules)])].sort();
  const out: DatedChange[] = [];
  for (const policy of policies) {
    const only = (side: DiffSource): DiffSource => ({ rules: Object.prototype.hasOwnProperty.call(side.rules, policy) ? { [policy]: side.rules[policy] } : {}, cases: side.cases.filter((file) => file.policy === policy) });
    const a = only(before);
    const b = only(after);
    const dates = options.dates ?? parameterDates(a, b, policy, options.today);
    // Each change by its content: the stretches of consecutive dates it shows on.
    const open = new Map<string, { change: Change; from: CalendarDate; last: number }>();
    const closed: DatedChange[] = [];
    dates.forEach((date, index) => {
      const seen = new Set<string>();
      for (const change of diffRuleSets(evaluate, a, b, date, options.knownPolicy)) {
        const key = canonicalJson(change);
        if (seen.has(key)) continue;
        seen.add(key);
        const stretch = open.get(key);
        if (stretch !== undefined && stretch.last === index - 1) stretch.last = index;
        else {
          if (stretch !== undefined) closed.push({ ...stretch.change, from: stretch.from, until: dates[stretch.last + 1]! });
          open.set(key, { change, from: date, last: index });
        }
      }
    });
    for (const stretch of open.values()) {
      // A dated case decides on its own date whichever date is compared: that is the date it applies from.
      if (stretch.change.asOf !== undefined) closed.push({ ...stretch.change, from: stretch.change.asOf });
      else closed.push({ ...stretch.change, from: stretch.from, ...(stretch.last < dates.length - 1 ? { until: dates[stretch.last + 1]! } : {}) });
    }
    out.push(...closed.sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0)));
  }
  return out;
}

/**
 * Prints changes for a terminal, a JSON consumer, or a pull-request comment.
 *
 * @example
 * formatChanges(changes, 'markdown'); //=> '### review.approval: 3 changes\n| input | before | after |…'
 */
export function formatChanges(changes: readonly (Change | DatedChange)[], format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return JSON.stringify(changes, null, 2);
  if (changes.length === 0) return format === 'markdown' ? 'No decision changes.' : 'no decision changes';
  // One group per policy and stretch of dates, in order.
  const byPolicy = new Map<string, Change[]>();
  const dated = (c: Change | DatedChange) => ('from' in c ? ` from ${c.from}${c.until === undefined ? '' : ` until ${c.until}`}` : '');
  for (const change of changes) {
    const key = `${change.policy}: %n${dated(change)}`;
    byPolicy.set(key, [...(byPolicy.get(key) ?? []), change]);
  }
  const out: string[] = [];
  for (const [key, list] of byPolicy) {
    const title = key.replace('%n', `${list.length} change${list.length === 1 ? '' : 's'}`);
    if (format === 'markdown') {
      out.push(`### ${markdownText(title)}`, '', '| input | before | after |', '|---|---|---|');
      for (const c of list) out.push(`| ${markdownCell(c.kind === 'case' ? `case “${c.input}”` : c.input)} | ${markdownCell(side(c.before))} | ${markdownCell(side(c.after))} |`);
      out.push('');
    } else {
      out.push(oneLine(title));
      for (const c of list) out.push(`  ${oneLine(c.kind === 'case' ? `case "${c.input}"` : c.input)}\n    ${oneLine(side(c.before))}\n  → ${oneLine(side(c.after))}`);
    }
  }
  return out.join('\n');
}

function side(s: DiffSide): string {
  if (s.error) return s.error;
  const outcome = Array.isArray(s.outcome) ? s.outcome.map((e: { params?: unknown; type?: unknown }) => JSON.stringify(e.params ?? e.type)).join(' + ') || 'no rule decides' : JSON.stringify(s.outcome);
  return `${outcome} [${s.basis.join(', ') || '—'}]`;
}
