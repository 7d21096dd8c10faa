import { Engine, Rule } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { runRules, runVersion } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { RuleSetError } from '../../src/core/errors.js';
import type { Decision } from '../../src/core/policy.js';
import { MAX_RULE_CONDITIONS, MAX_RULE_FILE_DEPTH } from '../../src/core/rule-file.js';
import type { ComparisonTrace, ConditionTrace, RuleTrace } from '../../src/core/trace.js';
import { explain } from '../../src/explain.js';
import { ruleFileOf } from '../helpers/rule-file.js';

// What json-rules-engine writes itself must load: rule.toJSON() (names and priorities on
// conditions), and rules that refer to conditions shared with engine.setCondition, which a rules
// file gives in its "conditions" block.

const FACTS = ['age', 'country', 'person', 'limit'];

function load(file: Record<string, unknown>) {
  return compileRuleFile(file, 'shared.rules.json');
}

function issues(file: Record<string, unknown>): { code: string; path: string }[] {
  try {
    load(file);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return (error as RuleSetError).issues.map(({ code, path }) => ({ code, path }));
  }
  throw new Error('the rules file was accepted');
}

async function jreFired(rules: readonly unknown[], facts: Record<string, unknown>, shared: Record<string, unknown> = {}): Promise<string[]> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, condition] of Object.entries(shared)) engine.setCondition(name, structuredClone(condition) as never);
  for (const rule of rules) engine.addRule(structuredClone(rule) as never);
  return (await engine.run(structuredClone(facts))).results.map((r) => String(r.name)).sort();
}

function oursFired(file: Record<string, unknown>, facts: Record<string, unknown>): string[][] {
  const version = load(file).versions[0]!;
  const closures = compileRuleFile(file, 'shared.rules.json', { generate: false }).versions[0]!;
  return [
    runRules(version.rules, facts, { firstHit: false, trace: false }),
    runRules(version.rules, facts, { firstHit: false, trace: true }),
    runVersion(version, facts, { firstHit: false, trace: false }),
    runVersion(closures, facts, { firstHit: false, trace: false }),
  ].map((run) => run.fired.map((r) => r.name).sort());
}

function leaves(node: ConditionTrace): ComparisonTrace[] {
  if (node.kind === 'fact') return [node];
  return node.kind === 'not' ? leaves(node.condition) : node.conditions.flatMap(leaves);
}

const FACT_SETS: Record<string, unknown>[] = [{ age: 20, country: 'NZ' }, { age: 17, country: 'NZ' }, { age: 30, country: 'US' }, {}, { age: '21', person: { name: '' } }];

describe('rules written by json-rules-engine load', () => {
  const written = new Rule({
    name: 'adult-in-nz',
    priority: 3,
    conditions: { all: [{ name: 'isAdult', fact: 'age', operator: 'greaterThanInclusive', value: 18 }, { name: 'inNz', priority: 2, any: [{ fact: 'country', operator: 'equal', value: 'NZ' }] }] },
    event: { type: 'welcome', params: { tier: 'gold' } },
  }).toJSON(false) as unknown as Record<string, unknown>;

  it('rule.toJSON() output (names and priorities on conditions) loads and fires as json-rules-engine fires it', async () => {
    expect(JSON.stringify(written)).toContain('"priority":1,"all"'); // toJSON writes a priority on every group
    const file = ruleFileOf([written], FACTS);
    for (const facts of FACT_SETS) {
      const expected = await jreFired([written], facts);
      for (const fired of oursFired(file, facts)) expect({ facts, fired }).toEqual({ facts, fired: expected });
    }
  });

  it('keeps a condition name and shows it in the trace and in explain', () => {
    const version = load(ruleFileOf([written], FACTS)).versions[0]!;
    const [rule] = runRules(version.rules, { age: 20, country: 'NZ' }, { firstHit: false, trace: true }).trace;
    const conditions = rule!.conditions;
    expect(conditions.kind === 'all' && conditions.conditions.map((c) => c.name)).toEqual(['isAdult', 'inNz']);
    expect(explainTrace(rule!)).toBe(['test.shared (2026-01-01): null', 'Decided by adult-in-nz', '  ✓ [isAdult] age greaterThanInclusive 18 (was 20)', '  ✓ [inNz] any of:', '    ✓ country equal "NZ" (was "NZ")'].join('\n'));
  });
});

