import * as z from 'zod/mini';
import rules from '../../rules/commission/allocation.rules.json' with { type: 'json' };
import type { DecidingRule } from '../core/event.js';
import { Dec, toMoneyString } from '../core/money.js';
import type { InputIssue } from '../core/errors.js';
import { PolicyInputError, RuleGapError, safeJson } from '../core/errors.js';
import { firstFired } from '../core/outcome.js';
import { toDotPath } from '../core/path.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { CommissionAllocationCheckedFacts, CommissionAllocationFacts } from '../generated/facts-types.js';
import type { PolicyContext } from '../core/policy.js';

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
/** Roles that name a group, each member getting the same part: `{ role, percentEach }`. */
const GROUP_ROLE_NAMES = ['handlers', 'originalAgents'] as const;

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
      const total = shares.reduce((sum, share) => sum.plus(share.percent!), new Dec(0));
      if (!total.eq(100)) ctx.issues.push({ code: 'custom', input: shares, message: `the shares add up to ${total.toString()}%, not 100%` });
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
type AllocationRule = DecidingRule<typeof allocationEvent>;

/**
 * What the caller gives `commission.allocation`. `pool` as a number or a decimal string with at
 * most two places. A lease needs `closer`, `receivingAgents` and `protectedBy` (null when no
 * protection entry covered the client); `add_on` and `intent` need `originalAgents`.
 */
export type { CommissionAllocationFacts };
type Facts = CommissionAllocationCheckedFacts;

/** One agent's share: `percent` of the pool and the exact amount, a string with two places. */
export interface CommissionShare {
  readonly agent: string;
  readonly percent: number;
  readonly amount: string;
}

/** The decision on a deal's commission. */
export type CommissionAllocationOutcome =
  | { readonly status: 'allocated'; readonly shares: readonly CommissionShare[] }
  | { readonly status: 'no_commission'; readonly followUpBy?: string }
  | { readonly status: 'needs_ruling'; readonly by: RulingAuthority }
  | { readonly status: 'invalid'; readonly violations: readonly string[] };

interface Derived extends Record<string, unknown> {
  readonly handlerCount: number;
  readonly originalAgentCount: number;
  readonly receivingAgentCount: number;
  readonly otherReceivingAgentCount: number;
  readonly otherHandlerCount: number;
  readonly closerIsHandler: boolean;
  readonly closerIsProtector: boolean;
  readonly closerIsReferrer: boolean;
}

function derive(facts: Facts): Derived {
  const issues: InputIssue[] = [];
  if (facts.kind === 'lease') {
    if (facts.closer === undefined) issues.push(missing('closer', 'required for a lease: the agent who closed', 'an agent id'));
    if (facts.receivingAgents === undefined) issues.push(missing('receivingAgents', 'required for a lease: every agent who received or introduced the client', 'a list of agent ids'));
    if (facts.protectedBy === undefined) issues.push(missing('protectedBy', 'required for a lease: the agent whose protection entry covered the client on the closing date, or null when none did', 'an agent id or null'));
  } else if (facts.originalAgents === undefined || facts.originalAgents.length === 0) {
    issues.push({
      code: facts.originalAgents === undefined ? 'invalid_type' : 'too_small',
      path: 'originalAgents',
      message: `required for ${facts.kind === 'add_on' ? 'an add-on' : 'an intent'}: at least one agent who closed the earlier deal or took the intent`,
      received: facts.originalAgents,
      expected: 'a list of at least one agent id',
    });
  }
  duplicates(facts.handlers, 'handlers', issues);
  duplicates(facts.originalAgents ?? [], 'originalAgents', issues);
  duplicates(facts.receivingAgents ?? [], 'receivingAgents', issues);
  if (issues.length > 0) throw new PolicyInputError(POLICY, issues);

  const closer = facts.closer;
  const referrer = facts.referral?.referrerAgent;
  const handlers = facts.handlers;
  const receiving = facts.receivingAgents ?? [];
  const isHandler = membership(handlers);
  const isReceiving = membership(receiving);
  // Each list holds an agent once (checked above): count the union without building it.
  let everyone = receiving.length;
  let otherHandlerCount = 0;
  for (const agent of handlers) {
    if (!isReceiving(agent)) everyone++;
    if (agent !== closer && agent !== referrer) otherHandlerCount++;
  }
  if (closer !== undefined && !isReceiving(closer) && !isHandler(closer)) everyone++;
  let otherReceivingAgentCount = 0;
  for (const agent of receiving) if (!isHandler(agent) && agent !== closer && agent !== referrer) otherReceivingAgentCount++;
  return {
    handlerCount: handlers.length,
    originalAgentCount: facts.originalAgents?.length ?? 0,
    receivingAgentCount: everyone,
    otherReceivingAgentCount,
    otherHandlerCount,
    closerIsHandler: closer !== undefined && isHandler(closer),
    closerIsProtector: closer !== undefined && facts.protectedBy === closer,
    closerIsReferrer: closer !== undefined && referrer === closer,
  };
}

