import { afterEach, describe, expect, it } from 'vitest';
import { generateFunction } from '../../src/core/codegen.js';
import type { CompiledVersion } from '../../src/core/compile.js';
import { runRules, runVersion, versionAt } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { RuleSetError } from '../../src/core/errors.js';
import { JSON_RULES_ENGINE_SEMANTICS } from '../../src/core/operators.js';
import { ruleFileOf } from '../helpers/rule-file.js';

// The compiled evaluator has three ways to answer: closures with a trace, closures without, and
// a generated kernel. Each table below runs every way and expects the same, exact answer.

type Facts = Record<string, unknown>;

const TYPES: Record<string, string> = { f0: 'json', f1: 'json', amount: 'money', rate: 'decimal', constructor: 'json' };
const PARAMETERS = {
  info: {
    limit: { type: 'money', description: 'a money limit' },
    count: { type: 'integer', description: 'a whole number' },
    shape: { type: 'object', description: 'an object' },
    names: { type: 'list', description: 'a list' },
  },
  // An object value is written wrapped, as { value }.
  values: { limit: '9.50', count: 10, shape: { value: { a: 10, b: { c: 'x' } } }, names: ['ann', 'bob'] },
};

function fileOf(rules: readonly unknown[], decision: 'first-hit' | 'collect-all' = 'collect-all'): Record<string, unknown> {
  const file = ruleFileOf(rules, Object.keys(TYPES), decision, PARAMETERS);
  file['facts'] = Object.fromEntries(Object.entries(TYPES).map(([name, type]) => [name, { type, description: `fact ${name}` }]));
  return file;
}

/**
 * Compiles `rules` with and without code generation. The generated kernel must really be generated:
 * source that does not compile would fall back to the closures silently (same answers, slower).
 */
function versionsOf(rules: readonly unknown[]): { generated: CompiledVersion; closures: CompiledVersion } {
  const realFunction = globalThis.Function;
  const built: string[] = [];
  globalThis.Function = new Proxy(realFunction, {
    construct(target, args: string[]) {
      try {
        const made = Reflect.construct(target, args) as object;
        built.push('ok');
        return made;
      } catch (error) {
        built.push(String(error));
        throw error;
      }
    },
  });
  let generated: CompiledVersion;
  try {
    generated = compileRuleFile(fileOf(rules), 'compile.rules.json').versions[0]!;
  } finally {
    globalThis.Function = realFunction;
  }
  expect(built, 'the kernel was generated').toEqual(['ok']);
  return { generated, closures: compileRuleFile(fileOf(rules), 'compile.rules.json', { generate: false }).versions[0]! };
}

/** Does a rule with this one condition fire, asked every way? Throws unless all ways agree. */
function fires(condition: unknown, facts: Facts): boolean {
  const { generated, closures } = versionsOf([{ name: 'r', conditions: { all: [condition] }, event: { type: 'e' } }]);
  const answers = [
    runVersion(generated, facts, { firstHit: true, trace: false }).fired.length === 1,
    runVersion(generated, facts, { firstHit: false, trace: false }).fired.length === 1,
    runVersion(closures, facts, { firstHit: false, trace: false }).fired.length === 1,
    runRules(generated.rules, facts, { firstHit: false, trace: false }).fired.length === 1,
    runRules(generated.rules, facts, { firstHit: false, trace: true }).trace[0]!.fired,
  ];
  expect(new Set(answers).size, `the ways disagree: ${JSON.stringify(answers)}`).toBe(1);
  return answers[0]!;
}

