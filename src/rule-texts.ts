/**
 * The text of every bundled rules file that `explain` shows and evaluating never reads: titles,
 * outcome labels, and each rule's source quote and gloss ({@link textPart}), by rules file. The
 * library build bundles each rules file twice, apart: its decision part where a policy imports it
 * and its text part here (tsup.config.ts), so an app that imports `evaluate` or one area's
 * policies ships none of this text, and one that imports `explain` ships it once.
 */
import type { TextPart } from './core/rule-parts.js';
import { textPart } from './core/rule-parts.js';
import commissionAllocation from '../rules/commission/allocation.rules.json' with { type: 'json' };
import commissionConduct from '../rules/commission/conduct.rules.json' with { type: 'json' };
import commissionHandler from '../rules/commission/handler.rules.json' with { type: 'json' };
import commissionProtection from '../rules/commission/protection.rules.json' with { type: 'json' };
import followUpEscalation from '../rules/follow-up/escalation.rules.json' with { type: 'json' };
import followUpWorkflow from '../rules/follow-up/workflow.rules.json' with { type: 'json' };
import fulfilmentDailyReport from '../rules/fulfilment/daily-report.rules.json' with { type: 'json' };
import fulfilmentDisputeRuling from '../rules/fulfilment/dispute-ruling.rules.json' with { type: 'json' };
import fulfilmentShipmentHold from '../rules/fulfilment/shipment-hold.rules.json' with { type: 'json' };
import fulfilmentShippingOrder from '../rules/fulfilment/shipping-order.rules.json' with { type: 'json' };
import fulfilmentSpending from '../rules/fulfilment/spending.rules.json' with { type: 'json' };
import reviewApproval from '../rules/review/approval.rules.json' with { type: 'json' };
import reviewArbitration from '../rules/review/arbitration.rules.json' with { type: 'json' };
import reviewReadiness from '../rules/review/readiness.rules.json' with { type: 'json' };
import sellingClosingTechnique from '../rules/selling/closing-technique.rules.json' with { type: 'json' };

const FILES: Readonly<Record<string, unknown>> = {
  'rules/commission/allocation.rules.json': commissionAllocation,
  'rules/commission/conduct.rules.json': commissionConduct,
  'rules/commission/handler.rules.json': commissionHandler,
  'rules/commission/protection.rules.json': commissionProtection,
  'rules/follow-up/escalation.rules.json': followUpEscalation,
  'rules/follow-up/workflow.rules.json': followUpWorkflow,
  'rules/fulfilment/daily-report.rules.json': fulfilmentDailyReport,
  'rules/fulfilment/dispute-ruling.rules.json': fulfilmentDisputeRuling,
  'rules/fulfilment/shipment-hold.rules.json': fulfilmentShipmentHold,
  'rules/fulfilment/shipping-order.rules.json': fulfilmentShippingOrder,
  'rules/fulfilment/spending.rules.json': fulfilmentSpending,
  'rules/review/approval.rules.json': reviewApproval,
  'rules/review/arbitration.rules.json': reviewArbitration,
  'rules/review/readiness.rules.json': reviewReadiness,
  'rules/selling/closing-technique.rules.json': sellingClosingTechnique,
};

const texts = new Map<string, TextPart>();

/**
 * The text part of the bundled rules file `file` (as a policy's `rulesFile` names it), or
 * `undefined` for a file the library does not bundle.
 *
 * @example
 * bundledTexts('rules/review/approval.rules.json')?.labels['authority']?.['sales_vp']?.en; //=> 'Sales Vice President'
 */
export function bundledTexts(file: string): TextPart | undefined {
  if (!Object.prototype.hasOwnProperty.call(FILES, file)) return undefined;
  let found = texts.get(file);
  if (!found) texts.set(file, (found = textPart(FILES[file])));
  return found;
}
