import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rules from '../../rules/follow-up/workflow.rules.json' with { type: 'json' };
import type { FollowUpWorkflowFacts } from '../../src/index.js';
import { evaluate, explain, PolicyInputError, RuleGapError, RuleSetError } from '../../src/index.js';
import { eventIssuesOf } from '../helpers/rule-set-issues.js';

// The paths are read from the rules file itself, so these properties hold for whatever the data says.
const values = rules.parameters[0]!.values;
const NORMAL: readonly string[] = values.normalPath;
const ANOMALY: readonly string[] = values.anomalyPath;
const KNOWN = [...new Set([...NORMAL, ...ANOMALY])];
const asOf = '2026-01-01';

const run = (facts: FollowUpWorkflowFacts, options: { rules?: unknown } = {}) => evaluate('followUp.workflow', facts, { asOf, ...options });

const factsArb = fc.record(
  {
    completed: fc.array(fc.constantFrom(...KNOWN), { maxLength: 20 }),
    anomalyDetected: fc.boolean(),
  },
  { requiredKeys: ['completed'] },
);

describe('followUp.workflow properties (SPEC §3)', () => {
  it('the owner is always order_taker', () => {
    fc.assert(fc.property(factsArb, (facts) => run(facts).outcome.owner === 'order_taker'));
  });

  it('the next stage is never one already completed', () => {
    fc.assert(fc.property(factsArb, (facts) => {
      const { next } = run(facts).outcome;
      return next === null || !facts.completed.includes(next);
    }));
  });

  it('next is the first stage of the path in force not completed; null only when all are done', () => {
    fc.assert(fc.property(factsArb, (facts) => {
      const path = facts.anomalyDetected === true ? ANOMALY : NORMAL;
      const { next } = run(facts).outcome;
      if (next === null) return path.every((stage) => facts.completed.includes(stage));
      const at = path.indexOf(next);
      return at >= 0 && path.slice(0, at).every((stage) => facts.completed.includes(stage));
    }));
  });

  it('outOfOrder stages are completed and after next, in path order, and every such stage is listed', () => {
    fc.assert(fc.property(factsArb, (facts) => {
      const path = facts.anomalyDetected === true ? ANOMALY : NORMAL;
      const { next, outOfOrder } = run(facts).outcome;
      if (next === null) return outOfOrder.length === 0;
      const nextAt = path.indexOf(next);
      const expected = path.filter((stage, index) => index > nextAt && facts.completed.includes(stage));
      return (
        outOfOrder.every((stage) => facts.completed.includes(stage) && path.indexOf(stage) > nextAt) &&
        JSON.stringify(outOfOrder) === JSON.stringify(expected)
      );
    }));
  });

  it('rests on FUP-006.5 with an anomaly and on FUP-4 without', () => {
    fc.assert(fc.property(factsArb, (facts) => {
      const basis = run(facts).basis;
      return JSON.stringify(basis) === JSON.stringify([facts.anomalyDetected === true ? 'FUP-006.5' : 'FUP-4']);
    }));
  });

  it('the order done, repeats, and stages of the other path only do not change the outcome', () => {
    fc.assert(fc.property(factsArb, fc.integer(), (facts, seed) => {
      const path = facts.anomalyDetected === true ? ANOMALY : NORMAL;
      const onPath = [...new Set(facts.completed.filter((stage) => path.includes(stage)))];
      // A fixed reordering that depends on the seed: rotate the list.
      const shift = onPath.length === 0 ? 0 : Math.abs(seed) % onPath.length;
      const reordered = [...onPath.slice(shift), ...onPath.slice(0, shift)];
      const a = run(facts).outcome;
      const b = run({ ...facts, completed: reordered }).outcome;
      return JSON.stringify(a) === JSON.stringify(b);
    }));
  });

  it('every stage on neither path is an input error naming completed[i], and only those', () => {
    const unknownStage = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !KNOWN.includes(s));
    const entry = fc.oneof(fc.constantFrom(...KNOWN), unknownStage);
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), fc.boolean(), (completed, anomalyDetected) => {
      const bad = completed.flatMap((stage, index) => (KNOWN.includes(stage) ? [] : [`completed[${index}]`]));
      fc.pre(bad.length > 0);
      try {
        run({ completed, anomalyDetected });
        return false;
      } catch (error) {
        return error instanceof PolicyInputError && JSON.stringify(error.issues.map((issue) => issue.path)) === JSON.stringify(bad);
      }
    }));
  });

  it('tells which stages a completed stage may be', () => {
    try {
      run({ completed: ['review_order', 'dance'] });
      expect.unreachable();
    } catch (error) {
      expect((error as PolicyInputError).issues).toEqual([
        { code: 'invalid_value', path: 'completed[1]', message: 'unknown stage "dance": it is on neither follow-up path', received: 'dance', expected: `one of ${KNOWN.join(', ')}` },
      ]);
    }
  });

  it('refuses more completed stages than options.maxItems before reading them', () => {
    try {
      evaluate('followUp.workflow', { completed: ['review_order', 'coordinate_departments', 'archive'] }, { asOf, maxItems: 2 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyInputError);
      expect((error as PolicyInputError).issues.map((issue) => issue.path)).toEqual(['completed']);
    }
  });

  it('equal facts give byte-identical decisions', () => {
    fc.assert(fc.property(factsArb, (facts) => JSON.stringify(run(facts)) === JSON.stringify(run(structuredClone(facts)))));
  });
});

