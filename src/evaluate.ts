import type { InputIssue } from './core/errors.js';
import { PolicyInputError, UnknownPolicyError } from './core/errors.js';
import type { Decision, EvaluateOptions } from './core/policy.js';
import type { FactsOf, OutcomeOf, PolicyId } from './policies.js';
import { isPolicyId, POLICIES, POLICY_IDS } from './policies.js';

/**
 * Evaluates a policy on facts and returns its decision: the outcome, the ids of the rules it
 * rests on (`basis`), and a trace of every rule and condition. Synchronous; never touches `fs`.
 * Throws {@link PolicyInputError} for bad facts or options and {@link UnknownPolicyError} for an
 * unknown policy id.
 *
 * @example
 * const decision = evaluate('review.approval', { amount: '1200000', channel: 'direct' });
 * decision.outcome.authority; //=> 'sales_vp'
 * decision.basis; //=> ['REV-6.2']
 */
export function evaluate<P extends PolicyId>(policy: P, facts: FactsOf<P>, options?: EvaluateOptions): Decision<OutcomeOf<P>> {
  if (!isPolicyId(policy)) throw new UnknownPolicyError(String(policy), POLICY_IDS);
  const evaluatePolicy = POLICIES[policy].evaluate as (facts: unknown, options?: EvaluateOptions) => Decision<OutcomeOf<P>>;
  return evaluatePolicy(facts, options);
}

/** The result of {@link safeEvaluate}: a decision, or the issues that prevented one. */
export type SafeEvaluateResult<Outcome> =
  | { readonly success: true; readonly decision: Decision<Outcome> }
  | { readonly success: false; readonly issues: readonly InputIssue[]; readonly error: PolicyInputError };

/**
 * Like {@link evaluate}, but bad facts or options come back as `{ success: false, issues }`
 * instead of a thrown error. An unknown policy id still throws: that is a programming error.
 *
 * @example
 * const result = safeEvaluate('review.approval', { amount: 'lots', channel: 'direct' });
 * if (!result.success) result.issues[0]?.path; //=> 'amount'
 */
export function safeEvaluate<P extends PolicyId>(policy: P, facts: FactsOf<P>, options?: EvaluateOptions): SafeEvaluateResult<OutcomeOf<P>> {
  try {
    return { success: true, decision: evaluate(policy, facts, options) };
  } catch (error) {
    if (error instanceof PolicyInputError) return { success: false, issues: error.issues, error };
    throw error;
  }
}
