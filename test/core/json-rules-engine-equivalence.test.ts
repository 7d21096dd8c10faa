import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { runRules, runVersion } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import type { RuleSetIssue } from '../../src/core/errors.js';
import { RuleSetError } from '../../src/core/errors.js';
import { OPERATORS } from '../../src/core/operators.js';
import { ruleFileOf } from '../helpers/rule-file.js';

// The compiled evaluator must fire exactly the rules json-rules-engine fires, with the same
// events, on the same plain JSON facts. json-rules-engine 7.3.1 keeps state between runs
// (TOOLCHAIN.md), so each reference run gets a fresh engine and is awaited on its own.

const FACTS = ['f0', 'f1', 'f2', 'f3'] as const;
// Steps into strings (`length`, an index, the empty string's missing length) are accepted and must
// answer as json-rules-engine's jsonpath-plus does; a step named `$` and an index with a leading zero
// are read differently by jsonpath-plus, so they must be refused at load, never answered.
const ACCEPTED_PATHS = ['$.a', '$.b', '$.a.b', '$.a[0]', '$[0]', '$[2]', '$.length', '$.x.y', '$.a.length', '$.a[1]', '$[0].length', '$.$a', '$.a[10]'];
const REFUSED_PATHS = ['$.$', '$.a.$', '$.$.a', '$.a[01]', '$[00]', '$[01].length'];
const path = fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...ACCEPTED_PATHS) }, { weight: 1, arbitrary: fc.constantFrom(...REFUSED_PATHS) });

const scalar = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom('', 'abc', 0, 3), // strings a path steps into (and their lengths), empty and not
  fc.constantFrom(0.5, -1.5, 10.25, 1e3),
  fc.constantFrom('10', '9', '9.5', '-3', '1e1', '', 'a', 'b', 'abc', ' 7 ', '01'),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'x', '$', '$a', '01', '1', 'length'), tie('value'), { maxKeys: 3, noNullPrototype: true }),
})).value;

const factReference = fc.record({ fact: fc.constantFrom(...FACTS), path: fc.option(path, { nil: undefined }) }, { requiredKeys: ['fact'] });

const comparison = fc
  .record({
    fact: fc.constantFrom(...FACTS),
    operator: fc.constantFrom(...OPERATORS),
    path: fc.option(path, { nil: undefined }),
    literal: value,
    list: fc.array(scalar, { maxLength: 4 }),
    reference: factReference,
    useReference: fc.boolean(),
  })
  .map(({ fact, operator, path, literal, list, reference, useReference }) => {
    const compareWith = operator === 'in' || operator === 'notIn' ? list : useReference ? dropUndefined(reference) : literal;
    return dropUndefined({ fact, operator, value: compareWith, path });
  });

type Node = Record<string, unknown>;

// What json-rules-engine's rule.toJSON() writes on conditions: a name, and a priority (which orders
// its evaluation, never its result). Added now and then, to any condition.
function annotated(arbitrary: fc.Arbitrary<Node>): fc.Arbitrary<Node> {
  return fc
    .tuple(arbitrary, fc.option(fc.constantFrom('n0', 'n1'), { nil: undefined, freq: 4 }), fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 4 }))
    .map(([node, name, priority]) => ({ ...node, ...(name === undefined ? {} : { name }), ...(priority === undefined ? {} : { priority }) }));
}

// Shared conditions (engine.setCondition / the "conditions" block): s1 may use s0.
const SHARED = ['s0', 's1'] as const;
const sharedGroup = (leaf: fc.Arbitrary<Node>): fc.Arbitrary<Node> =>
  fc.oneof(fc.array(leaf, { minLength: 1, maxLength: 3 }).map((all) => ({ all })), fc.array(leaf, { minLength: 1, maxLength: 3 }).map((any) => ({ any })), leaf.map((not) => ({ not })));
const sharedBlock = fc
  .tuple(sharedGroup(comparison), sharedGroup(fc.oneof(comparison, fc.constant<Node>({ condition: 's0' }))))
  .map(([s0, s1]) => ({ s0, s1 }));
const reference = annotated(fc.constantFrom(...SHARED).map((condition): Node => ({ condition })));

const condition: fc.Arbitrary<Node> = fc.letrec<{ node: Node; group: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 3 }, annotated(comparison), comparison, tie('group'), { arbitrary: reference, weight: 1 }),
  group: annotated(
    fc.oneof(
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
      fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
      tie('node').map((not) => ({ not })),
    ),
  ),
})).group;