/** A membership test of a list: a scan for the short lists deals have, a Set for long ones (never quadratic). */
function membership(agents: readonly string[]): (agent: string) => boolean {
  if (agents.length <= SHORT_LIST) return (agent) => agents.includes(agent);
  const set = new Set(agents);
  return (agent) => set.has(agent);
}

const SHORT_LIST = 16;

function missing(path: string, message: string, expected: string): InputIssue {
  return { code: 'invalid_type', path, message, received: undefined, expected };
}

function duplicates(agents: readonly string[], field: string, issues: InputIssue[]): void {
  // The usual short list without a repeat: no map for it.
  if (agents.length <= SHORT_LIST && agents.every((agent, index) => agents.indexOf(agent) === index)) return;
  const first = new Map<string, number>();
  agents.forEach((agent, index) => {
    const earlier = first.get(agent);
    if (earlier === undefined) first.set(agent, index);
    else issues.push({ code: 'invalid_value', path: toDotPath([field, index]), message: `${safeJson(agent)} is already listed at ${field}[${earlier}]: list each agent once`, received: agent, expected: 'an agent not listed before' });
  });
}

/** Roles a rule may give a share to: one agent each. */
const SINGLE_ROLES: Readonly<Record<(typeof SINGLE_ROLE_NAMES)[number], (facts: Facts) => string | undefined>> = {
  closer: (facts) => facts.closer,
  protector: (facts) => facts.protectedBy ?? undefined,
  referrer: (facts) => facts.referral?.referrerAgent,
};
/** Roles that name a group: each member gets `percentEach`. */
const GROUP_ROLES: Readonly<Record<(typeof GROUP_ROLE_NAMES)[number], (facts: Facts) => readonly string[]>> = {
  handlers: (facts) => facts.handlers,
  originalAgents: (facts) => facts.originalAgents ?? [],
};

/** An agent and the percent of the pool a rule gives them, before the money is split. */
export interface PoolPart {
  readonly agent: string;
  readonly percent: number;
}

/**
 * Names the agents of a fired rule's `shares` (their shape was checked when the rules file was
 * compiled). What only the facts settle stays a defect found here: a role the facts name no agent
 * for, one agent paid twice, more agents than `maxHandlers`, a group's shares not adding up to 100%.
 */
