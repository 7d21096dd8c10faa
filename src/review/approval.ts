import * as z from 'zod/mini';
import rules from '../../rules/review/approval.rules.json' with { type: 'json' };
import type { FactsContext } from '../core/facts.js';
import { decimal, flag, oneOf } from '../core/facts.js';
import { eventString, firstFired, stringList } from '../core/outcome.js';
import { definePolicy } from '../core/policy.js';

/** Who approves a contract, lowest first (REV-6.x). */
export const APPROVAL_AUTHORITIES = ['marketing_director', 'sales_vp', 'general_manager'] as const;
/** One of {@link APPROVAL_AUTHORITIES}. */
export type ApprovalAuthority = (typeof APPROVAL_AUTHORITIES)[number];

/** A step of the review route (REV-4.2): a department review or an approval. */
export type ReviewStep = 'technical' | 'materials' | 'manufacturing' | 'quality' | 'finance' | 'legal' | ApprovalAuthority;

/**
 * The facts of `review.approval`, shared with `review.readiness`.
 *
 * @example
 * z.strictObject(approvalFactsShape()).parse({ amount: '1200000', channel: 'direct' });
 * //=> { amount: '1200000', channel: 'direct', disputed: false, repeatBatch: false, … }
 */
export function approvalFactsShape() {
  return {
    amount: decimal({ nonNegative: true }),
    channel: oneOf(['direct', 'distributor']),
    disputed: flag(),
    repeatBatch: flag(),
    technicalTermsChanged: flag(),
    priceChanged: flag(),
  };
}

const approvalFacts = (_context: FactsContext) => z.strictObject(approvalFactsShape());

/** What the caller gives `review.approval`. Money as a number or a decimal string. */
export type ReviewApprovalFacts = z.input<ReturnType<typeof approvalFacts>>;

/** Who approves, and every step the contract passes, in order, ending at the authority. */
export interface ReviewApprovalOutcome {
  readonly authority: ApprovalAuthority;
  readonly route: readonly ReviewStep[];
}

/**
 * `review.approval`: the approval authority and review route of a sales contract (REV-6.1…6.5,
 * D-REV-1…3).
 *
 * @example
 * reviewApproval.evaluate({ amount: '1200000', channel: 'direct' }).outcome.authority; //=> 'sales_vp'
 */
export const reviewApproval = definePolicy({
  id: 'review.approval',
  rules,
  rulesFile: 'rules/review/approval.rules.json',
  facts: approvalFacts,
  decide: (fired, facts, context) => {
    const rule = firstFired(fired, 'review.approval', facts);
    const authority = eventString(rule, 'review.approval', 'authority', APPROVAL_AUTHORITIES);
    const approvals = stringList(context.param('approvalSteps'));
    const special = rule.definition.event.params?.['departments'];
    const departments = special === undefined ? stringList(context.param('departmentSteps')) : stringList(special);
    const route = [...departments, ...approvals.slice(0, approvals.indexOf(authority) + 1)] as ReviewStep[];
    const outcome: ReviewApprovalOutcome = { authority, route };
    return { outcome };
  },
});
