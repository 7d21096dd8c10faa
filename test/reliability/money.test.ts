import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, PolicyInputError } from '../../src/index.js';
import { Dec } from '../../src/core/money.js';
import { ROOT } from '../helpers/case-files.js';

// Money (issue 8, SPEC "Money facts"). The rule, as docs/readme/reliability.md states it:
// - an amount is a JSON number or a decimal string; strings are exact at any size the library
//   takes (up to 40 characters), numbers are read as the decimal JavaScript prints for them
//   (what JSON.stringify shows) and must be below 2^53 in magnitude;
// - more than two decimals are kept and compared exactly where an amount is only compared
//   (review.approval and review.readiness amount, fulfilment.spending amount,
//   fulfilment.shipmentHold overdueAmount): 500000.001 is above a 500000 limit;
// - more than two decimals are refused where the amount is split to the fen
//   (commission.allocation pool): "0.001" and 0.1 + 0.2 are input errors, "0.3" is not.

const AS_OF = { asOf: '2026-01-01' } as const;
const lease = (pool: unknown, handlers = ['li', 'wang']) => ({ pool, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers, closer: handlers[0], receivingAgents: handlers, protectedBy: null });

function inputError(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyInputError);
    return (error as PolicyInputError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected a PolicyInputError');
}

// review.approval with thresholds of its own (400,000 and 2,000,000): exactness is a property of the
// engine, so an analyst's change to rules/review/approval.rules.json moves only the case files.
const APPROVAL_FIXTURE: unknown = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/engine/approval.rules.json'), 'utf8'));
const authority = (amount: unknown, rules: unknown = APPROVAL_FIXTURE) => evaluate('review.approval', { amount, channel: 'direct' } as never, { ...AS_OF, rules }).outcome.authority;

describe('amounts with more than two decimals', () => {
  it('are compared exactly where the amount is only compared: 400000.001 is above the 400000 limit, 400000.000 is not', () => {
    expect(authority('400000')).toBe('marketing_director');
    expect(authority('400000.000')).toBe('marketing_director');
    expect(authority('400000.001')).toBe('sales_vp');
    expect(authority('400000.0000000000000000000000001')).toBe('sales_vp');
    expect(authority(400000.001)).toBe('sales_vp');
    expect(authority('1999999.999')).toBe('sales_vp');
    expect(authority('2000000.000')).toBe('general_manager');
    expect(evaluate('fulfilment.spending', { amount: '10000.001' }, AS_OF).outcome.approver).toBe('sales_manager');
    expect(evaluate('fulfilment.spending', { amount: '10000.000' }, AS_OF).outcome.approver).toBe('order_processing_chief');
  });

  it('are refused where the amount is split to the fen (the commission pool), with the path and the rule in the message', () => {
    for (const pool of ['0.001', '10000.005', 0.001, 0.1 + 0.2, 1e-7]) {
      expect(inputError(() => evaluate('commission.allocation', lease(pool) as never, AS_OF))).toEqual([{ path: 'pool', message: 'has more than 2 decimal places' }]);
    }
    // Trailing zeros are not places: "10000.500" is 10000.5.
    expect(evaluate('commission.allocation', lease('10000.500') as never, AS_OF).outcome).toMatchObject({ status: 'allocated' });
  });
});

