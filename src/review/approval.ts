import * as z from 'zod/mini';
import rules from '../../rules/review/approval.rules.json' with { type: 'json' };
import { firstFired, stringList } from '../core/outcome.js';
import type { DecidingRule } from '../core/event.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { ReviewApprovalCheckedFacts, ReviewApprovalFacts } from '../generated/facts-types.js';

/**
 * Who approves a contract, lowest first (REV-6.x).
 *
 * @example
 * APPROVAL_AUTHORITIES.indexOf('sales_vp'); //=> 1 (authorities rank lowest first)
 */
export const APPROVAL_AUTHORITIES = ['marketing_director', 'sales_vp', 'general_manager'] as const;
/** One of {@link APPROVAL_AUTHORITIES}. */
export type ApprovalAuthority = (typeof APPROVAL_AUTHORITIES)[number];

/** The departments that review a contract before its approval (REV-4.2). */
const DEPARTMENT_STEPS = ['technical', 'materials', 'manufacturing', 'quality', 'finance', 'legal'] as const;

/** A step of the review route (REV-4.2): a department review or an approval. */
export type ReviewStep = (typeof DEPARTMENT_STEPS)[number] | ApprovalAuthority;

/** What an approval rule gives: the authority, and the departments when the route is not the usual one. */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const approvalEvent = /* @__PURE__ */ (() => ({
  approval: z.strictObject({ authority: z.enum(APPROVAL_AUTHORITIES), departments: z.optional(z.array(z.enum(DEPARTMENT_STEPS))) }),
}))();

/** What the caller gives `review.approval` (its rules file's facts). Money as a number or a decimal string. */
export type { ReviewApprovalFacts };

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
export const reviewApproval = /* @__PURE__ */ definePolicy({
  id: 'review.approval',
  rules,
  rulesFile: 'rules/review/approval.rules.json',
  facts: declaredFacts<ReviewApprovalFacts, ReviewApprovalCheckedFacts>,
  event: approvalEvent,
  decide: (fired, facts, context) => ({ outcome: outcomeOf(firstFired(fired, 'review.approval', facts), context.param) }),
});

type ApprovalRule = DecidingRule<typeof approvalEvent>;

// An outcome depends only on the rule that fired (each parameter version compiles its own rules),
// so it is built once per rule and shared, frozen, by every decision it makes. The event was
// checked when the file was compiled.
const outcomes = new WeakMap<ApprovalRule, ReviewApprovalOutcome>();

function outcomeOf(rule: ApprovalRule, param: (name: string) => unknown): ReviewApprovalOutcome {
  let outcome = outcomes.get(rule);
  if (!outcome) {
    const { authority, departments: special } = rule.definition.event.params;
    const steps = stringList(param('approvalSteps'));
    const departments = special ?? stringList(param('departmentSteps'));
    const route = Object.freeze([...departments, ...steps.slice(0, steps.indexOf(authority) + 1)] as ReviewStep[]);
    outcome = Object.freeze({ authority, route });
    outcomes.set(rule, outcome);
  }
  return outcome;
}
