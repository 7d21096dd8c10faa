import * as z from 'zod/mini';
import rules from '../../rules/commission/allocation.rules.json' with { type: 'json' };
import type { DecidingRule } from '../core/event.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { CommissionAllocationCheckedFacts, CommissionAllocationFacts } from '../generated/facts-types.js';
import { decideAllocation } from './allocation-outcome.js';
import { allocationView } from './allocation-view.js';
import type { CommissionShare } from './pool-split.js';
import { percentTotal } from './pool-split.js';

const POLICY = 'commission.allocation';

/**
 * The outcomes of an allocation (docs/policies.md).
 *
 * @example
 * ALLOCATION_STATUSES; //=> ['allocated', 'no_commission', 'needs_ruling', 'invalid']
 */
export const ALLOCATION_STATUSES = ['allocated', 'no_commission', 'needs_ruling', 'invalid'] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

/**
 * Who settles an allocation the rules do not (COM-14, COM-1/D-COM-7, COM-9).
 *
 * @example
 * RULING_AUTHORITIES.includes('leasing_manager'); //=> true
 */
export const RULING_AUTHORITIES = ['leasing_manager', 'leasing_director', 'referrer_agent'] as const;
export type RulingAuthority = (typeof RULING_AUTHORITIES)[number];

/** Roles a rule may give a share to, one agent each: `{ role, percent }`. */
const SINGLE_ROLE_NAMES = ['closer', 'protector', 'referrer'] as const;
export type SingleRoleName = (typeof SINGLE_ROLE_NAMES)[number];
/** Roles that name a group, each member getting the same part: `{ role, percentEach }`. */
const GROUP_ROLE_NAMES = ['handlers', 'originalAgents'] as const;
export type GroupRoleName = (typeof GROUP_ROLE_NAMES)[number];

const percentOfPool = z.number().check(z.refine((value) => value > 0 && value <= 100, { error: 'a percent must be above 0 and at most 100', params: { expected: 'a number above 0 and at most 100' } }));

/** One share a rule gives: a single role with `percent`, or a group with `percentEach`. */
const shareSchema = z
  .strictObject({ role: z.enum([...SINGLE_ROLE_NAMES, ...GROUP_ROLE_NAMES]), percent: z.optional(percentOfPool), percentEach: z.optional(percentOfPool) })
  .check(
    z.superRefine((share, ctx) => {
      const single = (SINGLE_ROLE_NAMES as readonly string[]).includes(share.role);
      const [given, other] = single ? (['percent', 'percentEach'] as const) : (['percentEach', 'percent'] as const);
      const kind = single ? 'one agent' : 'a group';
      if (share[other] !== undefined) ctx.issues.push({ code: 'custom', path: [other], input: share[other], message: `role ${share.role} is ${kind}: give "${given}", not "${other}"` });
      if (share[given] === undefined) ctx.issues.push({ code: 'custom', path: [given], input: undefined, message: `role ${share.role} is ${kind}: "${given}" is required` });
    }),
  );

/** Shares of single roles add up to 100% here; with a group, the total depends on its size, so `decide` checks it. */
const sharesSchema = z
  .array(shareSchema)
  .check(
    z.minLength(1),
    z.superRefine((shares, ctx) => {
      // Only single roles with sound percents: a group's total depends on its size, a bad percent is reported already.
      if (shares.length === 0 || !shares.every((share) => share.percentEach === undefined && share.percent !== undefined && share.percent > 0 && share.percent <= 100)) return;
      const total = percentTotal(shares.map((share) => share.percent!));
      if (total !== '100') ctx.issues.push({ code: 'custom', input: shares, message: `the shares add up to ${total}%, not 100%` });
    }),
  );

const clauseIds = z.array(z.string().check(z.minLength(1))).check(z.minLength(1));

/** What an allocation rule gives, by status; `basis` (clause ids) replaces the rule's name in the decision's basis. */
const allocationEvent = {
  commission: z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('allocated'), shares: sharesSchema, basis: z.optional(clauseIds) }),
    z.strictObject({ status: z.literal('no_commission'), followUpBy: z.optional(z.enum(SINGLE_ROLE_NAMES)), basis: z.optional(clauseIds) }),
    z.strictObject({ status: z.literal('needs_ruling'), by: z.enum(RULING_AUTHORITIES), basis: z.optional(clauseIds) }),
    z.strictObject({ status: z.literal('invalid'), violations: clauseIds, basis: z.optional(clauseIds) }),
  ]),
};
export type AllocationRule = DecidingRule<typeof allocationEvent>;

/**
 * What the caller gives `commission.allocation`. `pool` as a number or a decimal string with at
 * most two places. A lease needs `closer`, `receivingAgents` and `protectedBy` (null when no
 * protection entry covered the client); `add_on` and `intent` need `originalAgents`.
 */
export type { CommissionAllocationFacts };
/** The facts once checked: defaults filled in, `pool` a canonical decimal string. */
export type AllocationFacts = CommissionAllocationCheckedFacts;

export type { CommissionShare } from './pool-split.js';

/** The decision on a deal's commission. */
export type CommissionAllocationOutcome =
  | { readonly status: 'allocated'; readonly shares: readonly CommissionShare[] }
  | { readonly status: 'no_commission'; readonly followUpBy?: string }
  | { readonly status: 'needs_ruling'; readonly by: RulingAuthority }
  | { readonly status: 'invalid'; readonly violations: readonly string[] };

/**
 * `commission.allocation`: who earns a leasing deal's commission and how much (COM-1…COM-14,
 * D-COM-1…D-COM-8). The rules decide who by role and what percent; this code names the agents
 * and splits the pool exactly (D-COM-2).
 *
 * @example
 * commissionAllocation.evaluate({
 *   pool: '10000.01', kind: 'lease', depositPaidInFull: true, contractSigned: true,
 *   handlers: ['li', 'wang'], closer: 'wang', receivingAgents: ['wang', 'li'], protectedBy: null,
 * }).outcome;
 * //=> { status: 'allocated', shares: [{ agent: 'li', percent: 50, amount: '5000.01' }, { agent: 'wang', percent: 50, amount: '5000.00' }] }
 */
export const commissionAllocation = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/commission/allocation.rules.json',
  facts: declaredFacts<CommissionAllocationFacts, CommissionAllocationCheckedFacts>,
  event: allocationEvent,
  view: allocationView,
  decide: decideAllocation,
});
