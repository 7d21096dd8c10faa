import * as z from 'zod/mini';
import rules from '../../rules/review/arbitration.rules.json' with { type: 'json' };
import { flag, oneOf } from '../core/facts.js';
import { eventString, firstFired } from '../core/outcome.js';
import { definePolicy } from '../core/policy.js';

/**
 * Who may settle a disputed term, first alone, then as a group (REV-5.x).
 *
 * @example
 * ARBITERS.includes('chief_engineer'); //=> true
 */
export const ARBITERS = ['chief_engineer', 'finance_vp', 'sales_vp', 'quality_arbitration_group', 'business_decision_group'] as const;
export type Arbiter = (typeof ARBITERS)[number];

const arbitrationFacts = () =>
  z.strictObject({
    clause: oneOf(['quality', 'price', 'delivery']),
    firstRulingAccepted: flag(true),
  });

/** What the caller gives `review.arbitration`. */
export type ReviewArbitrationFacts = z.input<ReturnType<typeof arbitrationFacts>>;

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
export const reviewArbitration = definePolicy({
  id: 'review.arbitration',
  rules,
  rulesFile: 'rules/review/arbitration.rules.json',
  facts: arbitrationFacts,
  decide: (fired, facts) => {
    const rule = firstFired(fired, 'review.arbitration', facts);
    const decidedBy = eventString(rule, 'review.arbitration', 'decidedBy', ARBITERS);
    const outcome: ReviewArbitrationOutcome =
      rule.definition.event.params?.['convenedBy'] === undefined
        ? { decidedBy }
        : { decidedBy, convenedBy: eventString(rule, 'review.arbitration', 'convenedBy', ['general_manager']) };
    return { outcome };
  },
});
