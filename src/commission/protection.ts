import * as z from 'zod/mini';
import rules from '../../rules/commission/protection.rules.json' with { type: 'json' };
import type { DecidingRule } from '../core/event.js';
import { noParams } from '../core/event.js';
import type { CalendarDate } from '../core/dates.js';
import { addCalendarDays, dayNumber } from '../core/dates.js';
import { PolicyInputError, RuleGapError, safeJson } from '../core/errors.js';
import { firstFired } from '../core/outcome.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { CommissionProtectionCheckedFacts, CommissionProtectionFacts } from '../generated/facts-types.js';
import type { PolicyContext } from '../core/policy.js';

const POLICY = 'commission.protection';

/**
 * Why a registration is refused, in the order they are checked (COM-7).
 *
 * @example
 * PROTECTION_REFUSALS[0]; //=> 'protected_by_other' (the first that applies is given)
 */
export const PROTECTION_REFUSALS = ['protected_by_other', 'already_registered', 'list_full'] as const;
export type ProtectionRefusal = (typeof PROTECTION_REFUSALS)[number];

/**
 * A registration rule says whether the agent may register the client and, when not, why; a lookup
 * rule (no registration asked about) carries nothing.
 */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const protectionEvent = /* @__PURE__ */ (() => ({
  registration: z.discriminatedUnion('canRegister', [
    z.strictObject({ canRegister: z.literal(true) }),
    z.strictObject({ canRegister: z.literal(false), refusal: z.enum(PROTECTION_REFUSALS) }),
  ]),
  lookup: noParams(),
}))();

/**
 * What the caller gives `commission.protection`: the protection list, the date asked about, and
 * at least one question (`client`, `agent`, `register`). Dates are `YYYY-MM-DD` or instants with
 * an offset, read in the configured zone.
 */
export type { CommissionProtectionFacts };
type Facts = CommissionProtectionCheckedFacts;
type Entry = Facts['entries'][number];

/** The answers to the questions asked; a field is present only when its question was asked. */
export interface CommissionProtectionOutcome {
  /** For `client`: the agent who protects the client on that date, or null. */
  readonly protectedBy?: string | null;
  /** For `client`: the last day of that protection (inclusive), or null. */
  readonly until?: CalendarDate | null;
  /** For `agent`: how many of the agent's entries are active on that date. */
  readonly activeCount?: number;
  /** For `register`: may the agent register the client on that date? */
  readonly canRegister?: boolean;
  /** For `register`, when refused: the first reason that applies. */
  readonly refusal?: ProtectionRefusal;
}

/** The earliest active registration of one client, and whether another agent registered it the same day. */
interface Protection {
  registeredOn: number;
  index: number;
  lastDay: number;
  clash: number | undefined;
}

interface Derived extends Record<string, unknown> {
  readonly registerAsked: boolean;
  readonly clientProtectedByOther?: boolean;
  readonly agentAlreadyProtects?: boolean;
  readonly agentPeakActiveCount?: number;
  /** Not a rule fact: the answers to `client` and `agent`, carried to `decide`. */
  readonly answers: Pick<CommissionProtectionOutcome, 'protectedBy' | 'until' | 'activeCount'>;
}

