import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { ruleFileOf } from '../helpers/rule-file.js';

// json-rules-engine does not define which of several fired rules comes first within a priority,
// so first-hit is tested on its own: highest priority first, then file order.
const always = { all: [{ fact: 'f0', operator: 'notEqual', value: 'never' }] };
const never = { all: [{ fact: 'f0', operator: 'equal', value: 'never' }] };

function firstHit(rules: { name: string; priority?: number; conditions: unknown }[]): string[] {
  const file = ruleFileOf(rules.map((r) => ({ ...r, event: { type: r.name } })), ['f0'], 'first-hit');
  return runRules(compileRuleFile(file, 'first-hit.rules.json').versions[0]!.rules, {}, { firstHit: true, trace: false }).fired.map((r) => r.name);
}

describe('first-hit', () => {
  it.each([
    ['the higher priority wins over file order', [{ name: 'low', priority: 1, conditions: always }, { name: 'high', priority: 5, conditions: always }], ['high']],
    ['equal priorities keep file order', [{ name: 'first', priority: 2, conditions: always }, { name: 'second', priority: 2, conditions: always }], ['first']],
    ['a rule that does not fire is skipped', [{ name: 'high-but-false', priority: 9, conditions: never }, { name: 'low', conditions: always }], ['low']],
    ['no rule fires: nothing', [{ name: 'a', conditions: never }], []],
    ['priority defaults to 1', [{ name: 'default', conditions: always }, { name: 'two', priority: 2, conditions: always }], ['two']],
  ])('%s', (_name, rules, expected) => {
    expect(firstHit(rules)).toEqual(expected);
  });
});
