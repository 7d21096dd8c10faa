import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import bundled from '../../rules/commission/protection.rules.json' with { type: 'json' };
import { addCalendarDays } from '../../src/core/dates.js';
import type { CommissionProtectionFacts, CommissionProtectionOutcome } from '../../src/index.js';
import { evaluate, PolicyInputError } from '../../src/index.js';

const AS_OF = '2026-01-01';
type Entry = { agent: string; client: string; registeredOn: string; extendedUntil?: string; extensionApprovedBy?: string };

const protection = (facts: CommissionProtectionFacts, options: { timeZone?: string; rules?: unknown; maxItems?: number } = {}): CommissionProtectionOutcome =>
  evaluate('commission.protection', facts, { asOf: AS_OF, ...options }).outcome;

/**
 * The rules of SPEC §2 written the slow, obvious way: dates as strings, every day of a window
 * walked, every entry looked at for every question. The policy must agree with it.
 */
function oracle(entries: readonly Entry[], on: string, days = 30, max = 20) {
  const ends = new Map<Entry, string>();
  const lastDay = (e: Entry) => {
    let last = ends.get(e);
    if (last === undefined) {
      const end = addCalendarDays(e.registeredOn, days - 1);
      last = e.extendedUntil !== undefined && e.extensionApprovedBy !== undefined && e.extendedUntil > end ? e.extendedUntil : end;
      ends.set(e, last);
    }
    return last;
  };
  const active = (e: Entry, date: string) => e.registeredOn <= date && date <= lastDay(e);
  const protector = (client: string): { agent: string; until: string } | null | 'clash' => {
    const holding = entries.filter((e) => e.client === client && active(e, on));
    if (holding.length === 0) return null;
    const first = holding.map((e) => e.registeredOn).sort()[0]!;
    const earliest = holding.filter((e) => e.registeredOn === first);
    if (new Set(earliest.map((e) => e.agent)).size > 1) return 'clash';
    return { agent: earliest[0]!.agent, until: earliest.map(lastDay).sort().at(-1)! };
  };
  const activeCount = (agent: string, date: string) => entries.filter((e) => e.agent === agent && active(e, date)).length;
  const register = (agent: string, client: string): CommissionProtectionOutcome | 'clash' => {
    const holder = protector(client);
    if (holder === 'clash') return 'clash';
    if (holder !== null && holder.agent !== agent) return { canRegister: false, refusal: 'protected_by_other' };
    if (entries.some((e) => e.agent === agent && e.client === client && active(e, on))) return { canRegister: false, refusal: 'already_registered' };
    for (let k = 0; k < days; k++) if (activeCount(agent, addCalendarDays(on, k)) >= max) return { canRegister: false, refusal: 'list_full' };
    return { canRegister: true };
  };
  return { protector, activeCount, register };
}

const AGENTS = ['li', 'wang', 'zhang'];
const CLIENTS = ['acme', 'bolt', 'crest', 'delta'];
const day = (from: string, span: number) => fc.integer({ min: 0, max: span }).map((n) => addCalendarDays(from, n));
const entry: fc.Arbitrary<Entry> = fc.record(
  {
    agent: fc.constantFrom(...AGENTS),
    client: fc.constantFrom(...CLIENTS),
    registeredOn: day('2026-01-01', 90),
    extendedUntil: day('2026-01-01', 150),
    extensionApprovedBy: fc.constant('zhou'),
  },
  { requiredKeys: ['agent', 'client', 'registeredOn'] },
);

