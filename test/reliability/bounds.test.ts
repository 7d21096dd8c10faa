import { describe, expect, it } from 'vitest';
import { compileRuleFile, evaluate, PolicyInputError, RuleSetError } from '../../src/index.js';
import { formatIssues, safeJson } from '../../src/core/errors.js';
import { MAX_INPUT_ISSUES } from '../../src/core/facts.js';
import { checkNesting, MAX_RULE_FILE_DEPTH, MAX_RULE_SET_ISSUES, parseRuleFile } from '../../src/core/rule-file.js';
import { ruleFileOf } from '../helpers/rule-file.js';

// The bounds that keep every call short (issue 8): one-line values in messages, at most 100
// issues per error, rules files at most 100 levels deep.

describe('safeJson: one line, reading no more of a value than the line shows', () => {
  it.each([
    [{ amount: 'lots' }, '{"amount":"lots"}'],
    [[1, undefined, () => 1, Symbol('s')], '[1,null,null,null]'],
    [{ a: undefined, b: () => 1, c: Symbol('s'), d: 2 }, '{"d":2}'],
    [{ a: 1, b: undefined }, '{"a":1}'],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [new Date(0), '"1970-01-01T00:00:00.000Z"'],
    [{ at: new Date(0) }, '{"at":"1970-01-01T00:00:00.000Z"}'],
    [12n, '12n'],
    [{ n: 12n }, '{"n":12n}'],
    [null, 'null'],
    [Number.NaN, 'null'],
    [-0, '0'],
    ['x', '"x"'],
    [JSON.parse('{"__proto__": {"x": 1}}'), '{"__proto__":{"x":1}}'],
    [Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }), '{"own":2}'],
    [new Map([[1, 2]]), '{}'],
    [[[[[]]]], '[[[[]]]]'],
    [[], '[]'],
    [{}, '{}'],
  ])('%o prints as %s', (value, text) => {
    expect(safeJson(value)).toBe(text);
  });

  it('prints undefined, a function and a symbol as JavaScript does', () => {
    expect(safeJson(undefined)).toBe('undefined');
    expect(safeJson(Symbol('s'))).toBe('Symbol(s)');
  });

  it('cuts at the given length with an ellipsis, and reads only that far', () => {
    expect(safeJson('x'.repeat(200))).toBe(`"${'x'.repeat(78)}…`);
    expect(safeJson('x'.repeat(200))).toHaveLength(80);
    expect(safeJson('abcdef', 5)).toBe('"abc…');
    expect(safeJson('abc', 5)).toBe('"abc"');
    expect(safeJson([1, 2, 3], 7)).toBe('[1,2,3]');
    expect(safeJson([1, 2, 3, 4], 7)).toBe('[1,2,3…');
    let reads = 0;
    const huge = new Proxy(new Array(1_000_000).fill(7), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(safeJson(huge)).toBe(`[${'7,'.repeat(39)}…`);
    expect(reads).toBeLessThanOrEqual(41);
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 100_000; i++) cursor = cursor['a'] = {};
    expect(safeJson(deep)).toBe(`${'{"a":'.repeat(16).slice(0, 79)}…`);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(safeJson(cyclic)).toMatch(/^\{"a":1,"self":\{"a":1,"self":/);
    expect(safeJson(cyclic)).toHaveLength(80);
  });

  it('never throws: a throwing getter or toJSON prints the value’s tag', () => {
    expect(safeJson({ toJSON: () => { throw new Error('no'); } })).toBe('[object Object]');
    expect(safeJson(Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('no'); } }))).toBe('[object Object]');
  });

  it('formatIssues prints each issue with its received value on one line', () => {
    expect(formatIssues([{ code: 'custom', path: 'amount', message: 'bad', received: 'x'.repeat(500), expected: 'e' }])).toBe(`✖ bad (received "${'x'.repeat(78)}…)\n  → at amount`);
    expect(formatIssues([{ code: 'custom', path: '', message: 'bad', received: undefined, expected: 'e' }])).toBe('✖ bad (received nothing)');
  });
});