describe('values floats get wrong', () => {
  it('0.1 + 0.2: as the number JavaScript makes of it, 0.30000000000000004 is compared as such; as "0.3" it is 0.3', () => {
    const rules = approvalRules({ directorLimit: '0.3', vpLimit: '1' });
    expect(authority('0.3', rules)).toBe('marketing_director');
    expect(authority(0.3, rules)).toBe('marketing_director');
    expect(authority(0.1 + 0.2, rules)).toBe('sales_vp');
    // Exact decimal arithmetic of the library: 0.1 + 0.2 is 0.3.
    expect(new Dec('0.1').plus('0.2').eq('0.3')).toBe(true);
  });

  it('9007199254740993: exact as a string, refused as a number (it is not a safe number: JavaScript already read it as ...992)', () => {
    const rules = approvalRules({ directorLimit: '9007199254740992', vpLimit: '9007199254740993' });
    expect(authority('9007199254740992', rules)).toBe('marketing_director');
    expect(authority('9007199254740993', rules)).toBe('general_manager');
    expect(authority('9007199254740992.99', rules)).toBe('sales_vp');
    // eslint-disable-next-line no-loss-of-precision -- a number past 2^53 must be refused
    expect(inputError(() => authority(9007199254740993, rules))).toEqual([{ path: 'amount', message: 'a number must be below 2^53 in magnitude; give larger amounts as strings' }]);
    expect(authority(Number.MAX_SAFE_INTEGER, rules)).toBe('marketing_director');
  });

  it('splits of 0.01 and 0.03 between two agents: the amounts are whole fen and add up to the pool exactly', () => {
    const split = (pool: unknown) => {
      const outcome = evaluate('commission.allocation', lease(pool) as never, AS_OF).outcome as { status: string; shares: { agent: string; amount: string }[] };
      return outcome.shares.map((share) => [share.agent, share.amount]);
    };
    expect(split('0.01')).toEqual([['li', '0.01'], ['wang', '0.00']]);
    expect(split(0.01)).toEqual([['li', '0.01'], ['wang', '0.00']]);
    expect(split('0.03')).toEqual([['li', '0.02'], ['wang', '0.01']]);
    expect(split(0.03)).toEqual([['li', '0.02'], ['wang', '0.01']]);
    expect(split('0.02')).toEqual([['li', '0.01'], ['wang', '0.01']]);
    // Floats would give 0.015 + 0.015 = 0.03 and round both halves the same way.
    expect(0.03 / 2).not.toBe(0.01);
  });
});

describe('amounts up to 1e15 are exact', () => {
  it('1e15 and one fen below it, as strings and (whole) numbers, compare and split exactly', () => {
    const rules = approvalRules({ directorLimit: '999999999999999.99', vpLimit: '1000000000000000' });
    expect(authority('999999999999999.99', rules)).toBe('marketing_director');
    expect(authority('999999999999999.991', rules)).toBe('sales_vp');
    expect(authority('1000000000000000', rules)).toBe('general_manager');
    expect(authority(1e15, rules)).toBe('general_manager');
    const shares = (evaluate('commission.allocation', lease('999999999999999.99') as never, AS_OF).outcome as unknown as { shares: { amount: string }[] }).shares.map((s) => s.amount);
    expect(shares).toEqual(['500000000000000.00', '499999999999999.99']);
  });

  it('any pool up to 1e15 with at most two places, in any two-way split, adds up to the pool to the fen (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 100_000_000_000_000_000n }), fc.boolean(), (fen, asString) => {
        const pool = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
        // As a number only where the number prints back as the same decimal (15 significant digits or fewer).
        const given = asString || pool.replace('.', '').replace(/^0+/, '').length > 15 ? pool : Number(pool);
        const outcome = evaluate('commission.allocation', lease(given) as never, AS_OF).outcome as unknown as { shares: { amount: string }[] };
        const total = outcome.shares.reduce((sum, share) => sum.plus(share.amount), new Dec(0));
        expect(total.toFixed(2)).toBe(new Dec(pool).toFixed(2));
        for (const share of outcome.shares) expect(share.amount).toMatch(/^\d+\.\d{2}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('a decimal string and the number with the same digits decide alike (property over amounts with ≤ 15 significant digits)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 2 }), (digits, places) => {
        const text = places === 0 ? String(digits) : `${digits / 10n ** BigInt(places)}.${String(digits % 10n ** BigInt(places)).padStart(places, '0')}`;
        expect(evaluate('review.approval', { amount: Number(text), channel: 'direct' }, AS_OF)).toEqual(evaluate('review.approval', { amount: text, channel: 'direct' }, AS_OF));
      }),
      { numRuns: 500 },
    );
  });
});

function approvalRules(limits: { directorLimit: string; vpLimit: string }): unknown {
  const json = JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8')) as { parameters: { values: Record<string, unknown> }[] };
  Object.assign(json.parameters[0]!.values, limits);
  json.parameters = json.parameters.slice(0, 1) as never;
  return json;
}
