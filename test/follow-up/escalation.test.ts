import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/follow-up/escalation.rules.json' with { type: 'json' };
import type { FollowUpEscalationFacts } from '../../src/index.js';
import { evaluate, explain, FOLLOW_UP_ACTIONS, PolicyInputError, RuleGapError } from '../../src/index.js';

const asOf = '2026-01-01';
const run = (facts: unknown, options: { rules?: unknown } = {}) => evaluate('followUp.escalation', facts as FollowUpEscalationFacts, { asOf, ...options });

const ANOMALIES = ['wrong', 'missed', 'incorrect'] as const;
const SERVICES = ['venue', 'dining', 'room', 'fleet'] as const;

/** Every valid combination of facts, each with only the facts its event reads. */
const validFacts = fc.oneof(
  fc.constant({ event: 'order_change' as const }),
  fc.constant({ event: 'complaint' as const, complaintSeverity: 'minor' as const }),
  fc.record({ event: fc.constant('complaint' as const), complaintSeverity: fc.constant('major' as const), resolvedByDepartments: fc.boolean() }),
  fc.record({ event: fc.constant('force_majeure' as const), compensationRequested: fc.boolean() }, { requiredKeys: ['event'] }),
  fc.record({ event: fc.constant('booking_anomaly' as const), anomaly: fc.constantFrom(...ANOMALIES), service: fc.constantFrom(...SERVICES) }),
);

const OPTIONAL_FACTS = ['complaintSeverity', 'resolvedByDepartments', 'compensationRequested', 'anomaly', 'service'] as const;

/** The facts each kind of event reads; any other is refused. */
function readsFact(facts: Record<string, unknown>, fact: string): boolean {
  switch (facts['event']) {
    case 'complaint':
      return fact === 'complaintSeverity' || (fact === 'resolvedByDepartments' && facts['complaintSeverity'] === 'major');
    case 'force_majeure':
      return fact === 'compensationRequested';
    case 'booking_anomaly':
      return fact === 'anomaly' || fact === 'service';
    default:
      return false;
  }
}

const shouldEscalate = (facts: Record<string, unknown>) =>
  (facts['event'] === 'complaint' && facts['complaintSeverity'] === 'major' && facts['resolvedByDepartments'] === false) ||
  (facts['event'] === 'force_majeure' && facts['compensationRequested'] === true);

describe('followUp.escalation properties (SPEC §3)', () => {
  it('every outcome has at least one action, none twice, each a known action', () => {
    fc.assert(fc.property(validFacts, (facts) => {
      const { actions } = run(facts).outcome;
      return actions.length >= 1 && new Set(actions).size === actions.length && actions.every((a) => (FOLLOW_UP_ACTIONS as readonly string[]).includes(a));
    }));
  });

  it('escalate_to_gm_office appears only for an unresolved major complaint or a compensation request, and always then', () => {
    fc.assert(fc.property(validFacts, (facts) => run(facts).outcome.actions.includes('escalate_to_gm_office') === shouldEscalate(facts)));
  });

  it('escalation comes last, after the actions of the same clause', () => {
    fc.assert(fc.property(validFacts, (facts) => {
      const { actions } = run(facts).outcome;
      const at = actions.indexOf('escalate_to_gm_office');
      return at === -1 || at === actions.length - 1;
    }));
  });

  it('the owner is always order_taker', () => {
    fc.assert(fc.property(validFacts, (facts) => run(facts).outcome.owner === 'order_taker'));
  });

  it('rests on the one clause of its event', () => {
    const clause = { order_change: 'FUP-4.2.3', complaint: 'FUP-4.2.4', force_majeure: 'FUP-4.2.6', booking_anomaly: 'FUP-006.5' } as const;
    fc.assert(fc.property(validFacts, (facts) => JSON.stringify(run(facts).basis) === JSON.stringify([clause[facts.event]])));
  });

  it('refuses any fact the event does not read, naming it', () => {
    fc.assert(fc.property(validFacts, fc.constantFrom(...OPTIONAL_FACTS), fc.jsonValue(), (facts, fact, value) => {
      fc.pre(!readsFact(facts, fact));
      try {
        run({ ...facts, [fact]: value });
        return false;
      } catch (error) {
        return error instanceof PolicyInputError && JSON.stringify(error.issues.map((issue) => issue.path)) === JSON.stringify([fact]);
      }
    }));
  });

  it('refuses a missing required fact, naming it', () => {
    const required = fc.constantFrom(
      [{ event: 'complaint' }, 'complaintSeverity'],
      [{ event: 'complaint', complaintSeverity: 'major' }, 'resolvedByDepartments'],
      [{ event: 'booking_anomaly', service: 'room' }, 'anomaly'],
      [{ event: 'booking_anomaly', anomaly: 'missed' }, 'service'],
      [{}, 'event'],
    ) as fc.Arbitrary<[Record<string, unknown>, string]>;
    fc.assert(fc.property(required, ([facts, missing]) => {
      try {
        run(facts);
        return false;
      } catch (error) {
        return error instanceof PolicyInputError && error.issues.length === 1 && error.issues[0]!.path === missing && error.issues[0]!.received === undefined;
      }
    }));
  });

  it('says why resolvedByDepartments is required, and why an irrelevant fact is refused', () => {
    expect(() => run({ event: 'complaint', complaintSeverity: 'major' })).toThrow(/unknown outcome is neither resolved nor unresolved/);
    expect(() => run({ event: 'complaint', complaintSeverity: 'minor', resolvedByDepartments: false })).toThrow(/resolvedByDepartments does not apply to a minor complaint/);
  });
});

