import * as z from 'zod/mini';
import rules from '../../rules/review/arbitration.rules.json' with { type: 'json' };
import { firstFired } from '../core/outcome.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { ReviewArbitrationCheckedFacts, ReviewArbitrationFacts } from '../generated/facts-types.js';

/**
 * Who may settle a disputed term, first alone, then as a group (REV-5.x).
 *
 * @example
 * ARBITERS.includes('chief_engineer'); //=> true
 */
export const ARBITERS = ['chief_engineer', 'finance_vp', 'sales_vp', 'quality_arbitration_group', 'business_decision_group'] as const;
export type Arbiter = (typeof ARBITERS)[number];

/** Who decides, and for a group, who convenes it (only the general manager does, REV-5). */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const arbitrationEvent = /* @__PURE__ */ (() => ({
  arbitration: z.strictObject({ decidedBy: z.enum(ARBITERS), convenedBy: z.optional(z.literal('general_manager')) }),
}))();

/** What the caller gives `review.arbitration`. */
export type { ReviewArbitrationFacts };

/** Who decides; when a group decides, who convenes it. */
export interface ReviewArbitrationOutcome {
  readonly decidedBy: Arbiter;
  readonly convenedBy?: 'general_manager';
}

/**
 * `review.arbitration`: who settles a term disputed in contract review (REV-5.1…5.3).
 *
 * @example
 * reviewArbitration.evaluate({ clause: 'price', firstRulingAccepted: false }).outcome;
 * //=> { decidedBy: 'business_decision_group', convenedBy: 'general_manager' }
 */
export const reviewArbitration = /* @__PURE__ */ definePolicy({
  id: 'review.arbitration',
  rules,
  rulesFile: 'rules/review/arbitration.rules.json',
  facts: declaredFacts<ReviewArbitrationFacts, ReviewArbitrationCheckedFacts>,
  event: arbitrationEvent,
  decide: (fired, facts) => {
    const { decidedBy, convenedBy } = firstFired(fired, 'review.arbitration', facts).definition.event.params;
    const outcome: ReviewArbitrationOutcome = convenedBy === undefined ? { decidedBy } : { decidedBy, convenedBy };
    return { outcome };
  },
});