describe('followUp.workflow data', () => {
  it('labels every stage of both paths in English and Chinese, for next and outOfOrder', () => {
    for (const field of ['next', 'outOfOrder'] as const) {
      const labels: Record<string, { en: string; zh: string }> = rules.labels[field];
      for (const stage of KNOWN) {
        expect(labels[stage]?.en, `${field}.${stage}.en`).toMatch(/\S/);
        expect(labels[stage]?.zh, `${field}.${stage}.zh`).toMatch(/\p{Script=Han}/u);
      }
    }
    expect(rules.labels.owner.order_taker.zh).toMatch(/\p{Script=Han}/u);
  });

  it('explain renders the labels in the language asked for', () => {
    const decision = run({ completed: ['review_order', 'follow_stay'] });
    const zh = explain(decision, { lang: 'zh' });
    expect(zh).toContain('next = coordinate_departments (与接待部门协商、确认)');
    expect(zh).toContain('outOfOrder = follow_stay (跟进客人在店消费过程)');
    expect(zh).toContain('依據 FUP-4 — 4 订单跟进工作流程 「查看订单 → 与接待部门协商、确认');
    expect(zh).toContain('✓ anomalyDetected equal false (取值 false)');
    expect(zh).not.toMatch(/Agree and confirm|\(was /);
    const en = explain(decision, { lang: 'en' });
    expect(en).toContain('next = coordinate_departments (Agree and confirm with the receiving departments)');
  });

  it('takes the paths from the rules file: a custom anomalyPath changes the next stage', () => {
    const custom = structuredClone(rules);
    custom.parameters[0]!.values.anomalyPath = ['review_order', 'report_to_manager', 'coordinate_departments', 'liaise_with_client'];
    const decision = run({ completed: ['review_order'], anomalyDetected: true }, { rules: custom });
    expect(decision.outcome).toEqual({ next: 'report_to_manager', owner: 'order_taker', outOfOrder: [] });
    // The bundled rules are untouched.
    expect(run({ completed: ['review_order'], anomalyDetected: true }).outcome.next).toBe('coordinate_departments');
  });

  it('refuses a custom path with an unknown or repeated stage as a rule gap', () => {
    const unknown = structuredClone(rules);
    unknown.parameters[0]!.values.normalPath = ['review_order', 'check_in'];
    expect(() => run({ completed: [] }, { rules: unknown })).toThrow(RuleGapError);
    const repeated = structuredClone(rules);
    repeated.parameters[0]!.values.normalPath = ['review_order', 'review_order'];
    expect(() => run({ completed: [] }, { rules: repeated })).toThrow(/repeats stage review_order/);
  });

  it('names the unknown stage of a custom path and the stages it may hold', () => {
    const unknown = structuredClone(rules);
    unknown.parameters[0]!.values.normalPath = ['review_order', 'check_in'];
    expect(() => run({ completed: [] }, { rules: unknown })).toThrow(
      new RuleGapError('followUp.workflow', 'parameter normalPath[1] is "check_in": expected one of review_order, coordinate_departments, confirm_fulfilment, report_to_manager, liaise_with_client, follow_stay, relay_feedback, archive, visit_client'),
    );
  });

  const PATHS = 'expected one of "param.normalPath", "param.anomalyPath"';
  it.each<[string, unknown, [string, string]]>([
    ['a bare name', 'normalPath', ['rules[0].event.params.path', 'expected an object (received "normalPath")']],
    ['null', null, ['rules[0].event.params.path', 'expected an object (received null)']],
    ['an object without fact', {}, ['rules[0].event.params.path.fact', `required: ${PATHS}`]],
  ])('refuses at load a rule whose event.params.path is %s, saying what it must be', (_name, path, issue) => {
    const custom = structuredClone(rules) as { rules: { event: { params: Record<string, unknown> } }[] };
    custom.rules[0]!.event.params['path'] = path;
    expect(eventIssuesOf(() => run({ completed: [] }, { rules: custom }))).toEqual([issue]);
  });

  // A fact reference in event params is checked by the loader first, before the policy's event schema.
  it.each<[string, unknown, string, string]>([
    ['a fact that is not text', { fact: 42 }, 'fact_in_event_params', 'rules[0].event.params.path'],
    ['a fact without the param. prefix', { fact: 'normalPath' }, 'fact_in_event_params', 'rules[0].event.params.path'],
    ['a parameter the file does not declare', { fact: 'param.otherPath' }, 'unknown_parameter', 'rules[0].event.params.path.fact'],
  ])('refuses at load a rule whose event.params.path is %s (the loader)', (_name, path, code, at) => {
    const custom = structuredClone(rules) as { rules: { event: { params: Record<string, unknown> } }[] };
    custom.rules[0]!.event.params['path'] = path;
    expect(() => run({ completed: [] }, { rules: custom })).toThrow(RuleSetError);
    try {
      run({ completed: [] }, { rules: custom });
    } catch (error) {
      expect((error as RuleSetError).issues.map((issue) => [issue.code, issue.path])).toEqual([[code, at]]);
    }
  });
});
