import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/core/compile.js';
import { RuleSetError } from '../../src/core/errors.js';
import { ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';

const FILE = 'rules/review/approval.rules.json';
const approval = (): Record<string, any> => JSON.parse(readFileSync(join(ROOT, FILE), 'utf8'));

function problems(json: unknown): { code: string; path: string; file: string }[] {
  try {
    compileRuleFile(json, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return (error as RuleSetError).issues.map(({ code, path, file }) => ({ code, path, file }));
  }
  throw new Error('the rules file was accepted');
}

type Edit = (file: Record<string, any>) => void;
const defects: [string, Edit, string, string][] = [
  ['a misspelt operator', (f) => (f.rules[3].conditions.all[1].operator = 'lessThen'), 'unknown_operator', 'rules[3].conditions.all[1].operator'],
  ['an undeclared fact', (f) => (f.rules[1].conditions.all[0].fact = 'chanel'), 'unknown_fact', 'rules[1].conditions.all[0].fact'],
  ['an undeclared parameter', (f) => (f.rules[3].conditions.all[1].value.fact = 'param.directorLimt'), 'unknown_parameter', 'rules[3].conditions.all[1].value.fact'],
  ['a bare comparison as the root', (f) => (f.rules[0].conditions = { fact: 'disputed', operator: 'equal', value: true }), 'invalid_condition', 'rules[0].conditions'],
  ['an empty "all"', (f) => (f.rules[0].conditions = { all: [] }), 'invalid_condition', 'rules[0].conditions.all'],
  ['"all" and "any" together', (f) => (f.rules[0].conditions.any = []), 'invalid_condition', 'rules[0].conditions'],
  ['a comparison without a value', (f) => delete f.rules[0].conditions.all[0].value, 'missing_key', 'rules[0].conditions.all[0]'],
  // Rules built in code can hold a key set to undefined, which JSON cannot: it is as missing as an absent key.
  ['a comparison whose operator is undefined', (f) => (f.rules[1].conditions.all[0].operator = undefined), 'missing_key', 'rules[1].conditions.all[0]'],
  ['a comparison whose fact is undefined', (f) => (f.rules[1].conditions.all[0].fact = undefined), 'missing_key', 'rules[1].conditions.all[0]'],
  ['a comparison whose value is undefined', (f) => (f.rules[1].conditions.all[0].value = undefined), 'missing_key', 'rules[1].conditions.all[0]'],
  ['an unknown key in a comparison', (f) => (f.rules[0].conditions.all[0].operater = 'equal'), 'unknown_key', 'rules[0].conditions.all[0].operater'],
  ['dynamic fact params', (f) => (f.rules[0].conditions.all[0].params = { a: 1 }), 'unknown_key', 'rules[0].conditions.all[0].params'],
  ['a shared condition reference', (f) => (f.rules[0].conditions.all[0] = { condition: 'shared' }), 'unsupported_feature', 'rules[0].conditions.all[0].condition'],
  ['an unsupported path', (f) => (f.rules[0].conditions.all[0].path = '$..a'), 'invalid_path', 'rules[0].conditions.all[0].path'],
  ['"in" with a single value', (f) => (f.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: 'direct' }), 'invalid_value', 'rules[1].conditions.all[0].value'],
  ['a money fact compared with a word', (f) => (f.rules[3].conditions.all[1].value = 'half a million'), 'invalid_value', 'rules[3].conditions.all[1].value'],
  ['a money parameter that is not a decimal', (f) => (f.parameters[0].values.vpLimit = '3,000,000'), 'invalid_parameter_value', 'parameters[0].values.vpLimit'],
  ['a version that leaves out a parameter', (f) => delete f.parameters[0].values.vpLimit, 'missing_parameter', 'parameters[0].values'],
  ['a value for an undeclared parameter', (f) => (f.parameters[0].values.gmLimit = 1), 'undeclared_parameter', 'parameters[0].values.gmLimit'],
  ['two versions on one date', (f) => f.parameters.push(structuredClone(f.parameters[0])), 'duplicate_effective_date', 'parameters[1].from'],
  ['versions out of order', (f) => f.parameters.push({ ...structuredClone(f.parameters[0]), from: '2016-01-01' }), 'unordered_effective_date', 'parameters[1].from'],
  ['an impossible effective date', (f) => (f.parameters[0].from = '2017-02-30'), 'invalid_date', 'parameters[0].from'],
  ['an unknown top-level key', (f) => (f.rulez = []), 'unknown_key', ''],
  ['an unknown fact type', (f) => (f.facts.amount.type = 'float'), 'invalid_value', 'facts.amount.type'],
  ['a priority of zero', (f) => (f.rules[0].priority = 0), 'too_small', 'rules[0].priority'],
  ['a rule without an event', (f) => delete f.rules[0].event, 'invalid_type', 'rules[0].event'],
  ['a monotone declaration on an unknown fact', (f) => (f.monotone[0].fact = 'amout'), 'unknown_fact', 'monotone[0].fact'],
];

describe('loading a rules file', () => {
  it.each(defects)('refuses %s, naming the file and JSON path', (_name, edit, code, path) => {
    const file = approval();
    edit(file);
    expect(problems(file)).toContainEqual({ code, path, file: FILE });
  });

  it('reports every problem at once, not only the first', () => {
    const file = approval();
    file.rules[3].conditions.all[1].operator = 'lessThen';
    file.rules[4].conditions.all[0].fact = 'chanel';
    expect(problems(file)).toHaveLength(2);
  });

  it('prints each problem as "file → path: message"', () => {
    const file = approval();
    file.rules[2].conditions.all[0].operator = 'lessThen';
    expect(() => compileRuleFile(file, FILE)).toThrowErrorMatchingInlineSnapshot(`
      [RuleSetError: invalid rule set
      rules/review/approval.rules.json → rules[2].conditions.all[0].operator: unknown operator "lessThen": supported are equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain]
    `);
  });

  it.each([null, 42, 'rules', [], { policy: 'x' }])('refuses %j with a RuleSetError, never a crash', (json) => {
    expect(problems(json).length).toBeGreaterThan(0);
  });

  it('does not let later changes to the caller\'s object reach the compiled rules', () => {
    const file = approval();
    const compiled = compileRuleFile(file, 'copy.rules.json');
    file.parameters[0].values.directorLimit = 1;
    expect(compiled.versions[0]!.parameters['directorLimit']).toBe('500000');
  });
});

describe('every bundled rules file', () => {
  for (const path of ruleFilesEndingIn('.rules.json')) {
    it(`${path} loads, and its rules load into json-rules-engine unchanged`, () => {
      const json = JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
      expect(compileRuleFile(json, path).spec.policy).toBe(json.policy);
      const engine = new Engine();
      for (const rule of json.rules) engine.addRule(rule);
      expect(json.rules.length).toBeGreaterThan(0);
    });
  }
});
