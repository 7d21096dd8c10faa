// commission.allocation in detail: the exact input issues a caller reads, the RuleSetErrors (at
// load) and RuleGapErrors (what only the facts settle) an analyst reads when a custom rules file is
// defective, and the D-COM-2 split at its edges.
import { describe, expect, it } from 'vitest';
import bundled from '../../rules/commission/allocation.rules.json' with { type: 'json' };
import { splitPool } from '../../src/commission/pool-split.js';
import { splitPoolDecimal } from '../helpers/pool-split-decimal.js';
import type { CommissionAllocationFacts, InputIssue } from '../../src/index.js';
import { evaluate, PolicyInputError, RuleGapError, RuleSetError } from '../../src/index.js';

const AS_OF = { asOf: '2026-01-01' };
const lease: CommissionAllocationFacts = { pool: '100', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['wang'], closer: 'wang', receivingAgents: ['wang'], protectedBy: null };

const issuesOf = (facts: unknown): readonly InputIssue[] => {
  try {
    evaluate('commission.allocation', facts as CommissionAllocationFacts, AS_OF);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyInputError);
    return (error as PolicyInputError).issues;
  }
  return expect.unreachable('no input error');
};

describe('commission.allocation input issues', () => {
  it('a lease without closer, receivingAgents and protectedBy: one issue each, saying what is needed', () => {
    expect(issuesOf({ pool: 1, kind: 'lease', handlers: [] })).toEqual([
      { code: 'invalid_type', path: 'closer', message: 'required for a lease: the agent who closed', received: undefined, expected: 'an agent id' },
      { code: 'invalid_type', path: 'receivingAgents', message: 'required for a lease: every agent who received or introduced the client', received: undefined, expected: 'a list of agent ids' },
      {
        code: 'invalid_type',
        path: 'protectedBy',
        message: 'required for a lease: the agent whose protection entry covered the client on the closing date, or null when none did',
        received: undefined,
        expected: 'an agent id or null',
      },
    ]);
  });

  it('an add-on without originalAgents: invalid_type, naming the add-on', () => {
    expect(issuesOf({ pool: 1, kind: 'add_on', handlers: [] })).toEqual([
      { code: 'invalid_type', path: 'originalAgents', message: 'required for an add-on: at least one agent who closed the earlier deal or took the intent', received: undefined, expected: 'a list of at least one agent id' },
    ]);
  });

  it('an intent with an empty originalAgents: too_small, naming the intent', () => {
    expect(issuesOf({ pool: 1, kind: 'intent', handlers: [], originalAgents: [] })).toEqual([
      { code: 'too_small', path: 'originalAgents', message: 'required for an intent: at least one agent who closed the earlier deal or took the intent', received: [], expected: 'a list of at least one agent id' },
    ]);
  });

  it('an original agent listed twice is refused at its second place, pointing at the first', () => {
    expect(issuesOf({ pool: 1, kind: 'add_on', handlers: [], originalAgents: ['li', 'wang', 'li'], originalAgentsActive: true })).toEqual([
      { code: 'invalid_value', path: 'originalAgents[2]', message: '"li" is already listed at originalAgents[0]: list each agent once', received: 'li', expected: 'an agent not listed before' },
    ]);
  });
});

describe('commission.allocation: the referrer among the receiving agents', () => {
  const delegated = { referrerAgent: 'li', referrerAgentContacted: true, referrerAgentPresent: false, notifiedReferrerAgent: true, delegatedToCloser: true, referrerChoice: 'all' as const };

  it('COM-9: a delegated referral whose referrer li is also listed as a receiving agent: li 100%', () => {
    const decision = evaluate('commission.allocation', { ...lease, referral: delegated, receivingAgents: ['wang', 'li'] }, AS_OF);
    expect(decision.outcome).toEqual({ status: 'allocated', shares: [{ agent: 'li', percent: 100, amount: '100.00' }] });
    expect(decision.basis).toEqual(['COM-9']);
  });

  it('COM-14: a third agent zhao received the client in that referral: Leasing Manager rules', () => {
    expect(evaluate('commission.allocation', { ...lease, referral: delegated, receivingAgents: ['wang', 'li', 'zhao'] }, AS_OF).outcome).toEqual({ status: 'needs_ruling', by: 'leasing_manager' });
  });
});

