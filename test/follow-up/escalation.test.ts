import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/follow-up/escalation.rules.json' with { type: 'json' };
import type { FollowUpEscalationFacts } from '../../src/index.js';
import { evaluate, explain, FOLLOW_UP_ACTIONS, PolicyInputError, RuleGapError, RuleSetError } from '../../src/index.js';
import { eventIssuesOf } from '../helpers/rule-set-issues.js';
import { freshSchema } from '../helpers/fresh-schema.js';

const asOf = '2026-01-01';
const run = (facts: unknown, options: { rules?: unknown } = {}) => evaluate('followUp.escalation', facts as FollowUpEscalationFacts, { asOf, ...options });

const ANOMALIES = ['wrong', 'missed', 'incorrect'] as const;
// 006.5's list ends in 「等」: `other` covers the rest (amended 2026-12).
const SERVICES = ['venue', 'dining', 'room', 'fleet', 'other'] as const;

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

const EVENTS = 'expected one of "order_change", "complaint", "force_majeure", "booking_anomaly"';
const SEVERITIES = 'expected "minor" or "major"';
const refusal = (path: string, received: unknown, message: string) => ({ code: 'custom', path, message, expected: 'no value', received });
const FOR_COMPLAINT = 'it is read only for a complaint; leave it out';
const FOR_MAJOR = 'it is read only for a major complaint (FUP-4.2.4; a minor one is relayed as feedback whatever the departments did, D-FUP-1); leave it out';
const FOR_FORCE_MAJEURE = 'it is read only for force_majeure (FUP-4.2.6; the source does not say how a compensation claim is handled after any other event); leave it out';
const FOR_ANOMALY = 'it is read only for a booking_anomaly (FUP-006.5); leave it out';

