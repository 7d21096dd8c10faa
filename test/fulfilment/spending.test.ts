import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/fulfilment/spending.rules.json' with { type: 'json' };
import { Dec } from '../../src/core/money.js';
import type { FulfilmentSpendingFacts } from '../../src/index.js';
import { evaluate, FULFILMENT_ROLES } from '../../src/index.js';

const asOf = '2026-01-01';
const run = (facts: unknown, options: { rules?: unknown } = {}) => evaluate('fulfilment.spending', facts as FulfilmentSpendingFacts, { asOf, ...options });

/** Amounts as numbers and strings, many of them a few fen from the limit. */
const amount = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000 }).map((fen) => new Dec(fen).div(100).toFixed(2)),
  fc.integer({ min: -500, max: 500 }).map((fen) => new Dec(1_000_000 + fen).div(100).toFixed()),
  fc.integer({ min: 0, max: 10 ** 9 }),
  fc.constantFrom('10000', '10000.00', '10000.001', '9999.999', '99999999999999999999.99'),
);

describe('fulfilment.spending properties (SPEC §4)', () => {
  it('the chief approves up to and including chiefSpendingLimit, compared exactly; above it the sales manager', () => {
    fc.assert(fc.property(amount, (value) => run({ amount: value }).outcome.approver === (new Dec(value).lte(10000) ? 'order_processing_chief' : 'sales_manager')));
  });

  it('the approver never falls as the amount rises', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        const [low, high] = new Dec(a).lte(b) ? [a, b] : [b, a];
        return FULFILMENT_ROLES.indexOf(run({ amount: low }).outcome.approver) <= FULFILMENT_ROLES.indexOf(run({ amount: high }).outcome.approver);
      }),
    );
  });

  it('follows a new dated limit from its date', () => {
    const custom = structuredClone(rules) as any;
    custom.parameters.push({ from: '2027-01-01', values: { chiefSpendingLimit: '50000.00' } });
    expect(run({ amount: 20000 }, { rules: custom }).outcome.approver).toBe('sales_manager');
    expect(evaluate('fulfilment.spending', { amount: 20000 }, { asOf: '2027-01-01', rules: custom }).outcome.approver).toBe('order_processing_chief');
  });

  it('types amount as a number or a decimal string', () => {
    const typed = (facts: FulfilmentSpendingFacts) => facts;
    // @ts-expect-error amount is required
    typed({});
    expect(run(typed({ amount: '1.50' })).outcome.approver).toBe('order_processing_chief');
  });
});