type Params = Record<string, unknown>;
/** The bundled rules with one rule's event params replaced (and parameters overridden). */
const withParams = (name: string, priority: number, params: Params, values: Record<string, number> = {}) => {
  const rules = structuredClone(bundled) as unknown as { parameters: { values: Record<string, number> }[]; rules: { name: string; priority: number; event: { params: Params } }[] };
  const rule = rules.rules.find((r) => r.name === name && r.priority === priority)!;
  rule.event.params = params;
  Object.assign(rules.parameters[0]!.values, values);
  return rules;
};
const PLAIN = ['COM-4', 50] as const;
const gapOf = (facts: CommissionAllocationFacts, rules: unknown): string => {
  try {
    evaluate('commission.allocation', facts, { ...AS_OF, rules });
  } catch (error) {
    expect(error).toBeInstanceOf(RuleGapError);
    return (error as Error).message;
  }
  return expect.unreachable('no RuleGapError');
};

const loadIssuesOf = (rules: unknown): [string, string][] => {
  try {
    evaluate('commission.allocation', lease, { ...AS_OF, rules });
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return (error as RuleSetError).issues.map((issue) => {
      expect(issue).toMatchObject({ code: 'invalid_event', file: 'options.rules' });
      return [issue.path, issue.message];
    });
  }
  return expect.unreachable('no RuleSetError');
};

const ROLES = '"closer", "protector", "referrer", "handlers", "originalAgents"';

describe('commission.allocation: a custom rules file whose event params do not fit is refused at load, with the JSON path', () => {
  const plainIndex = bundled.rules.findIndex((rule) => rule.name === 'COM-4' && rule.priority === 50);
  const at = (path: string) => `rules[${plainIndex}].event.params${path}`;

  it.each<[string, Params | undefined, [string, string][]]>([
    ['no params', undefined, [[at(''), 'required: expected an object']]],
    ['no status', {}, [[at('.status'), 'expected one of "allocated", "no_commission", "needs_ruling", "invalid"']]],
    ['an unknown status', { status: 'paid' }, [[at('.status'), 'expected one of "allocated", "no_commission", "needs_ruling", "invalid" (received "paid")']]],
    ['no shares', { status: 'allocated' }, [[at('.shares'), 'required: expected a list']]],
    ['an empty shares list', { status: 'allocated', shares: [] }, [[at('.shares'), 'too small: at least 1 (received [])']]],
    ['a share that is null', { status: 'allocated', shares: [null] }, [[at('.shares[0]'), 'expected an object (received null)']]],
    ['a share that is a string', { status: 'allocated', shares: ['closer'] }, [[at('.shares[0]'), 'expected an object (received "closer")']]],
    ['a share with an unknown key', { status: 'allocated', shares: [{ role: 'closer', percent: 100, note: 'x' }] }, [[at('.shares[0].note'), 'unknown field "note" (received "x")']]],
    [
      'a share with two unknown keys',
      { status: 'allocated', shares: [{ role: 'closer', percent: 100, note: 'x', weight: 1 }] },
      [
        [at('.shares[0].note'), 'unknown field "note" (received "x")'],
        [at('.shares[0].weight'), 'unknown field "weight" (received 1)'],
      ],
    ],
    ['a role given as a list', { status: 'allocated', shares: [{ role: ['closer'], percent: 100 }] }, [[at('.shares[0].role'), `expected one of ${ROLES} (received ["closer"])`]]],
    ['a group role given as a list', { status: 'allocated', shares: [{ role: ['handlers'], percentEach: 100 }] }, [[at('.shares[0].role'), `expected one of ${ROLES} (received ["handlers"])`]]],
    ['an unknown role', { status: 'allocated', shares: [{ role: 'boss', percent: 100 }] }, [[at('.shares[0].role'), `expected one of ${ROLES} (received "boss")`]]],
    [
      'a group given percent',
      { status: 'allocated', shares: [{ role: 'handlers', percent: 100 }] },
      [
        [at('.shares[0].percent'), 'role handlers is a group: give "percentEach", not "percent" (received 100)'],
        [at('.shares[0].percentEach'), 'role handlers is a group: "percentEach" is required'],
      ],
    ],
    [
      'one agent given percentEach',
      { status: 'allocated', shares: [{ role: 'closer', percentEach: 100 }] },
      [
        [at('.shares[0].percentEach'), 'role closer is one agent: give "percent", not "percentEach" (received 100)'],
        [at('.shares[0].percent'), 'role closer is one agent: "percent" is required'],
      ],
    ],
    ['a percent that is not a number (NaN)', { status: 'allocated', shares: [{ role: 'closer', percent: Number.NaN }] }, [[at('.shares[0].percent'), 'expected number (received null)']]],
    ['a percent of 0', { status: 'allocated', shares: [{ role: 'closer', percent: 0 }] }, [[at('.shares[0].percent'), 'a percent must be above 0 and at most 100 (received 0)']]],
    ['a percent of 101', { status: 'allocated', shares: [{ role: 'closer', percent: 101 }] }, [[at('.shares[0].percent'), 'a percent must be above 0 and at most 100 (received 101)']]],
    ['a percent as a string', { status: 'allocated', shares: [{ role: 'closer', percent: '100' }] }, [[at('.shares[0].percent'), 'expected number (received "100")']]],
    ['a group percentEach of -50', { status: 'allocated', shares: [{ role: 'handlers', percentEach: -50 }] }, [[at('.shares[0].percentEach'), 'a percent must be above 0 and at most 100 (received -50)']]],
    [
      'single shares that add up to 90%',
      { status: 'allocated', shares: [{ role: 'closer', percent: 50 }, { role: 'referrer', percent: 40 }] },
      [[at('.shares'), 'the shares add up to 90%, not 100% (received [{"role":"closer","percent":50},{"role":"referrer","percent":40}])']],
    ],
    ['an empty basis', { status: 'allocated', shares: [{ role: 'closer', percent: 100 }], basis: [] }, [[at('.basis'), 'too small: at least 1 (received [])']]],
    ['a basis with an empty id', { status: 'allocated', shares: [{ role: 'closer', percent: 100 }], basis: ['COM-4', ''] }, [[at('.basis[1]'), 'too small: at least 1 (received "")']]],
    ['a basis with a number', { status: 'allocated', shares: [{ role: 'closer', percent: 100 }], basis: [4] }, [[at('.basis[0]'), 'expected string (received 4)']]],
    ['a basis with a list in it', { status: 'allocated', shares: [{ role: 'closer', percent: 100 }], basis: [['COM-4']] }, [[at('.basis[0]'), 'expected string (received ["COM-4"])']]],
    ['a basis that is a string', { status: 'allocated', shares: [{ role: 'closer', percent: 100 }], basis: 'COM-4' }, [[at('.basis'), 'expected a list (received "COM-4")']]],
    ['invalid without violations', { status: 'invalid' }, [[at('.violations'), 'required: expected a list']]],
    ['an empty violations list', { status: 'invalid', violations: [] }, [[at('.violations'), 'too small: at least 1 (received [])']]],
    ['violations with a number', { status: 'invalid', violations: ['COM-6', 6] }, [[at('.violations[1]'), 'expected string (received 6)']]],
    ['violations that are a string', { status: 'invalid', violations: 'COM-6' }, [[at('.violations'), 'expected a list (received "COM-6")']]],
    ['needs_ruling by an unknown authority', { status: 'needs_ruling', by: 'ceo' }, [[at('.by'), 'expected one of "leasing_manager", "leasing_director", "referrer_agent" (received "ceo")']]],
    ['followUpBy a group', { status: 'no_commission', followUpBy: 'handlers' }, [[at('.followUpBy'), 'expected one of "closer", "protector", "referrer" (received "handlers")']]],
  ])('%s', (_name, params, issues) => {
    expect(loadIssuesOf(withParams(...PLAIN, params as Params))).toEqual(issues);
  });
});

