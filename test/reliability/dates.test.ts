import { describe, expect, it } from 'vitest';
import type { ComparisonTrace, ConditionTrace, EvaluateOptions } from '../../src/index.js';
import { evaluate, PolicyInputError } from '../../src/index.js';

// Dates (issue 8) across the policies that take them: commission.protection (on, registeredOn,
// extendedUntil), fulfilment.shippingOrder (contractDeadline, plannedArrival) and
// fulfilment.dailyReport (orders[].at). Leap days, year ends, zones with daylight saving time,
// instants with offsets, invalid dates. The suite runs under three machine zones; none of these
// answers may depend on it (the zone of a call is options.timeZone, Asia/Shanghai by default).

const AS_OF = '2026-01-01';

function protection(registeredOn: string, on: string, options: EvaluateOptions = {}) {
  return evaluate('commission.protection', { entries: [{ agent: 'li', client: 'acme', registeredOn }], on, client: 'acme' }, { asOf: AS_OF, ...options }).outcome;
}

/** The value the rules saw for a derived fact, read from the trace. */
function factSeen(conditions: ConditionTrace, fact: string): unknown {
  if (conditions.kind === 'fact') return conditions.fact === fact ? conditions.factValue : undefined;
  if (conditions.kind === 'not') return factSeen(conditions.condition, fact);
  for (const child of conditions.conditions) {
    const seen = factSeen(child, fact);
    if (seen !== undefined) return seen;
  }
  return undefined;
}

function daysLate(contractDeadline: string, plannedArrival: string, options: EvaluateOptions = {}): number {
  const decision = evaluate('fulfilment.shippingOrder', { orderedQuantity: 10, shippedBefore: 0, quantity: 10, contractDeadline, plannedArrival }, { asOf: AS_OF, ...options });
  return decision.trace.map((rule) => factSeen(rule.conditions, 'daysLate')).find((v) => v !== undefined) as number;
}

function dailyDates(ats: readonly string[], timeZone?: string): string[] {
  const decision = evaluate('fulfilment.dailyReport', { orders: ats.map((at) => ({ at, quantity: 1, source: 'store' })) }, { asOf: AS_OF, ...(timeZone ? { timeZone } : {}) });
  return decision.outcome.days.flatMap((day) => new Array<string>(day.orders).fill(day.date));
}

