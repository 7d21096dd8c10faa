import * as z from 'zod/mini';
import rules from '../../rules/review/readiness.rules.json' with { type: 'json' };
import type { InputIssue } from '../core/errors.js';
import { PolicyInputError, safeJson } from '../core/errors.js';
import { toDotPath } from '../core/path.js';
import { stringList } from '../core/outcome.js';
import { noParams } from '../core/event.js';
import type { DecidingRule } from '../core/event.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { ReviewReadinessCheckedFacts, ReviewReadinessFacts } from '../generated/facts-types.js';
import type { PolicyContext } from '../core/policy.js';
import type { ReviewStep } from './approval.js';
import { reviewApproval } from './approval.js';
import { engineOf } from '../core/policy.js';

const POLICY = 'review.readiness';

/** Why a readiness rule blocks the signing; the outcome lists the blocking items themselves. */
const READINESS_BLOCKERS = ['missing_terms', 'buyer_not_agreed', 'review_not_passed', 'unauthorized_delegation'] as const;

/** The agreements 7.2 requires before signing (「並與需方談判達成一致」). */
const AGREEMENTS = ['buyer'] as const;

/** A rule either blocks the signing, for a reason, or finds the contract ready. */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const readinessEvent = /* @__PURE__ */ (() => ({ blocker: z.strictObject({ reason: z.enum(READINESS_BLOCKERS), missing: z.optional(z.enum(AGREEMENTS)) }), ready: noParams() }))();

/**
 * What the caller gives `review.readiness`: the approval facts, the written terms, the signoffs, and
 * whether agreement was reached with the buyer (`buyerAgreed`, default false: not yet).
 */
export type { ReviewReadinessFacts };
type Facts = ReviewReadinessCheckedFacts;

/** Whether the contract may be signed, and everything that stands in the way. */
export interface ReviewReadinessOutcome {
  readonly canSign: boolean;
  /** Required terms not submitted, in the order of REV-7.2. */
  readonly missingTerms: readonly string[];
  /** Route steps with no signoff, in route order. */
  readonly missingSteps: readonly ReviewStep[];
  /** Route steps that rejected, in route order. */
  readonly rejectedSteps: readonly ReviewStep[];
  /** Route steps signed by a delegate without a written authorisation, in route order. */
  readonly unauthorizedDelegations: readonly ReviewStep[];
  /** Agreements 7.2 requires that are not reached: `'buyer'` until `buyerAgreed` (「並與需方談判達成一致」). */
  readonly missingAgreements: readonly string[];
}

interface Derived extends Record<string, unknown> {
  readonly missingTerms: string[];
  readonly missingSteps: ReviewStep[];
  readonly rejectedSteps: ReviewStep[];
  readonly unauthorizedDelegations: ReviewStep[];
  readonly routeBasis: readonly string[];
  readonly missingTermCount: number;
  readonly missingStepCount: number;
  readonly rejectedStepCount: number;
  readonly unauthorizedDelegationCount: number;
}

function derive(facts: Facts, context: PolicyContext): Derived {
  const approval = reviewApproval.evaluate(
    {
      amount: facts.amount,
      channel: facts.channel,
      disputed: facts.disputed,
      repeatBatch: facts.repeatBatch,
      technicalTermsChanged: facts.technicalTermsChanged,
      priceChanged: facts.priceChanged,
    },
    context.nested,
  );
  const route = approval.outcome.route;
  const steps = engineOf(reviewApproval).version(context.nested).parameters;
  const knownSteps = new Set<string>([...stringList(steps['departmentSteps']), ...stringList(steps['approvalSteps']), ...route]);
  const requiredTerms = stringList(context.param('requiredTerms'));

  const issues: InputIssue[] = [];
  const required = new Set(requiredTerms);
  facts.terms.forEach((term, index) => {
    if (!required.has(term)) issues.push(badValue(['terms', index], term, `unknown term ${safeJson(term)}`, `one of ${requiredTerms.join(', ')}`));
  });
  const byStep = new Map<string, Facts['signoffs'][number]>();
  const firstIndex = new Map<string, number>();
  facts.signoffs.forEach((signoff, index) => {
    if (!knownSteps.has(signoff.step)) {
      issues.push(badValue(['signoffs', index, 'step'], signoff.step, `unknown review step ${safeJson(signoff.step)}`, `one of ${[...knownSteps].join(', ')}`));
    } else if (byStep.has(signoff.step)) {
      issues.push(badValue(['signoffs', index, 'step'], signoff.step, `a second signoff for step ${signoff.step} (the first is signoffs[${firstIndex.get(signoff.step)}])`, 'one signoff per step'));
    } else {
      byStep.set(signoff.step, signoff);
      firstIndex.set(signoff.step, index);
    }
  });
  if (issues.length > 0) throw new PolicyInputError(POLICY, issues);

  const submitted = new Set(facts.terms);
  const missingTerms = requiredTerms.filter((term) => !submitted.has(term));
  const missingSteps: ReviewStep[] = [];
  const rejectedSteps: ReviewStep[] = [];
  const unauthorizedDelegations: ReviewStep[] = [];
  for (const step of route) {
    const signoff = byStep.get(step);
    if (!signoff) missingSteps.push(step);
    else if (signoff.decision === 'rejected') rejectedSteps.push(step);
    else if (signoff.signedBy === 'delegate' && signoff.authorizationRef === undefined) unauthorizedDelegations.push(step);
  }
  return {
    missingTerms,
    missingSteps,
    rejectedSteps,
    unauthorizedDelegations,
    routeBasis: approval.basis,
    missingTermCount: missingTerms.length,
    missingStepCount: missingSteps.length,
    rejectedStepCount: rejectedSteps.length,
    unauthorizedDelegationCount: unauthorizedDelegations.length,
  };
}

function badValue(path: (string | number)[], received: unknown, message: string, expected: string): InputIssue {
  return { code: 'invalid_value', path: toDotPath(path), message, received, expected };
}

/** What the fired blockers say is not yet agreed (their `missing`), each once, in rule order. */
function missingAgreements(fired: readonly DecidingRule<typeof readinessEvent>[]): string[] {
  const missing = fired.flatMap((rule) => {
    const event = rule.definition.event;
    return event.type === 'blocker' && event.params.missing !== undefined ? [event.params.missing] : [];
  });
  return [...new Set(missing)];
}

/**
 * `review.readiness`: may the contract be signed? Only when every required term is written, every
 * step of its route (from `review.approval`) approved, none rejected, every delegate
 * authorised in writing, and agreement reached with the buyer (REV-4.4, REV-6.4, REV-7.2). `basis` ends with the approval rule that set
 * the route.
 *
 * @example
 * reviewReadiness.evaluate({ amount: 100, channel: 'direct', terms: [], signoffs: [] }).outcome.canSign; //=> false
 */
export const reviewReadiness = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/review/readiness.rules.json',
  facts: declaredFacts<ReviewReadinessFacts, ReviewReadinessCheckedFacts>,
  event: readinessEvent,
  derive,
  decide: (fired, _facts, _context, derivedFacts) => {
    const derived = derivedFacts as Derived;
    const outcome: ReviewReadinessOutcome = {
      canSign: fired.some((rule) => rule.definition.event.type === 'ready'),
      missingTerms: derived.missingTerms,
      missingSteps: derived.missingSteps,
      rejectedSteps: derived.rejectedSteps,
      unauthorizedDelegations: derived.unauthorizedDelegations,
      missingAgreements: missingAgreements(fired),
    };
    return { outcome, basis: [...new Set([...fired.map((rule) => rule.name), ...derived.routeBasis])] };
  },
});