function resolveShares(rule: AllocationRule, shares: z.output<typeof sharesSchema>, facts: Facts, maxAgents: number): PoolPart[] {
  const gap = (message: string): never => {
    throw new RuleGapError(POLICY, `rules[${rule.index}] (${rule.name}): ${message}`);
  };
  const parts: PoolPart[] = [];
  let whole = true;
  let total = 0;
  for (const [index, share] of sharePlan(rule, shares).entries()) {
    const agents = share.single ? [share.single(facts)] : share.group!(facts);
    if (agents.length === 0 || agents[0] === undefined) gap(`event.params.shares[${index}]: the facts name no ${share.role}`);
    for (const agent of agents) parts.push({ agent: agent!, percent: share.percent });
    whole &&= Number.isInteger(share.percent);
    total += share.percent * agents.length;
  }
  const repeated = parts.length > SHORT_LIST ? new Set(parts.map((part) => part.agent)).size !== parts.length : parts.some((part, i) => parts.findIndex((other) => other.agent === part.agent) !== i);
  if (repeated) gap(`pays one agent more than one share (${parts.map((part) => part.agent).join(', ')})`);
  if (parts.length > maxAgents) gap(`shares the commission among ${parts.length} agents; at most ${maxAgents} (maxHandlers) may share`);
  // Whole percents add up exactly as numbers; others (33.33 + 33.34 + 33.33) as decimals.
  if (whole ? total !== 100 : !parts.reduce((sum, part) => sum.plus(part.percent), new Dec(0)).eq(100)) {
    gap(`the shares add up to ${whole ? total : String(parts.reduce((sum, part) => sum.plus(part.percent), new Dec(0)))}%, not 100%`);
  }
  return parts;
}

/** A rule's `shares` read once: each role, how to find its agents, and the percent each gets. */
interface PlannedShare {
  readonly role: string;
  readonly single: ((facts: Facts) => string | undefined) | undefined;
  readonly group: ((facts: Facts) => readonly string[]) | undefined;
  readonly percent: number;
}

const plans = new WeakMap<AllocationRule, readonly PlannedShare[]>();

/** The shares of a rule (checked when its file was compiled) as a plan, built once per compiled rule. */
function sharePlan(rule: AllocationRule, shares: z.output<typeof sharesSchema>): readonly PlannedShare[] {
  let plan = plans.get(rule);
  if (plan === undefined) {
    plan = shares.map((share) =>
      (SINGLE_ROLE_NAMES as readonly string[]).includes(share.role)
        ? { role: share.role, single: SINGLE_ROLES[share.role as (typeof SINGLE_ROLE_NAMES)[number]], group: undefined, percent: share.percent! }
        : { role: share.role, single: undefined, group: GROUP_ROLES[share.role as (typeof GROUP_ROLE_NAMES)[number]], percent: share.percentEach! },
    );
    plans.set(rule, plan);
  }
  return plan;
}
/**
 * Splits `pool` by percent under D-COM-2: each amount is `pool × percent / 100` rounded down to
 * the fen; what rounding leaves goes to the first share in output order (descending percent,
 * then agent id in code-point order, i.e. UTF-8 byte order), so the amounts add up to `pool` exactly.
 *
 * @example
 * splitPool('10000.01', [{ agent: 'B', percent: 50 }, { agent: 'A', percent: 50 }]);
 * //=> [{ agent: 'A', percent: 50, amount: '5000.01' }, { agent: 'B', percent: 50, amount: '5000.00' }]
 */
export function splitPool(pool: string, parts: readonly PoolPart[]): CommissionShare[] {
  return splitPoolInCents(pool, parts) ?? splitPoolExact(pool, parts);
}

/**
 * D-COM-2 with decimal.js: the definition the integer-cents path must equal (a property test
 * compares the two on random pools and shares).
 *
 * @example
 * splitPoolExact('0.03', [{ agent: 'A', percent: 50 }, { agent: 'B', percent: 50 }]);
 * //=> [{ agent: 'A', percent: 50, amount: '0.02' }, { agent: 'B', percent: 50, amount: '0.01' }]
 */