// Rules often begin with the same test (`kind === "lease"` and then more): the generated kernel
// then tests it once for all of them (a decision tree), so some rule sets share leading conditions.
const ruleSet = fc
  .tuple(
    fc.array(
      fc.record({ priority: fc.integer({ min: 1, max: 3 }), conditions: condition, params: fc.dictionary(fc.constantFrom('k', 'n'), scalar, { maxKeys: 2, noNullPrototype: true }), shared: fc.nat({ max: 2 }) }),
      { minLength: 1, maxLength: 5 },
    ),
    fc.array(comparison, { minLength: 2, maxLength: 2 }),
  )
  .map(([rules, prefix]) => rules.map(({ shared, ...rule }) => (shared === 0 ? rule : { ...rule, conditions: { all: [...prefix.slice(0, shared), rule.conditions] } })));
const factsObject = fc.record(Object.fromEntries(FACTS.map((name) => [name, value])) as Record<(typeof FACTS)[number], fc.Arbitrary<unknown>>, {
  requiredKeys: [],
  noNullPrototype: true,
});

function dropUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

async function referenceRun(rules: readonly Node[], facts: Record<string, unknown>, shared: Record<string, Node> = {}): Promise<{ fired: string[]; events: unknown[] }> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, conditions] of Object.entries(shared)) engine.setCondition(name, structuredClone(conditions) as never);
  for (const rule of rules) engine.addRule(structuredClone(rule) as never);
  const { events, results } = await engine.run(structuredClone(facts));
  return { fired: results.map((r) => String(r.name)).sort(), events: sortEvents(events) };
}

function sortEvents(events: readonly unknown[]): unknown[] {
  return [...events].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Every refused path in the rules, in the order the loader meets them (a condition's own path before its value's). */
function refusedPathsIn(rules: readonly unknown[]): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'path' && typeof child === 'string' && REFUSED_PATHS.includes(child)) found.push(child);
        else if (key !== 'params') visit(child);
      }
    }
  };
  visit(rules);
  return found;
}

function loadIssues(file: unknown): RuleSetIssue[] {
  try {
    compileRuleFile(file, 'generated.rules.json');
  } catch (error) {
    if (error instanceof RuleSetError) return [...error.issues];
    throw error;
  }
  return [];
}

let refusedRuleSets = 0;
let generatedRuleSets = 0;
let generatedFacts = 0;
let runsWithAFiredRule = 0;

