import { describe, expectTypeOf, it } from 'vitest';
import type { ApprovalAuthority, CommissionAllocationOutcome, Decision, FactsOf, OutcomeOf, PolicyId, ReviewApprovalFacts, ReviewApprovalOutcome } from '../src/index.js';
import { createPolicies, evaluate, evaluateMany, safeEvaluate } from '../src/index.js';
import { BUNDLED_AREAS } from '../src/policies.js';
import { reviewApproval } from '../src/review/index.js';

// These assertions are checked by the compiler (npm test typechecks test/ first); at run time
// the calls below run too, so a wrong type and a wrong value both fail.
const AS_OF = { asOf: '2026-01-01' } as const;
/** The keys of each member of a union, joined (`keyof` of a union would give only the shared keys). */
type KeysOf<T> = T extends unknown ? keyof T : never;

describe('the typed API', () => {
  it('types each outcome by policy id', () => {
    const decision = evaluate('review.approval', { amount: '1200000', channel: 'direct' }, AS_OF);
    expectTypeOf(decision).toEqualTypeOf<Decision<ReviewApprovalOutcome>>();
    expectTypeOf(decision.outcome.authority).toEqualTypeOf<ApprovalAuthority>();
    expectTypeOf(decision.outcome.authority).toEqualTypeOf<'marketing_director' | 'sales_vp' | 'general_manager'>();
    expectTypeOf<OutcomeOf<'commission.allocation'>>().toEqualTypeOf<CommissionAllocationOutcome>();
    expectTypeOf<FactsOf<'review.approval'>>().toEqualTypeOf<ReviewApprovalFacts>();
  });

  it('refuses an unknown policy id and facts of the wrong type at compile time', () => {
    // Never called: each line must fail to compile, or tsc reports the unused directive.
    const refusedByTheCompiler = () => {
      // @ts-expect-error: not a policy id
      evaluate('review.aproval', {});
      // @ts-expect-error: channel is 'direct' | 'distributor'
      evaluate('review.approval', { amount: 1, channel: 'retail' });
      // @ts-expect-error: amount is a number or a decimal string, not a boolean
      evaluate('review.approval', { amount: true, channel: 'direct' });
      // @ts-expect-error: an unknown fact
      evaluate('review.approval', { amount: 1, channel: 'direct', region: 'north' });
      // @ts-expect-error: a required fact is missing
      evaluate('review.approval', { amount: 1 });
      // @ts-expect-error: terms is a list of strings
      evaluate('review.readiness', { amount: 1, channel: 'direct', terms: 'price', signoffs: [] });
    };
    expectTypeOf(refusedByTheCompiler).toBeFunction();
    expectTypeOf(evaluate<'review.approval'>).toBeCallableWith('review.approval', { amount: '1', channel: 'direct', disputed: true });
  });

  it('keeps the types through safeEvaluate, evaluateMany, createPolicies and area entries', () => {
    const safe = safeEvaluate('review.arbitration', { clause: 'price' }, AS_OF);
    if (safe.success) expectTypeOf(safe.decision.outcome.convenedBy).toEqualTypeOf<'general_manager' | undefined>();
    for (const item of evaluateMany('followUp.escalation', [{ event: 'order_change' }], AS_OF)) {
      if (item.success) expectTypeOf(item.decision.outcome.owner).toEqualTypeOf<'order_taker'>();
    }
    const policies = createPolicies({ rules: {} });
    expectTypeOf(policies.evaluate('review.approval', { amount: 1, channel: 'direct' }, AS_OF).outcome).toEqualTypeOf<ReviewApprovalOutcome>();
    expectTypeOf(reviewApproval.evaluate({ amount: 1, channel: 'direct' }, AS_OF).outcome.authority).toEqualTypeOf<ApprovalAuthority>();
    // The ids come from the areas' records (the registry assembles itself): exact literals, never `string`.
    expectTypeOf<PolicyId>().toEqualTypeOf<KeysOf<(typeof BUNDLED_AREAS)[number]>>();
    expectTypeOf<'review.approval'>().toExtend<PolicyId>();
    expectTypeOf<string>().not.toExtend<PolicyId>();
    expectTypeOf<FactsOf<'fulfilment.spending'>>().toEqualTypeOf<{ amount: string | number }>();
  });
});
