import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { noParams } from '../../src/core/event.js';
import { definePolicy } from '../../src/core/policy.js';
import type { PolicyContext } from '../../src/core/policy.js';
import { compileRuleFile, evaluate, PolicyInputError, RuleSetError, safeEvaluate, UnknownPolicyError } from '../../src/index.js';
import { ROOT } from '../helpers/case-files.js';
import { ruleFileOf } from '../helpers/rule-file.js';
import { engineOf } from '../../src/core/policy.js';

const AS_OF = '2026-01-01';
const approvalJson = (): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8'));
const approvalFacts = { amount: '800000', channel: 'direct' } as const;

function issuesOf(run: () => unknown): unknown[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyInputError) return [error.code, ...error.issues];
    throw error;
  }
  throw new Error('no PolicyInputError was thrown');
}

function ruleSetIssues(run: () => unknown): unknown[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return [...(error as RuleSetError).issues];
  }
  throw new Error('no RuleSetError was thrown');
}

const option = (name: string, received: unknown, message: string, expected: string) => ({ code: 'invalid_option', path: name ? `options.${name}` : 'options', message, received, expected });

describe('options: each bad option is an issue with its path, message, received and expected value', () => {
  it.each([
    ['options null', null, [option('', null, 'options must be an object', 'an object')]],
    ['options a string', 'today', [option('', 'today', 'options must be an object', 'an object')]],
    ['timeZone unknown', { asOf: AS_OF, timeZone: 'Mars/Olympus' }, [option('timeZone', 'Mars/Olympus', 'unknown time zone "Mars/Olympus"', 'an IANA time zone name')]],
    ['timeZone empty', { asOf: AS_OF, timeZone: '' }, [option('timeZone', '', 'expected an IANA time zone name such as "Asia/Shanghai"', 'an IANA time zone name')]],
    ['maxItems -1', { asOf: AS_OF, maxItems: -1 }, [option('maxItems', -1, 'maxItems must be a whole number ≥ 0', 'a whole number ≥ 0')]],
    ['maxItems 1.5', { asOf: AS_OF, maxItems: 1.5 }, [option('maxItems', 1.5, 'maxItems must be a whole number ≥ 0', 'a whole number ≥ 0')]],
    ['trace "yes"', { asOf: AS_OF, trace: 'yes' }, [option('trace', 'yes', 'trace must be true or false', 'a boolean')]],
    ['asOf 2026-02-30', { asOf: '2026-02-30' }, [option('asOf', '2026-02-30', '2026-02-30 is not a day of the calendar', 'a date "YYYY-MM-DD" or an instant with offset')]],
    [
      'asOf before the first parameter version',
      { asOf: '2017-04-25' },
      [option('asOf', '2017-04-25', 'no parameters are in force on 2017-04-25: the first version takes effect from 2017-04-26', 'a date on or after 2017-04-26')],
    ],
    [
      'every option wrong at once',
      { asOf: 'soon', timeZone: 'Nowhere', maxItems: -2, trace: 1 },
      [
        option('timeZone', 'Nowhere', 'unknown time zone "Nowhere"', 'an IANA time zone name'),
        option('maxItems', -2, 'maxItems must be a whole number ≥ 0', 'a whole number ≥ 0'),
        option('trace', 1, 'trace must be true or false', 'a boolean'),
        option('asOf', 'soon', 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset', 'a date "YYYY-MM-DD" or an instant with offset'),
      ],
    ],
  ])('%s', (_name, options, issues) => {
    expect(issuesOf(() => evaluate('review.approval', approvalFacts, options as never))).toEqual(['INVALID_OPTIONS', ...issues]);
  });

  it('maxItems 0 is a bound like any other: empty lists pass, one item is too many', () => {
    const facts = { amount: '1', channel: 'direct' as const, terms: [], signoffs: [] };
    expect(evaluate('review.readiness', facts, { asOf: AS_OF, maxItems: 0 }).policy).toBe('review.readiness');
    expect(issuesOf(() => evaluate('review.readiness', { ...facts, terms: ['price'] }, { asOf: AS_OF, maxItems: 0 }))).toEqual([
      'INVALID_FACTS',
      { code: 'custom', path: 'terms', message: 'too many items: at most 0 are accepted (options.maxItems)', received: ['price'], expected: 'at most 0 items' },
    ]);
  });
});

describe('options.rules', () => {
  it.each([
    ['null', null],
    ['a string', 'approval.rules.json'],
    ['a number', 7],
  ])('%s is refused as a rules file that does not load, not a crash', (_name, rules) => {
    expect(ruleSetIssues(() => evaluate('review.approval', approvalFacts, { asOf: AS_OF, rules }))).toMatchObject([{ file: 'options.rules' }]);
  });

  it('a broken file inside a rule set is named by its key in the set', () => {
    const broken = approvalJson();
    broken.rules[0].conditions.all[0].operator = 'equals';
    expect(ruleSetIssues(() => evaluate('review.approval', approvalFacts, { asOf: AS_OF, rules: { 'review.approval': broken } }))).toMatchObject([
      { file: 'options.rules["review.approval"]', path: 'rules[0].conditions.all[0].operator' },
    ]);
  });

  it('a rules file for another policy is refused with a message naming both', () => {
    expect(ruleSetIssues(() => evaluate('review.arbitration', { clause: 'price' }, { asOf: AS_OF, rules: approvalJson() }))).toEqual([
      { code: 'wrong_policy', file: 'options.rules', path: 'policy', message: 'this rules file is for "review.approval", not "review.arbitration"' },
    ]);
  });

  it('one file, its compiled form, and a rule set holding either decide alike; a set that names other policies leaves the bundled rules', () => {
    const rules = approvalJson();
    rules.parameters[0].values.directorLimit = 1_000_000;
    const compiled = compileRuleFile(rules, 'org/approval.rules.json');
    const authority = (options: object) => evaluate('review.approval', approvalFacts, { asOf: AS_OF, ...options }).outcome.authority;
    expect([rules, compiled, { 'review.approval': rules }, { 'review.approval': compiled }].map((set) => authority({ rules: set }))).toEqual(Array(4).fill('marketing_director'));
    expect(authority({ rules: { 'review.arbitration': approvalJson() } })).toBe('sales_vp');
    expect(authority({})).toBe('sales_vp');
  });
});

describe('the memo of the last options', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a call without options after one with asOf is decided on today, not the remembered date', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2031-06-15T04:00:00Z') });
    expect(evaluate('review.approval', approvalFacts, { asOf: AS_OF }).asOf).toBe(AS_OF);
    expect(evaluate('review.approval', approvalFacts).asOf).toBe('2031-06-15');
    expect(evaluate('review.approval', approvalFacts, { asOf: AS_OF }).asOf).toBe(AS_OF);
    expect(evaluate('review.approval', approvalFacts, {}).asOf).toBe('2031-06-15');
  });

  it("without asOf, the date moves on at the zone's midnight, to the millisecond", () => {
    // Shanghai's midnight of 2032-03-02 is 16:00 UTC on 2032-03-01. The clock only moves forward
    // (here and in the other tests of this file), past any real clock, as a real one would.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2032-03-01T15:59:59.999Z') });
    expect(evaluate('review.approval', approvalFacts).asOf).toBe('2032-03-01');
    expect(evaluate('review.approval', approvalFacts, {}).asOf).toBe('2032-03-01');
    vi.setSystemTime(Date.parse('2032-03-01T16:00:00.000Z'));
    expect(evaluate('review.approval', approvalFacts).asOf).toBe('2032-03-02');
    // Los Angeles is still on 1 March then; its midnight comes 16 hours later (PST, UTC-8).
    expect(evaluate('review.approval', approvalFacts, { timeZone: 'America/Los_Angeles' }).asOf).toBe('2032-03-01');
    vi.setSystemTime(Date.parse('2032-03-02T07:59:59.999Z'));
    expect(evaluate('review.approval', approvalFacts, { timeZone: 'America/Los_Angeles' }).asOf).toBe('2032-03-01');
    vi.setSystemTime(Date.parse('2032-03-02T08:00:00.000Z'));
    expect(evaluate('review.approval', approvalFacts, { timeZone: 'America/Los_Angeles' }).asOf).toBe('2032-03-02');
    expect(evaluate('review.approval', approvalFacts).asOf).toBe('2032-03-02');
  });

  it('a clock set back across midnight gives the earlier date again, not the remembered later one', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2033-01-02T01:00:00Z') });
    expect(evaluate('review.approval', approvalFacts).asOf).toBe('2033-01-02');
    expect(evaluate('review.approval', approvalFacts, { timeZone: 'UTC' }).asOf).toBe('2033-01-02');
    vi.setSystemTime(Date.parse('2033-01-01T15:59:59.999Z'));
    expect(evaluate('review.approval', approvalFacts).asOf).toBe('2033-01-01');
    expect(evaluate('review.approval', approvalFacts, { timeZone: 'UTC' }).asOf).toBe('2033-01-01');
    vi.setSystemTime(Date.parse('2033-01-01T16:00:00Z'));
    expect(evaluate('review.approval', approvalFacts).asOf).toBe('2033-01-02');
  });

  it('each option counts: changing any one gives the decision of those options', () => {
    const base = { asOf: AS_OF } as const;
    expect(evaluate('review.approval', approvalFacts, base).trace.length).toBeGreaterThan(0);
    expect(evaluate('review.approval', approvalFacts, { ...base, trace: false }).trace).toEqual([]);
    expect(evaluate('review.approval', approvalFacts, { ...base, asOf: '2026-01-01T16:00:00Z' }).asOf).toBe('2026-01-02');
    expect(evaluate('review.approval', approvalFacts, { ...base, asOf: '2026-01-01T16:00:00Z', timeZone: 'UTC' }).asOf).toBe('2026-01-01');
    const rules = approvalJson();
    rules.parameters[0].values.directorLimit = 1_000_000;
    expect(evaluate('review.approval', approvalFacts, { ...base, rules }).outcome.authority).toBe('marketing_director');
    expect(evaluate('review.approval', approvalFacts, base).outcome.authority).toBe('sales_vp');
    const signoffs = [
      { step: 'legal', decision: 'approved', signedBy: 'head' },
      { step: 'finance', decision: 'approved', signedBy: 'head' },
    ] as const;
    const facts = { amount: '1', channel: 'direct' as const, terms: [], signoffs };
    expect(evaluate('review.readiness', facts, base).policy).toBe('review.readiness');
    expect(issuesOf(() => evaluate('review.readiness', facts, { ...base, maxItems: 1 }))[1]).toMatchObject({ path: 'signoffs', expected: 'at most 1 items' });
  });
});