describe('commission.allocation: what only the facts settle stays a RuleGapError that says what is wrong', () => {
  const at = (index: number) => `commission.allocation: rules[${index}] (COM-4): `;
  const plainIndex = bundled.rules.findIndex((rule) => rule.name === 'COM-4' && rule.priority === 50);

  it.each<[string, Params, string]>([
    ['a group the facts leave empty', { status: 'allocated', shares: [{ role: 'originalAgents', percentEach: 100 }] }, 'event.params.shares[0]: the facts name no originalAgents'],
    ['one agent paid twice', { status: 'allocated', shares: [{ role: 'closer', percent: 50 }, { role: 'handlers', percentEach: 50 }] }, 'pays one agent more than one share (wang, wang)'],
    ['followUpBy a referrer the facts do not name', { status: 'no_commission', followUpBy: 'referrer' }, 'followUpBy referrer, but the facts name no referrer'],
  ])('%s', (_name, params, message) => {
    expect(gapOf(lease, withParams(...PLAIN, params))).toBe(at(plainIndex) + message);
  });

  it('shares for more agents than maxHandlers: names both numbers', () => {
    const facts = { ...lease, originalAgents: ['li', 'zhao'] };
    const rules = withParams(...PLAIN, { status: 'allocated', shares: [{ role: 'closer', percent: 50 }, { role: 'originalAgents', percentEach: 25 }] });
    expect(gapOf(facts, rules)).toBe(`${at(plainIndex)}shares the commission among 3 agents; at most 2 (maxHandlers) may share`);
  });

  it('fractional shares that do not reach 100%: the total is given as a decimal, 99.8', () => {
    const facts = { ...lease, originalAgents: ['li', 'zhao'] };
    const rules = withParams(...PLAIN, { status: 'allocated', shares: [{ role: 'closer', percent: 51 }, { role: 'originalAgents', percentEach: 24.4 }] }, { maxHandlers: 3 });
    expect(gapOf(facts, rules)).toBe(`${at(plainIndex)}the shares add up to 99.8%, not 100%`);
  });

  it('fractional shares that reach 100% exactly are paid: 51 / 24.5 / 24.5 of 1.01, each rounded down, the rest to the first', () => {
    const facts = { ...lease, pool: '1.01', originalAgents: ['li', 'zhao'] };
    const rules = withParams(...PLAIN, { status: 'allocated', shares: [{ role: 'closer', percent: 51 }, { role: 'originalAgents', percentEach: 24.5 }] }, { maxHandlers: 3 });
    expect(evaluate('commission.allocation', facts, { ...AS_OF, rules }).outcome).toEqual({
      status: 'allocated',
      shares: [
        { agent: 'wang', percent: 51, amount: '0.53' },
        { agent: 'li', percent: 24.5, amount: '0.24' },
        { agent: 'zhao', percent: 24.5, amount: '0.24' },
      ],
    });
  });

  it('fractional shares that reach 100% exactly are paid: 51 / 24.5 / 24.5 of 100.00', () => {
    const facts = { ...lease, originalAgents: ['li', 'zhao'] };
    const rules = withParams(...PLAIN, { status: 'allocated', shares: [{ role: 'closer', percent: 51 }, { role: 'originalAgents', percentEach: 24.5 }] }, { maxHandlers: 3 });
    expect(evaluate('commission.allocation', facts, { ...AS_OF, rules }).outcome).toEqual({
      status: 'allocated',
      shares: [
        { agent: 'wang', percent: 51, amount: '51.00' },
        { agent: 'li', percent: 24.5, amount: '24.50' },
        { agent: 'zhao', percent: 24.5, amount: '24.50' },
      ],
    });
  });

  it.each([
    ['closer', 'wang', { ...lease, depositPaidInFull: false }],
    ['protector', 'li', { ...lease, depositPaidInFull: false, protectedBy: 'li' }],
  ])('no_commission may send the client back to the %s (%s)', (role, agent, facts) => {
    const rules = withParams('COM-5', 90, { status: 'no_commission', followUpBy: role });
    expect(evaluate('commission.allocation', facts, { ...AS_OF, rules }).outcome).toEqual({ status: 'no_commission', followUpBy: agent });
  });
});

