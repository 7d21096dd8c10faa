import { RuleGapError } from '../core/errors.js';
import { firstFired } from '../core/outcome.js';
import type { PolicyContext } from '../core/policy.js';
import type { AllocationFacts, AllocationRule, CommissionAllocationOutcome, GroupRoleName, SingleRoleName } from './allocation.js';
import { hasRepeat } from './allocation-view.js';
import type { PoolPart } from './pool-split.js';
import { percentTotal, splitPool } from './pool-split.js';

const POLICY = 'commission.allocation';

/** Roles a rule may give a share to: one agent each. */
const SINGLE_ROLES: Readonly<Record<SingleRoleName, (facts: AllocationFacts) => string | undefined>> = {
  closer: (facts) => facts.closer,
  protector: (facts) => facts.protectedBy ?? undefined,
  referrer: (facts) => facts.referral?.referrerAgent,
};
/** Roles that name a group: each member gets `percentEach`. */
const GROUP_ROLES: Readonly<Record<GroupRoleName, (facts: AllocationFacts) => readonly string[]>> = {
  handlers: (facts) => facts.handlers,
  originalAgents: (facts) => facts.originalAgents ?? [],
};

interface Result {
  readonly outcome: CommissionAllocationOutcome;
  readonly basis: readonly string[];
}

/** A rule's `shares` read once: each role, how to find its agents, and the percent each gets. */
interface PlannedShare {
  readonly role: string;
  readonly single: ((facts: AllocationFacts) => string | undefined) | undefined;
  readonly group: ((facts: AllocationFacts) => readonly string[]) | undefined;
  readonly percent: number;
}

/**
 * How a rule's event becomes an outcome, read once per compiled rule: the outcome itself, frozen
 * and shared by every decision, when it depends on the rule alone; otherwise what the facts fill in.
 */
type OutcomePlan =
  | { readonly kind: 'fixed'; readonly result: Result }
  | { readonly kind: 'followUp'; readonly role: SingleRoleName; readonly basis: readonly string[] }
  | { readonly kind: 'allocated'; readonly shares: readonly PlannedShare[]; readonly groups: boolean; readonly whole: boolean; readonly basis: readonly string[] };

const plans = new WeakMap<AllocationRule, OutcomePlan>();

function planOf(rule: AllocationRule): OutcomePlan {
  let plan = plans.get(rule);
  if (plan === undefined) {
    plan = makePlan(rule);
    plans.set(rule, plan);
  }
  return plan;
}

function makePlan(rule: AllocationRule): OutcomePlan {
  const params = rule.definition.event.params;
  const basis = Object.freeze([...(params.basis ?? [rule.name])]);
  const fixed = (outcome: CommissionAllocationOutcome): OutcomePlan => ({ kind: 'fixed', result: Object.freeze({ outcome: Object.freeze(outcome), basis }) });
  switch (params.status) {
    case 'allocated': {
      const shares = params.shares.map((share): PlannedShare =>
        Object.prototype.hasOwnProperty.call(SINGLE_ROLES, share.role)
          ? { role: share.role, single: SINGLE_ROLES[share.role as SingleRoleName], group: undefined, percent: share.percent! }
          : { role: share.role, single: undefined, group: GROUP_ROLES[share.role as GroupRoleName], percent: share.percentEach! },
      );
      return { kind: 'allocated', shares, groups: shares.some((share) => share.group !== undefined), whole: shares.every((share) => Number.isInteger(share.percent)), basis };
    }
    case 'no_commission':
      return params.followUpBy === undefined ? fixed({ status: params.status }) : { kind: 'followUp', role: params.followUpBy, basis };
    case 'needs_ruling':
      return fixed({ status: params.status, by: params.by });
    case 'invalid':
      return fixed({ status: params.status, violations: Object.freeze([...params.violations]) });
  }
}

/**
 * The outcome of the deciding rule: its agents named by role, the pool split exactly (D-COM-2).
 * An outcome that depends on the rule alone is the same frozen object every time.
 *
 * @example
 * decideAllocation(fired, facts, context).outcome; //=> { status: 'needs_ruling', by: 'leasing_manager' }
 */
export function decideAllocation(fired: readonly AllocationRule[], facts: AllocationFacts, context: PolicyContext): Result {
  const rule = firstFired(fired, POLICY, facts);
  const plan = planOf(rule);
  switch (plan.kind) {
    case 'fixed':
      return plan.result;
    case 'followUp': {
      const agent = SINGLE_ROLES[plan.role](facts);
      if (agent === undefined) throw gap(rule, `followUpBy ${plan.role}, but the facts name no ${plan.role}`);
      return { outcome: { status: 'no_commission', followUpBy: agent }, basis: plan.basis };
    }
    case 'allocated': {
      const maxAgents = context.param('maxHandlers');
      const parts = resolveShares(rule, plan, facts, typeof maxAgents === 'number' ? maxAgents : 0);
      return { outcome: { status: 'allocated', shares: splitPool(facts.pool, parts) }, basis: plan.basis };
    }
  }
}

/**
 * Names the agents of a fired rule's `shares` (their shape was checked when the rules file was
 * compiled). What only the facts settle stays a defect found here: a role the facts name no agent
 * for, one agent paid twice, more agents than `maxHandlers`, a group's shares not adding up to 100%.
 */
function resolveShares(rule: AllocationRule, plan: Extract<OutcomePlan, { kind: 'allocated' }>, facts: AllocationFacts, maxAgents: number): PoolPart[] {
  const parts: PoolPart[] = [];
  const { shares } = plan;
  for (let index = 0; index < shares.length; index++) {
    const share = shares[index]!;
    if (share.single !== undefined) {
      const agent = share.single(facts);
      if (agent === undefined) throw gap(rule, `event.params.shares[${index}]: the facts name no ${share.role}`);
      parts.push({ agent, percent: share.percent });
    } else {
      const agents = share.group!(facts);
      if (agents.length === 0) throw gap(rule, `event.params.shares[${index}]: the facts name no ${share.role}`);
      for (const agent of agents) parts.push({ agent, percent: share.percent });
    }
  }
  if (hasRepeat(parts.map((part) => part.agent))) throw gap(rule, `pays one agent more than one share (${parts.map((part) => part.agent).join(', ')})`);
  if (parts.length > maxAgents) throw gap(rule, `shares the commission among ${parts.length} agents; at most ${maxAgents} (maxHandlers) may share`);
  // Single roles add up to 100% (checked when the rules file was compiled); a group's total
  // depends on its size. Whole percents add up exactly as numbers; others (33.33 + 33.34 + 33.33) as decimals.
  if (plan.groups) {
    const total = plan.whole ? String(parts.reduce((sum, part) => sum + part.percent, 0)) : percentTotal(parts.map((part) => part.percent));
    if (total !== '100') throw gap(rule, `the shares add up to ${total}%, not 100%`);
  }
  return parts;
}

function gap(rule: AllocationRule, message: string): RuleGapError {
  return new RuleGapError(POLICY, `rules[${rule.index}] (${rule.name}): ${message}`);
}