describe('safeEvaluate', () => {
  it('returns only input errors; an unknown policy or rules that do not load still throw', () => {
    expect(() => safeEvaluate('review.aproval' as never, {} as never)).toThrow(UnknownPolicyError);
    expect(() => safeEvaluate('review.approval', approvalFacts, { asOf: AS_OF, rules: null })).toThrow(RuleSetError);
    const result = safeEvaluate('review.approval', approvalFacts, { asOf: 'someday' });
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual(['options.asOf']);
  });
});

// A policy made for these tests: three example parameters read by rules in three ways (as the
// compared value inside `all`, inside `any`, as the fact itself under `not`), one read by `decide`,
// and one never read.
const exampleRules = (decision: 'first-hit' | 'collect-all') =>
  ruleFileOf(
    [
      { name: 'T-1', priority: 3, conditions: { all: [{ fact: 'x', operator: 'greaterThan', value: { fact: 'param.above' } }, { fact: 'tag', operator: 'notEqual', value: null }] }, event: { type: 't' } },
      { name: 'T-2', priority: 2, conditions: { any: [{ fact: 'x', operator: 'equal', value: { fact: 'param.equal' } }, { fact: 'tag', operator: 'in', value: ['pin'] }] }, event: { type: 't' } },
      { name: 'T-3', priority: 1, conditions: { not: { fact: 'param.unlike', operator: 'equal', value: { fact: 'x' } } }, event: { type: 't' } },
    ],
    ['x', 'tag'],
    decision,
    {
      info: Object.fromEntries(['above', 'equal', 'unlike', 'decided', 'unused'].map((name) => [name, { type: 'integer', description: name }])),
      values: { above: { value: 10, example: true }, equal: { value: 5, example: true }, unlike: { value: 3, example: true }, decided: { value: 1, example: true }, unused: { value: 0, example: true } },
    },
  );

