import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCalendarDate } from '../../src/core/dates.js';
import type { DailyReportOrder, FulfilmentDailyReportFacts, FulfilmentDailyReportOutcome } from '../../src/index.js';
import rules from '../../rules/fulfilment/daily-report.rules.json' with { type: 'json' };
import { dailyOrderReport, dailyOrderReportAsync, evaluate, explain, PolicyInputError, RuleGapError } from '../../src/index.js';

const asOf = '2026-01-01';
const ZONES = ['Asia/Shanghai', 'UTC', 'America/Los_Angeles', 'Asia/Kathmandu'] as const;
const run = (orders: unknown, options: { timeZone?: string; maxItems?: number; rules?: unknown } = {}) =>
  evaluate('fulfilment.dailyReport', { orders } as FulfilmentDailyReportFacts, { asOf, ...options });

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** An instant as callers write it: UTC with Z, or local time with an offset. */
function written(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const instant = fc
  .tuple(fc.integer({ min: Date.UTC(2026, 2, 1), max: Date.UTC(2026, 2, 6) }), fc.constantFrom(0, 480, -480, 345, 60))
  .map(([ms, offset]) => written(ms - (ms % 1000), offset));
const at = fc.oneof({ weight: 5, arbitrary: instant }, { weight: 1, arbitrary: fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-05') });
const order: fc.Arbitrary<DailyReportOrder> = fc.record({
  at,
  quantity: fc.oneof(fc.nat(1000), fc.constant(0)),
  source: fc.constantFrom('store', 'phone', 'distributor', 'web', '__proto__', '10', '2'),
});
const orders = fc.array(order, { maxLength: 60 });
const zone = fc.constantFrom(...ZONES);

/** The report as the SPEC words it, the slow and obvious way. */
function reference(list: readonly DailyReportOrder[], timeZone: string): FulfilmentDailyReportOutcome {
  const days: Record<string, { orders: number; quantity: number; bySource: Record<string, { orders: number; quantity: number }> }> = {};
  for (const { at: when, quantity, source } of list) {
    const date = toCalendarDate(when, timeZone);
    const entry = (days[date] ??= { orders: 0, quantity: 0, bySource: Object.create(null) });
    entry.orders += 1;
    entry.quantity += quantity;
    const bySource = (entry.bySource[source] ??= { orders: 0, quantity: 0 });
    bySource.orders += 1;
    bySource.quantity += quantity;
  }
  return { days: Object.keys(days).sort().map((date) => ({ date, ...days[date]!, bySource: { ...days[date]!.bySource } })) };
}

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

function* once<T>(items: readonly T[]): Generator<T> {
  yield* items;
}

function issuesOf(action: () => unknown): unknown {
  try {
    action();
    return 'no error';
  } catch (error) {
    if (!(error instanceof PolicyInputError)) throw error;
    return { code: error.code, issues: error.issues };
  }
}

async function issuesOfAsync(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
    return 'no error';
  } catch (error) {
    if (!(error instanceof PolicyInputError)) throw error;
    return { code: error.code, issues: error.issues };
  }
}

describe('fulfilment.dailyReport properties (SPEC §4)', () => {
  it('is the SPEC report: per calendar day in the zone, per source, days ascending', () => {
    fc.assert(fc.property(orders, zone, (list, timeZone) => void expect(run(list, { timeZone }).outcome).toEqual(reference(list, timeZone))));
  });

  it('order counts and quantities add up to the totals: sources to their day, days to the input', () => {
    fc.assert(
      fc.property(orders, zone, (list, timeZone) => {
        const { days } = run(list, { timeZone }).outcome;
        const sum = (items: readonly { orders: number; quantity: number }[]) => items.reduce((t, x) => ({ orders: t.orders + x.orders, quantity: t.quantity + x.quantity }), { orders: 0, quantity: 0 });
        for (const day of days) expect(sum(Object.values(day.bySource))).toEqual({ orders: day.orders, quantity: day.quantity });
        expect(sum(days)).toEqual({ orders: list.length, quantity: list.reduce((t, o) => t + o.quantity, 0) });
        expect(days.map((d) => d.date)).toEqual([...new Set(days.map((d) => d.date))].sort());
        expect(days.every((d) => d.orders > 0)).toBe(true);
      }),
    );
  });

  it('does not depend on the order of the input: byte-identical JSON', () => {
    fc.assert(
      fc.property(orders.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))), zone, ([list, shuffled], timeZone) => {
        return JSON.stringify(run(list, { timeZone })) === JSON.stringify(run(shuffled, { timeZone }));
      }),
    );
  });

  it('the array path of evaluate equals the streaming functions, over arrays, generators and async iterables', async () => {
    await fc.assert(
      fc.asyncProperty(orders, zone, async (list, timeZone) => {
        const outcome = run(list, { timeZone }).outcome;
        expect(dailyOrderReport(list, { timeZone })).toEqual(outcome);
        expect(dailyOrderReport(once(list), { timeZone })).toEqual(outcome);
        expect(await dailyOrderReportAsync(slowly(list), { timeZone })).toEqual(outcome);
        expect(await dailyOrderReportAsync(list, { timeZone })).toEqual(outcome);
        expect(JSON.stringify(dailyOrderReport(list, { timeZone }))).toBe(JSON.stringify(outcome));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses bad orders with the same issues, paths and values either way', () => {
    const bad = fc.oneof(
      order.map((o) => ({ ...o, at: o.at.replace(/(Z|[+-]\d\d:\d\d)$/, '') })),
      order.map((o) => ({ ...o, quantity: -1 - o.quantity })),
      order.map((o) => ({ ...o, quantity: o.quantity + 0.5 })),
      order.map((o) => ({ ...o, quantity: String(o.quantity) })),
      order.map((o) => ({ ...o, source: '' })),
      order.map((o) => ({ ...o, source: 'x'.repeat(201) })),
      order.map((o) => ({ ...o, note: 'rush' })),
      order.map(({ source: _source, ...rest }) => rest),
      order.map((o) => Object.assign(Object.create({ source: o.source }), { at: o.at, quantity: o.quantity, x: 1 })),
      fc.constantFrom(null, 5, 'order', [], [1, 2, 3], {}),
    );
    const mixed = fc.array(fc.oneof({ weight: 3, arbitrary: order as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: bad as fc.Arbitrary<unknown> }), { maxLength: 40 });
    fc.assert(
      fc.property(mixed, zone, (list, timeZone) => {
        const viaEvaluate = issuesOf(() => run(list, { timeZone }).outcome);
        const viaStream = issuesOf(() => dailyOrderReport(list as DailyReportOrder[], { timeZone }));
        expect(viaStream).toEqual(viaEvaluate);
      }),
    );
  });

  it('the fast check of an order accepts exactly what the schema accepts', () => {
    // An order the hand-written check lets through but the schema would refuse (or the reverse)
    // shows up as a report where evaluate refuses, or a refusal where evaluate reports.
    const anything = fc.oneof(order as fc.Arbitrary<unknown>, fc.dictionary(fc.constantFrom('at', 'quantity', 'source', 'extra'), fc.oneof(at, fc.integer(), fc.string(), fc.double(), fc.constant(undefined))));
    fc.assert(fc.property(fc.array(anything, { maxLength: 5 }), (list) => void expect(issuesOf(() => dailyOrderReport(list as DailyReportOrder[]))).toEqual(issuesOf(() => run(list).outcome))));
  });
});

describe('fulfilment.dailyReport time zones', () => {
  it('puts an instant at 23:30 UTC on the next day in Asia/Shanghai and on its own day in UTC and Los Angeles', () => {
    const list = [{ at: '2026-03-01T23:30:00Z', quantity: 2, source: 'store' }];
    expect(run(list).outcome.days.map((d) => d.date)).toEqual(['2026-03-02']);
    expect(run(list, { timeZone: 'UTC' }).outcome.days.map((d) => d.date)).toEqual(['2026-03-01']);
    expect(dailyOrderReport(list, { timeZone: 'America/Los_Angeles' }).days.map((d) => d.date)).toEqual(['2026-03-01']);
  });

  it('splits at local midnight across a DST change in Los Angeles (23 and 25 hour days)', () => {
    // 2026-03-08 is 23 hours long in Los Angeles; 2026-11-01 is 25.
    const list = [
      { at: '2026-03-08T07:59:59Z', quantity: 1, source: 'a' }, // 23:59:59 PST on 03-07
      { at: '2026-03-08T08:00:00Z', quantity: 1, source: 'a' }, // 00:00 PST on 03-08
      { at: '2026-03-09T06:59:59Z', quantity: 1, source: 'a' }, // 23:59:59 PDT on 03-08
      { at: '2026-03-09T07:00:00Z', quantity: 1, source: 'a' }, // 00:00 PDT on 03-09
      { at: '2026-11-02T07:59:59Z', quantity: 1, source: 'a' }, // 23:59:59 PST on 11-01
    ];
    expect(dailyOrderReport(list, { timeZone: 'America/Los_Angeles' }).days.map((d) => [d.date, d.orders])).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 2],
      ['2026-03-09', 1],
      ['2026-11-01', 1],
    ]);
  });
});