describe('at most MAX_INPUT_ISSUES issues per input error', () => {
  const manyKeys = (n: number) => Object.fromEntries([['amount', 1], ['channel', 'direct'], ...Array.from({ length: n }, (_, i) => [`k${i}`, i])]);
  const issues = (facts: unknown) => {
    try {
      evaluate('review.approval', facts as never, { asOf: '2026-01-01' });
    } catch (error) {
      return (error as PolicyInputError).issues;
    }
    throw new Error('no error');
  };

  it('lists every issue up to the bound', () => {
    expect(MAX_INPUT_ISSUES).toBe(100);
    const exactly = issues(manyKeys(100));
    expect(exactly).toHaveLength(100);
    expect(exactly.map((issue) => issue.code)).not.toContain('too_many_issues');
    expect(exactly[99]).toEqual({ code: 'unknown_field', path: 'k99', message: 'unknown field "k99"', received: 99, expected: 'no such field' });
  });

  it('past it, lists the first 100 and one too_many_issues issue', () => {
    const over = issues(manyKeys(101));
    expect(over).toHaveLength(101);
    expect(over[99]!.path).toBe('k99');
    expect(over[100]).toEqual({ code: 'too_many_issues', path: '', message: 'stopped after 100 problems: correct these and try again', received: undefined, expected: 'valid facts' });
  });

  it('counts issues of every kind, not only unknown keys', () => {
    const over = issues({ ...manyKeys(99), amount: 'lots', channel: 'retail' });
    expect(over).toHaveLength(101);
    expect(over.slice(0, 2).map((issue) => issue.path)).toEqual(['amount', 'channel']);
    expect(over.at(-1)!.code).toBe('too_many_issues');
    expect(issues({ ...manyKeys(98), amount: 'lots', channel: 'retail' })).toHaveLength(100);
  });
});

describe('rules files: nesting and issue bounds', () => {
  const leaf = { fact: 'f0', operator: 'equal', value: 1 };
  const nestedRule = (depth: number) => {
    let conditions: unknown = leaf;
    for (let i = 0; i < depth; i++) conditions = { all: [conditions] };
    return ruleFileOf([{ name: 'R', conditions, event: { type: 'x' } }], ['f0']);
  };
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleSetError);
      return (error as RuleSetError).issues;
    }
    throw new Error('not refused');
  };

  it('accepts a file up to MAX_RULE_FILE_DEPTH levels deep and refuses one deeper, with the path where it goes too deep', () => {
    expect(MAX_RULE_FILE_DEPTH).toBe(100);
    // rules[0].conditions is 3 levels down; each `all` adds two (the key and the list).
    const deepest = Math.floor((MAX_RULE_FILE_DEPTH - 4) / 2);
    expect(compileRuleFile(nestedRule(deepest), 'deep.rules.json').versions).toHaveLength(1);
    const issues = refusal(() => compileRuleFile(nestedRule(deepest + 1), 'deep.rules.json'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'too_deep', file: 'deep.rules.json' });
    expect(issues[0]!.path.startsWith('rules[0].conditions.all[0].all[0]')).toBe(true);
    expect(refusal(() => parseRuleFile(nestedRule(10_000), 'deep.rules.json'))[0]!.code).toBe('too_deep');
    expect(() => checkNesting({ a: [[{ b: 1 }]] }, 'x')).not.toThrow();
    expect(() => checkNesting('not even an object', 'x')).not.toThrow();
  });

  it('refuses a file holding a value that is not JSON, naming the file', () => {
    const file = ruleFileOf([{ name: 'R', conditions: { all: [leaf] }, event: { type: 'x', params: { f: () => 1 } } }], ['f0']);
    expect(refusal(() => compileRuleFile(file, 'fn.rules.json'))).toEqual([expect.objectContaining({ code: 'not_json', file: 'fn.rules.json', path: '' })]);
  });

  it('lists at most MAX_RULE_SET_ISSUES issues, then says more were left out', () => {
    expect(MAX_RULE_SET_ISSUES).toBe(100);
    const bad = (n: number) => ruleFileOf([{ name: 'R', conditions: { any: new Array(n).fill('x') }, event: { type: 'x' } }], ['f0']);
    expect(refusal(() => parseRuleFile(bad(100), 'many.rules.json'))).toHaveLength(100);
    const over = refusal(() => parseRuleFile(bad(101), 'many.rules.json'));
    expect(over).toHaveLength(101);
    expect(over[99]!.path).toBe('rules[0].conditions.any[99]');
    expect(over[100]).toEqual({ code: 'too_many_issues', file: 'many.rules.json', path: '', message: 'stopped after 100 problems: correct these and load the file again' });
    const shape = refusal(() => parseRuleFile({ ...ruleFileOf([], ['f0']), rules: new Array(150).fill(1) }, 'shape.rules.json'));
    expect(shape).toHaveLength(101);
    expect(shape.at(-1)!.code).toBe('too_many_issues');
  });
});

describe('options that are not an object', () => {
  it.each([null, 'yesterday', 42, [], true])('%j is refused with INVALID_OPTIONS at "options", even right after a call with default options', (options) => {
    const facts = { amount: 1, channel: 'direct' } as const;
    evaluate('review.approval', facts, {});
    evaluate('review.approval', facts);
    try {
      evaluate('review.approval', facts, options as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyInputError);
      expect((error as PolicyInputError).code).toBe('INVALID_OPTIONS');
      expect((error as PolicyInputError).issues).toEqual([{ code: 'invalid_option', path: 'options', message: 'options must be an object', received: options, expected: 'an object' }]);
    }
  });
});