describe('shared conditions: a "conditions" block, referred to by { "condition": name }', () => {
  const shared = {
    adult: { all: [{ fact: 'age', operator: 'greaterThanInclusive', value: 18 }] },
    local: { any: [{ fact: 'country', operator: 'in', value: ['NZ', 'AU'] }] },
    adultLocal: { all: [{ condition: 'adult' }, { condition: 'local' }] },
  };
  const rules = [
    { name: 'r-root', conditions: { condition: 'adultLocal' }, event: { type: 'a' } },
    { name: 'r-nested', priority: 2, conditions: { any: [{ not: { condition: 'adult' } }, { name: 'isUs', fact: 'country', operator: 'equal', value: 'US' }] }, event: { type: 'b' } },
    { name: 'r-ref-named', conditions: { all: [{ condition: 'local', name: 'fromHere', priority: 5 }] }, event: { type: 'c' } },
  ];

  it('fire as json-rules-engine fires them with engine.setCondition', async () => {
    const file = { ...ruleFileOf(rules, FACTS), conditions: shared };
    for (const facts of FACT_SETS) {
      const expected = await jreFired(rules, facts, shared);
      for (const fired of oursFired(file, facts)) expect({ facts, fired }).toEqual({ facts, fired: expected });
    }
  });

  it('are written out in place, carrying the name they are shared under (a reference may rename)', () => {
    const version = load({ ...ruleFileOf(rules, FACTS), conditions: shared }).versions[0]!;
    const trace = runRules(version.rules, { age: 20, country: 'NZ' }, { firstHit: false, trace: true }).trace;
    const root = trace.find((r) => r.rule === 'r-root')!.conditions;
    expect(root).toMatchObject({ kind: 'all', name: 'adultLocal', result: true, conditions: [{ kind: 'all', name: 'adult' }, { kind: 'any', name: 'local' }] });
    expect(trace.find((r) => r.rule === 'r-ref-named')!.conditions).toMatchObject({ kind: 'all', conditions: [{ kind: 'any', name: 'fromHere' }] });
  });

  it('a shared condition written out many times is measured, not expanded: a doubling chain is refused', () => {
    // c0 is one comparison; each c(i+1) is c(i) twice, so c40 written out would be 2^40 comparisons.
    const doubling: Record<string, unknown> = { c0: { all: [{ fact: 'age', operator: 'equal', value: 1 }] } };
    for (let i = 0; i < 40; i++) doubling[`c${i + 1}`] = { all: [{ condition: `c${i}` }, { condition: `c${i}` }] };
    const file = { ...ruleFileOf([{ name: 'r', conditions: { condition: 'c40' }, event: { type: 'e' } }], FACTS), conditions: doubling };
    expect(issues(file)).toEqual([{ code: 'too_many_conditions', path: 'rules[0].conditions' }]);
    expect(MAX_RULE_CONDITIONS).toBe(10_000);
  });

  it('a chain of shared conditions deeper than a file may nest is refused', () => {
    const chain: Record<string, unknown> = { c0: { all: [{ fact: 'age', operator: 'equal', value: 1 }] } };
    for (let i = 0; i < MAX_RULE_FILE_DEPTH; i++) chain[`c${i + 1}`] = { not: { condition: `c${i}` } };
    const file = { ...ruleFileOf([{ name: 'r', conditions: { condition: `c${MAX_RULE_FILE_DEPTH}` } , event: { type: 'e' } }], FACTS), conditions: chain };
    expect(issues(file)).toEqual([{ code: 'too_deep', path: 'rules[0].conditions' }]);
  });

  it('refuses every cycle and unknown name with the path of the reference', () => {
    const file = {
      ...ruleFileOf([{ name: 'r', conditions: { all: [{ condition: 'loop' }, { condition: 'nowhere' }] }, event: { type: 'e' } }], FACTS),
      conditions: { loop: { any: [{ condition: 'loop' }] } },
    };
    expect(issues(file)).toEqual([
      { code: 'condition_cycle', path: 'conditions.loop.any[0].condition' },
      { code: 'unknown_condition', path: 'rules[0].conditions.all[1].condition' },
    ]);
  });
});

