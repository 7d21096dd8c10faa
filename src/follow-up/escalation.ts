import * as z from 'zod/mini';
import rules from '../../rules/follow-up/escalation.rules.json' with { type: 'json' };
import { RuleGapError, safeJson } from '../core/errors.js';
import type { DeclaredFacts } from '../core/policy.js';
import { definePolicy } from '../core/policy.js';
import type { FollowUpEscalationCheckedFacts as CheckedFacts, FollowUpEscalationFacts as GeneratedFacts } from '../generated/facts-types.js';
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

/** The facts the rules file's block declares, as the caller gives them and as checked. */
type Declared = GeneratedFacts;
type Fact = Exclude<keyof Declared, 'event'>;

// Facts that do not apply to the event are refused, not ignored: a caller who sends
// `compensationRequested` with a complaint, or `resolvedByDepartments` with a minor one, expects it
// to count, and the table gives it no meaning there (for a complaint the source says nothing of
// compensation at all). Each variant therefore refuses every fact it does not read; this says
// where each fact is read. Types, values and defaults are the rules file's (`declared.shape`).
const SCOPE: Readonly<Record<Fact, string>> = {
  complaintSeverity: 'a complaint',
  resolvedByDepartments: 'a major complaint (FUP-4.2.4; a minor one is relayed as feedback whatever the departments did, D-FUP-1)',
  compensationRequested: 'force_majeure (FUP-4.2.6; the source does not say how a compensation claim is handled after any other event)',
  anomaly: 'a booking_anomaly (FUP-006.5)',
  service: 'a booking_anomaly (FUP-006.5)',
};

function refused(fact: Fact, here: string) {
  return z.optional(
    z.custom<never>(() => false, {
      error: `${fact} does not apply to ${here}: it is read only for ${SCOPE[fact]}; leave it out`,
      params: { expected: 'no value' },
    }),
  );
}

/** Every escalation rule gives the actions it adds (at least one) and the owner. */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const escalationEvent = /* @__PURE__ */ (() => ({
  'follow-up-actions': z.strictObject({ actions: z.array(z.enum(FOLLOW_UP_ACTIONS)).check(z.minLength(1)), owner: z.enum(FOLLOW_UP_OWNERS) }),
}))();

/** The values that pick a variant: an event, and for a complaint its severity. */
interface Given {
  readonly event: Declared['event'];
  readonly complaintSeverity?: Declared['complaintSeverity'];
}

// Built on first use (definePolicy caches it), like every facts schema, so importing the package
// constructs no schema. Each fact's schema is the declared one; only the union is written here.
function escalationFacts({ shape }: DeclaredFacts): z.ZodMiniType<Variants<CheckedFacts>, FollowUpEscalationFacts> {
  // The block declares every fact (test/facts-types.test.ts and the generated types check it).
  const declared = (fact: keyof Declared) => shape[fact]!;
  const quoted = (fact: keyof Declared) => (declared(fact) as z.ZodMiniEnum).options.map((value) => `"${value}"`);
  // A variant: its picking values, the facts it reads, and every other fact refused.
  const variant = (given: Given, here: string, reads: Partial<Record<Fact, z.ZodMiniType>> = {}) =>
    z.strictObject({
      ...Object.fromEntries(Object.entries(given).map(([fact, value]) => [fact, z.literal(value as string)])),
      ...reads,
      ...Object.fromEntries((Object.keys(SCOPE) as Fact[]).filter((fact) => !(fact in given) && !(fact in reads)).map((fact) => [fact, refused(fact, here)])),
    });

  // Required for a major complaint although the block gives every boolean a default.
  const resolved = declared('resolvedByDepartments');
  const resolvedByDepartments = z.custom((value) => value !== undefined && resolved.safeParse(value).success, {
    error: (issue) =>
      issue.input === undefined
        ? 'required for a major complaint: did the departments concerned resolve it? An unknown outcome is neither resolved nor unresolved'
        : 'expected true or false',
    params: { expected: 'true or false' },
  });

  const complaint = z.discriminatedUnion(
    'complaintSeverity',
    [
      variant({ event: 'complaint', complaintSeverity: 'minor' }, 'a minor complaint'),
      variant({ event: 'complaint', complaintSeverity: 'major' }, 'a complaint', { resolvedByDepartments }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? `${isMissing(issue.input, 'complaintSeverity') ? 'required for a complaint: ' : ''}expected ${quoted('complaintSeverity').join(' or ')}` : undefined,
    },
  );

  return z.discriminatedUnion(
    'event',
    [
      variant({ event: 'order_change' }, 'an order_change'),
      complaint,
      variant({ event: 'force_majeure' }, 'force_majeure', { compensationRequested: declared('compensationRequested') }),
      variant({ event: 'booking_anomaly' }, 'a booking_anomaly', { anomaly: declared('anomaly'), service: declared('service') }),
    ],
    {
      error: (issue) => (issue.code === 'invalid_union' ? `${isMissing(issue.input, 'event') ? 'required: ' : ''}expected one of ${quoted('event').join(', ')}` : undefined),
    },
  ) as unknown as z.ZodMiniType<Variants<CheckedFacts>, FollowUpEscalationFacts>;
}

function isMissing(input: unknown, key: string): boolean {
  return input === null || typeof input !== 'object' || (input as Record<string, unknown>)[key] === undefined;
}

/** One variant of the facts `D` (as given or as checked): the values that pick it, the facts it reads; every other one refused. */
type Variant<D extends Declared | CheckedFacts, Picked, Reads extends Fact = never> = Picked & Pick<D, Reads> & { readonly [F in Exclude<Fact, keyof Picked | Reads>]?: undefined };
type Variants<D extends Declared | CheckedFacts> =
  | Variant<D, { event: 'order_change' }>
  | Variant<D, { event: 'complaint'; complaintSeverity: 'minor' }>
  | Variant<D, { event: 'complaint'; complaintSeverity: 'major'; resolvedByDepartments: Exclude<D['resolvedByDepartments'], undefined> }>
  | Variant<D, { event: 'force_majeure' }, 'compensationRequested'>
  | Variant<D, { event: 'booking_anomaly' }, 'anomaly' | 'service'>;

/**
 * What the caller gives `followUp.escalation`: the event, and only the facts that event reads.
 *
 * @example
 * const facts: FollowUpEscalationFacts = { event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: false };
 */
export type FollowUpEscalationFacts = Variants<Declared>;

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
