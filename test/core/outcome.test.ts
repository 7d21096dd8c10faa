import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { RuleGapError } from '../../src/core/errors.js';
import { firstFired, stringList } from '../../src/core/outcome.js';
import { ruleFileOf } from '../helpers/rule-file.js';

const compiled = compileRuleFile(
  ruleFileOf(
    [
      { name: 'R-1', conditions: { all: [{ fact: 'f0', operator: 'equal', value: 1 }] }, event: { type: 'decide', params: { authority: 'sales_vp', steps: ['a', 2, 'b'], count: 3 } } },
      { name: 'R-2', conditions: { all: [{ fact: 'f0', operator: 'equal', value: 2 }] }, event: { type: 'decide' } },
    ],
    ['f0'],
    'first-hit',
  ),
  'outcome.rules.json',
);
const [withParams, withoutParams] = compiled.versions[0]!.rules;

describe('firstFired', () => {
  it('gives the first fired rule', () => {
    expect(firstFired([withoutParams!, withParams!], 'test.policy', {})).toBe(withoutParams);
  });

  it('refuses no fired rule with a RuleGapError showing the facts', () => {
    expect(() => firstFired([], 'test.policy', { f0: 3 })).toThrow(RuleGapError);
    expect(() => firstFired([], 'test.policy', { f0: 3 })).toThrow('test.policy: no rule decides these facts: {"f0":3}');
  });
});

describe('stringList', () => {
  it.each<[string, unknown, string[]]>([
    ['a list of strings', ['a', 'b'], ['a', 'b']],
    ['the strings of a mixed list', ['a', 2, null, 'b'], ['a', 'b']],
    ['an empty list', [], []],
    ['a string', 'a', []],
    ['nothing', undefined, []],
    ['an object', { 0: 'a', length: 1 }, []],
  ])('%s', (_name, value, expected) => {
    expect(stringList(value)).toEqual(expected);
  });
});