describe('the compiled evaluator against json-rules-engine', () => {
  it('fires the same rules with the same events on random rule sets and facts', async () => {
    await fc.assert(
      fc.asyncProperty(ruleSet, sharedBlock, fc.array(factsObject, { minLength: 1, maxLength: 4 }), async (generated, shared, factSets) => {
        generatedRuleSets++;
        const rules = generated.map((r, i) => ({ name: `r${i}`, priority: r.priority, conditions: r.conditions, event: { type: `e${i}`, params: r.params } }));
        const file = { ...ruleFileOf(rules, FACTS), conditions: shared };
        // The loader meets the shared conditions first (each is checked once), then the rules.
        const refused = [...refusedPathsIn(Object.values(shared)), ...refusedPathsIn(rules)];
        if (refused.length > 0) {
          refusedRuleSets++;
          const issues = loadIssues(file);
          expect(issues.map((issue) => issue.code)).toEqual(refused.map(() => 'invalid_path'));
          expect(issues.map((issue) => issue.path.slice(issue.path.lastIndexOf('.') + 1))).toEqual(refused.map(() => 'path'));
          return;
        }
        const compiled = compileRuleFile(file, 'generated.rules.json');
        const version = compiled.versions[0]!;
        const closuresOnly = compileRuleFile(file, 'generated.rules.json', { generate: false }).versions[0]!;
        for (const facts of factSets) {
          generatedFacts++;
          const expected = await referenceRun(rules, facts, shared);
          if (expected.fired.length > 0) runsWithAFiredRule++;
          // The closures without and with a trace, and the generated kernel, must all agree with it.
          const runs = [
            runRules(version.rules, facts, { firstHit: false, trace: false }),
            runRules(version.rules, facts, { firstHit: false, trace: true }),
            runVersion(version, facts, { firstHit: false, trace: false }),
            runVersion(closuresOnly, facts, { firstHit: false, trace: false }),
          ];
          for (const { fired } of runs) {
            expect({ fired: fired.map((r) => r.name).sort(), events: sortEvents(fired.map((r) => r.definition.event)) }).toEqual(expected);
          }
          expect(runVersion(version, facts, { firstHit: true, trace: false }).fired).toEqual(runs[0]!.fired.slice(0, 1));
          expect(runVersion(closuresOnly, facts, { firstHit: true, trace: false }).fired.map((r) => r.index)).toEqual(runs[0]!.fired.slice(0, 1).map((r) => r.index));
        }
      }),
      { numRuns: 4000 },
    );
    // The generator must exercise both sides: runs where rules fire and runs where none does.
    expect(runsWithAFiredRule / generatedFacts).toBeGreaterThan(0.2);
    expect(runsWithAFiredRule / generatedFacts).toBeLessThan(0.95);
    // …and the refused path shapes, often enough to matter, never so often that they crowd out the rest.
    expect(refusedRuleSets / generatedRuleSets).toBeGreaterThan(0.05);
    expect(refusedRuleSets / generatedRuleSets).toBeLessThan(0.5);
    console.info(`json-rules-engine equivalence: ${generatedRuleSets} rule sets (${refusedRuleSets} refused at load for a path shape), ${generatedFacts} fact objects, ${runsWithAFiredRule} with a rule fired`);
  });

  it('agrees on the cases that are easy to get wrong', async () => {
    const tricky: [Node, Record<string, unknown>][] = [
      [{ fact: 'f0', operator: 'lessThan', value: 9 }, { f0: '10' }], // "10" coerces to 10
      [{ fact: 'f0', operator: 'lessThan', value: '9' }, { f0: '10' }], // string order: "10" < "9"
      [{ fact: 'f0', operator: 'greaterThan', value: 1 }, { f0: '12abc' }], // parseFloat passes, < on NaN fails
      [{ fact: 'f0', operator: 'lessThan', value: 5 }, { f0: [3] }], // [3] coerces to 3
      [{ fact: 'f0', operator: 'equal', value: 'x', path: '$.a' }, { f0: 'x' }], // a path on a non-object returns the value
      [{ fact: 'f0', operator: 'equal', value: 3, path: '$.length' }, { f0: [1, 2, 3] }],
      [{ fact: 'f0', operator: 'equal', value: { fact: 'f0' } }, { f0: { a: 1 } }], // same reference
      [{ fact: 'f0', operator: 'contains', value: 'a' }, { f0: 'abc' }], // contains needs an array
      [{ fact: 'f0', operator: 'in', value: [null] }, {}], // missing is undefined, not null
      [{ fact: 'f1', operator: 'notIn', value: [1] }, {}],
      [{ fact: 'f0', operator: 'equal', value: 0, path: '$.a.length' }, { f0: { a: '' } }], // jsonpath-plus: '' has no length
      [{ fact: 'f0', operator: 'notEqual', value: 0, path: '$.a.length' }, { f0: { a: '' } }],
      [{ fact: 'f0', operator: 'equal', value: 3, path: '$.a.length' }, { f0: { a: 'abc' } }],
      [{ fact: 'f0', operator: 'equal', value: 'b', path: '$.a[1]' }, { f0: { a: 'abc' } }],
      [{ fact: 'f0', operator: 'equal', value: 2, path: '$.$a' }, { f0: { $a: 2 } }],
    ];
    for (const [leaf, facts] of tricky) {
      const rules = [{ name: 'r0', conditions: { all: [leaf] }, event: { type: 'e0' } }];
      const version = compileRuleFile(ruleFileOf(rules, FACTS), 't.rules.json').versions[0]!;
      const expected = (await referenceRun(rules, facts)).fired;
      expect({ leaf, fired: runRules(version.rules, facts, { firstHit: false, trace: false }).fired.map((r) => r.name) }).toEqual({ leaf, fired: expected });
      expect({ leaf, fired: runVersion(version, facts, { firstHit: false, trace: false }).fired.map((r) => r.name) }).toEqual({ leaf, fired: expected });
    }
  });

  it('the refused path shapes are ones json-rules-engine reads unlike a plain step', async () => {
    // [path, facts, what a plain step-by-step read finds]: json-rules-engine finds something else.
    const cases: [string, Record<string, unknown>, unknown][] = [
      ['$.$', { f0: { $: 1 } }, 1], // jsonpath-plus: "$" is the value so far, the whole object
      ['$.a.$', { f0: { a: [5] } }, undefined], // …so this is f0.a, [5]
      ['$.$.a', { f0: { $: { a: 3 }, a: 4 } }, 3], // …and this f0.a, 4
      ['$.a[01]', { f0: { a: [10, 11] } }, 11], // "01" is a key: an array has none
      ['$[00]', { f0: ['x'] }, 'x'],
    ];
    for (const [path, facts, plain] of cases) {
      const rules = [{ name: 'r0', conditions: { all: [{ fact: 'f0', path, operator: 'equal', value: { fact: 'f1' } }] }, event: { type: 'e0' } }];
      expect({ path, fired: (await referenceRun(rules, { ...facts, f1: plain })).fired }).toEqual({ path, fired: [] });
      expect(loadIssues(ruleFileOf(rules, FACTS)).map((issue) => [issue.code, issue.path])).toEqual([['invalid_path', 'rules[0].conditions.all[0].path']]);
    }
  });

  it('reads facts the facts object inherits, with or without a path, as json-rules-engine does', async () => {
    // json-rules-engine takes facts with for…in; only names Object.prototype has are read as own.
    const facts = Object.create({ f0: { a: 'x', b: 'x' }, f1: 'x' }) as Record<string, unknown>;
    const conditions = [
      { fact: 'f0', path: '$.a', operator: 'equal', value: 'x' },
      { fact: 'f0', path: '$.a', operator: 'equal', value: { fact: 'f0', path: '$.b' } },
      { fact: 'f1', operator: 'equal', value: 'x' },
      { fact: 'f1', operator: 'equal', value: { fact: 'f0', path: '$.b' } },
    ];
    const rules = conditions.map((leaf, i) => ({ name: `r${i}`, conditions: { all: [leaf] }, event: { type: `e${i}` } }));
    const engine = new Engine([], { allowUndefinedFacts: true });
    for (const rule of rules) engine.addRule(structuredClone(rule) as never);
    const expected = (await engine.run(facts)).results.map((r) => String(r.name)).sort();
    expect(expected).toEqual(['r0', 'r1', 'r2', 'r3']);
    const version = compileRuleFile(ruleFileOf(rules, FACTS), 't.rules.json').versions[0]!;
    const closuresOnly = compileRuleFile(ruleFileOf(rules, FACTS), 't.rules.json', { generate: false }).versions[0]!;
    for (const run of [
      runRules(version.rules, facts, { firstHit: false, trace: false }),
      runRules(version.rules, facts, { firstHit: false, trace: true }),
      runVersion(version, facts, { firstHit: false, trace: false }),
      runVersion(closuresOnly, facts, { firstHit: false, trace: false }),
    ]) {
      expect(run.fired.map((r) => r.name).sort()).toEqual(expected);
    }
  });

  it('the generated kernel reads a path once per call, whichever rule reads it first', async () => {
    // r0 reads f0.a only when f1 is 1; r1 and r2 read it anyway: the value r1 sees must be f0.a
    // of these facts, read afresh, never one a previous call left behind.
    const rules = [
      { name: 'r0', priority: 3, conditions: { all: [{ fact: 'f1', operator: 'equal', value: 1 }, { fact: 'f0', path: '$.a', operator: 'equal', value: 'x' }] }, event: { type: 'e0' } },
      { name: 'r1', priority: 2, conditions: { all: [{ fact: 'f0', path: '$.a', operator: 'in', value: ['y', 'z'] }] }, event: { type: 'e1' } },
      { name: 'r2', priority: 1, conditions: { any: [{ fact: 'f0', path: '$.a', operator: 'notIn', value: ['x', 'y'] }, { fact: 'f0', path: '$.a', operator: 'greaterThan', value: 2 }] }, event: { type: 'e2' } },
    ];
    const version = compileRuleFile(ruleFileOf(rules, FACTS), 't.rules.json').versions[0]!;
    for (const facts of [{ f1: 1, f0: { a: 'x' } }, { f1: 2, f0: { a: 'y' } }, { f0: { a: 'z' } }, { f1: 1, f0: { a: 3 } }, { f0: 'a' }, { f0: null }, {}, { f1: 1, f0: { a: 'y' } }]) {
      const expected = (await referenceRun(rules, facts)).fired;
      expect({ facts, fired: runVersion(version, facts, { firstHit: false, trace: false }).fired.map((r) => r.name).sort() }).toEqual({ facts, fired: expected });
      expect({ facts, first: runVersion(version, facts, { firstHit: true, trace: false }).fired.map((r) => r.name) }).toEqual({ facts, first: expected.slice(0, 1) });
    }
  });
});
