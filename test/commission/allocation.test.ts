import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import bundled from '../../rules/commission/allocation.rules.json' with { type: 'json' };
import { percentTotal, splitPool } from '../../src/commission/pool-split.js';
import { percentTotalDecimal, splitPoolDecimal } from '../helpers/pool-split-decimal.js';
import { Dec } from '../../src/core/money.js';
import type { CommissionAllocationFacts, CommissionAllocationOutcome, Decision } from '../../src/index.js';
import { evaluate, PolicyInputError, RuleGapError, RuleSetError } from '../../src/index.js';

const AS_OF = { asOf: '2026-01-01' };
const AGENTS = ['an', 'bo', 'chen', 'li', 'wang', 'zhao'] as const;
const agent = fc.constantFrom(...AGENTS);
const agents = (minLength: number, maxLength: number) => fc.uniqueArray(agent, { minLength, maxLength });

/** Two-place amounts: strings (some huge, some with trailing zeros dropped) and safe JSON numbers. */
const pool = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 22n }).map((cents) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`),
  fc.bigInt({ min: 0n, max: 10n ** 12n }).map((cents) => String(cents / 100n) + (cents % 100n === 0n ? '' : `.${String(cents % 100n).padStart(2, '0')}`.replace(/0$/, ''))),
  fc.integer({ min: 0, max: 10_000_000_00 }).map((cents) => cents / 100),
  fc.constantFrom('0', '0.01', '0.03', '10000.01', 0.03),
);

const referral = fc.option(
  fc.record(
    {
      referrerAgent: agent,
      referrerAgentContacted: fc.boolean(),
      namedReferrerAgent: fc.boolean(),
      referrerAgentPresent: fc.boolean(),
      notifiedReferrerAgent: fc.boolean(),
      delegatedToCloser: fc.boolean(),
      intentSigned: fc.boolean(),
      referrerChoice: fc.constantFrom('all' as const, 'half' as const),
    },
    { requiredKeys: ['referrerAgent'] },
  ),
  { nil: null },
);

/** Any valid facts of any kind, including every combination the rules must settle or refer. */
const facts: fc.Arbitrary<CommissionAllocationFacts> = fc.record({
  pool,
  kind: fc.constantFrom('lease' as const, 'add_on' as const, 'intent' as const),
  depositPaidInFull: fc.boolean(),
  contractSigned: fc.boolean(),
  handlers: agents(0, 3),
  closer: agent,
  originalAgents: agents(1, 3),
  originalAgentsActive: fc.boolean(),
  referral,
  receivingAgents: agents(0, 5),
  protectedBy: fc.option(agent, { nil: null }),
});

/** Facts for which commission is due and the contract is valid, to reach the rules after COM-4/5/6. */
const dueFacts = facts.map((f) => ({ ...f, depositPaidInFull: true, contractSigned: true, handlers: f.handlers.slice(0, 2) }));

const allocate = (f: CommissionAllocationFacts): Decision<CommissionAllocationOutcome> => evaluate('commission.allocation', f, AS_OF);

const permutation = <T>(items: readonly T[]) => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('commission.allocation properties (SPEC §2 invariants)', () => {
  it('every valid input gets a decision: the rules leave no gap', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const decision = allocate(f);
        expect(['allocated', 'no_commission', 'needs_ruling', 'invalid']).toContain(decision.outcome.status);
        expect(decision.basis.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('the client returns to the referrer agent (followUpBy) only when neither a lease nor a letter of intent was signed (COM-9)', () => {
    let returned = 0;
    fc.assert(
      fc.property(facts, (f) => {
        const { outcome } = allocate(f);
        if (outcome.status !== 'no_commission' || outcome.followUpBy === undefined) return;
        returned++;
        expect(f.contractSigned).toBe(false);
        expect(f.referral?.intentSigned ?? false).toBe(false);
        expect(outcome.followUpBy).toBe(f.referral?.referrerAgent);
      }),
      { numRuns: 2000 },
    );
    expect(returned).toBeGreaterThan(0);
  });

  it('allocated amounts are two-place, ≥ 0 and sum exactly to pool; percents sum to 100; at most 2 distinct agents', () => {
    let allocated = 0;
    fc.assert(
      fc.property(dueFacts, (f) => {
        const { outcome } = allocate(f);
        if (outcome.status !== 'allocated') return;
        allocated++;
        const amounts = outcome.shares.map((share) => share.amount);
        for (const amount of amounts) expect(amount).toMatch(/^\d+\.\d{2}$/);
        const total = amounts.reduce((sum, amount) => sum.plus(amount), new Dec(0));
        expect(total.eq(new Dec(String(f.pool))), `${total.toFixed()} ≠ ${String(f.pool)}`).toBe(true);
        const percents = outcome.shares.reduce((sum, share) => sum.plus(share.percent), new Dec(0));
        expect(percents.eq(100)).toBe(true);
        expect(outcome.shares.length).toBeGreaterThanOrEqual(1);
        expect(outcome.shares.length).toBeLessThanOrEqual(2);
        expect(new Set(outcome.shares.map((share) => share.agent)).size).toBe(outcome.shares.length);
      }),
      { numRuns: 3000 },
    );
    // The generator must actually reach allocations, or the property above says nothing.
    expect(allocated).toBeGreaterThan(300);
  });

  it('only agents the facts name in a role are paid', () => {
    fc.assert(
      fc.property(dueFacts, (f) => {
        const { outcome } = allocate(f);
        if (outcome.status !== 'allocated') return;
        const named = new Set([f.closer, f.protectedBy, f.referral?.referrerAgent, ...(f.handlers ?? []), ...(f.originalAgents ?? [])]);
        for (const share of outcome.shares) expect(named.has(share.agent)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the decision does not depend on the order of handlers, receivingAgents or originalAgents', () => {
    const withPermutations = facts.chain((f) => fc.tuple(fc.constant(f), permutation(f.handlers ?? []), permutation(f.receivingAgents ?? []), permutation(f.originalAgents ?? [])));
    fc.assert(
      fc.property(withPermutations, ([f, handlers, receivingAgents, originalAgents]) => {
        const a = allocate(f);
        const b = allocate({ ...f, handlers, receivingAgents, originalAgents });
        expect({ outcome: b.outcome, basis: b.basis }).toEqual({ outcome: a.outcome, basis: a.basis });
      }),
      { numRuns: 2000 },
    );
  });

  it('D-COM-1: more than two handlers is invalid whatever else holds', () => {
    fc.assert(
      fc.property(facts, agents(3, 4), (f, handlers) => {
        expect(allocate({ ...f, handlers }).outcome).toEqual({ status: 'invalid', violations: ['COM-6'] });
      }),
      { numRuns: 300 },
    );
  });

  it('D-COM-1: with a valid contract and the deposit short, nothing is due (COM-5), whatever else holds', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const d = allocate({ ...f, handlers: (f.handlers ?? []).slice(0, 2), depositPaidInFull: false });
        expect(d.outcome.status).toBe('no_commission');
        expect(d.basis[0]).toBe('COM-5');
      }),
      { numRuns: 500 },
    );
  });

  it('D-COM-8: protection never changes an add-on or intent decision', () => {
    fc.assert(
      fc.property(dueFacts, fc.option(agent, { nil: null }), (f, protectedBy) => {
        fc.pre(f.kind !== 'lease');
        const a = allocate({ ...f, protectedBy: null });
        const b = allocate({ ...f, protectedBy });
        expect({ outcome: b.outcome, basis: b.basis }).toEqual({ outcome: a.outcome, basis: a.basis });
      }),
      { numRuns: 500 },
    );
  });

  it("COM-7: in a lease due for commission, another agent's protection entry pays that agent 100% unless COM-9 applies", () => {
    fc.assert(
      fc.property(dueFacts, agent, (f, protector) => {
        fc.pre(f.kind === 'lease' && protector !== f.closer);
        const d = allocate({ ...f, protectedBy: protector });
        if (d.basis.includes('COM-9')) return;
        expect(d.basis).toEqual(['COM-7']);
        expect(d.outcome).toEqual({ status: 'allocated', shares: [{ agent: protector, percent: 100, amount: new Dec(String(f.pool)).toFixed(2) }] });
      }),
      { numRuns: 1000 },
    );
  });

  it('the same facts always give byte-identical decision JSON', () => {
    fc.assert(
      fc.property(facts, (f) => {
        expect(JSON.stringify(allocate(f))).toBe(JSON.stringify(allocate(structuredClone(f))));
      }),
      { numRuns: 300 },
    );
  });
});

describe('D-COM-2: splitting the pool', () => {
  const cents = fc.bigInt({ min: 0n, max: 10n ** 24n });
  const toPool = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
  const split = fc.oneof(
    fc.constant([100]),
    fc.integer({ min: 1, max: 99 }).map((p) => [p, 100 - p]),
    fc.integer({ min: 1, max: 9999 }).map((p) => [p / 100, new Dec(100).minus(new Dec(p).div(100)).toNumber()]),
  );

  it('each amount but the first is pool × percent / 100 rounded down; the first takes the rest; all add up to pool', () => {
    fc.assert(
      fc.property(cents, split, fc.uniqueArray(agent, { minLength: 2, maxLength: 2 }), (c, percents, ids) => {
        const pool = toPool(c);
        const shares = splitPool(pool, percents.map((percent, i) => ({ agent: ids[i]!, percent })));
        const total = shares.reduce((sum, share) => sum.plus(share.amount), new Dec(0));
        expect(total.eq(pool)).toBe(true);
        shares.forEach((share, i) => {
          const floor = new Dec(pool).times(share.percent).div(100).toDecimalPlaces(2, Dec.ROUND_DOWN);
          if (i > 0) expect(share.amount).toBe(floor.toFixed(2));
          else {
            const rest = new Dec(share.amount).minus(floor);
            expect(rest.gte(0) && rest.lt(new Dec('0.01').times(shares.length))).toBe(true);
          }
        });
        // Output order: descending percent, then agent id.
        for (let i = 1; i < shares.length; i++) {
          const [a, b] = [shares[i - 1]!, shares[i]!];
          expect(a.percent > b.percent || (a.percent === b.percent && a.agent < b.agent)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['0.01', ['0.01', '0.00']],
    ['0.03', ['0.02', '0.01']],
    ['10000.01', ['5000.01', '5000.00']],
    ['0.1', ['0.05', '0.05']],
    ['0.3', ['0.15', '0.15']],
  ])('float traps: %s split 50/50 gives %j', (pool, expected) => {
    const shares = splitPool(pool, [{ agent: 'B', percent: 50 }, { agent: 'A', percent: 50 }]);
    expect(shares.map((s) => [s.agent, s.amount])).toEqual([['A', expected[0]], ['B', expected[1]]]);
    expect(shares.reduce((sum, s) => sum.plus(s.amount), new Dec(0)).eq(pool)).toBe(true);
  });

  it('a 1/3 split keeps every fen: 100.00 as 33.34 / 33.33 / 33.33', () => {
    const shares = splitPool('100', [{ agent: 'c', percent: 33.33 }, { agent: 'a', percent: 33.34 }, { agent: 'b', percent: 33.33 }]);
    expect(shares).toEqual([
      { agent: 'a', percent: 33.34, amount: '33.34' },
      { agent: 'b', percent: 33.33, amount: '33.33' },
      { agent: 'c', percent: 33.33, amount: '33.33' },
    ]);
  });
});

describe('commission.allocation errors', () => {
  const lease: CommissionAllocationFacts = { pool: '100', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['wang'], closer: 'wang', receivingAgents: ['wang'], protectedBy: null };

  it('reports every missing lease fact at once, with paths', () => {
    try {
      evaluate('commission.allocation', { pool: 1, kind: 'lease', handlers: [] }, AS_OF);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyInputError);
      expect((error as PolicyInputError).issues.map((i) => [i.path, i.code])).toEqual([
        ['closer', 'invalid_type'],
        ['receivingAgents', 'invalid_type'],
        ['protectedBy', 'invalid_type'],
      ]);
    }
  });

  it('bounds lists by options.maxItems', () => {
    expect(() => evaluate('commission.allocation', { ...lease, receivingAgents: ['wang', 'li', 'chen'] }, { ...AS_OF, maxItems: 2 })).toThrow(PolicyInputError);
  });

  const withRule = (index: number, params: Record<string, unknown>) => {
    const rules = structuredClone(bundled) as { rules: { event: { params: Record<string, unknown> } }[] };
    rules.rules[index]!.event.params = params;
    return rules;
  };
  const plainLeaseRule = bundled.rules.findIndex((rule) => rule.name === 'COM-4' && rule.priority === 50);

  it.each([
    ['shares that add up to 90%', { status: 'allocated', shares: [{ role: 'closer', percent: 90 }] }, 'shares', /add up to 90%/],
    ['an unknown role', { status: 'allocated', shares: [{ role: 'boss', percent: 100 }] }, 'shares[0].role', /received "boss"/],
    ['a group role with "percent"', { status: 'allocated', shares: [{ role: 'handlers', percent: 100 }] }, 'shares[0].percent', /percentEach/],
    ['an unknown status', { status: 'paid' }, 'status', /received "paid"/],
    ['an unknown ruler', { status: 'needs_ruling', by: 'ceo' }, 'by', /received "ceo"/],
  ])('a custom rules file with %s is a RuleSetError at load, not a wrong answer', (_name, params, path, message) => {
    const error = (() => {
      try {
        return evaluate('commission.allocation', lease, { ...AS_OF, rules: withRule(plainLeaseRule, params) });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).issues[0]).toMatchObject({ code: 'invalid_event', path: `rules[${plainLeaseRule}].event.params.${path}`, message: expect.stringMatching(message) });
  });

  it.each([
    ['a role the facts do not fill', { status: 'allocated', shares: [{ role: 'protector', percent: 100 }] }, /no protector/],
    ['one agent paid twice', { status: 'allocated', shares: [{ role: 'closer', percent: 50 }, { role: 'handlers', percentEach: 50 }] }, /more than one share/],
  ])('a custom rules file with %s is a RuleGapError, not a wrong answer', (_name, params, message) => {
    expect(() => evaluate('commission.allocation', lease, { ...AS_OF, rules: withRule(plainLeaseRule, params) })).toThrow(message);
    expect(() => evaluate('commission.allocation', lease, { ...AS_OF, rules: withRule(plainLeaseRule, params) })).toThrow(RuleGapError);
  });

  it('thresholds are data: maxHandlers from the rules file decides COM-6', () => {
    const rules = structuredClone(bundled);
    rules.parameters[0]!.values.maxHandlers = 1;
    const twoHandlers = { ...lease, handlers: ['wang', 'li'], receivingAgents: ['wang', 'li'] };
    expect(evaluate('commission.allocation', twoHandlers, AS_OF).outcome.status).toBe('allocated');
    expect(evaluate('commission.allocation', twoHandlers, { ...AS_OF, rules }).outcome).toEqual({ status: 'invalid', violations: ['COM-6'] });
  });
});

describe('the integer split', () => {
  it('equals the decimal.js split on every pool and every set of shares (number cents to 13 integer digits, BigInt cents beyond)', () => {
    const pool = fc
      .tuple(fc.oneof(fc.stringMatching(/^(0|[1-9][0-9]{0,15})$/), fc.stringMatching(/^[1-9][0-9]{12,29}$/)), fc.option(fc.stringMatching(/^[0-9]{1,2}$/), { nil: undefined }))
      .map(([integer, fraction]) => (fraction === undefined ? integer : `${integer}.${fraction}`));
    const percents = fc.oneof(
      fc.integer({ min: 0, max: 100 }).map((p) => [p, 100 - p]),
      fc.constant([100]),
      fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).filter(([a, b]) => a + b <= 100).map(([a, b]) => [a, b, 100 - a - b]),
      fc.constant([33.33, 33.34, 33.33]),
    );
    fc.assert(
      fc.property(pool, percents, fc.uniqueArray(fc.stringMatching(/^[a-z]{1,3}$/), { minLength: 3, maxLength: 3 }), (value, shares, agents) => {
        const parts = shares.map((percent, i) => ({ agent: agents[i]!, percent }));
        expect(splitPool(value, parts)).toEqual(splitPoolDecimal(value, parts));
      }),
      { numRuns: 20_000 },
    );
  });

  // Beyond what the bundled rules and facts give: any canonical money string a custom facts block
  // allows (negative, more places, up to the 40-character limit) and any percent a rules file may
  // write (every double above 0 and at most 100, 5e-324 and 1e-7 among them).
  const anyPool = fc
    .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,29})$/), fc.option(fc.stringMatching(/^[0-9]{0,5}[1-9]$/), { nil: undefined }))
    .map(([negative, integer, fraction]) => `${negative && (integer !== '0' || fraction !== undefined) ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`);
  const anyPercent = fc.oneof(
    fc.double({ min: Number.MIN_VALUE, max: 100, noNaN: true }),
    fc.integer({ min: 1, max: 10_000 }).map((p) => p / 100),
    fc.constantFrom(Number.MIN_VALUE, 1e-7, 0.1, 33.33, 99.99999999999999, 100),
  );

  it('equals the decimal.js split on any money string and any percents a rules file may give', () => {
    fc.assert(
      fc.property(anyPool, fc.array(anyPercent, { maxLength: 4 }), fc.uniqueArray(fc.stringMatching(/^[a-z]{1,2}$/), { minLength: 4, maxLength: 4 }), (value, shares, agents) => {
        const parts = shares.map((percent, i) => ({ agent: agents[i]!, percent }));
        expect(splitPool(value, parts)).toEqual(splitPoolDecimal(value, parts));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['a negative pool', '-10.01', [50, 50], ['-5.01', '-5.00']],
    ['a negative pool whose first share rounds to nothing', '-0.005', [50, 50], ['-0.00', '0.00']],
    ['a pool with three places', '1.999', [50, 50], ['1.00', '0.99']],
    ['percents over 100 in whole cents: the first share goes negative', '1.1', [100, 100, 100], ['-1.10', '1.10', '1.10']],
    ['a percent written with an exponent', '100', [1e-7, 100 - 1e-7], ['100.00', '0.00']],
  ])('%s: %s split %j gives %j, as decimal.js does', (_name, pool, percents, amounts) => {
    const parts = percents.map((percent, i) => ({ agent: `a${i}`, percent }));
    expect(splitPool(pool, parts).map((share) => share.amount)).toEqual(amounts);
    expect(splitPoolDecimal(pool, parts).map((share) => share.amount)).toEqual(amounts);
  });

  // decimal.js holds 64 significant digits here: sums of percents from 1e-40 to 100 (17 digits
  // each at most) stay within them, so it is exact there; below, it rounds and this does not.
  it('adds percents exactly, as decimal.js does where its 64 digits hold the sum', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: 1e-40, max: 100, noNaN: true }), anyPercent.filter((p) => p >= 1e-40)), { maxLength: 5 }), (percents) => {
        expect(percentTotalDecimal(percents).eq(percentTotal(percents))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it.each([
    [[33.33, 33.34, 33.33], '100'],
    [[0.1, 0.2], '0.3'],
    [[50, 50], '100'],
    [[1e-7], '0.0000001'],
    [[], '0'],
    [[0.01, 5e-324], `0.01${'0'.repeat(321)}5`],
  ])('percentTotal(%j) is %s', (percents, total) => {
    expect(percentTotal(percents)).toBe(total);
  });
});
