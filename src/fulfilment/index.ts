/**
 * The distribution order desk's policies alone: `import { fulfilmentSpending } from
 * 'sales-policies/fulfilment'` pulls in no other area's rules.
 *
 * @example
 * import { fulfilmentSpending } from 'sales-policies/fulfilment';
 * fulfilmentSpending.evaluate({ amount: '12000' }).outcome.approver; //=> 'sales_manager'
 *
 * @packageDocumentation
 */
import { fulfilmentShipmentHold } from './shipment-hold.js';
import { fulfilmentShippingOrder } from './shipping-order.js';
import { fulfilmentSpending } from './spending.js';
import { fulfilmentDisputeRuling } from './dispute-ruling.js';
import { fulfilmentDailyReport } from './daily-report.js';
export { FULFILMENT_ROLES } from './facts.js';
export type { FulfilmentRole } from './facts.js';
export { fulfilmentShipmentHold, SHIPMENT_HOLD_REASONS } from './shipment-hold.js';
export type { FulfilmentShipmentHoldFacts, FulfilmentShipmentHoldOutcome, ShipmentHoldReason } from './shipment-hold.js';
export { fulfilmentShippingOrder, SHIPPING_ORDER_PROBLEMS } from './shipping-order.js';
export type { FulfilmentShippingOrderFacts, FulfilmentShippingOrderOutcome, ShippingOrderProblem } from './shipping-order.js';
export { fulfilmentSpending } from './spending.js';
export type { FulfilmentSpendingFacts, FulfilmentSpendingOutcome } from './spending.js';
export { DISPUTE_PARTIES, DISPUTE_RULING_REASONS, fulfilmentDisputeRuling } from './dispute-ruling.js';
export type { DisputeParty, DisputeRulingReason, FulfilmentDisputeRulingFacts, FulfilmentDisputeRulingOutcome } from './dispute-ruling.js';
export { dailyOrderReport, dailyOrderReportAsync, fulfilmentDailyReport } from './daily-report.js';
export type { DailyReportDay, DailyReportOptions, DailyReportOrder, DailyReportTotals, FulfilmentDailyReportFacts, FulfilmentDailyReportOutcome } from './daily-report.js';

/**
 * The order desk's policies by id: the area's part of the registry (`src/policies.ts` assembles the areas). A new
 * policy of this area is registered here and nowhere else.
 *
 * @example
 * Object.keys(FULFILMENT_POLICIES).includes('fulfilment.shipmentHold'); //=> true
 */
export const FULFILMENT_POLICIES = {
  'fulfilment.shipmentHold': fulfilmentShipmentHold,
  'fulfilment.shippingOrder': fulfilmentShippingOrder,
  'fulfilment.spending': fulfilmentSpending,
  'fulfilment.disputeRuling': fulfilmentDisputeRuling,
  'fulfilment.dailyReport': fulfilmentDailyReport,
} as const;
