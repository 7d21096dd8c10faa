import * as z from 'zod/mini';
import rules from '../../rules/follow-up/escalation.rules.json' with { type: 'json' };
import { RuleGapError, safeJson } from '../core/errors.js';
import { flag, oneOf } from '../core/facts.js';
import { definePolicy } from '../core/policy.js';
import type { FollowUpOwner } from './workflow.js';
import { FOLLOW_UP_OWNERS } from './workflow.js';

const POLICY = 'followUp.escalation';

/**
 * Every action the follow-up table can give (docs/policies.md); which ones, when and in which order is the rules file's.
 *
 * @example
 * FOLLOW_UP_ACTIONS.includes('escalate_to_gm_office'); //=> true
 */
export const FOLLOW_UP_ACTIONS = [
  'notify_all_departments',
  'notify_departments',
  'report_handling_to_departments',
  'escalate_to_gm_office',
  'relay_feedback',
  'notify_guest_immediately',
  'explain_and_seek_understanding',
  'report_to_manager',
  'liaise_with_client',
  'relay_changes_to_departments',
] as const;
/**
 * One of {@link FOLLOW_UP_ACTIONS}.
 *
 * @example
 * const action: FollowUpAction = 'relay_feedback';
 */
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

/**
 * What happened to the order (docs/policies.md).
 *
 * @example
 * FOLLOW_UP_EVENTS; //=> ['order_change', 'complaint', 'force_majeure', 'booking_anomaly']
 */
export const FOLLOW_UP_EVENTS = ['order_change', 'complaint', 'force_majeure', 'booking_anomaly'] as const;
/**
 * One of {@link FOLLOW_UP_EVENTS}.
 *
 * @example
 * const event: FollowUpEvent = 'force_majeure';
 */
export type FollowUpEvent = (typeof FOLLOW_UP_EVENTS)[number];

// Facts that do not apply to the event are refused, not ignored: a caller who sends
// `compensationRequested` with a complaint, or `resolvedByDepartments` with a minor one, expects it
// to count, and the table gives it no meaning there (for a complaint the source says nothing of
// compensation at all). Each variant therefore lists every other fact as one it refuses.
const SCOPE = {
  complaintSeverity: 'a complaint',
  resolvedByDepartments: 'a major complaint (FUP-4.2.4; a minor one is relayed as feedback whatever the departments did, D-FUP-1)',
  compensationRequested: 'force_majeure (FUP-4.2.6; the source does not say how a compensation claim is handled after any other event)',
  anomaly: 'a booking_anomaly (FUP-006.5)',
  service: 'a booking_anomaly (FUP-006.5)',
} as const;

function refused(fact: keyof typeof SCOPE, here: string) {
  return z.optional(
    z.custom<never>(() => false, {
      error: `${fact} does not apply to ${here}: it is read only for ${SCOPE[fact]}; leave it out`,
      params: { expected: 'no value' },
    }),
  );
}

function refusedAll<const F extends keyof typeof SCOPE>(facts: readonly F[], here: string): { [K in F]: ReturnType<typeof refused> } {
  return Object.fromEntries(facts.map((fact) => [fact, refused(fact, here)])) as { [K in F]: ReturnType<typeof refused> };
}

/** Every escalation rule gives the actions it adds (at least one) and the owner. */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const escalationEvent = /* @__PURE__ */ (() => ({
  'follow-up-actions': z.strictObject({ actions: z.array(z.enum(FOLLOW_UP_ACTIONS)).check(z.minLength(1)), owner: z.enum(FOLLOW_UP_OWNERS) }),
}))();

