import * as z from 'zod/mini';
import rules from '../../rules/fulfilment/daily-report.rules.json' with { type: 'json' };
import type { CalendarDate } from '../core/dates.js';
import type { InputIssue, InputIssueCode } from '../core/errors.js';
import { PolicyInputError, RuleGapError } from '../core/errors.js';
import { toInputIssues } from '../core/facts.js';
import type { CheckIssue } from '../core/facts-checker.js';
import { toDotPath } from '../core/path.js';
import type { FactsParser, PolicyContext } from '../core/policy.js';
import { DEFAULT_MAX_ITEMS, declaredFacts, definePolicy, engineOf, valueParser } from '../core/policy.js';
import { readOptions } from '../core/policy-options.js';
import { noParams } from '../core/event.js';
import { calendarDateResolver } from '../core/zone-dates.js';
import type { FulfilmentDailyReportCheckedFacts, FulfilmentDailyReportFacts } from '../generated/facts-types.js';

const POLICY = 'fulfilment.dailyReport';

/** The most input issues the streaming report collects before it stops reading. */
const MAX_STREAM_ISSUES = 100;

/**
 * One order of the daily report.
 *
 * @example
 * const order: DailyReportOrder = { at: '2026-03-01T23:30:00Z', quantity: 12, source: 'distributor' };
 */
export interface DailyReportOrder {
  /** When the order was placed: an instant with an offset, or a date `YYYY-MM-DD`. */
  readonly at: string;
  /** A whole number ≥ 0. */
  readonly quantity: number;
  /** The client source (客戶來源): a channel, region or other id, 1 to 200 characters. */
  readonly source: string;
}

/**
 * The orders and quantity of one day, or of one source within a day.
 *
 * @example
 * const totals: DailyReportTotals = { orders: 3, quantity: 40 };
 */
export interface DailyReportTotals {
  readonly orders: number;
  readonly quantity: number;
}

/**
 * One calendar day of the report.
 *
 * @example
 * const day: DailyReportDay = { date: '2026-03-02', orders: 2, quantity: 15, bySource: { distributor: { orders: 2, quantity: 15 } } };
 */
export interface DailyReportDay extends DailyReportTotals {
  readonly date: CalendarDate;
  /** Per client source; keys in ascending order (JavaScript lists integer-like keys such as `"10"` first, in numeric order). */
  readonly bySource: Readonly<Record<string, DailyReportTotals>>;
}

/**
 * The daily report: one entry per calendar day that has orders, days ascending.
 *
 * @example
 * const outcome: FulfilmentDailyReportOutcome = { days: [] }; // no orders
 */
export interface FulfilmentDailyReportOutcome {
  readonly days: readonly DailyReportDay[];
}

/**
 * Options of {@link dailyOrderReport} and {@link dailyOrderReportAsync}.
 *
 * @example
 * const options: DailyReportOptions = { timeZone: 'UTC', maxGroups: 10_000 };
 */
export interface DailyReportOptions {
  /** IANA zone whose calendar days the orders are counted on. Default `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** The most distinct (day, source) pairs the report may hold (default 100,000); past it the input is refused. Bounds the memory. */
  readonly maxGroups?: number;
}

// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const dailyReportEvent = /* @__PURE__ */ (() => ({ daily_report: noParams() }))();

/**
 * What the caller gives `fulfilment.dailyReport`: the orders, at most `options.maxItems` of them.
 *
 * @example
 * const facts: FulfilmentDailyReportFacts = { orders: [{ at: '2026-03-01T09:00:00+08:00', quantity: 5, source: 'store' }] };
 */
export type { FulfilmentDailyReportFacts };
type Facts = FulfilmentDailyReportCheckedFacts;

interface Totals {
  orders: number;
  quantity: number;
}

interface Day extends Totals {
  readonly bySource: Map<string, Totals>;
}

/**
 * Adds orders up per calendar day and source, one at a time. It keeps one record per distinct
 * (day, source) and nothing per order, so its memory does not grow with the number of orders.
 */
class ReportBuilder {
  private readonly days = new Map<string, Day>();
  private groups = 0;
  private readonly dateOf: (value: string) => CalendarDate;

  constructor(
    timeZone: string,
    private readonly maxGroups: number,
  ) {
    this.dateOf = calendarDateResolver(timeZone);
  }

