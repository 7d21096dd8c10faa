import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/fulfilment/shipment-hold.rules.json' with { type: 'json' };
import { Dec } from '../../src/core/money.js';
import type { FulfilmentShipmentHoldFacts, ShipmentHoldReason } from '../../src/index.js';
import { evaluate, explain, PolicyInputError, RuleGapError, SHIPMENT_HOLD_REASONS } from '../../src/index.js';

const asOf = '2026-01-01';
const run = (facts: unknown, options: { rules?: unknown } = {}) => evaluate('fulfilment.shipmentHold', facts as FulfilmentShipmentHoldFacts, { asOf, ...options });

/** A rate from 0 to 1 as people send it: a number or a string, with up to 6 places, often near 0.15. */
const rateValue = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }).map((millionths) => new Dec(millionths).div(1_000_000).toFixed()),
  fc.constantFrom('0.15', '0.1500', '0.1501', '0.1499', '0.15000000000000000001', '0', '1', '1.000'),
  fc.integer({ min: 0, max: 10_000 }).map((n) => n / 10_000),
);

const validFacts = fc.record(
  {
    overdueAmount: fc.oneof(fc.constant(1200), fc.constant('80000.50')),
    oldestOverdueDays: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(89, 90, 91)),
    returnRate: rateValue,
    specialCircumstance: fc.boolean(),
  },
  { requiredKeys: ['oldestOverdueDays', 'returnRate'] },
);

function expectedReasons(facts: { oldestOverdueDays: number; returnRate: number | string; specialCircumstance?: boolean }): ShipmentHoldReason[] {
  const reasons: ShipmentHoldReason[] = [];
  if (facts.oldestOverdueDays > 90) reasons.push('overdue_receivables');
  if (new Dec(facts.returnRate).gt('0.15')) reasons.push('return_rate');
  if (facts.specialCircumstance === true) reasons.push('special_circumstance');
  return reasons;
}

