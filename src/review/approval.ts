import * as z from 'zod/mini';
import rules from '../../rules/review/approval.rules.json' with { type: 'json' };
import type { FactsContext } from '../core/facts.js';
import { decimal, flag, oneOf } from '../core/facts.js';
import { eventString, firstFired, stringList } from '../core/outcome.js';
import type { CompiledRule } from '../core/compile.js';
import { definePolicy } from '../core/policy.js';

/**
 * Who approves a contract, lowest first (REV-6.x).
 *
 * @example
 * APPROVAL_AUTHORITIES.indexOf('sales_vp'); //=> 1 (authorities rank lowest first)
 */
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
  decide: (fired, facts, context) => ({ outcome: outcomeOf(firstFired(fired, 'review.approval', facts), context.param) }),
});

// An outcome depends only on the rule that fired (each parameter version compiles its own rules),
// so it is built and checked once per rule and shared, frozen, by every decision it makes.
const outcomes = new WeakMap<CompiledRule, ReviewApprovalOutcome>();

function outcomeOf(rule: CompiledRule, param: (name: string) => unknown): ReviewApprovalOutcome {
  let outcome = outcomes.get(rule);
  if (!outcome) {
    const authority = eventString(rule, 'review.approval', 'authority', APPROVAL_AUTHORITIES);
    const steps = stringList(param('approvalSteps'));
    const special = rule.definition.event.params?.['departments'];
    const departments = special === undefined ? stringList(param('departmentSteps')) : stringList(special);
    const route = Object.freeze([...departments, ...steps.slice(0, steps.indexOf(authority) + 1)] as ReviewStep[]);
    outcome = Object.freeze({ authority, route });
    outcomes.set(rule, outcome);
  }
  return outcome;
}