describe('commission.protection against a brute-force oracle', () => {
  it('client, agent and register answers agree with SPEC §2 read literally', () => {
    let refusals = 0;
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), day('2025-12-20', 120), fc.constantFrom(...AGENTS), fc.constantFrom(...CLIENTS), (entries, on, agent, client) => {
        const expected = oracle(entries, on);
        const holder = expected.protector(client);
        const registration = expected.register(agent, client);
        const facts = { entries, on, client, agent, register: { agent, client } };
        if (holder === 'clash' || registration === 'clash') {
          expect(() => protection(facts)).toThrow(/same day/);
          return;
        }
        const outcome = protection(facts);
        expect(outcome).toEqual({
          protectedBy: holder?.agent ?? null,
          until: holder?.until ?? null,
          activeCount: expected.activeCount(agent, on),
          ...registration,
        });
        if (!registration.canRegister) refusals++;
      }),
      { numRuns: 1500 },
    );
    expect(refusals).toBeGreaterThan(100);
  });

  it('list_full is reached and agrees with the oracle on crowded lists', () => {
    // Many entries of one agent so the 20-entry cap is really in play.
    const crowded = fc.array(
      fc.record({ agent: fc.constantFrom('li', 'li', 'li', 'wang'), client: fc.integer({ min: 0, max: 40 }).map((n) => `c${n}`), registeredOn: day('2026-03-01', 25) }),
      { minLength: 20, maxLength: 60 },
    );
    let full = 0;
    fc.assert(
      fc.property(crowded, day('2026-02-20', 60), fc.integer({ min: 30, max: 45 }).map((n) => `c${n}`), (entries, on, client) => {
        const expected = oracle(entries, on).register('li', client);
        const ask = () => protection({ entries, on, register: { agent: 'li', client } });
        if (expected === 'clash') expect(ask).toThrow(/same day/);
        else expect(ask()).toEqual(expected);
        if (expected !== 'clash' && expected.refusal === 'list_full') full++;
      }),
      { numRuns: 400 },
    );
    expect(full).toBeGreaterThan(40);
  });

  it('the answer does not depend on the order of entries', () => {
    const withShuffle = fc.array(entry, { maxLength: 30 }).chain((entries) => fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })));
    fc.assert(
      fc.property(withShuffle, day('2026-01-01', 100), fc.constantFrom(...AGENTS), fc.constantFrom(...CLIENTS), ([entries, shuffled], on, agent, client) => {
        const ask = (list: Entry[]) => {
          try {
            return protection({ entries: list, on, client, agent, register: { agent, client } });
          } catch (error) {
            return (error as PolicyInputError).code;
          }
        };
        expect(ask(shuffled)).toEqual(ask(entries));
      }),
      { numRuns: 500 },
    );
  });
});