describe('a comparison, evaluated every way', () => {
  it.each<[string, unknown, Facts, boolean]>([
    // equality with a written value
    ['f0 equal 1, f0 is 1', { fact: 'f0', operator: 'equal', value: 1 }, { f0: 1 }, true],
    ['f0 equal 1, f0 is "1"', { fact: 'f0', operator: 'equal', value: 1 }, { f0: '1' }, false],
    ['f0 notEqual "a", f0 is "a"', { fact: 'f0', operator: 'notEqual', value: 'a' }, { f0: 'a' }, false],
    ['f0 notEqual "a", f0 missing', { fact: 'f0', operator: 'notEqual', value: 'a' }, {}, true],
    ['f0 equal null, f0 missing (undefined is not null)', { fact: 'f0', operator: 'equal', value: null }, {}, false],
    // values JSON cannot write, as rules built in code can hold them
    ['f0 equal Infinity, f0 is null', { fact: 'f0', operator: 'equal', value: Infinity }, { f0: null }, false],
    ['f0 equal Infinity, f0 is Infinity', { fact: 'f0', operator: 'equal', value: Infinity }, { f0: Infinity }, true],
    ['f0 notEqual NaN, f0 is null', { fact: 'f0', operator: 'notEqual', value: Number.NaN }, { f0: null }, true],
    ['f0 in [NaN], f0 is null', { fact: 'f0', operator: 'in', value: [Number.NaN] }, { f0: null }, false],
    ['f0 notIn [Infinity], f0 is null', { fact: 'f0', operator: 'notIn', value: [Infinity] }, { f0: null }, true],
    ['f0 lessThan Infinity, f0 is 3', { fact: 'f0', operator: 'lessThan', value: Infinity }, { f0: 3 }, true],
    ['f0.a equal Infinity, f0.a is null', { fact: 'f0', path: '$.a', operator: 'equal', value: Infinity }, { f0: { a: null } }, false],
    // lists
    ['f0 in [a, b], f0 is b', { fact: 'f0', operator: 'in', value: ['a', 'b'] }, { f0: 'b' }, true],
    ['f0 in [a, b], f0 is c', { fact: 'f0', operator: 'in', value: ['a', 'b'] }, { f0: 'c' }, false],
    ['f0 notIn [a, b], f0 is a', { fact: 'f0', operator: 'notIn', value: ['a', 'b'] }, { f0: 'a' }, false],
    ['f0 notIn [a, b], f0 is c', { fact: 'f0', operator: 'notIn', value: ['a', 'b'] }, { f0: 'c' }, true],
    ['f0 in [], f0 is a', { fact: 'f0', operator: 'in', value: [] }, { f0: 'a' }, false],
    ['f0 notIn [], f0 is a', { fact: 'f0', operator: 'notIn', value: [] }, { f0: 'a' }, true],
    ['f0 in 0..19, f0 is 19', { fact: 'f0', operator: 'in', value: [...Array(20).keys()] }, { f0: 19 }, true],
    ['f0 in 0..19, f0 is 20', { fact: 'f0', operator: 'in', value: [...Array(20).keys()] }, { f0: 20 }, false],
    ['f0 in [NaN, a], f0 is null', { fact: 'f0', operator: 'in', value: [Number.NaN, 'a'] }, { f0: null }, false],
    ['f0 in [{a:1}], f0 is {a:1} (another object)', { fact: 'f0', operator: 'in', value: [{ a: 1 }] }, { f0: { a: 1 } }, false],
    ['f0 in param.names, f0 is bob', { fact: 'f0', operator: 'in', value: { fact: 'param.names' } }, { f0: 'bob' }, true],
    ['f0 notIn param.names, f0 is bob', { fact: 'f0', operator: 'notIn', value: { fact: 'param.names' } }, { f0: 'bob' }, false],
    ['f0 contains a, f0 is [a]', { fact: 'f0', operator: 'contains', value: 'a' }, { f0: ['a'] }, true],
    ['f0 doesNotContain a, f0 is [b]', { fact: 'f0', operator: 'doesNotContain', value: 'a' }, { f0: ['b'] }, true],
    ['f0 contains a, f0 is the string "a" (not a list)', { fact: 'f0', operator: 'contains', value: 'a' }, { f0: 'a' }, false],
    ['f0 doesNotContain a, f0 is the string "b" (not a list)', { fact: 'f0', operator: 'doesNotContain', value: 'a' }, { f0: 'b' }, false],
    ['f0 doesNotContain a, f0 is [a]', { fact: 'f0', operator: 'doesNotContain', value: 'a' }, { f0: ['a'] }, false],
    ['f0 contains a, f0 is [b]', { fact: 'f0', operator: 'contains', value: 'a' }, { f0: ['b'] }, false],
    // loose ordering on json facts, json-rules-engine's coercions
    ['f0 lessThan 5, f0 is "3"', { fact: 'f0', operator: 'lessThan', value: 5 }, { f0: '3' }, true],
    ['f0 lessThan "10", f0 is "9" (string order)', { fact: 'f0', operator: 'lessThan', value: '10' }, { f0: '9' }, false],
    ['f0 lessThan 5, f0 is 5', { fact: 'f0', operator: 'lessThan', value: 5 }, { f0: 5 }, false],
    ['f0 lessThan 5, f0 is "5"', { fact: 'f0', operator: 'lessThan', value: 5 }, { f0: '5' }, false],
    ['f0 greaterThan 5, f0 is "6"', { fact: 'f0', operator: 'greaterThan', value: 5 }, { f0: '6' }, true],
    ['f0 lessThanInclusive 5, f0 is 5', { fact: 'f0', operator: 'lessThanInclusive', value: 5 }, { f0: 5 }, true],
    ['f0 greaterThan 5, f0 is 5', { fact: 'f0', operator: 'greaterThan', value: 5 }, { f0: 5 }, false],
    ['f0 greaterThanInclusive 5, f0 is 5', { fact: 'f0', operator: 'greaterThanInclusive', value: 5 }, { f0: 5 }, true],
    ['f0 lessThan [5], f0 is [3]', { fact: 'f0', operator: 'lessThan', value: [5] }, { f0: [3] }, true],
    ['f0 lessThan 5, f0 is "abc" (not a number)', { fact: 'f0', operator: 'lessThan', value: 5 }, { f0: 'abc' }, false],
    ['f0 greaterThan "", f0 is "abc" (not a number, though "abc" > "")', { fact: 'f0', operator: 'greaterThan', value: '' }, { f0: 'abc' }, false],
    ['f0 greaterThan "a", f0 is "12" ("12" < "a" as strings)', { fact: 'f0', operator: 'greaterThan', value: 'a' }, { f0: '12' }, false],
    ['f0 lessThan "a", f0 is "12"', { fact: 'f0', operator: 'lessThan', value: 'a' }, { f0: '12' }, true],
    ['f0 lessThan 5, f0 is NaN', { fact: 'f0', operator: 'lessThan', value: 5 }, { f0: Number.NaN }, false],
    ['f0 greaterThanInclusive 5, f0 is 6', { fact: 'f0', operator: 'greaterThanInclusive', value: 5 }, { f0: 6 }, true],
    ['f0 greaterThanInclusive 5, f0 is 4', { fact: 'f0', operator: 'greaterThanInclusive', value: 5 }, { f0: 4 }, false],
    ['f0 lessThanInclusive 5, f0 is 6', { fact: 'f0', operator: 'lessThanInclusive', value: 5 }, { f0: 6 }, false],
    ['f0 lessThan 5, f0 is an object without a prototype (no coercion)', { fact: 'f0', operator: 'lessThan', value: 5 }, { f0: Object.assign(Object.create(null), { valueOf: 1 }) as unknown }, false],
    ['f0 lessThan f1, f1 is an object without a prototype', { fact: 'f0', operator: 'lessThan', value: { fact: 'f1' } }, { f0: 1, f1: Object.create(null) as unknown }, false],
    // exact ordering on money and decimal facts: "9" is below "10"
    ['amount lessThan 10, amount is 9', { fact: 'amount', operator: 'lessThan', value: '10' }, { amount: '9' }, true],
    ['amount lessThan 10, amount is 10', { fact: 'amount', operator: 'lessThan', value: 10 }, { amount: '10' }, false],
    ['amount lessThanInclusive 10, amount is 10', { fact: 'amount', operator: 'lessThanInclusive', value: '10.00' }, { amount: '10' }, true],
    ['amount lessThanInclusive 10, amount is 9', { fact: 'amount', operator: 'lessThanInclusive', value: '10' }, { amount: '9' }, true],
    ['amount lessThanInclusive 9, amount is 10', { fact: 'amount', operator: 'lessThanInclusive', value: '9' }, { amount: '10' }, false],
    ['amount greaterThan 9, amount is 10', { fact: 'amount', operator: 'greaterThan', value: '9' }, { amount: '10' }, true],
    ['amount greaterThan 10, amount is 10', { fact: 'amount', operator: 'greaterThan', value: '10' }, { amount: '10' }, false],
    ['amount greaterThanInclusive 9, amount is 10', { fact: 'amount', operator: 'greaterThanInclusive', value: '9' }, { amount: '10' }, true],
    ['amount greaterThanInclusive 10, amount is 10', { fact: 'amount', operator: 'greaterThanInclusive', value: '10' }, { amount: '10' }, true],
    ['amount greaterThanInclusive f1 (exact), "10" ≥ "10"', { fact: 'amount', operator: 'greaterThanInclusive', value: { fact: 'f1' } }, { amount: '10', f1: '10' }, true],
    ['amount greaterThanInclusive 10, amount is 9', { fact: 'amount', operator: 'greaterThanInclusive', value: '10' }, { amount: '9' }, false],
    ['rate lessThan 10, rate is 9 (a decimal fact compares exactly too)', { fact: 'rate', operator: 'lessThan', value: '10' }, { rate: '9' }, true],
    ['rate greaterThan 0.5, rate is 0.25', { fact: 'rate', operator: 'greaterThan', value: 0.5 }, { rate: '0.25' }, false],
    ['amount equal 10.50, amount is 10.5 (written value made canonical)', { fact: 'amount', operator: 'equal', value: '10.50' }, { amount: '10.5' }, true],
    ['amount in [1.0, 2], amount is 1 (list made canonical)', { fact: 'amount', operator: 'in', value: ['1.0', 2] }, { amount: '1' }, true],
    ['amount lessThan 10, amount is the number 9 (loose)', { fact: 'amount', operator: 'lessThan', value: '10' }, { amount: 9 }, true],
    ['amount greaterThan 10, amount is the number 9 (loose)', { fact: 'amount', operator: 'greaterThan', value: '10' }, { amount: 9 }, false],
    ['amount lessThan [10], amount is 9 (loose: string order)', { fact: 'amount', operator: 'lessThan', value: ['10'] }, { amount: '9' }, false],
    // a decimal fact holding something else than a decimal string is compared loosely, never exactly
    ['amount lessThanInclusive 10, amount is the number 10 (loose)', { fact: 'amount', operator: 'lessThanInclusive', value: '10' }, { amount: 10 }, true],
    ['amount greaterThanInclusive 10, amount is the number 9 (loose)', { fact: 'amount', operator: 'greaterThanInclusive', value: '10' }, { amount: 9 }, false],
    ['amount lessThan 10, amount missing', { fact: 'amount', operator: 'lessThan', value: '10' }, {}, false],
    ['amount greaterThanInclusive 10, amount missing', { fact: 'amount', operator: 'greaterThanInclusive', value: '10' }, {}, false],
    ['amount lessThan f1, f1 is the number 10', { fact: 'amount', operator: 'lessThan', value: { fact: 'f1' } }, { amount: '9', f1: 10 }, true],
    ['amount lessThanInclusive f1, f1 is the number 9', { fact: 'amount', operator: 'lessThanInclusive', value: { fact: 'f1' } }, { amount: '9', f1: 9 }, true],
    ['amount greaterThan f1, f1 is the number 10', { fact: 'amount', operator: 'greaterThan', value: { fact: 'f1' } }, { amount: '9', f1: 10 }, false],
    ['amount greaterThanInclusive f1, f1 is the number 9', { fact: 'amount', operator: 'greaterThanInclusive', value: { fact: 'f1' } }, { amount: '9', f1: 9 }, true],
    ['amount greaterThanInclusive f1, f1 missing', { fact: 'amount', operator: 'greaterThanInclusive', value: { fact: 'f1' } }, { amount: '9' }, false],
    ['amount lessThanInclusive f1 (exact), "10" ≤ "9"', { fact: 'amount', operator: 'lessThanInclusive', value: { fact: 'f1' } }, { amount: '10', f1: '9' }, false],
    ['amount greaterThan f1 (exact), "10" > "9"', { fact: 'amount', operator: 'greaterThan', value: { fact: 'f1' } }, { amount: '10', f1: '9' }, true],
    ['amount greaterThanInclusive f1 (exact), "9" ≥ "10"', { fact: 'amount', operator: 'greaterThanInclusive', value: { fact: 'f1' } }, { amount: '9', f1: '10' }, false],
    // a path on a money fact: the value is no longer read as a decimal
    ['amount at $.x lessThan "10", amount is "9"', { fact: 'amount', path: '$.x', operator: 'lessThan', value: '10' }, { amount: '9' }, false],
    // parameters: constants of the version
    ['amount lessThan param.limit (9.5), amount is 9', { fact: 'amount', operator: 'lessThan', value: { fact: 'param.limit' } }, { amount: '9' }, true],
    ['amount greaterThan param.limit (9.5), amount is 10', { fact: 'amount', operator: 'greaterThan', value: { fact: 'param.limit' } }, { amount: '10' }, true],
    ['amount equal param.limit, amount is 9.5', { fact: 'amount', operator: 'equal', value: { fact: 'param.limit' } }, { amount: '9.5' }, true],
    ['amount equal param.count (10 read as a decimal), amount is 10', { fact: 'amount', operator: 'equal', value: { fact: 'param.count' } }, { amount: '10' }, true],
    ['amount equal param.shape at $.a (10 as it is), amount is 10', { fact: 'amount', operator: 'equal', value: { fact: 'param.shape', path: '$.a' } }, { amount: '10' }, false],
    ['amount equal param.shape (an object, compared as it is)', { fact: 'amount', operator: 'equal', value: { fact: 'param.shape' } }, { amount: '10' }, false],
    ['param.limit lessThan 10 (a money parameter)', { fact: 'param.limit', operator: 'lessThan', value: '10' }, {}, true],
    ['param.count greaterThan 5', { fact: 'param.count', operator: 'greaterThan', value: 5 }, {}, true],
    ['param.count equal 10', { fact: 'param.count', operator: 'equal', value: 10 }, {}, true],
    ['param.count notEqual 10', { fact: 'param.count', operator: 'notEqual', value: 10 }, {}, false],
    ['param.count equal 10, whatever the facts say', { fact: 'param.count', operator: 'equal', value: 10 }, { 'param.count': 1 }, true],
    ['param.shape at $.b.c equal x', { fact: 'param.shape', path: '$.b.c', operator: 'equal', value: 'x' }, {}, true],
    ['param.shape at $.b.c in [x]', { fact: 'param.shape', path: '$.b.c', operator: 'in', value: ['x'] }, {}, true],
    ['param.shape at $.a greaterThan 5', { fact: 'param.shape', path: '$.a', operator: 'greaterThan', value: 5 }, {}, true],
    ['param.shape at $.z equal null (missing is undefined)', { fact: 'param.shape', path: '$.z', operator: 'equal', value: null }, {}, false],
    // another fact
    ['f0 lessThan f1, 1 < 2', { fact: 'f0', operator: 'lessThan', value: { fact: 'f1' } }, { f0: 1, f1: 2 }, true],
    ['f0 lessThan f1, 2 < 1', { fact: 'f0', operator: 'lessThan', value: { fact: 'f1' } }, { f0: 2, f1: 1 }, false],
    ['amount lessThan f1 (exact), "9" < "10"', { fact: 'amount', operator: 'lessThan', value: { fact: 'f1' } }, { amount: '9', f1: '10' }, true],
    ['f0 equal f1 at $.a', { fact: 'f0', operator: 'equal', value: { fact: 'f1', path: '$.a' } }, { f0: 'x', f1: { a: 'x' } }, true],
    ['f0 equal constructor, both missing (no prototype value)', { fact: 'f0', operator: 'equal', value: { fact: 'constructor' } }, {}, true],
    ['constructor equal f0, both missing', { fact: 'constructor', operator: 'equal', value: { fact: 'f0' } }, {}, true],
    ['constructor at $.a equal f0, both missing', { fact: 'constructor', path: '$.a', operator: 'equal', value: { fact: 'f0' } }, {}, true],
    ['constructor equal 1, given', { fact: 'constructor', operator: 'equal', value: 1 }, { constructor: 1 }, true],
    ['constructor lessThan 2, given', { fact: 'constructor', operator: 'lessThan', value: 2 }, { constructor: 1 }, true],
    // paths into facts
    ['f0 at $.a equal x', { fact: 'f0', path: '$.a', operator: 'equal', value: 'x' }, { f0: { a: 'x' } }, true],
    ['f0 at $.a notEqual x', { fact: 'f0', path: '$.a', operator: 'notEqual', value: 'x' }, { f0: { a: 'x' } }, false],
    ['f0 at $.a in [x, y]', { fact: 'f0', path: '$.a', operator: 'in', value: ['x', 'y'] }, { f0: { a: 'y' } }, true],
    ['f0 at $.a lessThan 3', { fact: 'f0', path: '$.a', operator: 'lessThan', value: 3 }, { f0: { a: 2 } }, true],
    ['f0 at $.a contains 3', { fact: 'f0', path: '$.a', operator: 'contains', value: 3 }, { f0: { a: [3] } }, true],
    ['f0 at $[1] equal b', { fact: 'f0', path: '$[1]', operator: 'equal', value: 'b' }, { f0: ['a', 'b'] }, true],
    ['f0 at $.a.b equal 1, f0.a is null', { fact: 'f0', path: '$.a.b', operator: 'equal', value: null }, { f0: { a: null } }, false],
    ['f0 at $.a.b notEqual 1, f0.a is undefined', { fact: 'f0', path: '$.a.b', operator: 'notEqual', value: 1 }, { f0: { a: undefined } }, true],
    ['f0 at $.a.b notEqual 1, f0.a is missing', { fact: 'f0', path: '$.a.b', operator: 'notEqual', value: 1 }, { f0: {} }, true],
    ['f0 at $.toString equal f1 (both nothing): never the prototype', { fact: 'f0', path: '$.toString', operator: 'equal', value: { fact: 'f1' } }, { f0: {} }, true],
    ['f0 at $.a.b equal f1 (both nothing), f0.a is missing', { fact: 'f0', path: '$.a.b', operator: 'equal', value: { fact: 'f1' } }, { f0: {} }, true],
    ['f0 at $.a on a string is the string', { fact: 'f0', path: '$.a', operator: 'equal', value: 's' }, { f0: 's' }, true],
    ['f0 at $.a on null is null', { fact: 'f0', path: '$.a', operator: 'equal', value: null }, { f0: null }, true],
    ['f0 at $.length on [1,2,3] is 3', { fact: 'f0', path: '$.length', operator: 'equal', value: 3 }, { f0: [1, 2, 3] }, true],
  ])('%s → %s', (_name, condition, facts, expected) => {
    expect(fires(condition, facts)).toBe(expected);
  });
  it('an ordering with a value JavaScript cannot coerce is false, not an exception', () => {
    for (const operator of ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const) {
      expect(JSON_RULES_ENGINE_SEMANTICS[operator](Object.create(null), 5)).toBe(false);
      expect(JSON_RULES_ENGINE_SEMANTICS[operator]('5', Object.create(null))).toBe(false);
    }
  });
});

