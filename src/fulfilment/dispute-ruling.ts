import * as z from 'zod/mini';
import rules from '../../rules/fulfilment/dispute-ruling.rules.json' with { type: 'json' };
import { PolicyInputError } from '../core/errors.js';
import { firstFired } from '../core/outcome.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { FulfilmentDisputeRulingCheckedFacts, FulfilmentDisputeRulingFacts } from '../generated/facts-types.js';

const POLICY = 'fulfilment.disputeRuling';


/**
 * The roles a party to a work dispute can have: a subordinate of the order processing chief
 * (所屬下級), the chief, or anyone outside the section.
 *
 * @example
 * DISPUTE_PARTIES; //=> ['order_processing_staff', 'order_processing_chief', 'other']
 */
export const DISPUTE_PARTIES = ['order_processing_staff', 'order_processing_chief', 'other'] as const;
/**
 * One of {@link DISPUTE_PARTIES}.
 *
 * @example
 * const party: DisputeParty = 'order_processing_staff';
 */
export type DisputeParty = (typeof DISPUTE_PARTIES)[number];

/**
 * Why a dispute needs a ruling by the sales manager: a party from outside the section, or the
 * chief is a party (the first that applies, in that order).
 *
 * @example
 * DISPUTE_RULING_REASONS.includes('chief_is_party'); //=> true
 */
export const DISPUTE_RULING_REASONS = ['party_outside_section', 'chief_is_party'] as const;
/**
 * One of {@link DISPUTE_RULING_REASONS}.
 *
 * @example
 * const reason: DisputeRulingReason = 'party_outside_section';
 */
export type DisputeRulingReason = (typeof DISPUTE_RULING_REASONS)[number];

/** What a dispute-ruling rule gives: the chief decides, or the sales manager must rule, and why. */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const disputeRulingEvent = /* @__PURE__ */ (() => ({
  'dispute-ruling': z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('decided'), decidedBy: z.literal('order_processing_chief') }),
    z.strictObject({ status: z.literal('needs_ruling'), by: z.literal('sales_manager'), reason: z.enum(DISPUTE_RULING_REASONS) }),
  ]),
}))();

/** A dispute has at least two sides; fewer is an input error, not a decision. */
const MIN_PARTIES = 2;

/**
 * What the caller gives `fulfilment.disputeRuling`: the role of every party, at least two.
 *
 * @example
 * const facts: FulfilmentDisputeRulingFacts = { parties: ['order_processing_staff', 'other'] };
 */
export type { FulfilmentDisputeRulingFacts };
type Facts = FulfilmentDisputeRulingCheckedFacts;

/**
 * Who rules: the chief, for a dispute among the chief's subordinates (FUL-P5); otherwise the
 * source is silent and the sales manager, the chief's superior, is named to rule.
 *
 * @example
 * const outcome: FulfilmentDisputeRulingOutcome = { status: 'needs_ruling', by: 'sales_manager', reason: 'chief_is_party' };
 */
export type FulfilmentDisputeRulingOutcome =
  | { readonly status: 'decided'; readonly decidedBy: 'order_processing_chief' }
  | { readonly status: 'needs_ruling'; readonly by: 'sales_manager'; readonly reason: DisputeRulingReason };

interface Derived extends Record<string, unknown> {
  readonly chiefIsParty: boolean;
  readonly outsiderCount: number;
}

function derive(facts: Facts): Derived {
  if (facts.parties.length < MIN_PARTIES) {
    throw new PolicyInputError(POLICY, [
      { code: 'too_small', path: 'parties', message: `a dispute needs at least ${MIN_PARTIES} parties, not ${facts.parties.length}`, received: facts.parties, expected: `at least ${MIN_PARTIES} parties` },
    ]);
  }
  return {
    chiefIsParty: facts.parties.includes('order_processing_chief'),
    outsiderCount: facts.parties.filter((party) => party === 'other').length,
  };
}

/**
 * `fulfilment.disputeRuling`: who rules on a work dispute on the order processing section. Every
 * party a subordinate → the order processing chief (權力 5 「對所屬下級的工作爭議有裁決權」); a party
 * from outside the section, or the chief a party → `needs_ruling` by the sales manager
 * (權力 2, D-FUL-1), with the reason.
 *
 * @example
 * fulfilmentDisputeRuling.evaluate({ parties: ['order_processing_staff', 'order_processing_staff'] }).outcome;
 * //=> { status: 'decided', decidedBy: 'order_processing_chief' }
 */
export const fulfilmentDisputeRuling = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/fulfilment/dispute-ruling.rules.json',
  facts: declaredFacts<FulfilmentDisputeRulingFacts, FulfilmentDisputeRulingCheckedFacts>,
  derive,
  event: disputeRulingEvent,
  decide: (fired, facts): { outcome: FulfilmentDisputeRulingOutcome } => {
    const params = firstFired(fired, POLICY, facts).definition.event.params;
    const outcome: FulfilmentDisputeRulingOutcome = params.status === 'decided' ? { status: params.status, decidedBy: params.decidedBy } : { status: params.status, by: params.by, reason: params.reason };
    return { outcome };
  },
});