function derive(facts: Facts, context: PolicyContext): Derived {
  if (facts.client === undefined && facts.agent === undefined && facts.register === undefined) {
    throw new PolicyInputError(POLICY, [{ code: 'missing_question', path: '', message: 'ask at least one question: client (who protects it?), agent (how many active entries?) or register ({ agent, client }: may it be registered?)', received: undefined, expected: 'client, agent or register' }]);
  }
  const days = context.param('protectionDays');
  if (typeof days !== 'number' || !Number.isSafeInteger(days) || days < 1) throw new RuleGapError(POLICY, `protectionDays is ${safeJson(days)}; it must be a whole number of days ≥ 1`);
  const on = dayNumber(facts.on);
  const lastDayOf = (e: Entry, registeredOn: number): number => {
    const end = registeredOn + days - 1;
    // D-COM-5: an extension counts only when approved and ending after the original end.
    if (e.extendedUntil == null || e.extensionApprovedBy == null) return end;
    const extended = dayNumber(e.extendedUntil);
    return extended > end ? extended : end;
  };

  const clients = new Map<string, Protection | undefined>();
  if (facts.client !== undefined) clients.set(facts.client, undefined);
  if (facts.register) clients.set(facts.register.client, undefined);
  const countAgent = facts.agent;
  const registering = facts.register;
  const windowEnd = on + days - 1;
  // Day-by-day change in the registering agent's active entries over the new entry's window.
  const change = registering ? new Int32Array(days + 1) : undefined;
  let activeCount = 0;
  let alreadyProtects = false;

  // One pass over the list; only entries of the client or agent asked about cost more than two comparisons.
  const entries = facts.entries;
  for (let index = 0; index < entries.length; index++) {
    const e = entries[index]!;
    const ofClient = clients.has(e.client);
    const ofAgent = e.agent === countAgent;
    const ofRegistering = registering !== undefined && e.agent === registering.agent;
    if (!ofClient && !ofAgent && !ofRegistering) continue;
    const registeredOn = dayNumber(e.registeredOn);
    const lastDay = lastDayOf(e, registeredOn);
    const active = registeredOn <= on && on <= lastDay;
    if (active && ofClient) {
      const best = clients.get(e.client);
      if (best === undefined || registeredOn < best.registeredOn) {
        clients.set(e.client, { registeredOn, index, lastDay, clash: undefined });
      } else if (registeredOn === best.registeredOn) {
        if (e.agent !== entries[best.index]!.agent) best.clash ??= index;
        else if (lastDay > best.lastDay) {
          best.index = index;
          best.lastDay = lastDay;
        }
      }
    }
    if (active && ofAgent) activeCount++;
    if (ofRegistering) {
      if (active && e.client === registering.client) alreadyProtects = true;
      const from = Math.max(registeredOn, on);
      const to = Math.min(lastDay, windowEnd);
      if (from <= to) {
        change![from - on]! += 1;
        change![to - on + 1]! -= 1;
      }
    }
  }

  const protector = (client: string): Entry | undefined => {
    const best = clients.get(client);
    if (best === undefined) return undefined;
    if (best.clash !== undefined) {
      const [first, second] = best.index < best.clash ? [best.index, best.clash] : [best.clash, best.index];
      throw new PolicyInputError(POLICY, [
        {
          code: 'conflicting_entries',
          path: `entries[${second}].registeredOn`,
          message: `entries[${first}] and entries[${second}] register client ${safeJson(client)} for different agents on the same day, both active on ${facts.on}: the earlier registration protects a client, and neither is earlier. Correct the list`,
          received: entries[second]!.registeredOn,
          expected: 'one active registration of a client, or registrations on different days',
        },
      ]);
    }
    return entries[best.index];
  };
  const untilOf = (e: Entry): CalendarDate => {
    const registeredOn = dayNumber(e.registeredOn);
    const original = registeredOn + days - 1;
    return lastDayOf(e, registeredOn) > original ? e.extendedUntil! : addCalendarDays(e.registeredOn, days - 1);
  };

  let answers: Derived['answers'] = {};
  if (facts.client !== undefined) {
    const e = protector(facts.client);
    answers = { protectedBy: e?.agent ?? null, until: e ? untilOf(e) : null };
  }
  if (countAgent !== undefined) answers = { ...answers, activeCount };
  if (!registering) return { registerAsked: false, answers };

  let peak = 0;
  let running = 0;
  for (let day = 0; day < days; day++) {
    running += change![day]!;
    if (running > peak) peak = running;
  }
  const holder = protector(registering.client);
  return {
    registerAsked: true,
    clientProtectedByOther: holder !== undefined && holder.agent !== registering.agent,
    agentAlreadyProtects: alreadyProtects,
    agentPeakActiveCount: peak,
    answers,
  };
}

function decide(fired: readonly DecidingRule<typeof protectionEvent>[], facts: Facts, _context: PolicyContext, derivedFacts: Readonly<Record<string, unknown>>): { outcome: CommissionProtectionOutcome } {
  const derived = derivedFacts as Derived;
  const rule = firstFired(fired, POLICY, facts);
  const event = rule.definition.event;
  // Which kind of event fits depends on the facts, so only here can a custom file be caught giving the other kind.
  if (event.type !== (derived.registerAsked ? 'registration' : 'lookup')) {
    throw new RuleGapError(POLICY, `rules[${rule.index}] (${rule.name}) gives a "${event.type}" event, but ${derived.registerAsked ? 'a registration was asked about' : 'no registration was asked about'}`);
  }
  if (event.type === 'lookup') return { outcome: derived.answers };
  const params = event.params;
  if (params.canRegister) return { outcome: { ...derived.answers, canRegister: true } };
  return { outcome: { ...derived.answers, canRegister: false, refusal: params.refusal } };
}

/**
 * `commission.protection`: the client-protection list (COM-7, D-COM-4, D-COM-5, D-COM-9). Who
 * protects a client on a date and until when, how many active entries an agent holds, and whether
 * an agent may register a client. One pass over the entries, so a list of 100,000 is answered in
 * linear time.
 *
 * @example
 * commissionProtection.evaluate({
 *   entries: [{ agent: 'li', client: 'acme', registeredOn: '2026-03-01' }],
 *   on: '2026-03-30', client: 'acme', register: { agent: 'wang', client: 'acme' },
 * }).outcome;
 * //=> { protectedBy: 'li', until: '2026-03-30', canRegister: false, refusal: 'protected_by_other' }
 */
export const commissionProtection = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/commission/protection.rules.json',
  facts: declaredFacts<CommissionProtectionFacts, CommissionProtectionCheckedFacts>,
  event: protectionEvent,
  derive,
  decide,
});