describe('the generated kernel', () => {
  // Rules often test several fields of one object, and several rules the same field: the kernel
  // follows each path at most once per call (observable through a facts object with getters).
  it('reads the fact a path starts from once per call and path, however many conditions use it', () => {
    const onA = (operator: string, value: unknown) => ({ fact: 'f0', path: '$.a', operator, value });
    const rules = [
      { name: 'r0', priority: 3, conditions: { all: [onA('notEqual', 'z'), onA('in', ['x', 'y']), { fact: 'f0', path: '$.b', operator: 'equal', value: 1 }] }, event: { type: 'e' } },
      { name: 'r1', priority: 2, conditions: { any: [onA('equal', 'y'), onA('lessThan', 5)] }, event: { type: 'e' } },
      { name: 'r2', conditions: { not: onA('equal', 'never') }, event: { type: 'e' } },
    ];
    const { generated } = versionsOf(rules);
    let reads = 0;
    const facts = {
      get f0() {
        reads++;
        return { a: 'x', b: 2 };
      },
    };
    expect(runVersion(generated, facts, { firstHit: false, trace: false }).fired.map((r) => r.name)).toEqual(['r2']);
    expect(reads).toBe(2); // $.a and $.b
    reads = 0;
    expect(runVersion(generated, facts, { firstHit: true, trace: false }).fired.map((r) => r.name)).toEqual(['r2']);
    expect(reads).toBe(2);
  });
});