describe('followUp.escalation data', () => {
  it('labels every action a rule gives, and the owner, in English and Chinese', () => {
    const labels: Record<string, { en: string; zh: string }> = rules.labels.actions;
    for (const rule of rules.rules) {
      for (const action of rule.event.params.actions) {
        expect(labels[action]?.en, `${action}.en`).toMatch(/\S/);
        expect(labels[action]?.zh, `${action}.zh`).toMatch(/\p{Script=Han}/u);
      }
    }
    expect(Object.keys(labels).sort()).toEqual([...FOLLOW_UP_ACTIONS].sort());
  });

  it('explain renders the actions, in order, in the language asked for', () => {
    const decision = run({ event: 'force_majeure', compensationRequested: true });
    expect(explain(decision, { lang: 'zh' })).toContain(
      'actions = notify_guest_immediately (立即通知客人) → explain_and_seek_understanding (做好解释工作,尽量与客人达成谅解) → escalate_to_gm_office (尽快向总经理室请示处理)',
    );
    expect(explain(decision, { lang: 'en' })).toContain('escalate_to_gm_office (Refer it to the General Manager');
  });

  it('takes the actions and their order from the rules file', () => {
    const custom = structuredClone(rules);
    custom.rules[0]!.event.params.actions = ['report_handling_to_departments', 'notify_departments'];
    expect(run({ event: 'order_change' }, { rules: custom }).outcome.actions).toEqual(['report_handling_to_departments', 'notify_departments']);
  });

  it('refuses custom rules that give no action, an unknown action, or none for an event', () => {
    const empty = structuredClone(rules);
    empty.rules[0]!.event.params.actions = [];
    expect(() => run({ event: 'order_change' }, { rules: empty })).toThrow(RuleGapError);
    const unknown = structuredClone(rules);
    unknown.rules[0]!.event.params.actions = ['call_the_police'];
    expect(() => run({ event: 'order_change' }, { rules: unknown })).toThrow(/call_the_police/);
    const gap = structuredClone(rules);
    gap.rules = gap.rules.filter((rule) => rule.name !== 'FUP-4.2.3');
    expect(() => run({ event: 'order_change' }, { rules: gap })).toThrow(RuleGapError);
  });
});

describe('followUp.escalation types', () => {
  it('make the table’s required and refused facts compile-time errors too', () => {
    const typed = (facts: FollowUpEscalationFacts) => facts;
    typed({ event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: true });
    typed({ event: 'force_majeure' });
    // @ts-expect-error resolvedByDepartments is required for a major complaint
    typed({ event: 'complaint', complaintSeverity: 'major' });
    // @ts-expect-error compensationRequested does not apply to a complaint
    typed({ event: 'complaint', complaintSeverity: 'minor', compensationRequested: true });
    // @ts-expect-error service is required for a booking anomaly
    typed({ event: 'booking_anomaly', anomaly: 'missed' });
    expect(evaluate('followUp.escalation', { event: 'order_change' }, { asOf }).outcome.actions[0]).toBe('notify_departments');
  });
});