describe('undefined facts: as json-rules-engine with allowUndefinedFacts, marked missing in the trace', () => {
  const rules = [
    {
      name: 'r',
      conditions: {
        all: [
          { fact: 'age', operator: 'notEqual', value: 18 },
          { fact: 'person', path: '$.name', operator: 'notIn', value: ['x'] },
          { fact: 'country', operator: 'equal', value: { fact: 'limit' } }, // undefined === undefined
          { fact: 'country', operator: 'equal', value: { fact: 'person', path: '$.home' } },
        ],
      },
      event: { type: 'e' },
    },
  ];

  it('fires as json-rules-engine with allowUndefinedFacts: true does, and its default refuses the run', async () => {
    const facts = { person: {} };
    expect(await jreFired(rules, facts)).toEqual(['r']);
    for (const fired of oursFired(ruleFileOf(rules, FACTS), facts)) expect(fired).toEqual(['r']);
    const strict = new Engine([structuredClone(rules[0]) as never]);
    await expect(strict.run(structuredClone(facts))).rejects.toThrow('Undefined fact: age');
  });

  it('says which fact was missing, and whether the fact or only its path', () => {
    const version = load(ruleFileOf(rules, FACTS)).versions[0]!;
    const [rule] = runRules(version.rules, { person: {} }, { firstHit: false, trace: true }).trace;
    const marks = leaves(rule!.conditions).map((leaf) => ({ missing: leaf.missing, valueMissing: leaf.valueMissing, hasFactValue: 'factValue' in leaf, hasValue: 'value' in leaf }));
    expect(marks).toEqual([
      { missing: 'fact', valueMissing: undefined, hasFactValue: false, hasValue: true },
      { missing: 'path', valueMissing: undefined, hasFactValue: false, hasValue: true },
      { missing: 'fact', valueMissing: 'fact', hasFactValue: false, hasValue: false },
      { missing: 'fact', valueMissing: 'path', hasFactValue: false, hasValue: false },
    ]);
    expect(explainTrace(rule!).split('\n').slice(2)).toEqual([
      '  ✓ age notEqual 18 (was missing)',
      '  ✓ person$.name notIn ["x"] (nothing at $.name)',
      '  ✓ country equal missing [limit] (was missing)',
      '  ✓ country equal missing [person at $.home] (was missing)',
    ]);
  });

  it('a path into a parameter that leads nowhere is marked as the path missing, on either side', () => {
    const rules = [{ name: 'p', conditions: { all: [{ fact: 'age', operator: 'equal', value: { fact: 'param.shape', path: '$.nowhere' } }, { fact: 'param.shape', path: '$.none', operator: 'notEqual', value: 1 }] }, event: { type: 'e' } }];
    const file = ruleFileOf(rules, FACTS, 'collect-all', { info: { shape: { type: 'object', description: 'a parameter object' } }, values: { shape: { value: { a: 1 } } } });
    const [rule] = runRules(load(file).versions[0]!.rules, {}, { firstHit: false, trace: true }).trace;
    expect(leaves(rule!.conditions).map((leaf) => [leaf.missing, leaf.valueMissing])).toEqual([['fact', 'path'], ['path', undefined]]);
    // The fact there, the parameter's path missing: only the value is marked, on every call.
    const [present] = runRules(load(file).versions[0]!.rules, { age: 5 }, { firstHit: false, trace: true }).trace;
    expect(leaves(present!.conditions).map((leaf) => [leaf.factValue, leaf.missing, leaf.valueMissing])).toEqual([[5, undefined, 'path'], [undefined, 'path', undefined]]);
  });

  it.each([
    ['a fact compared with a parameter', { fact: 'age', operator: 'greaterThan', value: { fact: 'param.shape', path: '$.a' } }, { age: 5 }, { fact: 'age', factValue: 5, value: 1, valueFrom: 'param.shape at $.a', result: true }],
    ['a path into a fact compared with a parameter', { fact: 'person', path: '$.age', operator: 'greaterThan', value: { fact: 'param.shape', path: '$.a' } }, { person: { age: 0 } }, { fact: 'person', path: '$.age', factValue: 0, value: 1, valueFrom: 'param.shape at $.a', result: false }],
    ['a path into a fact compared with another fact', { fact: 'person', path: '$.age', operator: 'lessThan', value: { fact: 'limit' } }, { person: { age: 3 }, limit: 4 }, { fact: 'person', path: '$.age', factValue: 3, value: 4, valueFrom: 'limit', result: true }],
    ['a fact compared with another fact that is missing', { fact: 'age', operator: 'lessThan', value: { fact: 'limit' } }, { age: 3 }, { fact: 'age', factValue: 3, valueMissing: 'fact', valueFrom: 'limit', result: false }],
    ['a named comparison with another fact', { name: 'young', fact: 'age', operator: 'lessThan', value: { fact: 'limit' } }, { age: 3, limit: 4 }, { name: 'young', fact: 'age', factValue: 3, value: 4, valueFrom: 'limit', result: true }],
    ['a named comparison with a parameter', { name: 'old', fact: 'age', operator: 'greaterThan', value: { fact: 'param.shape', path: '$.a' } }, { age: 5 }, { name: 'old', fact: 'age', factValue: 5, value: 1, valueFrom: 'param.shape at $.a', result: true }],
  ])('the trace of %s shows both sides and where the value came from', (_name, condition, facts, expected) => {
    const file = ruleFileOf([{ name: 'p', conditions: { all: [condition] }, event: { type: 'e' } }], FACTS, 'collect-all', { info: { shape: { type: 'object', description: 'a parameter object' } }, values: { shape: { value: { a: 1 } } } });
    const [rule] = runRules(load(file).versions[0]!.rules, facts, { firstHit: false, trace: true }).trace;
    expect(leaves(rule!.conditions)).toEqual([{ kind: 'fact', operator: condition.operator, ...expected }]);
  });

  it('a value that is there is never marked, even a falsy one', () => {
    const version = load(ruleFileOf(rules, FACTS)).versions[0]!;
    const [rule] = runRules(version.rules, { age: 0, person: { name: null, home: '' }, country: '', limit: false }, { firstHit: false, trace: true }).trace;
    expect(leaves(rule!.conditions).map((leaf) => [leaf.factValue, leaf.value])).toEqual([[0, 18], [null, ['x']], ['', false], ['', '']]);
    for (const leaf of leaves(rule!.conditions)) expect({ missing: leaf.missing, valueMissing: leaf.valueMissing }).toEqual({ missing: undefined, valueMissing: undefined });
  });
});

function explainTrace(rule: RuleTrace): string {
  const decision: Decision<null> = { policy: 'test.shared', asOf: '2026-01-01', outcome: null, basis: [rule.rule], trace: [rule] };
  return explain(decision, { all: true });
}