describe('groups of conditions', () => {
  const yes = { fact: 'f0', operator: 'equal', value: 1 };
  const no = { fact: 'f0', operator: 'equal', value: 2 };
  const cases: [string, unknown, boolean][] = [];
  for (let n = 1; n <= 6; n++) {
    cases.push([`all of ${n} true`, { all: Array(n).fill(yes) }, true]);
    cases.push([`any of ${n} false`, { any: Array(n).fill(no) }, false]);
    for (let k = 0; k < n; k++) {
      cases.push([`all of ${n}, only #${k} false`, { all: Array.from({ length: n }, (_, i) => (i === k ? no : yes)) }, false]);
      cases.push([`any of ${n}, only #${k} true`, { any: Array.from({ length: n }, (_, i) => (i === k ? yes : no)) }, true]);
    }
  }
  cases.push(['not of a true condition', { not: yes }, false], ['not of a false group', { not: { any: [no] } }, true]);

  it.each(cases)('%s → %s', (_name, conditions, expected) => {
    const { generated, closures } = versionsOf([{ name: 'r', conditions, event: { type: 'e' } }]);
    const facts = { f0: 1 };
    expect(runVersion(generated, facts, { firstHit: false, trace: false }).fired.length === 1).toBe(expected);
    expect(runVersion(closures, facts, { firstHit: true, trace: false }).fired.length === 1).toBe(expected);
    expect(runRules(generated.rules, facts, { firstHit: false, trace: false }).fired.length === 1).toBe(expected);
    expect(runRules(generated.rules, facts, { firstHit: false, trace: true }).trace[0]!.conditions.result).toBe(expected);
  });
});

