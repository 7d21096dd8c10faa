import { describe, expect, it } from 'vitest';
import type { Decision, EvaluateOptions } from '../../src/index.js';
import { evaluate, PolicyInputError, RuleGapError, RuleSetError } from '../../src/index.js';
import type { PolicyCase } from '../../src/core/cases.js';
import { canonicalJson, parseCaseFile, runCase } from '../../src/core/cases.js';

// The case runner that every case file goes through (test/cases.test.ts, `sales-policies test`)
// must fail a case that does not hold: otherwise a green suite proves nothing. These tests give it
// cases that do not hold, one way at a time.

const evaluateAny = (policy: string, facts: unknown, options: EvaluateOptions) => evaluate(policy as never, facts as never, options);
const approval = (amount: unknown) => ({ amount, channel: 'direct' });
const SALES_VP = { authority: 'sales_vp', route: ['technical', 'materials', 'manufacturing', 'quality', 'finance', 'legal', 'marketing_director', 'sales_vp'] };
const run = (testCase: Omit<PolicyCase, 'name'>, defaultAsOf: string | undefined = '2026-01-01', policy = 'review.approval', options: EvaluateOptions = {}) =>
  runCase(evaluateAny, policy, { name: 'case', ...testCase } as PolicyCase, defaultAsOf, options);

describe('runCase', () => {
  it('passes a case whose outcome and basis hold, whatever the key order', () => {
    const result = run({ facts: approval('1200000'), expected: { outcome: { route: SALES_VP.route, authority: 'sales_vp' }, basis: ['REV-6.2'] } });
    expect(result.passed).toBe(true);
    expect(result.name).toBe('case');
    expect('decision' in result.actual && result.actual.decision.outcome).toEqual(SALES_VP);
  });

  it('fails a wrong outcome, a wrong basis, or a basis in another order', () => {
    expect(run({ facts: approval('1200000'), expected: { outcome: { ...SALES_VP, authority: 'general_manager' } } }).passed).toBe(false);
    expect(run({ facts: approval('1200000'), expected: { outcome: SALES_VP, basis: ['REV-6.3'] } }).passed).toBe(false);
    expect(run({ facts: approval('1200000'), expected: { outcome: SALES_VP, basis: [] } }).passed).toBe(false);
    expect(run({ facts: approval('1200000'), expected: { outcome: SALES_VP } }).passed).toBe(true);
  });

  it('matches only the outcome fields given when the case or its file says "match": "partial"', () => {
    const authorityOnly = { outcome: { authority: 'sales_vp' }, basis: ['REV-6.2'] };
    expect(run({ facts: approval('1200000'), expected: authorityOnly }).differences).toEqual([{ path: 'outcome.route', kind: 'unexpected', actual: SALES_VP.route }]);
    expect(run({ facts: approval('1200000'), match: 'partial', expected: authorityOnly })).toMatchObject({ passed: true, differences: [] });
    expect(run({ facts: approval('1200000'), match: 'partial', expected: { outcome: { authority: 'general_manager' } } }).differences).toEqual([{ path: 'outcome.authority', kind: 'changed', expected: 'general_manager', actual: 'sales_vp' }]);
    // The basis is matched whole even in partial mode.
    expect(run({ facts: approval('1200000'), match: 'partial', expected: { outcome: {}, basis: [] } }).differences).toEqual([{ path: 'basis', kind: 'changed', expected: [], actual: ['REV-6.2'] }]);
    const file = parseCaseFile({ policy: 'review.approval', match: 'partial', cases: [{ name: 'a', facts: {}, expected: { outcome: {} } }, { name: 'b', match: 'exact', facts: {}, expected: { outcome: {} } }] }, 'x.cases.json');
    expect(file.cases.map((c) => c.match)).toEqual(['partial', 'exact']);
    expect(() => parseCaseFile({ policy: 'review.approval', match: 'loose', cases: [{ name: 'a', facts: {}, expected: { outcome: {} } }] }, 'x.cases.json')).toThrow(RuleSetError);
  });

  it('checks warnings only when the case lists them; no warnings counts as []', () => {
    expect(run({ facts: approval('1200000'), expected: { outcome: SALES_VP, warnings: [] } }).passed).toBe(true);
    expect(run({ facts: approval('1200000'), expected: { outcome: SALES_VP, warnings: ['x'] } }).passed).toBe(false);
    const spending = run({ facts: { amount: 1 }, expected: { outcome: { approver: 'order_processing_chief' }, warnings: [] } }, '2026-01-01', 'fulfilment.spending');
    expect(spending.passed).toBe(false);
    expect('decision' in spending.actual && spending.actual.decision.warnings?.length).toBe(1);
  });

  it('an expected error passes only with that code and, when given, those paths in that order', () => {
    const bad = { amount: 'lots', channel: 'retail' };
    expect(run({ facts: bad, expected: { error: 'INVALID_FACTS', paths: ['amount', 'channel'] } }).passed).toBe(true);
    expect(run({ facts: bad, expected: { error: 'INVALID_FACTS' } }).passed).toBe(true);
    expect(run({ facts: bad, expected: { error: 'INVALID_FACTS', paths: ['channel', 'amount'] } }).passed).toBe(false);
    expect(run({ facts: bad, expected: { error: 'INVALID_FACTS', paths: ['amount'] } }).passed).toBe(false);
    expect(run({ facts: bad, expected: { error: 'INVALID_OPTIONS' } }).passed).toBe(false);
    expect(run({ facts: approval(1), expected: { error: 'INVALID_FACTS' } }).passed).toBe(false);
    expect(run({ facts: bad, expected: { outcome: SALES_VP } }).passed).toBe(false);
    const actual = run({ facts: bad, expected: { error: 'INVALID_FACTS' } }).actual;
    expect(actual).toEqual({ error: 'INVALID_FACTS', paths: ['amount', 'channel'], message: expect.stringContaining('review.approval') as unknown });
  });

  it('an error without issues (a rule gap) has no paths', () => {
    const gap = (() => {
      throw new RuleGapError('review.approval', 'no rule');
    }) as unknown as typeof evaluateAny;
    const result = runCase(gap, 'review.approval', { name: 'gap', facts: {}, expected: { error: 'RULE_GAP', paths: [] } });
    expect(result).toMatchObject({ passed: true, actual: { error: 'RULE_GAP', paths: [] } });
  });

  it('rethrows what is not the library’s own error: a crash is not a failed case', () => {
    const crash = (() => {
      throw new TypeError('boom');
    }) as unknown as typeof evaluateAny;
    expect(() => runCase(crash, 'review.approval', { name: 'crash', facts: {}, expected: { error: 'INVALID_FACTS' } })).toThrow(TypeError);
  });

  it('uses the case’s asOf and timeZone before the file’s asOf, and passes the runner’s options', () => {
    const seen: EvaluateOptions[] = [];
    const spy = ((policy: string, facts: unknown, options: EvaluateOptions): Decision<unknown> => {
      seen.push(options);
      return evaluateAny(policy, facts, options);
    }) as typeof evaluateAny;
    runCase(spy, 'review.approval', { name: 'a', facts: approval(1), expected: { outcome: {} } }, '2026-01-01', { trace: false });
    runCase(spy, 'review.approval', { name: 'b', facts: approval(1), asOf: '2020-01-01', timeZone: 'UTC', expected: { outcome: {} } }, '2026-01-01');
    runCase(spy, 'review.approval', { name: 'c', facts: approval(1), expected: { outcome: {} } });
    // No key set to undefined: an evaluator may tell an absent option from one given as undefined.
    expect(seen).toStrictEqual([{ trace: false, asOf: '2026-01-01' }, { asOf: '2020-01-01', timeZone: 'UTC' }, {}]);
  });
});