// What a caller reads when the facts are refused: one row per refused fact and event, each with a
// schema built for it (the refusals are decided when the schema is built).
const REFUSALS: [string, unknown, object[]][] = [
  ['no event', {}, [{ code: 'invalid_union', path: 'event', message: `required: ${EVENTS}`, received: undefined }]],
  ['event null', { event: null }, [{ code: 'invalid_union', path: 'event', message: EVENTS, received: null }]],
  ['event "party"', { event: 'party' }, [{ code: 'invalid_union', path: 'event', message: EVENTS, received: 'party' }]],
  ['facts null', null, [{ code: 'invalid_type', path: '', message: 'expected an object', received: null }]],
  ['complaint without complaintSeverity', { event: 'complaint' }, [{ code: 'invalid_union', path: 'complaintSeverity', message: `required for a complaint: ${SEVERITIES}` }]],
  ['complaintSeverity "huge"', { event: 'complaint', complaintSeverity: 'huge' }, [{ code: 'invalid_union', path: 'complaintSeverity', message: SEVERITIES, received: 'huge' }]],
  ['major complaint without resolvedByDepartments', { event: 'complaint', complaintSeverity: 'major' }, [{ code: 'custom', path: 'resolvedByDepartments', message: 'required for a major complaint: did the departments concerned resolve it? An unknown outcome is neither resolved nor unresolved', expected: 'true or false', received: undefined }]],
  ['resolvedByDepartments "no"', { event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: 'no' }, [{ code: 'custom', path: 'resolvedByDepartments', message: 'expected true or false', expected: 'true or false', received: 'no' }]],
  ['order_change with complaintSeverity', { event: 'order_change', complaintSeverity: 'minor' }, [refusal('complaintSeverity', 'minor', `complaintSeverity does not apply to an order_change: ${FOR_COMPLAINT}`)]],
  ['order_change with resolvedByDepartments', { event: 'order_change', resolvedByDepartments: true }, [refusal('resolvedByDepartments', true, `resolvedByDepartments does not apply to an order_change: ${FOR_MAJOR}`)]],
  ['order_change with compensationRequested', { event: 'order_change', compensationRequested: false }, [refusal('compensationRequested', false, `compensationRequested does not apply to an order_change: ${FOR_FORCE_MAJEURE}`)]],
  ['order_change with anomaly', { event: 'order_change', anomaly: 'missed' }, [refusal('anomaly', 'missed', `anomaly does not apply to an order_change: ${FOR_ANOMALY}`)]],
  ['order_change with service', { event: 'order_change', service: 'room' }, [refusal('service', 'room', `service does not apply to an order_change: ${FOR_ANOMALY}`)]],
  ['minor complaint with resolvedByDepartments', { event: 'complaint', complaintSeverity: 'minor', resolvedByDepartments: false }, [refusal('resolvedByDepartments', false, `resolvedByDepartments does not apply to a minor complaint: ${FOR_MAJOR}`)]],
  ['minor complaint with compensationRequested', { event: 'complaint', complaintSeverity: 'minor', compensationRequested: true }, [refusal('compensationRequested', true, `compensationRequested does not apply to a minor complaint: ${FOR_FORCE_MAJEURE}`)]],
  ['minor complaint with anomaly', { event: 'complaint', complaintSeverity: 'minor', anomaly: 'wrong' }, [refusal('anomaly', 'wrong', `anomaly does not apply to a minor complaint: ${FOR_ANOMALY}`)]],
  ['minor complaint with service', { event: 'complaint', complaintSeverity: 'minor', service: 'fleet' }, [refusal('service', 'fleet', `service does not apply to a minor complaint: ${FOR_ANOMALY}`)]],
  ['major complaint with compensationRequested', { event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: true, compensationRequested: true }, [refusal('compensationRequested', true, `compensationRequested does not apply to a complaint: ${FOR_FORCE_MAJEURE}`)]],
  ['major complaint with anomaly', { event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: true, anomaly: 'incorrect' }, [refusal('anomaly', 'incorrect', `anomaly does not apply to a complaint: ${FOR_ANOMALY}`)]],
  ['major complaint with service', { event: 'complaint', complaintSeverity: 'major', resolvedByDepartments: true, service: 'venue' }, [refusal('service', 'venue', `service does not apply to a complaint: ${FOR_ANOMALY}`)]],
  ['force_majeure with complaintSeverity', { event: 'force_majeure', complaintSeverity: 'major' }, [refusal('complaintSeverity', 'major', `complaintSeverity does not apply to force_majeure: ${FOR_COMPLAINT}`)]],
  ['force_majeure with resolvedByDepartments', { event: 'force_majeure', resolvedByDepartments: false }, [refusal('resolvedByDepartments', false, `resolvedByDepartments does not apply to force_majeure: ${FOR_MAJOR}`)]],
  ['force_majeure with anomaly', { event: 'force_majeure', anomaly: 'missed' }, [refusal('anomaly', 'missed', `anomaly does not apply to force_majeure: ${FOR_ANOMALY}`)]],
  ['force_majeure with service', { event: 'force_majeure', service: 'dining' }, [refusal('service', 'dining', `service does not apply to force_majeure: ${FOR_ANOMALY}`)]],
  ['booking_anomaly with complaintSeverity', { event: 'booking_anomaly', anomaly: 'missed', service: 'room', complaintSeverity: 'minor' }, [refusal('complaintSeverity', 'minor', `complaintSeverity does not apply to a booking_anomaly: ${FOR_COMPLAINT}`)]],
  ['booking_anomaly with resolvedByDepartments', { event: 'booking_anomaly', anomaly: 'missed', service: 'room', resolvedByDepartments: true }, [refusal('resolvedByDepartments', true, `resolvedByDepartments does not apply to a booking_anomaly: ${FOR_MAJOR}`)]],
  ['booking_anomaly with compensationRequested', { event: 'booking_anomaly', anomaly: 'missed', service: 'room', compensationRequested: true }, [refusal('compensationRequested', true, `compensationRequested does not apply to a booking_anomaly: ${FOR_FORCE_MAJEURE}`)]],
  ['anomaly "lost", service "spa"', { event: 'booking_anomaly', anomaly: 'lost', service: 'spa' }, [
    { code: 'invalid_value', path: 'anomaly', message: 'expected one of "wrong", "missed", "incorrect"', received: 'lost' },
    { code: 'invalid_value', path: 'service', message: 'expected one of "venue", "dining", "room", "fleet", "other"', received: 'spa' },
  ]],
];