export function splitPoolExact(pool: string, parts: readonly PoolPart[]): CommissionShare[] {
  const total = new Dec(pool);
  const ordered = [...parts].sort((a, b) => new Dec(b.percent).cmp(a.percent) || compareCodePoints(a.agent, b.agent));
  const amounts = ordered.map((part) => total.times(part.percent).div(100).toDecimalPlaces(2, Dec.ROUND_DOWN));
  const rest = amounts.reduce((left, amount) => left.minus(amount), total);
  if (amounts.length > 0) amounts[0] = amounts[0]!.plus(rest);
  return ordered.map((part, index) => ({ agent: part.agent, percent: part.percent, amount: toMoneyString(amounts[index]!) }));
}

/** The most integer digits of a pool the cents path takes: q × percent stays below 2^53. */
const MAX_CENTS_PATH_DIGITS = 13;

/**
 * D-COM-2 in integer cents, without allocating Decimals, for whole percents and pools of at most
 * 13 integer digits (every pool a deal has); `undefined` otherwise, for {@link splitPoolExact}.
 * With pool = 100q + r cents, pool × p / 100 rounded down is q·p + ⌊r·p / 100⌋ cents, every term
 * an exact integer below 2^53.
 */
function splitPoolInCents(pool: string, parts: readonly PoolPart[]): CommissionShare[] | undefined {
  const dot = pool.indexOf('.');
  const integer = dot === -1 ? pool : pool.slice(0, dot);
  if (integer.length > MAX_CENTS_PATH_DIGITS || pool.startsWith('-') || (dot !== -1 && pool.length - dot - 1 > 2)) return undefined;
  if (!parts.every((part) => Number.isInteger(part.percent) && part.percent >= 0 && part.percent <= 100)) return undefined;
  const cents = Number(integer) * 100 + (dot === -1 ? 0 : Number(pool.slice(dot + 1).padEnd(2, '0')));
  const q = Math.floor(cents / 100);
  const r = cents % 100;
  const ordered = [...parts].sort((a, b) => b.percent - a.percent || compareCodePoints(a.agent, b.agent));
  const amounts = ordered.map((part) => q * part.percent + Math.floor((r * part.percent) / 100));
  if (amounts.length > 0) amounts[0] = amounts[0]! + cents - amounts.reduce((sum, amount) => sum + amount, 0);
  return ordered.map((part, index) => ({ agent: part.agent, percent: part.percent, amount: centsToString(amounts[index]!) }));
}

function centsToString(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * Orders agent ids by Unicode code point, which is the byte order of their UTF-8 (what SQL engines
 * sort by: DuckDB's default, PostgreSQL's COLLATE "C"), so that the SQL the library compiles splits
 * a pool exactly as this does. JavaScript's `<` compares UTF-16 code units, which differs only
 * where a character above U+FFFF meets one in U+E000…U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) stand for code points above every BMP character: lift them above E000–FFFF.
    const rank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}

function decide(fired: readonly AllocationRule[], facts: Facts, context: PolicyContext): { outcome: CommissionAllocationOutcome; basis: readonly string[] } {
  const rule = firstFired(fired, POLICY, facts);
  const params = rule.definition.event.params;
  const basis = params.basis ?? [rule.name];
  switch (params.status) {
    case 'allocated': {
      const maxAgents = context.param('maxHandlers');
      const parts = resolveShares(rule, params.shares, facts, typeof maxAgents === 'number' ? maxAgents : 0);
      return { outcome: { status: params.status, shares: splitPool(facts.pool, parts) }, basis };
    }
    case 'no_commission': {
      const role = params.followUpBy;
      if (role === undefined) return { outcome: { status: params.status }, basis };
      const agent = SINGLE_ROLES[role](facts);
      if (agent === undefined) throw new RuleGapError(POLICY, `rules[${rule.index}] (${rule.name}): followUpBy ${role}, but the facts name no ${role}`);
      return { outcome: { status: params.status, followUpBy: agent }, basis };
    }
    case 'needs_ruling':
      return { outcome: { status: params.status, by: params.by }, basis };
    case 'invalid':
      return { outcome: { status: params.status, violations: params.violations }, basis };
  }
}

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
  derive,
  decide,
});