describe('fulfilment.dailyReport streaming', () => {
  it('reads a long generator once, keeping one record per day and source', () => {
    let produced = 0;
    function* many(): Generator<DailyReportOrder> {
      for (let i = 0; i < 200_000; i++) {
        produced++;
        yield { at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), quantity: i % 7, source: i % 3 === 0 ? 'store' : 'phone' };
      }
    }
    const { days } = dailyOrderReport(many(), { timeZone: 'UTC' });
    expect(produced).toBe(200_000);
    expect(days.length).toBe(Math.ceil(200_000 / 1440));
    expect(days.reduce((n, d) => n + d.orders, 0)).toBe(200_000);
    expect(days[0]).toEqual({ date: '2026-01-01', orders: 1440, quantity: days[0]!.quantity, bySource: { phone: { orders: 960, quantity: expect.any(Number) }, store: { orders: 480, quantity: expect.any(Number) } } });
  });

  it('is not bounded by maxItems, which bounds evaluate', () => {
    const list = Array.from({ length: 3 }, () => ({ at: '2026-03-01', quantity: 1, source: 'a' }));
    expect(issuesOf(() => run(list, { maxItems: 2 }))).toMatchObject({ code: 'INVALID_FACTS', issues: [{ path: 'orders', message: 'too many items: at most 2 are accepted (options.maxItems)' }] });
    expect(dailyOrderReport(list).days[0]?.orders).toBe(3);
  });

  it('refuses more distinct (day, source) groups than maxGroups, at the order that adds one', () => {
    const list = ['a', 'b', 'a', 'c'].map((source) => ({ at: '2026-03-01', quantity: 1, source }));
    expect(dailyOrderReport(list, { maxGroups: 3 }).days[0]?.orders).toBe(4);
    expect(issuesOf(() => dailyOrderReport(list, { maxGroups: 2 }))).toMatchObject({ code: 'INVALID_FACTS', issues: [{ code: 'too_big', path: 'orders[3].source', received: 'c' }] });
  });

  it('stops reading after 100 problems', () => {
    let read = 0;
    function* bad(): Generator<DailyReportOrder> {
      for (;;) {
        read++;
        yield { at: '2026-03-01T10:00:00', quantity: 1, source: 'a' };
      }
    }
    const result = issuesOf(() => dailyOrderReport(bad())) as { issues: { path: string; code: string }[] };
    expect(read).toBe(100);
    expect(result.issues.length).toBe(101);
    expect(result.issues.at(-1)).toMatchObject({ code: 'too_many_issues', path: 'orders' });
    expect(result.issues[99]?.path).toBe('orders[99].at');
  });

  it('refuses bad options and a non-iterable, as input errors', async () => {
    expect(issuesOf(() => dailyOrderReport([], { timeZone: 'Mars/Olympus' }))).toMatchObject({ code: 'INVALID_OPTIONS', issues: [{ path: 'options.timeZone' }] });
    expect(issuesOf(() => dailyOrderReport([], { maxGroups: 0 }))).toMatchObject({ code: 'INVALID_OPTIONS', issues: [{ path: 'options.maxGroups' }] });
    expect(issuesOf(() => dailyOrderReport([], null as never))).toMatchObject({ code: 'INVALID_OPTIONS', issues: [{ path: 'options' }] });
    expect(issuesOf(() => dailyOrderReport(42 as never))).toMatchObject({ code: 'INVALID_FACTS', issues: [{ path: 'orders', expected: 'an iterable' }] });
    expect(await issuesOfAsync(() => dailyOrderReportAsync({} as never))).toMatchObject({ code: 'INVALID_FACTS', issues: [{ path: 'orders' }] });
    expect(await issuesOfAsync(() => dailyOrderReportAsync(slowly([{ at: 'yesterday', quantity: 1, source: 'a' }])))).toMatchObject({ code: 'INVALID_FACTS', issues: [{ path: 'orders[0].at' }] });
  });

  it('rests every report on FUL-D8 with a trace', () => {
    const decision = run([{ at: '2026-03-01', quantity: 3, source: 'store' }]);
    expect(decision.basis).toEqual(['FUL-D8']);
    expect(explain(decision)).toContain('Decided by FUL-D8 — 職責 8; 領導責任 3 「統計每日訂貨數量和客戶來源進行匯總,組織編寫日報表等;」');
    expect(explain(decision)).toContain('✓ orderCount greaterThanInclusive 0 (was 1)');
  });
});