describe('which rules fire, and in what order', () => {
  const when = (value: number) => ({ all: [{ fact: 'f0', operator: 'greaterThanInclusive', value }] });
  const rules = [
    { name: 'low', priority: 1, conditions: when(1), event: { type: 'low' } },
    { name: 'tie-a', priority: 2, conditions: when(2), event: { type: 'a' } },
    { name: 'tie-b', priority: 2, conditions: when(3), event: { type: 'b' } },
    { name: 'tie-c', priority: 2, conditions: when(1), event: { type: 'c' } },
    { name: 'high', priority: 3, conditions: when(4), event: { type: 'high' } },
  ];
  const { generated, closures } = versionsOf(rules);

  it('orders rules by priority, then file order', () => {
    expect(generated.rules.map((r) => [r.name, r.index, r.priority])).toEqual([
      ['high', 4, 3],
      ['tie-a', 1, 2],
      ['tie-b', 2, 2],
      ['tie-c', 3, 2],
      ['low', 0, 1],
    ]);
  });

  it.each<[number, string[]]>([
    [0, []],
    [1, ['tie-c', 'low']],
    [2, ['tie-a', 'tie-c', 'low']],
    [3, ['tie-a', 'tie-b', 'tie-c', 'low']],
    [4, ['high', 'tie-a', 'tie-b', 'tie-c', 'low']],
  ])('f0 = %s fires %j (first hit: the first of them)', (f0, expected) => {
    for (const version of [generated, closures]) {
      expect(runVersion(version, { f0 }, { firstHit: false, trace: false }).fired.map((r) => r.name)).toEqual(expected);
      expect(runVersion(version, { f0 }, { firstHit: true, trace: false }).fired.map((r) => r.name)).toEqual(expected.slice(0, 1));
      expect(runRules(version.rules, { f0 }, { firstHit: false, trace: false }).fired.map((r) => r.name)).toEqual(expected);
      expect(runRules(version.rules, { f0 }, { firstHit: true, trace: false }).fired.map((r) => r.name)).toEqual(expected.slice(0, 1));
      const all = runVersion(version, { f0 }, { firstHit: false, trace: true });
      expect(all.fired.map((r) => r.name)).toEqual(expected);
      expect(all.trace.map((t) => [t.rule, t.fired])).toEqual(version.rules.map((r) => [r.name, expected.includes(r.name)]));
      // First hit with a trace stops at the rule that fired: the trace ends there.
      const first = runVersion(version, { f0 }, { firstHit: true, trace: true });
      expect(first.fired.map((r) => r.name)).toEqual(expected.slice(0, 1));
      const stop = expected.length === 0 ? version.rules.length : version.rules.findIndex((r) => r.name === expected[0]) + 1;
      expect(first.trace.map((t) => t.rule)).toEqual(version.rules.slice(0, stop).map((r) => r.name));
    }
  });

  it('without a trace the trace is empty', () => {
    expect(runVersion(generated, { f0: 4 }, { firstHit: false, trace: false }).trace).toEqual([]);
    expect(runVersion(generated, { f0: 4 }, { firstHit: true, trace: false }).trace).toEqual([]);
    expect(runRules(generated.rules, { f0: 4 }, { firstHit: true, trace: false }).trace).toEqual([]);
  });
});

