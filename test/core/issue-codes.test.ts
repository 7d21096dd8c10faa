// Issue codes are literal unions: a program can switch over them and the compiler checks the cases.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DecisionWarning, InputIssue, InputIssueCode, RuleSetIssue, RuleSetIssueCode } from '../../src/index.js';
import { compileRuleFile, evaluate, PolicyInputError, RuleSetError } from '../../src/index.js';
import type { Finding, FindingCode } from '../../src/toolkit/findings.js';

describe('issue codes', () => {
  it('are literal unions, not strings', () => {
    expectTypeOf<InputIssue['code']>().toEqualTypeOf<InputIssueCode>();
    expectTypeOf<RuleSetIssue['code']>().toEqualTypeOf<RuleSetIssueCode>();
    expectTypeOf<Finding['code']>().toEqualTypeOf<FindingCode>();
    expectTypeOf<DecisionWarning['code']>().toEqualTypeOf<'example_parameter'>();
    expectTypeOf<string>().not.toMatchTypeOf<RuleSetIssueCode>();
    expectTypeOf<string>().not.toMatchTypeOf<InputIssueCode>();
    // @ts-expect-error: a misspelt code is a compile error
    const misspelt: RuleSetIssueCode = 'unknown_operater';
    expect(misspelt).toBe('unknown_operater');
    expectTypeOf<'invalid_event'>().toMatchTypeOf<RuleSetIssueCode>();
    expectTypeOf<RuleSetIssueCode>().toMatchTypeOf<FindingCode>();
  });

  it('the codes thrown at run time are the ones the types name', () => {
    let input: unknown;
    try {
      evaluate('review.approval', { amount: 'lots', channel: 'direct', extra: 1 } as never);
    } catch (error) {
      input = error;
    }
    const inputCodes: InputIssueCode[] = (input as PolicyInputError).issues.map((issue) => issue.code);
    expect(inputCodes).toEqual(['custom', 'unknown_field']);
    let rules: unknown;
    try {
      compileRuleFile({ policy: 'x', rules: [], extra: true }, 'x.rules.json');
    } catch (error) {
      rules = error;
    }
    expect(rules).toBeInstanceOf(RuleSetError);
    const ruleCodes: RuleSetIssueCode[] = (rules as RuleSetError).issues.map((issue) => issue.code);
    expect(ruleCodes).toContain('unknown_key');
  });
});