describe('splitPool at its edges (D-COM-2)', () => {
  it('no parts: nothing to pay, on both paths', () => {
    expect(splitPool('100.00', [])).toEqual([]);
    expect(splitPoolDecimal('100.00', [])).toEqual([]);
  });

  const halves = [{ agent: 'b', percent: 50 }, { agent: 'a', percent: 50 }];
  it.each([
    ['9999999999999.99', '5000000000000.00', '4999999999999.99'],
    ['99999999999999.99', '50000000000000.00', '49999999999999.99'],
    ['123456789012345678.91', '61728394506172839.46', '61728394506172839.45'],
  ])('a pool of %s splits 50/50 exactly: %s and %s', (pool, first, second) => {
    expect(splitPool(pool, halves).map((share) => share.amount)).toEqual([first, second]);
  });

  it('a pool with more than two places (not a facts value) is still split by the definition: 0.005 gives 0.00 each and the rest to the first', () => {
    expect(splitPool('0.005', halves)).toEqual(splitPoolDecimal('0.005', halves));
    expect(splitPool('1.999', halves).map((share) => share.amount)).toEqual(['1.00', '0.99']);
  });

  it.each([
    ['a prefix sorts first', ['ab', 'a'], ['a', 'ab']],
    ['the first differing character decides after a common start', ['ab', 'aa'], ['aa', 'ab']],
    ['U+10000 (a surrogate pair) sorts after U+E000, as in UTF-8', ['\u{10000}', '\uE000'], ['\uE000', '\u{10000}']],
    ['U+1F600 sorts after U+FFFD', ['\u{1F600}', '\uFFFD'], ['\uFFFD', '\u{1F600}']],
    ['U+10000 sorts before U+103FF (low surrogates DC00 and DFFF)', ['\u{103FF}', '\u{10000}'], ['\u{10000}', '\u{103FF}']],
    ['U+D7FF sorts before U+E000', ['\uE000', '\uD7FF'], ['\uD7FF', '\uE000']],
  ])('equal percents are ordered by code point: %s', (_name, given, ordered) => {
    const parts = given.map((agent) => ({ agent, percent: 50 }));
    expect(splitPool('0.01', parts).map((share) => share.agent)).toEqual(ordered);
    expect(splitPoolDecimal('0.01', parts).map((share) => share.agent)).toEqual(ordered);
  });
});
