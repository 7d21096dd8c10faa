// commission.protection in detail: examples at the edges of D-COM-4, D-COM-5 and D-COM-9, the
// errors a caller or an analyst reads, and defective custom rules (also for commission.conduct).
import { describe, expect, it } from 'vitest';
import conductRules from '../../rules/commission/conduct.rules.json' with { type: 'json' };
import bundled from '../../rules/commission/protection.rules.json' with { type: 'json' };
import { addCalendarDays } from '../../src/core/dates.js';
import type { CommissionProtectionFacts, CommissionProtectionOutcome, InputIssue } from '../../src/index.js';
import { evaluate, PolicyInputError, RuleGapError } from '../../src/index.js';
import { eventIssuesOf } from '../helpers/rule-set-issues.js';

const AS_OF = '2026-01-01';
const D = '2026-03-01';
const day = (offset: number) => addCalendarDays(D, offset);
const protection = (facts: CommissionProtectionFacts, rules?: unknown): CommissionProtectionOutcome =>
  evaluate('commission.protection', facts, { asOf: AS_OF, ...(rules === undefined ? {} : { rules }) }).outcome;
const issuesOf = (facts: CommissionProtectionFacts): readonly InputIssue[] => {
  try {
    protection(facts);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyInputError);
    return (error as PolicyInputError).issues;
  }
  return expect.unreachable('no input error');
};
/** `count` entries of agent li for clients c0, c1, …, all registered on one date. */
const entriesOf = (count: number, registeredOn: string, prefix = 'c') => Array.from({ length: count }, (_, i) => ({ agent: 'li', client: `${prefix}${i}`, registeredOn }));

describe('commission.protection examples', () => {
  it('asking no question is an input error that lists the three questions', () => {
    expect(issuesOf({ entries: [], on: D })).toEqual([
      {
        code: 'missing_question',
        path: '',
        message: 'ask at least one question: client (who protects it?), agent (how many active entries?) or register ({ agent, client }: may it be registered?)',
        received: undefined,
        expected: 'client, agent or register',
      },
    ]);
  });

  it('D-COM-5: an extension to day 40 without approval is ignored: protected through day 29, not on day 30', () => {
    const entries = [{ agent: 'li', client: 'acme', registeredOn: D, extendedUntil: day(40) }];
    expect(protection({ entries, on: day(29), client: 'acme' })).toEqual({ protectedBy: 'li', until: day(29) });
    expect(protection({ entries, on: day(30), client: 'acme' })).toEqual({ protectedBy: null, until: null });
  });

  it('D-COM-5: an approval without extendedUntil changes nothing: protected for 30 days', () => {
    const entries = [{ agent: 'li', client: 'acme', registeredOn: D, extensionApprovedBy: 'director' }];
    expect(protection({ entries, on: day(29), client: 'acme' })).toEqual({ protectedBy: 'li', until: day(29) });
    expect(protection({ entries, on: day(30), client: 'acme' })).toEqual({ protectedBy: null, until: null });
  });

  it('an approved extension of one day past the original end protects through day 30', () => {
    const entries = [{ agent: 'li', client: 'acme', registeredOn: D, extendedUntil: day(30), extensionApprovedBy: 'director' }];
    expect(protection({ entries, on: day(30), client: 'acme' })).toEqual({ protectedBy: 'li', until: day(30) });
    expect(protection({ entries, on: day(31), client: 'acme' })).toEqual({ protectedBy: null, until: null });
  });

  const plain = { agent: 'li', client: 'acme', registeredOn: D };
  const extended = { ...plain, extendedUntil: day(45), extensionApprovedBy: 'director' };
  it.each([
    ['plain entry first', [plain, extended]],
    ['extended entry first', [extended, plain]],
  ])('one agent registering a client twice on one day is no conflict; the longer entry counts (%s)', (_name, entries) => {
    expect(protection({ entries, on: day(10), client: 'acme' })).toEqual({ protectedBy: 'li', until: day(45) });
  });

  it('two agents registering one client on one day is a conflict naming both entries', () => {
    expect(issuesOf({ entries: [plain, { agent: 'wang', client: 'acme', registeredOn: D }], on: day(3), client: 'acme' })).toEqual([
      {
        code: 'conflicting_entries',
        path: 'entries[1].registeredOn',
        message: `entries[0] and entries[1] register client "acme" for different agents on the same day, both active on ${day(3)}: the earlier registration protects a client, and neither is earlier. Correct the list`,
        received: D,
        expected: 'one active registration of a client, or registrations on different days',
      },
    ]);
  });

  it('the conflict names the entries in list order when the longer entry of the first agent comes last', () => {
    const issues = issuesOf({ entries: [plain, { agent: 'wang', client: 'acme', registeredOn: D }, extended], on: day(3), client: 'acme' });
    expect(issues.map((issue) => [issue.path, issue.message.slice(0, 31)])).toEqual([['entries[2].registeredOn', 'entries[1] and entries[2] regis']]);
  });

  it('the conflict names the first two entries when the first agent registered the client twice', () => {
    const issues = issuesOf({ entries: [plain, { agent: 'wang', client: 'acme', registeredOn: D }, plain], on: day(3), client: 'acme' });
    expect(issues.map((issue) => [issue.path, issue.message.slice(0, 31)])).toEqual([['entries[1].registeredOn', 'entries[0] and entries[1] regis']]);
  });

  it('D-COM-9: 20 entries starting on the last day of the new entry fill the list: list_full', () => {
    expect(protection({ entries: entriesOf(20, day(29)), on: D, register: { agent: 'li', client: 'acme' } })).toEqual({ canRegister: false, refusal: 'list_full' });
  });

  it('D-COM-9: 20 entries starting the day after the new entry ends leave room', () => {
    expect(protection({ entries: entriesOf(20, day(30)), on: D, register: { agent: 'li', client: 'acme' } })).toEqual({ canRegister: true });
  });

  it('D-COM-9: 10 entries ending on day 5 and 10 starting on day 5 make 20 on day 5: list_full', () => {
    const entries = [...entriesOf(10, day(5 - 29), 'old'), ...entriesOf(10, day(5), 'new')];
    expect(protection({ entries, on: D, register: { agent: 'li', client: 'acme' } })).toEqual({ canRegister: false, refusal: 'list_full' });
  });

  it('D-COM-9: 19 entries ending on day 5 and 19 starting on day 6 never make 20: may register', () => {
    const entries = [...entriesOf(19, day(5 - 29), 'old'), ...entriesOf(19, day(6), 'new')];
    expect(protection({ entries, on: D, register: { agent: 'li', client: 'acme' } })).toEqual({ canRegister: true });
  });
});