let seen: PolicyContext | undefined;
const examplePolicy = (decision: 'first-hit' | 'collect-all') =>
  definePolicy({
    id: 'test.policy',
    rules: exampleRules(decision),
    rulesFile: 'test.rules.json',
    facts: () => z.strictObject({ x: z.number(), tag: z.optional(z.string()), decide: z.optional(z.boolean()) }),
    event: { t: noParams() },
    decide: (fired, facts, context) => {
      seen = context;
      if (facts.decide) context.param('decided');
      return { outcome: fired.map((rule) => rule.name) };
    },
  });

describe('example-parameter warnings name the example values the decision read', () => {
  const warn = (...names: string[]) => names.map((name) => `${name} is an example value, not from the source: set your organisation's own`);
  const firstHit = examplePolicy('first-hit');
  const collectAll = examplePolicy('collect-all');

  it.each([
    ['first-hit, the first rule fires: only its parameter', firstHit, { x: 11 }, ['T-1'], warn('above')],
    ['first-hit, the second fires: the first two', firstHit, { x: 5 }, ['T-2'], warn('above', 'equal')],
    ['first-hit, the third fires: all three read by rules', firstHit, { x: 4 }, ['T-3'], warn('above', 'equal', 'unlike')],
    ['first-hit, none fires: every rule was read', firstHit, { x: 3 }, [], warn('above', 'equal', 'unlike')],
    ['first-hit, decide reads one more', firstHit, { x: 11, decide: true }, ['T-1'], warn('above', 'decided')],
    ['collect-all reads every rule even when the first fires', collectAll, { x: 11 }, ['T-1', 'T-3'], warn('above', 'equal', 'unlike')],
    ['collect-all, decide reads one more', collectAll, { x: 3, decide: true }, [], warn('above', 'equal', 'unlike', 'decided')],
  ])('%s', (_name, policy, facts, outcome, warnings) => {
    const decision = policy.evaluate(facts, { asOf: AS_OF });
    expect(decision.outcome).toEqual(outcome);
    expect(decision.warnings).toEqual(warnings);
    // Another call reads afresh: the warnings of one decision do not leak into the next.
    expect(policy.evaluate({ x: 11 }, { asOf: AS_OF, trace: false }).warnings).toEqual(policy === firstHit ? warn('above') : warn('above', 'equal', 'unlike'));
  });
});