describe('commission.protection invariants (SPEC §2)', () => {
  const anyDate = fc.integer({ min: 0, max: 300 * 365 }).map((n) => addCalendarDays('1900-01-01', n));

  it('an unextended entry protects on exactly 30 days: registeredOn through registeredOn + 29', () => {
    const unapprovedOrShort = fc.oneof(
      fc.constant({}),
      fc.integer({ min: -5, max: 200 }).map((n) => ({ extend: n, approved: false })),
      fc.integer({ min: -5, max: 29 }).map((n) => ({ extend: n, approved: true })),
    );
    fc.assert(
      fc.property(anyDate, unapprovedOrShort, (registeredOn, extension) => {
        const e: Entry = { agent: 'li', client: 'acme', registeredOn };
        if ('extend' in extension) {
          e.extendedUntil = addCalendarDays(registeredOn, extension.extend);
          if (extension.approved) e.extensionApprovedBy = 'zhou';
        }
        const protectedDays: number[] = [];
        for (let k = -2; k <= 33; k++) {
          const outcome = protection({ entries: [e], on: addCalendarDays(registeredOn, k), client: 'acme' });
          if (outcome.protectedBy === 'li') {
            protectedDays.push(k);
            expect(outcome.until).toBe(addCalendarDays(registeredOn, 29));
          } else expect(outcome).toEqual({ protectedBy: null, until: null });
        }
        expect(protectedDays).toEqual(Array.from({ length: 30 }, (_, k) => k));
      }),
      { numRuns: 150 },
    );
  });

  it('an approved extension past day 30 protects through extendedUntil, inclusive', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 30, max: 120 }), (registeredOn, extend) => {
        const extendedUntil = addCalendarDays(registeredOn, extend);
        const entries = [{ agent: 'li', client: 'acme', registeredOn, extendedUntil, extensionApprovedBy: 'zhou' }];
        expect(protection({ entries, on: extendedUntil, client: 'acme' })).toEqual({ protectedBy: 'li', until: extendedUntil });
        expect(protection({ entries, on: addCalendarDays(extendedUntil, 1), client: 'acme' })).toEqual({ protectedBy: null, until: null });
        expect(protection({ entries, on: addCalendarDays(registeredOn, 30), client: 'acme' }).protectedBy).toBe('li');
      }),
      { numRuns: 150 },
    );
  });

  const simulate = (attempts: readonly { agent: string; client: string; day: number }[], start: string, options: { rules?: unknown } = {}) => {
    const entries: Entry[] = [];
    let refusedFull = 0;
    for (const attempt of attempts) {
      const on = addCalendarDays(start, attempt.day);
      const outcome = protection({ entries, on, register: { agent: attempt.agent, client: attempt.client } }, options);
      if (outcome.canRegister) entries.push({ agent: attempt.agent, client: attempt.client, registeredOn: on });
      else if (outcome.refusal === 'list_full') refusedFull++;
    }
    return { entries, refusedFull };
  };
  const peakActive = (entries: readonly Entry[], agent: string, start: string, span: number, days: number) => {
    let peak = 0;
    for (let k = -1; k <= span + days; k++) {
      const date = addCalendarDays(start, k);
      const count = entries.filter((e) => e.agent === agent && e.registeredOn <= date && date <= addCalendarDays(e.registeredOn, days - 1)).length;
      peak = Math.max(peak, count);
    }
    return peak;
  };

  it('never more than 20 active entries per agent on any date after any sequence of accepted registrations (dates in any order)', () => {
    let reachedCap = 0;
    const attempts = fc.array(fc.record({ agent: fc.constantFrom('li', 'li', 'li', 'wang'), client: fc.integer({ min: 0, max: 150 }).map((n) => `c${n}`), day: fc.integer({ min: 0, max: 40 }) }), { minLength: 20, maxLength: 140 });
    fc.assert(
      fc.property(attempts, (tries) => {
        const { entries, refusedFull } = simulate(tries, '2026-03-01');
        for (const agent of ['li', 'wang']) {
          const peak = peakActive(entries, agent, '2026-03-01', 40, 30);
          expect(peak).toBeLessThanOrEqual(20);
          if (peak === 20) reachedCap++;
        }
        if (refusedFull > 0) expect(entries.length).toBeGreaterThanOrEqual(20);
      }),
      { numRuns: 60 },
    );
    expect(reachedCap).toBeGreaterThan(15);
  });

  it('the cap and the period come from the rules file: with 3 clients for 5 days the same invariant holds', () => {
    const rules = structuredClone(bundled);
    rules.parameters[0]!.values = { protectionDays: 5, maxProtectedClients: 3 };
    let refused = 0;
    const attempts = fc.array(fc.record({ agent: fc.constantFrom('li', 'wang'), client: fc.integer({ min: 0, max: 12 }).map((n) => `c${n}`), day: fc.integer({ min: 0, max: 12 }) }), { minLength: 10, maxLength: 80 });
    fc.assert(
      fc.property(attempts, (tries) => {
        const { entries, refusedFull } = simulate(tries, '2026-03-01', { rules });
        refused += refusedFull;
        for (const agent of ['li', 'wang']) expect(peakActive(entries, agent, '2026-03-01', 12, 5)).toBeLessThanOrEqual(3);
      }),
      { numRuns: 200 },
    );
    expect(refused).toBeGreaterThan(100);
    const one = [{ agent: 'li', client: 'acme', registeredOn: '2026-03-01' }];
    expect(protection({ entries: one, on: '2026-03-05', client: 'acme' }, { rules })).toEqual({ protectedBy: 'li', until: '2026-03-05' });
    expect(protection({ entries: one, on: '2026-03-06', client: 'acme' }, { rules })).toEqual({ protectedBy: null, until: null });
  });
});