type Rules = { parameters: { values: Record<string, number> }[]; rules: { priority: number; event: { type: string; params?: Record<string, unknown> } }[] };
const custom = (change: (rules: Rules) => void) => {
  const rules = structuredClone(bundled) as unknown as Rules;
  change(rules);
  return rules;
};
const gapOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleGapError);
    return (error as Error).message;
  }
  return expect.unreachable('no RuleGapError');
};

describe('commission.protection with custom rules', () => {
  const taken = { entries: [{ agent: 'li', client: 'acme', registeredOn: D }], on: D, client: 'acme' };

  it('protectionDays 1: an entry protects on its registration day only', () => {
    const rules = custom((r) => (r.parameters[0]!.values['protectionDays'] = 1));
    expect(protection(taken, rules)).toEqual({ protectedBy: 'li', until: D });
    expect(protection({ ...taken, on: day(1) }, rules)).toEqual({ protectedBy: null, until: null });
  });

  it.each([0, -3])('protectionDays %s is a RuleGapError', (days) => {
    const rules = custom((r) => (r.parameters[0]!.values['protectionDays'] = days));
    expect(gapOf(() => protection(taken, rules))).toBe(`commission.protection: protectionDays is ${days}; it must be a whole number of days ≥ 1`);
  });

  const indexOf = (priority: number) => bundled.rules.findIndex((rule) => rule.priority === priority);
  it('a registration rule giving a lookup event is a RuleGapError: which kind fits depends on the facts', () => {
    const rules = custom((r) => (r.rules[indexOf(40)]!.event = { type: 'lookup' }));
    expect(gapOf(() => protection({ ...taken, register: { agent: 'wang', client: 'acme' } }, rules))).toBe(`commission.protection: rules[${indexOf(40)}] (COM-7) gives a "lookup" event, but a registration was asked about`);
  });

  it('the lookup rule giving a registration event is a RuleGapError', () => {
    const rules = custom((r) => (r.rules[indexOf(1)]!.event = { type: 'registration', params: { canRegister: true } }));
    expect(gapOf(() => protection(taken, rules))).toBe(`commission.protection: rules[${indexOf(1)}] (COM-7) gives a "registration" event, but no registration was asked about`);
  });

  it('a registration event without params is refused at load', () => {
    const rules = custom((r) => delete r.rules[indexOf(40)]!.event.params);
    expect(eventIssuesOf(() => protection(taken, rules))).toEqual([[`rules[${indexOf(40)}].event.params`, 'required: expected an object']]);
  });

  it('canRegister that is not a boolean is refused at load', () => {
    const rules = custom((r) => (r.rules[indexOf(40)]!.event.params = { canRegister: 'no', refusal: 'protected_by_other' }));
    expect(eventIssuesOf(() => protection(taken, rules))).toEqual([[`rules[${indexOf(40)}].event.params.canRegister`, 'expected one of true, false (received "no")']]);
  });

  it('a refusal without its reason, or a lookup with params, is refused at load', () => {
    const rules = custom((r) => {
      r.rules[indexOf(40)]!.event.params = { canRegister: false };
      r.rules[indexOf(1)]!.event.params = { canRegister: true };
    });
    expect(eventIssuesOf(() => protection(taken, rules))).toEqual([
      [`rules[${indexOf(40)}].event.params.refusal`, 'required: expected one of "protected_by_other", "already_registered", "list_full"'],
      [`rules[${indexOf(1)}].event.params.canRegister`, 'unknown field "canRegister" (received true)'],
    ]);
  });
});

describe('commission.conduct with custom rules', () => {
  it('a rule whose violation is not a boolean is refused at load', () => {
    const rules = structuredClone(conductRules) as unknown as { rules: { event: { params: Record<string, unknown> } }[] };
    rules.rules[0]!.event.params = { violation: 'yes' };
    const facts = { jointReception: true, newClientArrived: true, enoughStaffFree: true, splitOff: true };
    expect(eventIssuesOf(() => evaluate('commission.conduct', facts, { asOf: AS_OF, rules }))).toEqual([['rules[0].event.params.violation', 'expected boolean (received "yes")']]);
  });

  it('a rule without params is refused at load', () => {
    const rules = structuredClone(conductRules) as unknown as { rules: { event: { params?: Record<string, unknown> } }[] };
    delete rules.rules[0]!.event.params;
    const facts = { jointReception: true, newClientArrived: true, enoughStaffFree: true, splitOff: true };
    expect(eventIssuesOf(() => evaluate('commission.conduct', facts, { asOf: AS_OF, rules }))).toEqual([['rules[0].event.params', 'required: expected an object']]);
  });
});