describe('parseCaseFile', () => {
  const file = (cases: unknown[]) => ({ policy: 'review.approval', asOf: '2026-01-01', cases });
  const one = { name: 'a', facts: approval(1), expected: { outcome: {} } };

  it('returns a valid file as it is', () => {
    expect(parseCaseFile(file([one]), 'x.cases.json')).toEqual(file([one]));
  });

  it('refuses two cases with the same name, naming the later one', () => {
    try {
      parseCaseFile(file([one, { ...one, name: 'b' }, one, one]), 'x.cases.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleSetError);
      expect((error as RuleSetError).issues).toEqual([
        { code: 'duplicate_case', file: 'x.cases.json', path: 'cases[2].name', message: 'a case named "a" comes earlier in the file: names identify cases' },
        { code: 'duplicate_case', file: 'x.cases.json', path: 'cases[3].name', message: 'a case named "a" comes earlier in the file: names identify cases' },
      ]);
    }
  });

  it('refuses a bad shape with the file and the JSON path of each problem', () => {
    try {
      parseCaseFile({ policy: '', cases: [{ name: 'a', facts: {}, expected: { outcome: 1 } }], extra: 1 }, 'y.cases.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleSetError);
      const issues = (error as RuleSetError).issues;
      expect(issues.every((issue) => issue.file === 'y.cases.json')).toBe(true);
      expect(issues.map((issue) => issue.path).sort()).toEqual(['', 'cases[0].expected', 'policy']);
    }
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }, 3] })).toBe('{"a":[{"c":2,"d":1},3],"b":1}');
    // (JavaScript lists integer-like keys first, in numeric order, whatever the sort.)
    expect(canonicalJson({ B: 1, a: 1, _: 1, '10': 1, '9': 1 })).toBe('{"9":1,"10":1,"B":1,"_":1,"a":1}');
    expect(canonicalJson({ c: 1, a: 2, b: 3 })).toBe('{"a":2,"b":3,"c":1}');
    expect(canonicalJson({ c: { z: 1, y: 2, x: 3 } })).toBe('{"c":{"x":3,"y":2,"z":1}}');
    expect(canonicalJson([3, 1])).toBe('[3,1]');
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson(null)).toBe('null');
  });
});

// PolicyInputError is what an expected INVALID_FACTS case sees.
export type { PolicyInputError };