describe('commission.protection dates and zones', () => {
  it('an instant at 23:30 UTC on day D is day D+1 in Asia/Shanghai and day D in UTC', () => {
    // From 1992: China kept summer time (UTC+9) from 1986 to 1991, which the zone data knows.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 365 }).map((n) => addCalendarDays('1992-01-01', n)), (d) => {
        const entries = [{ agent: 'li', client: 'acme', registeredOn: addCalendarDays(d, -29) }];
        const on = `${d}T23:30:00Z`;
        // Day D is the entry's 30th day; D+1 its 31st.
        expect(protection({ entries, on, client: 'acme' }).protectedBy).toBeNull();
        expect(protection({ entries, on, client: 'acme' }, { timeZone: 'UTC' }).protectedBy).toBe('li');
        expect(protection({ entries, on: `${d}T15:59:59Z`, client: 'acme' }).protectedBy).toBe('li');
      }),
      { numRuns: 200 },
    );
  });
});

describe('commission.protection size', () => {
  const days = Array.from({ length: 60 }, (_, i) => addCalendarDays('2026-01-01', i));
  const big = (n: number): Entry[] => Array.from({ length: n }, (_, i) => ({ agent: `a${i % 5000}`, client: `c${i}`, registeredOn: days[i % 60]! }));

  it('answers over 100,000 entries (the default bound)', () => {
    const entries = big(100_000);
    // c777 is registered on day 777 % 60 = 57 (2026-02-27); a7 holds c7, c5007, … (20 entries on days 7, 27 and 47).
    const outcome = protection({ entries, on: '2026-03-01', client: 'c777', agent: 'a7', register: { agent: 'a7', client: 'new' } });
    const mine = entries.filter((e) => e.agent === 'a7' || e.client === 'c777');
    const expected = oracle(mine, '2026-03-01');
    expect(outcome).toEqual({ protectedBy: 'a777', until: '2026-03-28', activeCount: expected.activeCount('a7', '2026-03-01'), ...(expected.register('a7', 'new') as object) });
    expect(outcome.activeCount).toBeGreaterThan(0);
  });

  it('refuses more entries than options.maxItems, before reading them', () => {
    expect(() => protection({ entries: big(100_001), on: '2026-02-15', agent: 'a1' })).toThrow(/too many items/);
    expect(protection({ entries: big(3), on: '2026-01-02', agent: 'a1' }, { maxItems: 3 }).activeCount).toBe(1);
    expect(() => protection({ entries: big(4), on: '2026-01-01', agent: 'a1' }, { maxItems: 3 })).toThrow(PolicyInputError);
  });

  it('names the entry of every bad field, all at once', () => {
    const entries = [
      { agent: 'li', client: 'a', registeredOn: '2026-03-01' },
      { agent: 'li', client: 'b', registeredOn: '2026-02-30' },
      { agent: 'li', client: 'c', registeredOn: '2026-03-01', note: 'vip' },
      { agent: '', client: 'd', registeredOn: '2026-03-01T10:00:00' },
    ];
    try {
      protection({ entries, on: '2026-03-01', agent: 'li' } as CommissionProtectionFacts);
      expect.unreachable();
    } catch (error) {
      expect((error as PolicyInputError).issues.map((issue) => issue.path)).toEqual(['entries[1].registeredOn', 'entries[2].note', 'entries[3].agent', 'entries[3].registeredOn']);
      expect((error as PolicyInputError).message).toContain('2026-02-30 is not a day of the calendar');
    }
  });
});