describe('leap days', () => {
  it('a 30-day protection counts 29 February in a leap year and not in another', () => {
    expect(protection('2028-02-01', '2028-02-15').until).toBe('2028-03-01');
    expect(protection('2027-02-01', '2027-02-15').until).toBe('2027-03-02');
    expect(protection('2028-02-29', '2028-03-29')).toEqual({ protectedBy: 'li', until: '2028-03-29' });
    expect(protection('2028-02-29', '2028-03-30')).toEqual({ protectedBy: null, until: null });
    expect(protection('2000-02-29', '2000-03-01').until).toBe('2000-03-29');
  });

  it('days late across 29 February', () => {
    expect(daysLate('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysLate('2027-02-28', '2027-03-01')).toBe(1);
    expect(daysLate('2028-02-29', '2028-02-29')).toBe(0);
  });

  it('29 February is refused in years that have none (2026, 2100), everywhere a date is taken', () => {
    for (const date of ['2026-02-29', '2100-02-29', '2026-02-29T10:00:00Z']) {
      expectDateRefused(date);
    }
  });
});

describe('year ends', () => {
  it('protection and lateness run across 31 December', () => {
    expect(protection('2026-12-15', '2027-01-10').until).toBe('2027-01-13');
    expect(daysLate('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysLate('2027-01-01', '2026-12-31')).toBe(-1);
  });

  it('an instant late on 31 December in UTC is already 1 January in Shanghai, and still 31 December in Los Angeles', () => {
    expect(dailyDates(['2026-12-31T16:30:00Z'])).toEqual(['2027-01-01']);
    expect(dailyDates(['2026-12-31T16:30:00Z'], 'UTC')).toEqual(['2026-12-31']);
    expect(dailyDates(['2026-12-31T16:30:00Z'], 'America/Los_Angeles')).toEqual(['2026-12-31']);
    expect(protection('2026-12-31T16:30:00Z', '2027-01-30').protectedBy).toBe('li');
    expect(protection('2026-12-31T16:30:00Z', '2027-01-30', { timeZone: 'UTC' }).protectedBy).toBe(null);
  });
});

describe('zones with daylight saving time', () => {
  it('America/Los_Angeles: instants around the spring and autumn changes fall on the right local day', () => {
    const zone = 'America/Los_Angeles';
    // 2026-03-08 02:00 PST becomes 03:00 PDT (10:00 UTC); 2026-11-01 02:00 PDT becomes 01:00 PST (09:00 UTC).
    expect(dailyDates(['2026-03-08T07:59:59Z', '2026-03-08T08:00:00Z', '2026-03-08T09:59:59Z', '2026-03-08T10:00:00Z', '2026-03-09T06:59:59Z', '2026-03-09T07:00:00Z'], zone)).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-08',
      '2026-03-08',
      '2026-03-08',
      '2026-03-09',
    ]);
    expect(dailyDates(['2026-11-01T06:59:59Z', '2026-11-01T07:00:00Z', '2026-11-01T09:30:00Z', '2026-11-02T07:59:59Z', '2026-11-02T08:00:00Z'], zone)).toEqual([
      '2026-10-31',
      '2026-11-01',
      '2026-11-01',
      '2026-11-01',
      '2026-11-02',
    ]);
    // A local wall time with its offset: 01:30 happens twice on 1 November; both are that day.
    expect(dailyDates(['2026-11-01T01:30:00-07:00', '2026-11-01T01:30:00-08:00'], zone)).toEqual(['2026-11-01', '2026-11-01']);
    // Whole calendar days, not 23- or 25-hour days.
    expect(daysLate('2026-03-07', '2026-03-09', { timeZone: zone })).toBe(2);
    expect(daysLate('2026-10-31', '2026-11-02', { timeZone: zone })).toBe(2);
  });

  it('Europe/London: instants around the changes of 29 March and 25 October 2026', () => {
    const zone = 'Europe/London';
    expect(dailyDates(['2026-03-28T23:59:59Z', '2026-03-29T00:00:00Z', '2026-03-29T23:00:00Z', '2026-03-29T22:59:59Z'], zone)).toEqual(['2026-03-28', '2026-03-29', '2026-03-29', '2026-03-30']);
    expect(dailyDates(['2026-10-24T22:59:59Z', '2026-10-24T23:00:00Z', '2026-10-25T23:59:59Z', '2026-10-26T00:00:00Z'], zone)).toEqual(['2026-10-24', '2026-10-25', '2026-10-25', '2026-10-26']);
    // 00:30+01:00 on 29 March is 23:30 UTC on the 28th, when London is still on GMT: the 28th.
    expect(protection('2026-03-29T00:30:00+01:00', '2026-04-26', { timeZone: zone }).until).toBe('2026-04-26');
    expect(protection('2026-03-29T01:30:00+01:00', '2026-04-26', { timeZone: zone }).until).toBe('2026-04-27');
  });

  it('asOf given as an instant is read in the configured zone', () => {
    const facts = { amount: 1, channel: 'direct' } as const;
    expect(evaluate('review.approval', facts, { asOf: '2026-03-08T07:59:59Z', timeZone: 'America/Los_Angeles' }).asOf).toBe('2026-03-07');
    expect(evaluate('review.approval', facts, { asOf: '2026-03-08T07:59:59Z' }).asOf).toBe('2026-03-08');
    expect(evaluate('review.approval', facts, { asOf: '2026-10-25T00:30:00+01:00', timeZone: 'Europe/London' }).asOf).toBe('2026-10-25');
  });
});

describe('instants with offsets', () => {
  it('any offset, fractional seconds and Z give the date of the instant in the zone', () => {
    expect(dailyDates(['2026-03-01T00:30:00+09:00', '2026-03-01T00:30:00.123456789+09:00', '2026-03-01T00:30+09:00'])).toEqual(['2026-02-28', '2026-02-28', '2026-02-28']);
    expect(dailyDates(['2026-12-31T23:59:59-12:00'])).toEqual(['2027-01-01']);
    expect(dailyDates(['2026-12-31T23:59:59-12:00'], 'Etc/GMT+12')).toEqual(['2026-12-31']);
    expect(dailyDates(['2026-01-01T00:00:00+14:00'], 'Pacific/Kiritimati')).toEqual(['2026-01-01']);
    expect(protection('2026-03-01T23:30:00-05:00', '2026-03-31').until).toBe('2026-03-31');
  });

  it('the same instant written with different offsets gives the same date', () => {
    expect(new Set(dailyDates(['2026-06-30T20:00:00Z', '2026-07-01T04:00:00+08:00', '2026-06-30T13:00:00-07:00', '2026-07-01T01:30:00+05:30']))).toEqual(new Set(['2026-07-01']));
  });
});

const INVALID_DATES = [
  '2026-02-30',
  '2026-04-31',
  '2026-13-01',
  '2026-00-10',
  '2026-01-00',
  '2026-03-01T24:00:00Z',
  '2026-03-01T23:60:00Z',
  '2026-03-01T23:59:60Z',
  '2026-03-01T10:00:00',
  '2026-03-01T10:00:00+24:00',
  '2026-03-01T10:00:00+08:60',
  '2026-03-01 10:00:00Z',
  '2026/03/01',
  '26-03-01',
  '2026-3-1',
  ' 2026-03-01',
  '2026-03-01\n',
  '+002026-03-01',
  '２０２６-03-01',
  '',
  'today',
];

function expectDateRefused(date: unknown): void {
  const calls: [string, () => unknown][] = [
    ['on', () => evaluate('commission.protection', { entries: [], on: date as string, client: 'acme' }, { asOf: AS_OF })],
    ['entries[0].registeredOn', () => evaluate('commission.protection', { entries: [{ agent: 'li', client: 'acme', registeredOn: date as string }], on: '2026-03-01', client: 'acme' }, { asOf: AS_OF })],
    ['entries[0].extendedUntil', () => evaluate('commission.protection', { entries: [{ agent: 'li', client: 'acme', registeredOn: '2026-03-01', extendedUntil: date as string, extensionApprovedBy: 'boss' }], on: '2026-03-01', client: 'acme' }, { asOf: AS_OF })],
    ['contractDeadline', () => evaluate('fulfilment.shippingOrder', { orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: date as string, plannedArrival: '2026-03-01' }, { asOf: AS_OF })],
    ['plannedArrival', () => evaluate('fulfilment.shippingOrder', { orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: '2026-03-01', plannedArrival: date as string }, { asOf: AS_OF })],
    ['orders[0].at', () => evaluate('fulfilment.dailyReport', { orders: [{ at: date as string, quantity: 1, source: 'store' }] }, { asOf: AS_OF })],
    ['options.asOf', () => evaluate('review.approval', { amount: 1, channel: 'direct' }, { asOf: date as string })],
  ];
  for (const [path, call] of calls) {
    let error: unknown;
    try {
      call();
    } catch (caught) {
      error = caught;
    }
    expect(error, `${JSON.stringify(date)} at ${path}`).toBeInstanceOf(PolicyInputError);
    expect((error as PolicyInputError).issues.map((issue) => issue.path), `${JSON.stringify(date)} at ${path}`).toEqual([path]);
  }
}

describe('invalid dates', () => {
  it.each(INVALID_DATES)('%j is refused with its path by every date-taking policy and by options.asOf', (date) => {
    expectDateRefused(date);
  });

  it.each([20260301, true, new Date('2026-03-01'), ['2026-03-01'], { date: '2026-03-01' }])('a date that is not a string (%j) is refused', (date) => {
    expectDateRefused(date);
  });
});

// The machine zone never decides: ComparisonTrace is imported only for its type.
export type { ComparisonTrace };