  /** Adds a valid order; returns the issue when it cannot be counted exactly or bounds are passed. */
  add(at: string, quantity: number, source: string, index: number): InputIssue | undefined {
    const date = this.dateOf(at);
    let day = this.days.get(date);
    if (!day) {
      day = { orders: 0, quantity: 0, bySource: new Map() };
      this.days.set(date, day);
    }
    let totals = day.bySource.get(source);
    if (!totals) {
      if (this.groups >= this.maxGroups) {
        return issue('too_big', [index, 'source'], source, `more than ${this.maxGroups} distinct (day, source) groups: raise options.maxGroups, or report fewer days or sources at a time`, `at most ${this.maxGroups} (day, source) groups`);
      }
      this.groups++;
      totals = { orders: 0, quantity: 0 };
      day.bySource.set(source, totals);
    }
    if (day.quantity + quantity > Number.MAX_SAFE_INTEGER) {
      return issue('too_big', [index, 'quantity'], quantity, `the total quantity of ${date} would pass 2^53 − 1 and could no longer be counted exactly`, 'quantities whose daily total stays at most 9007199254740991');
    }
    day.orders++;
    day.quantity += quantity;
    totals.orders++;
    totals.quantity += quantity;
    return undefined;
  }

  finish(): FulfilmentDailyReportOutcome {
    const dates = [...this.days.keys()].sort();
    return {
      days: dates.map((date) => {
        const day = this.days.get(date)!;
        const sources = [...day.bySource.keys()].sort();
        // fromEntries defines own properties, so a source named "__proto__" is just a key.
        const bySource = Object.fromEntries(sources.map((source) => [source, { ...day.bySource.get(source)! }]));
        return { date, orders: day.orders, quantity: day.quantity, bySource };
      }),
    };
  }
}

function issue(code: InputIssueCode, path: (string | number)[], received: unknown, message: string, expected: string): InputIssue {
  return { code, path: toDotPath(['orders', ...path]), message, received, expected };
}

function derive(facts: Facts, context: PolicyContext): { orderCount: number; report: FulfilmentDailyReportOutcome } {
  // The array is already bounded by maxItems, so the groups are too.
  const builder = new ReportBuilder(context.timeZone, Number.POSITIVE_INFINITY);
  for (const [index, { at, quantity, source }] of facts.orders.entries()) {
    const problem = builder.add(at, quantity, source, index);
    if (problem) throw new PolicyInputError(POLICY, [problem]);
  }
  return { orderCount: facts.orders.length, report: builder.finish() };
}

/**
 * `fulfilment.dailyReport`: the order processing chief's daily report (職責 8): order count and
 * total quantity per calendar day in the configured zone, and per client source within each
 * day, days ascending. For more orders than fit in memory, use {@link dailyOrderReport}: the same
 * report from an iterable, in one pass.
 *
 * @example
 * fulfilmentDailyReport.evaluate({ orders: [{ at: '2026-03-01T23:30:00Z', quantity: 5, source: 'store' }] }).outcome;
 * //=> { days: [{ date: '2026-03-02', orders: 1, quantity: 5, bySource: { store: { orders: 1, quantity: 5 } } }] }
 */
export const fulfilmentDailyReport = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/fulfilment/daily-report.rules.json',
  facts: declaredFacts<FulfilmentDailyReportFacts, FulfilmentDailyReportCheckedFacts>,
  event: dailyReportEvent,
  derive,
  decide: (fired, facts, _context, derived) => {
    if (fired.length === 0) throw new RuleGapError(POLICY, `no rule states the reporting duty for ${facts.orders.length} orders`);
    return { outcome: (derived as ReturnType<typeof derive>).report };
  },
});

/**
 * One streaming report: options checked, orders added as they come. It reports what `evaluate`
 * would on the same array: every order's problems first (after the first bad order nothing more is
 * counted, but later orders are still checked, up to MAX_STREAM_ISSUES), and only when every order
 * is valid a counting problem (a total past 2^53 − 1, or more groups than maxGroups).
 */
function streamingReport(options: DailyReportOptions) {
  const settings = readStreamOptions(options);
  const builder = new ReportBuilder(settings.timeZone, settings.maxGroups);
  const order = orderSchema(settings);
  const issues: InputIssue[] = [];
  let countingProblem: InputIssue | undefined;
  const add = (value: unknown, index: number): void => {
    const result = order.safeParse(value, { reportInput: false });
    if (!result.success) {
      issues.push(...streamIssues(result.error.issues, value, index));
      if (issues.length >= MAX_STREAM_ISSUES) throw new PolicyInputError(POLICY, [...issues.slice(0, MAX_STREAM_ISSUES), stopIssue()]);
    } else if (issues.length === 0 && countingProblem === undefined) {
      countingProblem = builder.add(result.data.at, result.data.quantity, result.data.source, index);
    }
  };
  const finish = (): FulfilmentDailyReportOutcome => {
    if (issues.length > 0) throw new PolicyInputError(POLICY, issues);
    if (countingProblem) throw new PolicyInputError(POLICY, [countingProblem]);
    return builder.finish();
  };
  return { add, finish };
}

