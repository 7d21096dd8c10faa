import { describe, expect, it } from 'vitest';
import approvalRules from '../fixtures/engine/approval.rules.json' with { type: 'json' };
import arbitrationRules from '../../rules/review/arbitration.rules.json' with { type: 'json' };
import readinessRules from '../../rules/review/readiness.rules.json' with { type: 'json' };
import type { ReviewReadinessFacts } from '../../src/index.js';
import { evaluate, PolicyInputError, RuleGapError } from '../../src/index.js';
import { eventIssuesOf } from '../helpers/rule-set-issues.js';

const asOf = '2026-01-01';
const DEPARTMENTS = ['technical', 'materials', 'manufacturing', 'quality', 'finance', 'legal'];
const TERMS = readinessRules.parameters[0]!.values.requiredTerms;

describe('review.approval routes (SPEC §1)', () => {
  // A copy of the fixture file (the bundled rules with thresholds of their own, 400,000 and 2,000,000),
  // loaded for each row, so each route is built from the rules anew and an analyst's change to
  // rules/ moves only the case files.
  it.each<[string, object, string[]]>([
    ['repeat batch, nothing changed: materials, manufacturing, marketing_director (REV-6.5)', { amount: 1, channel: 'direct', repeatBatch: true }, ['materials', 'manufacturing', 'marketing_director']],
    ['distributor, undisputed: every department, then marketing_director (REV-6.1)', { amount: 1, channel: 'distributor' }, [...DEPARTMENTS, 'marketing_director']],
    ['direct 400,000.01: every department, marketing_director, sales_vp (REV-6.2)', { amount: '400000.01', channel: 'direct' }, [...DEPARTMENTS, 'marketing_director', 'sales_vp']],
    ['direct 2,000,000: every department up to general_manager (REV-6.3)', { amount: 2_000_000, channel: 'direct' }, [...DEPARTMENTS, 'marketing_director', 'sales_vp', 'general_manager']],
  ])('%s', (_name, facts, route) => {
    expect(evaluate('review.approval', facts as never, { asOf, rules: structuredClone(approvalRules) }).outcome.route).toEqual(route);
  });

  it('shares one frozen outcome per deciding rule: a caller cannot change the next decision', () => {
    const first = evaluate('review.approval', { amount: 1, channel: 'distributor' }, { asOf, trace: false }).outcome;
    const second = evaluate('review.approval', { amount: 2, channel: 'distributor' }, { asOf, trace: false }).outcome;
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.route)).toBe(true);
    expect(() => (first.route as string[]).push('legal')).toThrow(TypeError);
    expect(evaluate('review.approval', { amount: 3, channel: 'distributor' }, { asOf }).outcome.route).toEqual([...DEPARTMENTS, 'marketing_director']);
  });

  it('says which custom rule names an unknown authority, or that none decides', () => {
    const authority = structuredClone(approvalRules) as { rules: { event: { params: Record<string, unknown> } }[] };
    authority.rules[1]!.event.params['authority'] = 'ceo';
    expect(eventIssuesOf(() => evaluate('review.approval', { amount: 1, channel: 'distributor' }, { asOf, rules: authority }))).toEqual([
      ['rules[1].event.params.authority', 'expected one of "marketing_director", "sales_vp", "general_manager" (received "ceo")'],
    ]);
    const none = structuredClone(approvalRules);
    none.rules = none.rules.filter((rule) => rule.name === 'REV-6.3');
    expect(() => evaluate('review.approval', { amount: 1, channel: 'direct' }, { asOf, rules: none })).toThrow(
      new RuleGapError('review.approval', 'no rule decides these facts: {"amount":"1","channel":"direct","disputed":false,"repeatBatch":false,"technicalTermsChanged":false,"priceChanged":false}'),
    );
  });
});

