import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/fulfilment/shipping-order.rules.json' with { type: 'json' };
import { addCalendarDays, toCalendarDate } from '../../src/core/dates.js';
import type { FulfilmentShippingOrderFacts, ShippingOrderProblem } from '../../src/index.js';
import { evaluate, explain, RuleGapError, SHIPPING_ORDER_PROBLEMS } from '../../src/index.js';

const asOf = '2026-01-01';
const run = (facts: unknown, options: { rules?: unknown; timeZone?: string } = {}) => evaluate('fulfilment.shippingOrder', facts as FulfilmentShippingOrderFacts, { asOf, ...options });

const quantity = fc.oneof(fc.nat(200), fc.constantFrom(0, 100, Number.MAX_SAFE_INTEGER), fc.maxSafeNat());
const day = fc.integer({ min: -40, max: 40 }).map((offset) => addCalendarDays('2026-05-31', offset));
const orderFacts = fc.record(
  { orderedQuantity: quantity, shippedBefore: quantity, quantity, contractDeadline: day, plannedArrival: day, clientOnHold: fc.boolean() },
  { requiredKeys: ['orderedQuantity', 'shippedBefore', 'quantity', 'contractDeadline', 'plannedArrival'] },
);

function expectedProblems(f: { orderedQuantity: number; shippedBefore: number; quantity: number; contractDeadline: string; plannedArrival: string; clientOnHold?: boolean }): ShippingOrderProblem[] {
  const problems: ShippingOrderProblem[] = [];
  if (BigInt(f.shippedBefore) + BigInt(f.quantity) > BigInt(f.orderedQuantity)) problems.push('over_quantity');
  if (f.plannedArrival > f.contractDeadline) problems.push('late_arrival');
  if (f.clientOnHold === true) problems.push('client_on_hold');
  return problems;
}

describe('fulfilment.shippingOrder properties (SPEC §4)', () => {
  it('lists exactly the problems that apply, in table order, counting exactly up to 2^53 − 1; approved iff none', () => {
    fc.assert(
      fc.property(orderFacts, (facts) => {
        const problems = expectedProblems(facts);
        expect(run(facts).outcome).toEqual({ approved: problems.length === 0, problems });
      }),
    );
  });

  it('rests on the clause of each problem, or on FUL-D9 when approved', () => {
    const clause = { over_quantity: 'FUL-D9', late_arrival: 'FUL-L1', client_on_hold: 'FUL-P9' } as const;
    fc.assert(
      fc.property(orderFacts, (facts) => {
        const { outcome, basis } = run(facts);
        return JSON.stringify(basis) === JSON.stringify(outcome.approved ? ['FUL-D9'] : [...new Set(outcome.problems.map((p) => clause[p]))]);
      }),
    );
  });

  it('reads instants as calendar dates in the configured zone', () => {
    const zones = fc.constantFrom('Asia/Shanghai', 'UTC', 'America/Los_Angeles');
    const instant = fc.integer({ min: Date.UTC(2026, 4, 25), max: Date.UTC(2026, 5, 5) }).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(zones, instant, day, (timeZone, plannedArrival, contractDeadline) => {
        const late = toCalendarDate(plannedArrival, timeZone) > contractDeadline;
        const facts = { orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline, plannedArrival };
        return run(facts, { timeZone }).outcome.approved === !late;
      }),
    );
  });
});

describe('fulfilment.shippingOrder data', () => {
  it('labels every problem in English and Chinese', () => {
    for (const problem of SHIPPING_ORDER_PROBLEMS) {
      const label = (rules.labels.problems as Record<string, { en: string; zh: string }>)[problem];
      expect(label?.en).toMatch(/\S/);
      expect(label?.zh).toMatch(/\p{Script=Han}/u);
    }
  });

  it('shows the derived arithmetic in the trace', () => {
    const text = explain(run({ orderedQuantity: 100, shippedBefore: 60, quantity: 41, contractDeadline: '2026-05-31', plannedArrival: '2026-06-01' }));
    expect(text).toContain('✓ excessQuantity greaterThan 0 (was 1)');
    expect(text).toContain('✓ daysLate greaterThan 0 (was 1)');
  });

  it('refuses custom rules that approve and object at once, or decide nothing', () => {
    const both = structuredClone(rules) as any;
    both.rules[3].conditions.all.shift(); // approve whatever the quantity
    expect(() => run({ orderedQuantity: 1, shippedBefore: 1, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' }, { rules: both })).toThrow(/both approve and list problems \(over_quantity\)/);
    const none = structuredClone(rules) as any;
    none.rules.pop();
    expect(() => run({ orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' }, { rules: none })).toThrow(RuleGapError);
  });

  it('says what the defective custom rules did, with the facts', () => {
    const both = structuredClone(rules) as any;
    both.rules[3].conditions.all = [{ fact: 'clientOnHold', operator: 'equal', value: false }];
    expect(() => run({ orderedQuantity: 1, shippedBefore: 1, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-03' }, { rules: both })).toThrow(
      new RuleGapError('fulfilment.shippingOrder', 'the rules both approve and list problems (over_quantity, late_arrival) for these facts: {"orderedQuantity":1,"shippedBefore":1,"quantity":1,"contractDeadline":"2026-01-02","plannedArrival":"2026-01-03","clientOnHold":false}'),
    );
    const none = structuredClone(rules) as any;
    none.rules.pop();
    expect(() => run({ orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' }, { rules: none })).toThrow(
      new RuleGapError('fulfilment.shippingOrder', 'no rule decides these facts: {"orderedQuantity":1,"shippedBefore":0,"quantity":1,"contractDeadline":"2026-01-02","plannedArrival":"2026-01-02","clientOnHold":false}'),
    );
  });

  it('lists a problem two rows of a custom file give once', () => {
    const twice = structuredClone(rules) as any;
    twice.rules.splice(1, 0, structuredClone(twice.rules[0]));
    expect(run({ orderedQuantity: 1, shippedBefore: 1, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' }, { rules: twice }).outcome).toEqual({ approved: false, problems: ['over_quantity'] });
  });
});

describe('fulfilment.shippingOrder types', () => {
  it('type quantities as numbers and dates as strings', () => {
    const typed = (facts: FulfilmentShippingOrderFacts) => facts;
    // @ts-expect-error quantity is a number
    typed({ orderedQuantity: 1, shippedBefore: 0, quantity: '1', contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' });
    // @ts-expect-error plannedArrival is required
    typed({ orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: '2026-01-02' });
    expect(run(typed({ orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' })).outcome.approved).toBe(true);
  });
});