describe('followUp.escalation refusals', () => {
  it.each(REFUSALS)('%s', (_name, facts, issues) => {
    const error = (() => {
      try {
        evaluate('followUp.escalation', facts as FollowUpEscalationFacts, freshSchema({ asOf }));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PolicyInputError);
    expect((error as PolicyInputError).issues).toEqual(issues.map((issue) => expect.objectContaining(issue)));
  });

  it('accepts every anomaly on every service, each with a schema built for it', () => {
    for (const anomaly of ANOMALIES) {
      for (const service of SERVICES) {
        const { outcome } = evaluate('followUp.escalation', { event: 'booking_anomaly', anomaly, service }, freshSchema({ asOf }));
        expect(outcome.actions.length, `${anomaly} ${service}`).toBeGreaterThan(0);
      }
    }
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
    expect(() => run({ event: 'order_change' }, { rules: empty })).toThrow(RuleSetError);
    const unknown = structuredClone(rules);
    unknown.rules[0]!.event.params.actions = ['call_the_police'];
    expect(() => run({ event: 'order_change' }, { rules: unknown })).toThrow(/call_the_police/);
    expect(() => run({ event: 'order_change' }, { rules: unknown })).toThrow(RuleSetError);
    const gap = structuredClone(rules);
    gap.rules = gap.rules.filter((rule) => rule.name !== 'FUP-4.2.3');
    expect(() => run({ event: 'order_change' }, { rules: gap })).toThrow(RuleGapError);
  });

  it('says which rule of custom rules is wrong, and how', () => {
    const empty = structuredClone(rules);
    empty.rules[0]!.event.params.actions = [];
    expect(eventIssuesOf(() => run({ event: 'order_change' }, { rules: empty }))).toEqual([['rules[0].event.params.actions', 'too small: at least 1 (received [])']]);
    const noParams = structuredClone(rules) as { rules: { event: { params?: unknown } }[] };
    delete noParams.rules[0]!.event.params;
    expect(eventIssuesOf(() => run({ event: 'order_change' }, { rules: noParams }))).toEqual([['rules[0].event.params', 'required: expected an object']]);
    const notText = structuredClone(rules) as { rules: { event: { params: { actions: unknown[]; owner?: unknown } } }[] };
    notText.rules[0]!.event.params.actions = [42];
    notText.rules[0]!.event.params.owner = 'manager';
    expect(eventIssuesOf(() => run({ event: 'order_change' }, { rules: notText }))).toEqual([
      ['rules[0].event.params.actions[0]', `expected one of ${FOLLOW_UP_ACTIONS.map((action) => JSON.stringify(action)).join(', ')} (received 42)`],
      ['rules[0].event.params.owner', 'expected one of "order_taker" (received "manager")'],
    ]);
    const gap = structuredClone(rules);
    gap.rules = gap.rules.filter((rule) => rule.name !== 'FUP-4.2.3');
    expect(() => run({ event: 'order_change' }, { rules: gap })).toThrow('no rule gives an action for these facts: {"event":"order_change"}');
  });

  it('lists an action given twice once, where it first appears', () => {
    const twice = structuredClone(rules);
    twice.rules[0]!.event.params.actions = ['notify_departments', 'report_handling_to_departments', 'notify_departments'];
    expect(run({ event: 'order_change' }, { rules: twice }).outcome.actions).toEqual(['notify_departments', 'report_handling_to_departments']);
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
    expect(evaluate('followUp.escalation', { event: 'order_change' }, { asOf }).outcome.actions[0]).toBe('notify_all_departments');
  });
});