describe('the context a policy decides in', () => {
  it('gives nested evaluations the same date, zone and bound, no trace, and the rule set only when there is one', () => {
    const policy = examplePolicy('first-hit');
    policy.evaluate({ x: 1 }, { asOf: '2026-03-01T20:00:00Z', timeZone: 'Asia/Shanghai', maxItems: 7 });
    expect(seen).toMatchObject({ asOf: '2026-03-02', timeZone: 'Asia/Shanghai', maxItems: 7 });
    expect(seen?.nested).toEqual({ asOf: '2026-03-02', timeZone: 'Asia/Shanghai', maxItems: 7, trace: false });
    const set = { 'test.policy': exampleRules('first-hit') };
    policy.evaluate({ x: 1 }, { asOf: AS_OF, timeZone: 'UTC', rules: set });
    expect(seen?.nested).toEqual({ asOf: AS_OF, timeZone: 'UTC', maxItems: 100_000, trace: false, rules: set });
    policy.evaluate({ x: 1 }, { asOf: AS_OF, rules: exampleRules('first-hit') });
    expect(seen?.nested).not.toHaveProperty('rules');
  });
});

describe('a policy object', () => {
  it('tells the version and the rules file that evaluate would use', () => {
    const policy = examplePolicy('collect-all');
    expect(engineOf(policy).version({ asOf: AS_OF }).from).toBe('2017-04-26');
    expect(engineOf(policy).version({ asOf: AS_OF }).parameters).toMatchObject({ above: 10, equal: 5 });
    expect(engineOf(policy).rulesFor(undefined).spec).toMatchObject({ policy: 'test.policy', decision: 'collect-all' });
    expect(engineOf(policy).rulesFor({ 'test.policy': exampleRules('first-hit') }).spec.decision).toBe('first-hit');
    expect(engineOf(policy).resolve({ asOf: AS_OF }).rules.spec.decision).toBe('collect-all');
  });
});