describe('review.readiness (SPEC §1)', () => {
  const refusal = (facts: ReviewReadinessFacts) => {
    try {
      evaluate('review.readiness', facts, { asOf });
    } catch (error) {
      if (error instanceof PolicyInputError) return error.issues;
      throw error;
    }
    return 'accepted';
  };

  it('names an unknown term, an unknown step and a second signoff, and what it expected', () => {
    expect(
      refusal({
        amount: 1,
        channel: 'direct',
        terms: ['colour'],
        signoffs: [
          { step: 'ceo', decision: 'approved', signedBy: 'head' },
          { step: 'legal', decision: 'approved', signedBy: 'head' },
          { step: 'legal', decision: 'rejected', signedBy: 'head' },
        ],
      }),
    ).toEqual([
      { code: 'invalid_value', path: 'terms[0]', message: 'unknown term "colour"', received: 'colour', expected: `one of ${TERMS.join(', ')}` },
      { code: 'invalid_value', path: 'signoffs[0].step', message: 'unknown review step "ceo"', received: 'ceo', expected: `one of ${[...DEPARTMENTS, 'marketing_director', 'sales_vp', 'general_manager'].join(', ')}` },
      { code: 'invalid_value', path: 'signoffs[2].step', message: 'a second signoff for step legal (the first is signoffs[1])', received: 'legal', expected: 'one signoff per step' },
    ]);
  });

  it('accepts a signoff of a department the repeat-batch route skips, and does not count it (REV-6.5)', () => {
    const decision = evaluate('review.readiness', { amount: 1, channel: 'direct', repeatBatch: true, terms: TERMS, signoffs: [{ step: 'technical', decision: 'approved', signedBy: 'head' }] }, { asOf });
    expect(decision.outcome.missingSteps).toEqual(['materials', 'manufacturing', 'marketing_director']);
  });

  it('lets sign only when a rule says ready: custom rules without that rule never do', () => {
    const facts = {
      amount: 1,
      channel: 'direct' as const,
      repeatBatch: true,
      terms: TERMS,
      signoffs: ['materials', 'manufacturing', 'marketing_director'].map((step) => ({ step, decision: 'approved' as const, signedBy: 'head' as const })),
      buyerAgreed: true,
    };
    expect(evaluate('review.readiness', facts, { asOf }).outcome.canSign).toBe(true);
    const noReady = structuredClone(readinessRules);
    noReady.rules = noReady.rules.filter((rule) => rule.event.type !== 'ready');
    expect(evaluate('review.readiness', facts, { asOf, rules: noReady }).outcome.canSign).toBe(false);
  });
});

describe('review.arbitration custom rules', () => {
  it.each<[string, (rules: typeof arbitrationRules) => void, object, string]>([
    ['no rule for the facts', (rules) => void rules.rules.splice(0, 2), { clause: 'quality', firstRulingAccepted: true }, 'no rule decides these facts: {"clause":"quality","firstRulingAccepted":true}'],
  ])('refuses %s, naming the rule', (_name, edit, facts, message) => {
    const custom = structuredClone(arbitrationRules);
    edit(custom);
    expect(() => evaluate('review.arbitration', facts as never, { asOf, rules: custom })).toThrow(new RuleGapError('review.arbitration', message));
  });

  it.each<[string, (rules: typeof arbitrationRules) => void, [string, string]]>([
    ['an unknown decidedBy', (rules) => void (rules.rules[0]!.event.params.decidedBy = 'ceo'), ['rules[0].event.params.decidedBy', 'expected one of "chief_engineer", "finance_vp", "sales_vp", "quality_arbitration_group", "business_decision_group" (received "ceo")']],
    ['an unknown convenedBy', (rules) => void ((rules.rules[1]!.event.params as Record<string, string>)['convenedBy'] = 'ceo'), ['rules[1].event.params.convenedBy', 'expected one of "general_manager" (received "ceo")']],
  ])('refuses %s when the rules load, naming the JSON path', (_name, edit, issue) => {
    const custom = structuredClone(arbitrationRules);
    edit(custom);
    expect(eventIssuesOf(() => evaluate('review.arbitration', { clause: 'quality' }, { asOf, rules: custom }))).toEqual([issue]);
  });
});