describe('fulfilment.shipmentHold properties (SPEC §4)', () => {
  it('gives exactly the grounds that apply, in table order, compared exactly; hold iff any', () => {
    fc.assert(
      fc.property(validFacts, (facts) => {
        const { outcome, basis } = run(facts);
        const reasons = expectedReasons(facts);
        expect(outcome).toEqual({ hold: reasons.length > 0, reasons, decidedBy: 'order_processing_chief', reportTo: 'sales_manager' });
        expect(basis).toEqual(reasons.map((reason) => `FUL-P9-${'abc'[SHIPMENT_HOLD_REASONS.indexOf(reason)]}`));
      }),
    );
  });

  it('more overdue days or a higher return rate never lifts a hold', () => {
    fc.assert(
      fc.property(validFacts, fc.nat(100), fc.integer({ min: 0, max: 1_000 }), (facts, moreDays, moreMillionths) => {
        const higherRate = Dec.min(new Dec(facts.returnRate).plus(new Dec(moreMillionths).div(1_000_000)), 1).toFixed();
        const before = run(facts).outcome.reasons;
        const after = run({ ...facts, oldestOverdueDays: facts.oldestOverdueDays + moreDays, returnRate: higherRate }).outcome.reasons;
        return before.every((reason) => after.includes(reason));
      }),
    );
  });

  it('always names the chief as the decider and the sales manager as the one reported to', () => {
    fc.assert(fc.property(validFacts, (facts) => run(facts).outcome.decidedBy === 'order_processing_chief' && run(facts).outcome.reportTo === 'sales_manager'));
  });

  it('refuses any rate above 1 or below 0, at returnRate', () => {
    const outOfRange = fc.oneof(
      fc.integer({ min: 1, max: 10 ** 9 }).map((n) => new Dec(1).plus(new Dec(n).div(10 ** 9)).toFixed()),
      fc.integer({ min: 1, max: 10 ** 9 }).map((n) => new Dec(n).div(10 ** 9).neg().toFixed()),
      fc.double({ min: 1.000001, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(outOfRange, (returnRate) => {
        try {
          run({ oldestOverdueDays: 0, returnRate });
          return false;
        } catch (error) {
          return error instanceof PolicyInputError && error.issues.length === 1 && error.issues[0]!.path === 'returnRate' && error.issues[0]!.received === returnRate;
        }
      }),
    );
  });

  it('refuses an overdue age beside an overdue amount of 0, and says why', () => {
    expect(() => run({ overdueAmount: 0, oldestOverdueDays: 1, returnRate: 0 })).toThrow(/overdueAmount is 0, so nothing is overdue: oldestOverdueDays must be 0, not 1/);
    try {
      run({ overdueAmount: 0, oldestOverdueDays: 7, returnRate: 0 });
      expect.unreachable();
    } catch (error) {
      expect((error as PolicyInputError).issues).toEqual([
        { code: 'invalid_value', path: 'oldestOverdueDays', message: 'overdueAmount is 0, so nothing is overdue: oldestOverdueDays must be 0, not 7', received: 7, expected: '0 when overdueAmount is 0' },
      ]);
    }
    expect(run({ overdueAmount: '0.01', oldestOverdueDays: 1, returnRate: 0 }).outcome.hold).toBe(false);
  });
});

describe('fulfilment.shipmentHold data', () => {
  it('labels every reason and both roles in English and Chinese', () => {
    const labels = rules.labels as Record<string, Record<string, { en: string; zh: string }>>;
    for (const reason of SHIPMENT_HOLD_REASONS) {
      expect(labels['reasons']?.[reason]?.en).toMatch(/\S/);
      expect(labels['reasons']?.[reason]?.zh).toMatch(/\p{Script=Han}/u);
    }
    expect(labels['decidedBy']?.['order_processing_chief']?.zh).toBe('訂單處理科科長');
    expect(labels['reportTo']?.['sales_manager']?.zh).toBe('銷售部經理');
  });

  it('takes the thresholds and the roles from the rules file', () => {
    const custom = structuredClone(rules) as any;
    custom.parameters[0].values.maxOverdueDays = 30;
    custom.parameters[0].values.maxReturnRate = '0.05';
    custom.parameters[0].values.reportTo = 'order_processing_chief';
    const decision = run({ oldestOverdueDays: 31, returnRate: '0.06' }, { rules: custom });
    expect(decision.outcome).toEqual({ hold: true, reasons: ['overdue_receivables', 'return_rate'], decidedBy: 'order_processing_chief', reportTo: 'order_processing_chief' });
    // The organisation's own values are not examples: no warnings.
    expect(decision.warnings).toBeUndefined();
  });

  it('keeps table order whatever the priorities of a custom file', () => {
    const custom = structuredClone(rules) as any;
    custom.rules[2].priority = 5;
    expect(run({ oldestOverdueDays: 91, returnRate: 0, specialCircumstance: true }, { rules: custom }).outcome.reasons).toEqual(['overdue_receivables', 'special_circumstance']);
  });

  it('refuses a custom file with an unknown reason or role', () => {
    const reason = structuredClone(rules) as any;
    reason.rules[2].event.params.reason = 'bad_mood';
    expect(() => run({ oldestOverdueDays: 0, returnRate: 0, specialCircumstance: true }, { rules: reason })).toThrow(
      'options.rules → rules[2].event.params.reason: expected one of "overdue_receivables", "return_rate", "special_circumstance" (received "bad_mood")',
    );
    const role = structuredClone(rules) as any;
    role.parameters[0].values.decidedBy = 'warehouse_clerk';
    expect(() => run({ oldestOverdueDays: 0, returnRate: 0 }, { rules: role })).toThrow(/decidedBy is "warehouse_clerk"/);
    expect(() => run({ oldestOverdueDays: 0, returnRate: 0 }, { rules: role })).toThrow(
      new RuleGapError('fulfilment.shipmentHold', 'parameter decidedBy is "warehouse_clerk"; expected one of order_processing_chief, sales_manager'),
    );
  });

  it('lists a reason two rows of a custom file give once', () => {
    const twice = structuredClone(rules) as any;
    twice.rules.push(structuredClone(twice.rules[2]));
    expect(run({ oldestOverdueDays: 0, returnRate: 0, specialCircumstance: true }, { rules: twice }).outcome.reasons).toEqual(['special_circumstance']);
  });

  it('explain quotes the clauses, the thresholds and the warnings', () => {
    const text = explain(run({ oldestOverdueDays: 91, returnRate: '0.1501' }));
    expect(text).toContain('reasons = overdue_receivables (Receivables overdue longer than allowed) → return_rate (Return rate above the limit)');
    expect(text).toContain('✓ oldestOverdueDays greaterThan 90 [param.maxOverdueDays] (was 91)');
    expect(text).toContain('✓ returnRate greaterThan "0.15" [param.maxReturnRate] (was "0.1501")');
    expect(text).toContain("Warning: maxReturnRate is an example value, not from the source: set your organisation's own");
  });
});

describe('fulfilment.shipmentHold types', () => {
  it('type the facts: numbers and decimal strings where the schema takes them', () => {
    const typed = (facts: FulfilmentShipmentHoldFacts) => facts;
    typed({ oldestOverdueDays: 1, returnRate: '0.2', overdueAmount: 10 });
    // @ts-expect-error returnRate is required
    typed({ oldestOverdueDays: 1 });
    // @ts-expect-error oldestOverdueDays is a number of days
    typed({ oldestOverdueDays: '1', returnRate: 0 });
    expect(run(typed({ oldestOverdueDays: 1, returnRate: 0 })).outcome.hold).toBe(false);
  });
});