describe('the trace', () => {
  const source = { clause: 'T-1', quote: '引文' };
  const rules = [
    {
      name: 'T-1',
      priority: 2,
      source,
      conditions: {
        all: [
          { fact: 'f0', operator: 'equal', value: 1 },
          { fact: 'amount', operator: 'lessThan', value: { fact: 'param.limit' } },
          { fact: 'f1', path: '$.a', operator: 'in', value: ['x', 'y'] },
          { fact: 'f1', path: '$.a', operator: 'equal', value: { fact: 'f0', path: '$.b' } },
          { fact: 'amount', operator: 'greaterThan', value: { fact: 'param.shape', path: '$.a' } },
          { any: [{ not: { fact: 'f0', operator: 'equal', value: 2 } }, { fact: 'rate', operator: 'equal', value: { fact: 'f0' } }] },
        ],
      },
      event: { type: 'e' },
    },
    { name: 'T-2', conditions: { any: [{ fact: 'f0', operator: 'notEqual', value: 1 }] }, event: { type: 'e' } },
  ];

  it('records every comparison: fact, path, operator, both values, where the value came from, the result', () => {
    const { generated } = versionsOf(rules);
    const facts = { f0: 1, f1: { a: 'x' }, amount: '9' };
    const { trace } = runRules(generated.rules, facts, { firstHit: false, trace: true });
    expect(trace).toStrictEqual([
      {
        rule: 'T-1',
        index: 0,
        priority: 2,
        fired: false,
        source,
        conditions: {
          kind: 'all',
          result: false,
          conditions: [
            { kind: 'fact', result: true, fact: 'f0', operator: 'equal', factValue: 1, value: 1 },
            { kind: 'fact', result: true, fact: 'amount', operator: 'lessThan', factValue: '9', value: '9.5', valueFrom: 'param.limit' },
            { kind: 'fact', result: true, fact: 'f1', path: '$.a', operator: 'in', factValue: 'x', value: ['x', 'y'] },
            { kind: 'fact', result: false, fact: 'f1', path: '$.a', operator: 'equal', factValue: 'x', value: 1, valueFrom: 'f0 at $.b' },
            { kind: 'fact', result: false, fact: 'amount', operator: 'greaterThan', factValue: '9', value: 10, valueFrom: 'param.shape at $.a' },
            {
              kind: 'any',
              result: true,
              conditions: [
                { kind: 'not', result: true, condition: { kind: 'fact', result: false, fact: 'f0', operator: 'equal', factValue: 1, value: 2 } },
                { kind: 'fact', result: false, fact: 'rate', operator: 'equal', missing: 'fact', value: 1, valueFrom: 'f0' },
              ],
            },
          ],
        },
      },
      {
        rule: 'T-2',
        index: 1,
        priority: 1,
        fired: false,
        conditions: { kind: 'any', result: false, conditions: [{ kind: 'fact', result: false, fact: 'f0', operator: 'notEqual', factValue: 1, value: 1 }] },
      },
    ]);
  });

  it('a rule fires when its conditions hold, and the trace says so', () => {
    const { generated } = versionsOf(rules);
    const facts = { f0: 2, f1: { a: 'x' }, amount: '11' };
    const { trace, fired } = runRules(generated.rules, facts, { firstHit: false, trace: true });
    expect(fired.map((r) => r.name)).toEqual(['T-2']);
    expect(trace.map((t) => [t.rule, t.fired, t.conditions.result])).toEqual([
      ['T-1', false, false],
      ['T-2', true, true],
    ]);
    expect(trace[0]!.conditions).toMatchObject({ kind: 'all', conditions: [{ result: false }, { result: false }, { result: true }, { result: false }, { result: true }, { kind: 'any', result: false }] });
  });
});