function stopIssue(): InputIssue {
  return { code: 'too_many_issues', path: 'orders', message: `stopped reading after ${MAX_STREAM_ISSUES} problems`, received: undefined, expected: 'valid orders' };
}

/** Issues of one order, with paths and received values as `evaluate` reports them for `orders[index]`. */
function streamIssues(found: readonly (z.core.$ZodIssue | CheckIssue)[], value: unknown, index: number): InputIssue[] {
  const root = { orders: { [index]: value } };
  return toInputIssues(
    found.map((item) => ({ ...item, path: ['orders', index, ...item.path] })) as typeof found,
    root,
  );
}

/** One order as the rules file declares it (`facts.orders.items`), built once per zone and bound. */
function orderSchema(context: { readonly timeZone: string; readonly maxItems: number }): FactsParser<DailyReportOrder> {
  const key = `${context.timeZone}\u0000${context.maxItems}`;
  let schema = orderSchemas.get(key);
  if (!schema) {
    const items = engineOf(fulfilmentDailyReport).compiled().spec.facts['orders']?.items;
    if (items === undefined) throw new RuleGapError(POLICY, 'the rules file declares no facts.orders.items');
    schema = valueParser<DailyReportOrder>(items, context);
    if (orderSchemas.size > 16) orderSchemas.clear();
    orderSchemas.set(key, schema);
  }
  return schema;
}

const orderSchemas = new Map<string, FactsParser<DailyReportOrder>>();

/** The options every policy takes (`timeZone`), checked as `evaluate` checks them, and `maxGroups`. */
function readStreamOptions(options: DailyReportOptions): { timeZone: string; maxItems: number; maxGroups: number } {
  const { timeZone, maxItems } = readOptions(POLICY, options === null || typeof options !== 'object' || options.timeZone === undefined ? options : { timeZone: options.timeZone });
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_ITEMS;
  if (!Number.isSafeInteger(maxGroups) || maxGroups < 1) {
    throw new PolicyInputError(POLICY, [{ code: 'invalid_option', path: 'options.maxGroups', message: 'maxGroups must be a whole number ≥ 1', received: options.maxGroups, expected: 'a whole number ≥ 1' }], 'INVALID_OPTIONS');
  }
  return { timeZone, maxItems, maxGroups };
}

function notIterable(orders: unknown, what: string): PolicyInputError {
  return new PolicyInputError(POLICY, [{ code: 'invalid_type', path: 'orders', message: `expected ${what} of orders`, received: orders, expected: what }]);
}

/**
 * The daily report of {@link fulfilmentDailyReport}, over any iterable of orders (an array, a
 * generator reading a file or a database cursor), in one pass and in memory that grows with the
 * distinct days and sources only, never with the number of orders. Equal to
 * `evaluate('fulfilment.dailyReport', { orders }).outcome` on the same orders. Bad orders throw a
 * {@link PolicyInputError} with paths `orders[i]…` as `evaluate` gives them (reading stops after
 * 100 problems).
 *
 * @example
 * dailyOrderReport([{ at: '2026-03-01T23:30:00Z', quantity: 5, source: 'store' }], { timeZone: 'UTC' });
 * //=> { days: [{ date: '2026-03-01', orders: 1, quantity: 5, bySource: { store: { orders: 1, quantity: 5 } } }] }
 */
export function dailyOrderReport(orders: Iterable<DailyReportOrder>, options: DailyReportOptions = {}): FulfilmentDailyReportOutcome {
  const report = streamingReport(options);
  if (orders === null || typeof orders !== 'object' || typeof (orders as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') throw notIterable(orders, 'an iterable');
  let index = 0;
  for (const item of orders) report.add(item, index++);
  return report.finish();
}

/**
 * {@link dailyOrderReport} over an async iterable (a Node stream of parsed lines, a paginated
 * API) or a plain iterable.
 *
 * @example
 * await dailyOrderReportAsync(readOrders('orders.ndjson'), { timeZone: 'Asia/Shanghai' });
 * //=> { days: [{ date: '2026-03-02', orders: 1200, quantity: 15400, bySource: { … } }, …] }
 */
export async function dailyOrderReportAsync(orders: AsyncIterable<DailyReportOrder> | Iterable<DailyReportOrder>, options: DailyReportOptions = {}): Promise<FulfilmentDailyReportOutcome> {
  const report = streamingReport(options);
  const source = orders as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null;
  if (source === null || typeof source !== 'object' || (typeof source[Symbol.asyncIterator] !== 'function' && typeof source[Symbol.iterator] !== 'function')) {
    throw notIterable(orders, 'an iterable or async iterable');
  }
  let index = 0;
  for await (const item of orders) report.add(item, index++);
  return report.finish();
}
