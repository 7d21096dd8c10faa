import type { Decision, EvaluateOptions, Policy } from './core/policy.js';
import { commissionAllocation } from './commission/allocation.js';
import { commissionConduct } from './commission/conduct.js';
import { commissionHandler } from './commission/handler.js';
import { commissionProtection } from './commission/protection.js';
import { followUpEscalation } from './follow-up/escalation.js';
import { followUpWorkflow } from './follow-up/workflow.js';
import { fulfilmentDailyReport } from './fulfilment/daily-report.js';
import { fulfilmentDisputeRuling } from './fulfilment/dispute-ruling.js';
import { fulfilmentShipmentHold } from './fulfilment/shipment-hold.js';
import { fulfilmentShippingOrder } from './fulfilment/shipping-order.js';
import { fulfilmentSpending } from './fulfilment/spending.js';
import { reviewApproval } from './review/approval.js';
import { reviewArbitration } from './review/arbitration.js';
import { reviewReadiness } from './review/readiness.js';
import { sellingClosingTechnique } from './selling/closing-technique.js';

/**
 * Every bundled policy by id.
 *
 * @example
 * POLICIES['review.approval'].evaluate({ amount: 1, channel: 'direct' }).basis; //=> ['REV-6.1']
 */
export const POLICIES = {
  'review.approval': reviewApproval,
  'review.arbitration': reviewArbitration,
  'review.readiness': reviewReadiness,
  'commission.allocation': commissionAllocation,
  'commission.handler': commissionHandler,
  'commission.protection': commissionProtection,
  'commission.conduct': commissionConduct,
  'followUp.workflow': followUpWorkflow,
  'followUp.escalation': followUpEscalation,
  'fulfilment.shipmentHold': fulfilmentShipmentHold,
  'fulfilment.shippingOrder': fulfilmentShippingOrder,
  'fulfilment.spending': fulfilmentSpending,
  'fulfilment.disputeRuling': fulfilmentDisputeRuling,
  'fulfilment.dailyReport': fulfilmentDailyReport,
  'selling.closingTechnique': sellingClosingTechnique,
} as const;

/** The id of a bundled policy, e.g. `'review.approval'`. */
export type PolicyId = keyof typeof POLICIES;

/** What the caller gives policy `P`. */
// Read from `evaluate`, not by matching Policy<…, unknown, …>: a policy's derive/decide take its
// parsed facts as a parameter, so it never extends Policy<…, unknown, …> and that match gave never.
export type FactsOf<P extends PolicyId> = Parameters<(typeof POLICIES)[P]['evaluate']>[0];

/** The outcome of policy `P`. */
export type OutcomeOf<P extends PolicyId> = ReturnType<(typeof POLICIES)[P]['evaluate']>['outcome'];

/**
 * The ids of every bundled policy, in a stable order.
 *
 * @example
 * POLICY_IDS.length; //=> 15
 */
export const POLICY_IDS = Object.keys(POLICIES) as PolicyId[];

/**
 * Is `id` the id of a bundled policy?
 *
 * @example
 * isPolicyId('review.approval'); //=> true
 */
export function isPolicyId(id: unknown): id is PolicyId {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(POLICIES, id);
}

/** The runtime shape every bundled policy shares. */
export type AnyPolicy = Policy<string, never, unknown, unknown> & {
  readonly evaluate: (facts: never, options?: EvaluateOptions) => Decision<unknown>;
};