describe('compiling a rules file', () => {
  const rules = [{ name: 'r', conditions: { all: [{ fact: 'f0', operator: 'equal', value: 1 }] }, event: { type: 'e', params: { list: [1, 2] } } }];

  it('compiles the same object once per file name', () => {
    const json = fileOf(rules);
    const first = compileRuleFile(json, 'a.rules.json');
    expect(compileRuleFile(json, 'a.rules.json')).toBe(first);
    expect(compileRuleFile(json, 'b.rules.json').spec.file).toBe('b.rules.json');
    expect(first.spec.file).toBe('a.rules.json');
  });

  it('freezes the compiled rules file all the way down', () => {
    const { spec } = compileRuleFile(fileOf(rules), 'a.rules.json');
    expect(() => ((spec.rules[0] as { name: string }).name = 'x')).toThrow(TypeError);
    expect(() => (spec.rules[0]!.event.params!['list'] as number[]).push(3)).toThrow(TypeError);
    expect(spec.rules[0]!.event.params!['list']).toEqual([1, 2]);
  });

  it('refuses a rules file that is not JSON data', () => {
    const json = fileOf([{ ...rules[0], event: { type: 'e', params: { f: () => 1 } } }]);
    try {
      compileRuleFile(json, 'f.rules.json');
      expect.unreachable('a function in a rules file was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(RuleSetError);
      const issues = (error as RuleSetError).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: 'not_json', file: 'f.rules.json', path: '' });
      expect(issues[0]!.message).toMatch(/^a rules file is JSON data: .+/);
    }
  });

  it('gives money and decimal parameters in canonical form, others as written', () => {
    const version = compileRuleFile(fileOf(rules), 'a.rules.json').versions[0]!;
    expect(version.parameters).toEqual({ limit: '9.5', count: 10, shape: { a: 10, b: { c: 'x' } }, names: ['ann', 'bob'] });
    expect(version.examples).toEqual([]);
  });

  it('picks the version in force on a date: the latest whose "from" is not after it', () => {
    const json = fileOf(rules);
    json['parameters'] = ['2017-04-26', '2019-01-01', '2021-06-30'].map((from, i) => ({ from, values: { ...PARAMETERS.values, count: i } }));
    const compiled = compileRuleFile(json, 'v.rules.json');
    expect(versionAt(compiled, '2017-04-25')).toBeUndefined();
    expect.soft(versionAt(compiled, '2017-04-26')?.parameters['count']).toBe(0);
    expect.soft(versionAt(compiled, '2018-12-31')?.parameters['count']).toBe(0);
    expect.soft(versionAt(compiled, '2019-01-01')?.parameters['count']).toBe(1);
    expect.soft(versionAt(compiled, '2021-06-29')?.parameters['count']).toBe(1);
    expect.soft(versionAt(compiled, '2030-01-01')?.parameters['count']).toBe(2);
  });

  it('each version compares with its own parameter values', () => {
    const json = fileOf([{ name: 'r', conditions: { all: [{ fact: 'f0', operator: 'lessThan', value: { fact: 'param.count' } }] }, event: { type: 'e' } }]);
    json['parameters'] = [5, 10].map((count, i) => ({ from: `201${i}-01-01`, values: { ...PARAMETERS.values, count } }));
    const [v5, v10] = compileRuleFile(json, 'v.rules.json').versions;
    expect(runVersion(v5!, { f0: 7 }, { firstHit: true, trace: false }).fired).toHaveLength(0);
    expect(runVersion(v10!, { f0: 7 }, { firstHit: true, trace: false }).fired).toHaveLength(1);
  });
});

