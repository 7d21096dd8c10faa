import * as z from 'zod/mini';
import rules from '../../rules/fulfilment/shipping-order.rules.json' with { type: 'json' };
import type { CalendarDate } from '../core/dates.js';
import { calendarDaysBetween } from '../core/dates.js';
import { RuleGapError, safeJson } from '../core/errors.js';
import { noParams } from '../core/event.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { FulfilmentShippingOrderCheckedFacts, FulfilmentShippingOrderFacts } from '../generated/facts-types.js';
import { inFileOrder } from './facts.js';

const POLICY = 'fulfilment.shippingOrder';

/**
 * What can be wrong with a shipping order, in table order.
 *
 * @example
 * SHIPPING_ORDER_PROBLEMS; //=> ['over_quantity', 'late_arrival', 'client_on_hold']
 */
export const SHIPPING_ORDER_PROBLEMS = ['over_quantity', 'late_arrival', 'client_on_hold'] as const;
/**
 * One of {@link SHIPPING_ORDER_PROBLEMS}.
 *
 * @example
 * const problem: ShippingOrderProblem = 'late_arrival';
 */
export type ShippingOrderProblem = (typeof SHIPPING_ORDER_PROBLEMS)[number];

/** A rule either approves the order or names one problem with it. */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const shippingOrderEvent = /* @__PURE__ */ (() => ({ approved: noParams(), problem: z.strictObject({ problem: z.enum(SHIPPING_ORDER_PROBLEMS) }) }))();

/**
 * What the caller gives `fulfilment.shippingOrder`. Dates are `YYYY-MM-DD` or instants with an
 * offset (read as calendar dates in the configured zone).
 *
 * @example
 * const facts: FulfilmentShippingOrderFacts = { orderedQuantity: 100, shippedBefore: 60, quantity: 40, contractDeadline: '2026-05-31', plannedArrival: '2026-05-31' };
 */
export type { FulfilmentShippingOrderFacts };
type Facts = FulfilmentShippingOrderCheckedFacts;

/**
 * Whether the shipping order is approved, and every problem that stands in the way.
 *
 * @example
 * const outcome: FulfilmentShippingOrderOutcome = { approved: false, problems: ['late_arrival'] };
 */
export interface FulfilmentShippingOrderOutcome {
  readonly approved: boolean;
  /** In table order; empty when approved. */
  readonly problems: readonly ShippingOrderProblem[];
}

interface Derived extends Record<string, unknown> {
  readonly excessQuantity: number;
  readonly daysLate: number;
}

function derive(facts: Facts): Derived {
  // The difference of two safe integers is exact; adding the third can pass 2^53 only for
  // quantities no warehouse holds, and even then rounding keeps the sign the rules compare.
  const excessQuantity = facts.shippedBefore - facts.orderedQuantity + facts.quantity;
  const daysLate = calendarDaysBetween(facts.contractDeadline as CalendarDate, facts.plannedArrival as CalendarDate);
  return { excessQuantity, daysLate };
}

/**
 * `fulfilment.shippingOrder`: the order processing chief's check of a shipping order (職責 9
 * 審核出貨單, 領導責任 1). Problems: `over_quantity` (shippedBefore + quantity > orderedQuantity),
 * `late_arrival` (plannedArrival after contractDeadline), `client_on_hold`; approved when there
 * are none.
 *
 * @example
 * fulfilmentShippingOrder.evaluate({ orderedQuantity: 100, shippedBefore: 60, quantity: 41, contractDeadline: '2026-05-31', plannedArrival: '2026-06-01' }).outcome;
 * //=> { approved: false, problems: ['over_quantity', 'late_arrival'] }
 */
export const fulfilmentShippingOrder = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/fulfilment/shipping-order.rules.json',
  facts: declaredFacts<FulfilmentShippingOrderFacts, FulfilmentShippingOrderCheckedFacts>,
  derive,
  event: shippingOrderEvent,
  decide: (fired, facts) => {
    const problems: ShippingOrderProblem[] = [];
    let approved = false;
    for (const { definition } of inFileOrder(fired)) {
      if (definition.event.type === 'approved') approved = true;
      else if (!problems.includes(definition.event.params.problem)) problems.push(definition.event.params.problem);
    }
    // A custom rules file could approve and object at once, or do neither: both are its defects.
    if (approved && problems.length > 0) throw new RuleGapError(POLICY, `the rules both approve and list problems (${problems.join(', ')}) for these facts: ${safeJson(facts, 200)}`);
    if (!approved && problems.length === 0) throw new RuleGapError(POLICY, `no rule decides these facts: ${safeJson(facts, 200)}`);
    const outcome: FulfilmentShippingOrderOutcome = { approved, problems };
    return { outcome };
  },
});