// Built on first use (definePolicy caches it), like every facts schema, so importing the package
// constructs no schema.
function escalationFacts() {
  const resolvedByDepartments = z.custom<boolean>((value) => typeof value === 'boolean', {
    error: (issue) =>
      issue.input === undefined
        ? 'required for a major complaint: did the departments concerned resolve it? An unknown outcome is neither resolved nor unresolved'
        : 'expected true or false',
    params: { expected: 'true or false' },
  });

  const orderChange = z.strictObject({
    event: z.literal('order_change'),
    ...refusedAll(['complaintSeverity', 'resolvedByDepartments', 'compensationRequested', 'anomaly', 'service'], 'an order_change'),
  });

  const minorComplaint = z.strictObject({
    event: z.literal('complaint'),
    complaintSeverity: z.literal('minor'),
    ...refusedAll(['resolvedByDepartments', 'compensationRequested', 'anomaly', 'service'], 'a minor complaint'),
  });

  const majorComplaint = z.strictObject({
    event: z.literal('complaint'),
    complaintSeverity: z.literal('major'),
    resolvedByDepartments,
    ...refusedAll(['compensationRequested', 'anomaly', 'service'], 'a complaint'),
  });

  const complaint = z.discriminatedUnion('complaintSeverity', [minorComplaint, majorComplaint], {
    error: (issue) =>
      issue.code === 'invalid_union' ? `${isMissing(issue.input, 'complaintSeverity') ? 'required for a complaint: ' : ''}expected "minor" or "major"` : undefined,
  });

  const forceMajeure = z.strictObject({
    event: z.literal('force_majeure'),
    compensationRequested: flag(),
    ...refusedAll(['complaintSeverity', 'resolvedByDepartments', 'anomaly', 'service'], 'force_majeure'),
  });

  const bookingAnomaly = z.strictObject({
    event: z.literal('booking_anomaly'),
    anomaly: oneOf(['wrong', 'missed', 'incorrect']),
    service: oneOf(['venue', 'dining', 'room', 'fleet', 'other']),
    ...refusedAll(['complaintSeverity', 'resolvedByDepartments', 'compensationRequested'], 'a booking_anomaly'),
  });

  return z.discriminatedUnion('event', [orderChange, complaint, forceMajeure, bookingAnomaly], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `${isMissing(issue.input, 'event') ? 'required: ' : ''}expected one of ${FOLLOW_UP_EVENTS.map((e) => `"${e}"`).join(', ')}`
        : undefined,
  });
}

function isMissing(input: unknown, key: string): boolean {
  return input === null || typeof input !== 'object' || (input as Record<string, unknown>)[key] === undefined;
}

/**
 * What the caller gives `followUp.escalation`: the event, and only the facts that event reads.
 *
 * @example
 * const facts: FollowUpEscalationFacts = { event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: false };
 */
export type FollowUpEscalationFacts = z.input<ReturnType<typeof escalationFacts>>;

/**
 * What the order taker does, in order.
 *
 * @example
 * const outcome: FollowUpEscalationOutcome = { actions: ['relay_feedback'], owner: 'order_taker' }; // a minor complaint
 */
export interface FollowUpEscalationOutcome {
  /** Never empty; in the order the table gives. */
  readonly actions: readonly FollowUpAction[];
  readonly owner: FollowUpOwner;
}

/**
 * `followUp.escalation`: what the order taker does when the guest changes the order
 * (FUP-4.2.3), complains (FUP-4.2.4, D-FUP-1), is let down by force majeure (FUP-4.2.6), or a
 * booking goes wrong (FUP-006.5); `escalate_to_gm_office` only for a major complaint the
 * departments could not resolve, or a compensation claim after force majeure. The rules are
 * collect-all: each fired rule adds its actions, in file order.
 *
 * @example
 * followUpEscalation.evaluate({ event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: false }).outcome;
 * //=> { actions: ['notify_departments', 'escalate_to_gm_office'], owner: 'order_taker' }
 */
export const followUpEscalation = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/follow-up/escalation.rules.json',
  facts: escalationFacts,
  event: escalationEvent,
  decide: (fired, facts) => {
    if (fired.length === 0) throw new RuleGapError(POLICY, `no rule gives an action for these facts: ${safeJson(facts, 200)}`);
    const actions: FollowUpAction[] = [];
    let owner: FollowUpOwner | undefined;
    for (const rule of fired) {
      const params = rule.definition.event.params;
      for (const action of params.actions) if (!actions.includes(action)) actions.push(action);
      // Every rule names the owner, and only the order taker is allowed, so fired rules agree.
      owner = params.owner;
    }
    const outcome: FollowUpEscalationOutcome = { actions, owner: owner! };
    return { outcome };
  },
});