describe('generateFunction', () => {
  it('builds a function from source', () => {
    const add = generateFunction(['a', 'b'], 'return a + b;') as ((a: number, b: number) => number) | undefined;
    expect(add?.(2, 3)).toBe(5);
  });

  it('gives undefined, not an exception, for source it cannot build', () => {
    expect(generateFunction([], 'return (;')).toBeUndefined();
  });
});

describe('where code generation is forbidden (a strict Content-Security-Policy)', () => {
  const realFunction = globalThis.Function;
  afterEach(() => {
    globalThis.Function = realFunction;
  });

  it('the closures give the answers', () => {
    const rules = [
      { name: 'a', priority: 2, conditions: { all: [{ fact: 'f0', operator: 'greaterThan', value: 2 }] }, event: { type: 'a' } },
      { name: 'b', conditions: { any: [{ fact: 'f0', operator: 'in', value: [1, 3] }] }, event: { type: 'b' } },
    ];
    let attempts = 0;
    globalThis.Function = function forbidden() {
      attempts++;
      throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed');
    } as unknown as FunctionConstructor;
    const version = compileRuleFile(fileOf(rules), 'csp.rules.json').versions[0]!;
    globalThis.Function = realFunction;
    expect(attempts).toBe(1);
    expect(runVersion(version, { f0: 3 }, { firstHit: false, trace: false }).fired.map((r) => r.name)).toEqual(['a', 'b']);
    expect(runVersion(version, { f0: 1 }, { firstHit: true, trace: false }).fired.map((r) => r.name)).toEqual(['b']);
    expect(runVersion(version, { f0: 0 }, { firstHit: true, trace: false }).fired).toEqual([]);
  });
});
