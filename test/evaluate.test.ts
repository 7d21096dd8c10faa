import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleFile, evaluate, explain, PolicyInputError, POLICY_IDS, RuleGapError, RuleSetError, safeEvaluate, UnknownPolicyError } from '../src/index.js';
import { ROOT } from './helpers/case-files.js';

// The engine is tested on a fixture copy of review.approval with thresholds and a start date of its
// own (400,000 and 2,000,000 from 2020-03-01): an analyst's change to rules/ moves only the case files.
const approvalJson = (): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/engine/approval.rules.json'), 'utf8'));
const RULES = approvalJson();
const AS_OF = '2026-01-01';

function inputIssues(run: () => unknown): { code: string; path: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyInputError);
    return (error as PolicyInputError).issues.map(({ code, path }) => ({ code, path }));
  }
  throw new Error('no PolicyInputError was thrown');
}

describe('evaluate', () => {
  it('returns policy, asOf, outcome, basis and trace, synchronously', () => {
    const decision = evaluate('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: AS_OF, rules: RULES });
    expect(decision).toMatchObject({ policy: 'review.approval', asOf: AS_OF, outcome: { authority: 'sales_vp' }, basis: ['REV-6.2'] });
    expect(decision.trace.map((rule) => [rule.rule, rule.fired])).toEqual([
      ['REV-6.5', false],
      ['REV-6.1', false],
      ['REV-6.2', false],
      ['REV-6.1', false],
      ['REV-6.2', true],
    ]);
  });

  it('records each condition with the fact value seen, the operator and what it was compared with', () => {
    const fired = evaluate('review.approval', { amount: 1200000, channel: 'direct' }, { asOf: AS_OF, rules: RULES }).trace.at(-1)!;
    expect(fired.conditions).toMatchObject({
      kind: 'all',
      result: true,
      conditions: [
        { kind: 'fact', fact: 'channel', operator: 'equal', value: 'direct', factValue: 'direct', result: true },
        { kind: 'fact', fact: 'amount', operator: 'greaterThan', value: '400000', valueFrom: 'param.directorLimit', factValue: '1200000', result: true },
        { kind: 'fact', fact: 'amount', operator: 'lessThan', value: '2000000', valueFrom: 'param.vpLimit', factValue: '1200000', result: true },
        { kind: 'fact', fact: 'disputed', operator: 'equal', value: false, factValue: false, result: true },
      ],
    });
    expect(fired.source?.clause).toBe('6.2');
  });

  it('skips the trace with { trace: false } and decides the same', () => {
    const facts = { amount: '1999999.99', channel: 'direct', disputed: true } as const;
    const fast = evaluate('review.approval', facts, { asOf: AS_OF, trace: false, rules: RULES });
    const full = evaluate('review.approval', facts, { asOf: AS_OF, rules: RULES });
    expect(fast.trace).toEqual([]);
    expect({ ...fast, trace: full.trace }).toEqual(full);
  });

  it('gives byte-identical JSON for equal facts, whatever their key order', () => {
    const a = evaluate('review.readiness', { amount: '100', channel: 'direct', terms: ['price'], signoffs: [{ step: 'legal', decision: 'approved', signedBy: 'head' }] }, { asOf: AS_OF });
    const b = evaluate('review.readiness', { signoffs: [{ signedBy: 'head', decision: 'approved', step: 'legal' }], terms: ['price'], channel: 'direct', amount: '100' }, { asOf: AS_OF });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('does not change the facts it is given', () => {
    const facts = { amount: '1200000.50', channel: 'direct' as const, terms: ['price'], signoffs: [] };
    const copy = structuredClone(facts);
    evaluate('review.readiness', facts, { asOf: AS_OF });
    expect(facts).toEqual(copy);
  });

  it('refuses an unknown policy id and lists the known ones', () => {
    expect(() => evaluate('review.aproval' as never, {} as never)).toThrow(UnknownPolicyError);
    try {
      evaluate('review.aproval' as never, {} as never);
    } catch (error) {
      expect((error as UnknownPolicyError).known).toEqual(POLICY_IDS);
      expect((error as UnknownPolicyError).message).toContain('review.approval, review.arbitration');
      expect((error as UnknownPolicyError).code).toBe('UNKNOWN_POLICY');
    }
  });

  it('reports every bad fact with code, dotted path, message, received and expected', () => {
    try {
      evaluate('review.readiness', { amount: -5, channel: 'retail', terms: 'price', signoffs: [{ step: 'legal', decision: 'approved', signedBy: 'boss' }], extra: 1 } as never, { asOf: AS_OF });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyInputError);
      expect((error as PolicyInputError).code).toBe('INVALID_FACTS');
      expect((error as PolicyInputError).issues).toEqual([
        { code: 'custom', path: 'amount', message: 'must not be negative', received: -5, expected: 'a decimal ≥ 0' },
        { code: 'invalid_value', path: 'channel', message: 'expected one of "direct", "distributor"', received: 'retail', expected: 'one of "direct", "distributor"' },
        { code: 'invalid_type', path: 'terms', message: 'expected a list', received: 'price', expected: 'a list' },
        { code: 'invalid_value', path: 'signoffs[0].signedBy', message: 'expected one of "head", "delegate"', received: 'boss', expected: 'one of "head", "delegate"' },
        { code: 'unknown_field', path: 'extra', message: 'unknown field "extra"', received: 1, expected: 'no such field' },
      ]);
    }
  });

  it.each([
    ['facts that are not an object', null, ''],
    ['facts that are a list', [], ''],
    ['an amount that is a boolean', { amount: true, channel: 'direct' }, 'amount'],
    ['a "__proto__" key', JSON.parse('{"__proto__": {"polluted": 1}, "amount": 1, "channel": "direct"}'), '__proto__'],
    ['a "constructor" key', { constructor: 1, amount: 1, channel: 'direct' }, 'constructor'],
  ])('refuses %s with a PolicyInputError', (_name, facts, path) => {
    expect(inputIssues(() => evaluate('review.approval', facts as never, { asOf: AS_OF, rules: RULES })).map((issue) => issue.path)).toContain(path);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('bounds the size of arrays in the facts (options.maxItems)', () => {
    const facts = { amount: 1, channel: 'direct' as const, terms: ['price', 'price', 'price'], signoffs: [] };
    expect(inputIssues(() => evaluate('review.readiness', facts, { asOf: AS_OF, maxItems: 2 }))).toEqual([{ code: 'custom', path: 'terms' }]);
    expect(evaluate('review.readiness', facts, { asOf: AS_OF, maxItems: 3 }).outcome.canSign).toBe(false);
  });
});

describe('options', () => {
  it.each([
    ['an asOf that is not a date', { asOf: 'yesterday' }, 'options.asOf'],
    ['an asOf instant without offset', { asOf: '2026-01-01T10:00:00' }, 'options.asOf'],
    ['an impossible asOf', { asOf: '2026-02-30' }, 'options.asOf'],
    ['an asOf before the first parameter version', { asOf: '2020-02-29' }, 'options.asOf'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'options.timeZone'],
    ['a negative maxItems', { maxItems: -1 }, 'options.maxItems'],
    ['a trace that is not a boolean', { trace: 'yes' }, 'options.trace'],
  ])('refuses %s with INVALID_OPTIONS', (_name, options, path) => {
    try {
      evaluate('review.approval', { amount: 1, channel: 'direct' }, { rules: RULES, ...(options as object) } as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyInputError);
      expect((error as PolicyInputError).code).toBe('INVALID_OPTIONS');
      expect((error as PolicyInputError).issues.map((issue) => issue.path)).toEqual([path]);
    }
  });

  it('reads an asOf instant as the date it falls on in the configured zone', () => {
    // 16:30 UTC on 29 February is already 1 March in Shanghai, the first day of the fixture's parameters.
    expect(evaluate('review.approval', { amount: 1, channel: 'direct' }, { asOf: '2020-02-29T16:30:00Z', rules: RULES }).asOf).toBe('2020-03-01');
    expect(() => evaluate('review.approval', { amount: 1, channel: 'direct' }, { asOf: '2020-02-29T16:30:00Z', timeZone: 'UTC', rules: RULES })).toThrow(PolicyInputError);
  });

  it('defaults asOf to today in the configured zone', () => {
    const decision = evaluate('review.approval', { amount: 1, channel: 'direct' });
    expect(decision.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('custom rules', () => {
  it('a changed threshold changes the decision', () => {
    const rules = approvalJson();
    rules.parameters[0].values.directorLimit = 1_000_000;
    const facts = { amount: '800000', channel: 'direct' } as const;
    expect(evaluate('review.approval', facts, { asOf: AS_OF, rules: RULES }).outcome.authority).toBe('sales_vp');
    expect(evaluate('review.approval', facts, { asOf: AS_OF, rules }).outcome.authority).toBe('marketing_director');
    expect(evaluate('review.approval', facts, { asOf: AS_OF, rules: compileRuleFile(rules, 'org/approval.rules.json') }).outcome.authority).toBe('marketing_director');
  });

  it('picks the parameter version in force on asOf', () => {
    const rules = approvalJson();
    rules.parameters.push({ from: '2027-01-01', values: { ...rules.parameters[0].values, directorLimit: '1000000' } });
    const facts = { amount: '800000', channel: 'direct' } as const;
    expect(evaluate('review.approval', facts, { asOf: '2026-12-31', rules }).outcome.authority).toBe('sales_vp');
    expect(evaluate('review.approval', facts, { asOf: '2027-01-01', rules }).outcome.authority).toBe('marketing_director');
  });

  it('a rule set keyed by policy id reaches policies evaluated inside others', () => {
    const approval = approvalJson();
    approval.parameters[0].values.directorLimit = 1_000_000;
    const facts = { amount: '800000', channel: 'direct' as const, terms: [], signoffs: [] };
    const { missingSteps } = evaluate('review.readiness', facts, { asOf: AS_OF, rules: { 'review.approval': approval } }).outcome;
    expect(missingSteps.at(-1)).toBe('marketing_director');
  });

  it('refuses a rules file for another policy', () => {
    expect(() => evaluate('review.arbitration', { clause: 'price' }, { asOf: AS_OF, rules: approvalJson() })).toThrow(RuleSetError);
  });

  it('refuses a broken custom rules file with a RuleSetError naming where', () => {
    const rules = approvalJson();
    rules.rules[0].conditions.all[0].operator = 'equals';
    expect(() => evaluate('review.approval', { amount: 1, channel: 'direct' }, { asOf: AS_OF, rules })).toThrow(/options\.rules → rules\[0\]\.conditions\.all\[0\]\.operator: unknown operator "equals"/);
  });

  it('a custom rule set with a gap fails loudly instead of guessing', () => {
    const rules = approvalJson();
    rules.rules = rules.rules.filter((rule: { name: string }) => rule.name !== 'REV-6.3');
    expect(() => evaluate('review.approval', { amount: '2500000', channel: 'direct' }, { asOf: AS_OF, rules })).toThrow(RuleGapError);
  });

  it('a custom rule that names an unknown authority is refused when the rules load, naming the JSON path', () => {
    const rules = approvalJson();
    rules.rules[1].event.params.authority = 'ceo';
    expect(() => evaluate('review.approval', { amount: 1, channel: 'distributor' }, { asOf: AS_OF, rules })).toThrow(/options\.rules → rules\[1\]\.event\.params\.authority: expected one of .* \(received "ceo"\)/);
  });
});

describe('safeEvaluate', () => {
  it('returns the decision on success', () => {
    const result = safeEvaluate('review.arbitration', { clause: 'delivery' }, { asOf: AS_OF });
    expect(result.success && result.decision.outcome).toEqual({ decidedBy: 'sales_vp' });
  });

  it('returns the issues instead of throwing for bad facts', () => {
    const result = safeEvaluate('review.arbitration', { clause: 'colour' } as never, { asOf: AS_OF });
    expect(result.success).toBe(false);
    expect(!result.success && result.issues.map((issue) => issue.path)).toEqual(['clause']);
  });
});

describe('explain', () => {
  it('renders the outcome, the clause quoted, and each condition with the value seen', () => {
    expect(explain(evaluate('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: AS_OF, rules: RULES }), { rules: RULES })).toMatchInlineSnapshot(`
      "review.approval (2026-01-01): authority = sales_vp (Sales Vice President); route = technical (Technical Center) → materials (Raw Materials Import/Export Co.) → manufacturing (Manufacturing Center) → quality (Quality Assurance) → finance (Finance) → legal (Legal Affairs) → marketing_director (Marketing Center Director) → sales_vp (Sales Vice President)
      Decided by REV-6.2 — 6.2 「單項合同金額在50-300萬元或50萬元以內有爭議的訂單,評審至銷售副總為止。」
        (Orders of 500,000 to 3,000,000 CNY, or disputed orders of at most 500,000 CNY, are reviewed up to the Sales Vice President.)
        ✓ channel equal "direct" (was "direct")
        ✓ amount greaterThan "400000" [param.directorLimit] (was "1200000")
        ✓ amount lessThan "2000000" [param.vpLimit] (was "1200000")
        ✓ disputed equal false (was false)"
    `);
  });

  it('renders labels in Chinese with { lang: "zh" }', () => {
    const text = explain(evaluate('review.arbitration', { clause: 'quality', firstRulingAccepted: false }, { asOf: AS_OF }), { lang: 'zh' });
    expect(text).toContain('decidedBy = quality_arbitration_group (質量仲裁領導小組)');
    expect(text).toContain('依據 REV-5.1');
  });

  it('says so when no trace was kept', () => {
    expect(explain(evaluate('review.arbitration', { clause: 'price' }, { asOf: AS_OF, trace: false }))).toContain('Decided by REV-5.2 — no trace was kept');
  });
});