const AT_EXPECTED = 'an ISO-8601 instant with offset, or a date "YYYY-MM-DD"';
const day1 = (source: unknown, quantity: unknown = 1, when: unknown = '2026-03-01') => ({ at: when, quantity, source }) as DailyReportOrder;

// What the streaming functions tell a caller, word for word: one row per refusal.
const STREAM_REFUSALS: [string, () => unknown, string, object[]][] = [
  ['an order without at', () => dailyOrderReport([{ quantity: 1, source: 'a' } as never]), 'INVALID_FACTS', [{ code: 'custom', path: 'orders[0].at', message: 'required', expected: AT_EXPECTED, received: undefined }]],
  ['at "yesterday"', () => dailyOrderReport([day1('a', 1, 'yesterday')]), 'INVALID_FACTS', [{ code: 'custom', path: 'orders[0].at', message: 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset', expected: AT_EXPECTED, received: 'yesterday' }]],
  ['an order null', () => dailyOrderReport([null as never]), 'INVALID_FACTS', [{ code: 'invalid_type', path: 'orders[0]', message: 'expected an object', expected: 'an object', received: null }]],
  ['source ["a"]', () => dailyOrderReport([day1(['a'])]), 'INVALID_FACTS', [{ code: 'invalid_type', path: 'orders[0].source', message: 'expected string', expected: 'string', received: ['a'] }]],
  ['a third group a, b, c, a with maxGroups 2 (refused at c, whatever follows)', () => dailyOrderReport([day1('a'), day1('b'), day1('c'), day1('a')], { maxGroups: 2 }), 'INVALID_FACTS', [
    { code: 'too_big', path: 'orders[2].source', message: 'more than 2 distinct (day, source) groups: raise options.maxGroups, or report fewer days or sources at a time', expected: 'at most 2 (day, source) groups', received: 'c' },
  ]],
  ['a daily total past 2^53 − 1', () => dailyOrderReport([day1('a', Number.MAX_SAFE_INTEGER), day1('b', 1)]), 'INVALID_FACTS', [
    { code: 'too_big', path: 'orders[1].quantity', message: 'the total quantity of 2026-03-01 would pass 2^53 − 1 and could no longer be counted exactly', expected: 'quantities whose daily total stays at most 9007199254740991', received: 1 },
  ]],
  ['options "UTC"', () => dailyOrderReport([], 'UTC' as never), 'INVALID_OPTIONS', [{ code: 'invalid_option', path: 'options', message: 'options must be an object', expected: 'an object', received: 'UTC' }]],
  ['timeZone "Mars/Olympus"', () => dailyOrderReport([], { timeZone: 'Mars/Olympus' }), 'INVALID_OPTIONS', [{ code: 'invalid_option', path: 'options.timeZone', message: 'unknown time zone "Mars/Olympus"', expected: 'an IANA time zone name', received: 'Mars/Olympus' }]],
  ['maxGroups 0', () => dailyOrderReport([], { maxGroups: 0 }), 'INVALID_OPTIONS', [{ code: 'invalid_option', path: 'options.maxGroups', message: 'maxGroups must be a whole number ≥ 1', expected: 'a whole number ≥ 1', received: 0 }]],
  ['orders "abc" (a string is iterable, but not of orders)', () => dailyOrderReport('abc' as never), 'INVALID_FACTS', [{ code: 'invalid_type', path: 'orders', message: 'expected an iterable of orders', expected: 'an iterable', received: 'abc' }]],
  ['orders {} (an object, not iterable)', () => dailyOrderReport({} as never), 'INVALID_FACTS', [{ code: 'invalid_type', path: 'orders', message: 'expected an iterable of orders', expected: 'an iterable', received: {} }]],
  ['orders null', () => dailyOrderReport(null as never), 'INVALID_FACTS', [{ code: 'invalid_type', path: 'orders', message: 'expected an iterable of orders', expected: 'an iterable', received: null }]],
];

const ASYNC_REFUSALS: [string, () => Promise<unknown>, object[]][] = [
  ['orders "abc"', () => dailyOrderReportAsync('abc' as never), [{ code: 'invalid_type', path: 'orders', message: 'expected an iterable or async iterable of orders', expected: 'an iterable or async iterable', received: 'abc' }]],
  ['orders null', () => dailyOrderReportAsync(null as never), [{ code: 'invalid_type', path: 'orders', message: 'expected an iterable or async iterable of orders', expected: 'an iterable or async iterable', received: null }]],
  ['orders 42', () => dailyOrderReportAsync(42 as never), [{ code: 'invalid_type', path: 'orders', message: 'expected an iterable or async iterable of orders', expected: 'an iterable or async iterable', received: 42 }]],
  ['a bad second order of an async iterable', () => dailyOrderReportAsync(slowly([day1('a'), day1('b', 1, 'x')])), [{ code: 'custom', path: 'orders[1].at', message: 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset', expected: AT_EXPECTED, received: 'x' }]],
];

describe('fulfilment.dailyReport streaming refusals', () => {
  it.each(STREAM_REFUSALS)('%s', (_name, action, code, issues) => {
    expect(issuesOf(action)).toEqual({ code, issues });
  });

  it.each(ASYNC_REFUSALS)('async: %s', async (_name, action, issues) => {
    expect(await issuesOfAsync(action)).toEqual({ code: 'INVALID_FACTS', issues });
  });

  it('accepts maxGroups 1 for one source on one day', () => {
    expect(dailyOrderReport([day1('a'), day1('a')], { maxGroups: 1 })).toEqual({ days: [{ date: '2026-03-01', orders: 2, quantity: 2, bySource: { a: { orders: 2, quantity: 2 } } }] });
  });

  it('stops at 100 problems even when the last order read has several', () => {
    const orders = [...Array.from({ length: 99 }, () => day1('a', 1, 'x')), { at: 'x', quantity: -1, source: '' } as DailyReportOrder, day1('a', 1, 'x')];
    const result = issuesOf(() => dailyOrderReport(orders)) as { issues: { path: string; code: string; message: string }[] };
    expect(result.issues.length).toBe(101);
    expect(result.issues.slice(98).map((item) => item.path)).toEqual(['orders[98].at', 'orders[99].at', 'orders']);
    expect(result.issues.at(-1)).toEqual({ code: 'too_many_issues', path: 'orders', message: 'stopped reading after 100 problems', expected: 'valid orders', received: undefined });
  });

  it('says no rule states the duty when custom rules give none', () => {
    const custom = structuredClone(rules);
    custom.rules[0]!.conditions.all[0]!.value = 1;
    expect(() => run([], { rules: custom })).toThrow(new RuleGapError('fulfilment.dailyReport', 'no rule states the reporting duty for 0 orders'));
  });
});

describe('fulfilment.dailyReport types', () => {
  it('type the orders for evaluate and for the streaming functions alike', () => {
    const typed = (facts: FulfilmentDailyReportFacts) => facts;
    typed({ orders: [{ at: '2026-03-01', quantity: 1, source: 'store' }] });
    // @ts-expect-error quantity is a number
    typed({ orders: [{ at: '2026-03-01', quantity: '1', source: 'store' }] });
    // @ts-expect-error source is required
    expect(() => dailyOrderReport([{ at: '2026-03-01', quantity: 1 }])).toThrow(PolicyInputError);
    expect(evaluate('fulfilment.dailyReport', typed({ orders: [] }), { asOf }).outcome).toEqual({ days: [] });
  });
});
