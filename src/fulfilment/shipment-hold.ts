import * as z from 'zod/mini';
import rules from '../../rules/fulfilment/shipment-hold.rules.json' with { type: 'json' };
import { PolicyInputError, RuleGapError, safeJson } from '../core/errors.js';
import type { PolicyContext } from '../core/policy.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { FulfilmentShipmentHoldCheckedFacts, FulfilmentShipmentHoldFacts } from '../generated/facts-types.js';
import type { FulfilmentRole } from './facts.js';
import { FULFILMENT_ROLES, inFileOrder } from './facts.js';

const POLICY = 'fulfilment.shipmentHold';

/**
 * The grounds for suspending shipments, in table order (FUL-P9-a, -b, -c).
 *
 * @example
 * SHIPMENT_HOLD_REASONS[0]; //=> 'overdue_receivables'
 */
export const SHIPMENT_HOLD_REASONS = ['overdue_receivables', 'return_rate', 'special_circumstance'] as const;
/**
 * One of {@link SHIPMENT_HOLD_REASONS}.
 *
 * @example
 * const reason: ShipmentHoldReason = 'return_rate';
 */
export type ShipmentHoldReason = (typeof SHIPMENT_HOLD_REASONS)[number];

// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const shipmentHoldEvent = /* @__PURE__ */ (() => ({ hold: z.strictObject({ reason: z.enum(SHIPMENT_HOLD_REASONS) }) }))();

/**
 * What the caller gives `fulfilment.shipmentHold`. `returnRate` is a decimal from 0 to 1 (a
 * number or a decimal string such as `"0.1501"`); `overdueAmount` is optional.
 *
 * @example
 * const facts: FulfilmentShipmentHoldFacts = { oldestOverdueDays: 120, returnRate: '0.05' };
 */
export type { FulfilmentShipmentHoldFacts };
type Facts = FulfilmentShipmentHoldCheckedFacts;

/**
 * Whether the grounds for a suspension are met, which, and who decides.
 *
 * @example
 * const outcome: FulfilmentShipmentHoldOutcome = { hold: false, reasons: [], decidedBy: 'order_processing_chief', reportTo: 'sales_manager' };
 */
export interface FulfilmentShipmentHoldOutcome {
  /** The grounds for a suspension are met; suspending stays the decider's call (「特殊狀況下」). */
  readonly hold: boolean;
  /** Every ground that applies, in table order; empty when `hold` is false. */
  readonly reasons: readonly ShipmentHoldReason[];
  readonly decidedBy: FulfilmentRole;
  readonly reportTo: FulfilmentRole;
}

// overdueAmount 0 says nothing is overdue; an overdue age beside it is a contradiction the rules
// cannot settle (which of the two is wrong?), so it is refused rather than guessed.
function derive(facts: Facts): Record<string, never> {
  if (facts.overdueAmount === '0' && facts.oldestOverdueDays > 0) {
    throw new PolicyInputError(POLICY, [
      {
        code: 'invalid_value',
        path: 'oldestOverdueDays',
        message: `overdueAmount is 0, so nothing is overdue: oldestOverdueDays must be 0, not ${facts.oldestOverdueDays}`,
        received: facts.oldestOverdueDays,
        expected: '0 when overdueAmount is 0',
      },
    ]);
  }
  return {};
}

function role(context: PolicyContext, name: string): FulfilmentRole {
  const value = context.param(name);
  if (typeof value !== 'string' || !(FULFILMENT_ROLES as readonly string[]).includes(value)) {
    throw new RuleGapError(POLICY, `parameter ${name} is ${safeJson(value)}; expected one of ${FULFILMENT_ROLES.join(', ')}`);
  }
  return value as FulfilmentRole;
}

/**
 * `fulfilment.shipmentHold`: are the grounds met for the order processing chief to suspend
 * shipments to a client (權力 9)? Overdue receivables past `maxOverdueDays` (FUL-P9-a), a return
 * rate above `maxReturnRate` (FUL-P9-b), a recorded special circumstance (FUL-P9-c); every ground
 * that applies, in table order. Both thresholds are example values, so every decision carries
 * their warnings.
 *
 * @example
 * fulfilmentShipmentHold.evaluate({ oldestOverdueDays: 91, returnRate: '0.1501' }).outcome;
 * //=> { hold: true, reasons: ['overdue_receivables', 'return_rate'], decidedBy: 'order_processing_chief', reportTo: 'sales_manager' }
 */
export const fulfilmentShipmentHold = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/fulfilment/shipment-hold.rules.json',
  facts: declaredFacts<FulfilmentShipmentHoldFacts, FulfilmentShipmentHoldCheckedFacts>,
  derive,
  event: shipmentHoldEvent,
  decide: (fired, _facts, context) => {
    const reasons: ShipmentHoldReason[] = [];
    // Table order is the order of the rules file, whatever priorities a custom file gives.
    for (const rule of inFileOrder(fired)) {
      const reason = rule.definition.event.params.reason;
      if (!reasons.includes(reason)) reasons.push(reason);
    }
    const outcome: FulfilmentShipmentHoldOutcome = { hold: reasons.length > 0, reasons, decidedBy: role(context, 'decidedBy'), reportTo: role(context, 'reportTo') };
    return { outcome };
  },
});
