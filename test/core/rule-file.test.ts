import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/core/compile.js';
import { RuleSetError } from '../../src/core/errors.js';
import { checkNesting, MAX_RULE_FILE_DEPTH, MAX_RULE_SET_ISSUES, parsePath, parseRuleFile, valueTypeProblem } from '../../src/core/rule-file.js';
import { ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';
import { ruleFileOf } from '../helpers/rule-file.js';

const FILE = 'rules/review/approval.rules.json';
const approval = (): Record<string, any> => JSON.parse(readFileSync(join(ROOT, FILE), 'utf8'));

function problems(json: unknown): { code: string; path: string; file: string; message: string }[] {
  try {
    compileRuleFile(json, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return (error as RuleSetError).issues.map(({ code, path, file, message }) => ({ code, path, file, message }));
  }
  throw new Error('the rules file was accepted');
}

const OPERATOR_LIST = 'equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain';
const TYPE_LIST = 'money, decimal, integer, boolean, string, date, list, object, json';
const PATH_HINT = 'write "$" then ".name" or "[index]" steps, e.g. "$.referral.referrerAgent"';
const NOT_DECIMAL = 'a decimal string has only digits, an optional "-" and one "."';

type Edit = (file: Record<string, any>) => void;
// Each defect is refused with exactly one issue: its code, JSON path and message (undefined: zod's own wording).
const defects: [string, Edit, string, string, string | undefined][] = [
  ['a misspelt operator', (f) => (f.rules[3].conditions.all[1].operator = 'lessThen'), 'unknown_operator', 'rules[3].conditions.all[1].operator', `unknown operator "lessThen"; did you mean "lessThan"? Supported are ${OPERATOR_LIST}`],
  ['an operator far from every supported one', (f) => (f.rules[3].conditions.all[1].operator = 'regex'), 'unknown_operator', 'rules[3].conditions.all[1].operator', `unknown operator "regex": supported are ${OPERATOR_LIST}`],
  ['an operator in the wrong case', (f) => (f.rules[3].conditions.all[1].operator = 'LessThanInclusive'), 'unknown_operator', 'rules[3].conditions.all[1].operator', `unknown operator "LessThanInclusive"; did you mean "lessThanInclusive"? Supported are ${OPERATOR_LIST}`],
  ['an undeclared fact', (f) => (f.rules[1].conditions.all[0].fact = 'chanel'), 'unknown_fact', 'rules[1].conditions.all[0].fact', 'unknown fact "chanel": declare it under "facts"'],
  ['an undeclared parameter', (f) => (f.rules[3].conditions.all[1].value.fact = 'param.directorLimt'), 'unknown_parameter', 'rules[3].conditions.all[1].value.fact', 'unknown parameter "directorLimt": declare it under parameterInfo and give it in every version'],
  ['an undeclared parameter as the fact', (f) => (f.rules[1].conditions.all[0].fact = 'param.channel'), 'unknown_parameter', 'rules[1].conditions.all[0].fact', 'unknown parameter "channel": declare it under parameterInfo and give it in every version'],
  ['a bare comparison as the root', (f) => (f.rules[0].conditions = { fact: 'disputed', operator: 'equal', value: true }), 'invalid_condition', 'rules[0].conditions', 'the conditions of a rule start with "all", "any", "not" or a shared "condition" (json-rules-engine refuses a bare comparison here)'],
  ['an empty "all"', (f) => (f.rules[0].conditions = { all: [] }), 'invalid_condition', 'rules[0].conditions.all', '"all" takes a non-empty list of conditions'],
  ['an "any" that is not a list', (f) => (f.rules[0].conditions = { any: { fact: 'disputed', operator: 'equal', value: true } }), 'invalid_condition', 'rules[0].conditions.any', '"any" takes a non-empty list of conditions'],
  ['"all" and "any" together', (f) => (f.rules[0].conditions.any = []), 'invalid_condition', 'rules[0].conditions', 'a condition has one of all, any, not; this one has all and any'],
  ['a key beside "all"', (f) => (f.rules[0].conditions.prority = 1), 'unknown_key', 'rules[0].conditions.prority', 'unknown key "prority" beside "all"'],
  ['a condition priority that is not a whole number from 1', (f) => (f.rules[0].conditions.priority = 0), 'invalid_priority', 'rules[0].conditions.priority', 'a condition\'s "priority" is a whole number from 1 up, received 0'],
  ['a condition name that is not a string', (f) => (f.rules[0].conditions.all[0].name = 7), 'invalid_name', 'rules[0].conditions.all[0].name', 'a condition\'s "name" is a non-empty string, received 7'],
  ['an evaluation result on a condition (RuleResult.toJSON())', (f) => (f.rules[0].conditions.all[0].factResult = 1), 'unknown_key', 'rules[0].conditions.all[0].factResult', '"factResult" is an evaluation result json-rules-engine writes on a rule\'s result (RuleResult.toJSON()), not part of a rule: export the rule with rule.toJSON()'],
  ['a string where a condition goes', (f) => (f.rules[0].conditions.all[0] = 'disputed'), 'invalid_condition', 'rules[0].conditions.all[0]', 'expected a condition object, received "disputed"'],
  ['null where a condition goes', (f) => (f.rules[0].conditions.all[0] = null), 'invalid_condition', 'rules[0].conditions.all[0]', 'expected a condition object, received null'],
  // eslint-disable-next-line no-sparse-arrays -- rules built in code can hold a hole, which JSON cannot
  ['a hole in a list of conditions', (f) => (f.rules[0].conditions = { all: [, { fact: 'disputed', operator: 'equal', value: true }] }), 'invalid_condition', 'rules[0].conditions.all[0]', 'expected a condition object, received undefined'],
  ['a list where a condition goes', (f) => (f.rules[0].conditions.all[0] = [1]), 'invalid_condition', 'rules[0].conditions.all[0]', 'expected a condition object, received [1]'],
  ['an undeclared fact under "not"', (f) => (f.rules[0].conditions = { not: { fact: 'chanel', operator: 'equal', value: 'x' } }), 'unknown_fact', 'rules[0].conditions.not.fact', 'unknown fact "chanel": declare it under "facts"'],
  ['an undeclared fact under "any"', (f) => (f.rules[0].conditions = { any: [{ fact: 'disputed', operator: 'equal', value: true }, { fact: 'chanel', operator: 'equal', value: 'x' }] }), 'unknown_fact', 'rules[0].conditions.any[1].fact', 'unknown fact "chanel": declare it under "facts"'],
  ['a comparison without a value', (f) => delete f.rules[0].conditions.all[0].value, 'missing_key', 'rules[0].conditions.all[0]', 'a comparison needs "value"'],
  // Rules built in code can hold a key set to undefined, which JSON cannot: it is as missing as an absent key.
  ['a comparison whose operator is undefined', (f) => (f.rules[1].conditions.all[0].operator = undefined), 'missing_key', 'rules[1].conditions.all[0]', 'a comparison needs "operator"'],
  ['a comparison whose fact is undefined', (f) => (f.rules[1].conditions.all[0].fact = undefined), 'missing_key', 'rules[1].conditions.all[0]', 'a comparison needs "fact"'],
  ['a comparison whose value is undefined', (f) => (f.rules[1].conditions.all[0].value = undefined), 'missing_key', 'rules[1].conditions.all[0]', 'a comparison needs "value"'],
  ['a fact that is not a name', (f) => (f.rules[1].conditions.all[0].fact = 42), 'invalid_fact', 'rules[1].conditions.all[0].fact', '"fact" is a fact name, received 42'],
  ['an unknown key in a comparison', (f) => (f.rules[0].conditions.all[0].operater = 'equal'), 'unknown_key', 'rules[0].conditions.all[0].operater', 'unknown key "operater": a comparison has fact, operator, value and optional path, name and priority'],
  ['dynamic fact params', (f) => (f.rules[0].conditions.all[0].params = { a: 1 }), 'unknown_key', 'rules[0].conditions.all[0].params', 'fact "params" (dynamic facts) are not supported'],
  ['a reference to a shared condition the file lacks', (f) => (f.rules[0].conditions.all[0] = { condition: 'shared' }), 'unknown_condition', 'rules[0].conditions.all[0].condition', 'unknown shared condition "shared": the file has no "conditions" block'],
  ['a reference to a shared condition not in the block', (f) => ((f.conditions = { direct: { all: [{ fact: 'channel', operator: 'equal', value: 'direct' }] } }), (f.rules[0].conditions.all[0] = { condition: 'drect' })), 'unknown_condition', 'rules[0].conditions.all[0].condition', 'unknown shared condition "drect": the "conditions" block has "direct"'],
  ['a shared condition that refers to itself', (f) => ((f.conditions = { a: { any: [{ condition: 'b' }] }, b: { not: { condition: 'a' } } }), (f.rules[0].conditions.all[0] = { condition: 'a' })), 'condition_cycle', 'conditions.b.not.condition', 'shared condition "a" refers back to itself: a → b → a'],
  ['a fact reference as an event param (replaceFactsInEventParams)', (f) => (f.rules[0].event.params.count = { fact: 'amount' }), 'fact_in_event_params', 'rules[0].event.params.count', 'event param "count" refers to a fact (json-rules-engine\'s replaceFactsInEventParams), which this library does not replace: event params are returned as written, so write the value itself, or let the policy read the fact'],
  ['an event param naming an undeclared parameter', (f) => (f.rules[0].event.params.limit = { fact: 'param.vpLimt' }), 'unknown_parameter', 'rules[0].event.params.limit.fact', 'unknown parameter "vpLimt": declare it under parameterInfo and give it in every version'],
  ['a reference that is not a name', (f) => (f.rules[0].conditions.all[0] = { condition: 3 }), 'invalid_condition', 'rules[0].conditions.all[0].condition', '"condition" names a shared condition of the file\'s "conditions" block, received 3'],
  ['a key beside "condition"', (f) => ((f.conditions = { a: { all: [{ fact: 'channel', operator: 'equal', value: 'direct' }] } }), (f.rules[0].conditions.all[0] = { condition: 'a', params: {} })), 'unknown_key', 'rules[0].conditions.all[0].params', 'unknown key "params" beside "condition": a reference has "condition" and optional name and priority'],
  ['a shared condition that is a bare comparison', (f) => ((f.conditions = { a: { fact: 'channel', operator: 'equal', value: 'direct' } }), (f.rules[0].conditions.all[0] = { condition: 'a' })), 'invalid_condition', 'conditions.a', 'the conditions of a rule start with "all", "any", "not" or a shared "condition" (json-rules-engine refuses a bare comparison here)'],
  ['a mistake in a shared condition no rule uses', (f) => (f.conditions = { unused: { all: [{ fact: 'chanel', operator: 'equal', value: 'direct' }] } }), 'unknown_fact', 'conditions.unused.all[0].fact', 'unknown fact "chanel": declare it under "facts"'],
  ['an unsupported path', (f) => (f.rules[0].conditions.all[0].path = '$..a'), 'invalid_path', 'rules[0].conditions.all[0].path', `unsupported path "$..a": ${PATH_HINT}`],
  ['a path without "$"', (f) => (f.rules[0].conditions.all[0].path = '.a'), 'invalid_path', 'rules[0].conditions.all[0].path', `unsupported path ".a": ${PATH_HINT}`],
  ['a path step named "$"', (f) => (f.rules[0].conditions.all[0].path = '$.a.$'), 'invalid_path', 'rules[0].conditions.all[0].path', 'unsupported path "$.a.$": a step named "$" is read by json-rules-engine\'s JSONPath as "the value so far", not as the key "$"; rename the key'],
  ['a path index with a leading zero', (f) => (f.rules[0].conditions.all[0].path = '$.a[01]'), 'invalid_path', 'rules[0].conditions.all[0].path', 'unsupported path "$.a[01]": the index [01] has a leading zero: json-rules-engine\'s JSONPath reads it as the key "01", never an array position; write [1]'],
  ['a path that is not a string', (f) => (f.rules[0].conditions.all[0].path = 1), 'invalid_path', 'rules[0].conditions.all[0].path', `unsupported path 1: ${PATH_HINT}`],
  ['a key beside "fact" in a fact reference', (f) => (f.rules[3].conditions.all[1].value.default = 0), 'unknown_key', 'rules[3].conditions.all[1].value.default', 'a fact reference has "fact" and optional "path", not "default"'],
  ['a fact reference whose fact is not a name', (f) => (f.rules[3].conditions.all[1].value.fact = 7), 'invalid_fact', 'rules[3].conditions.all[1].value.fact', '"fact" is a fact name, received 7'],
  ['a fact reference to an undeclared fact', (f) => (f.rules[3].conditions.all[1].value.fact = 'amout'), 'unknown_fact', 'rules[3].conditions.all[1].value.fact', 'unknown fact "amout": declare it under "facts"'],
  ['a fact reference with an unsupported path', (f) => (f.rules[3].conditions.all[1].value.path = '$.*'), 'invalid_path', 'rules[3].conditions.all[1].value.path', `unsupported path "$.*": ${PATH_HINT}`],
  ['"in" with a single value', (f) => (f.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: 'direct' }), 'invalid_value', 'rules[1].conditions.all[0].value', '"in" compares with a list: give a JSON array or a list parameter'],
  ['"notIn" with a single value', (f) => (f.rules[1].conditions.all[0] = { fact: 'channel', operator: 'notIn', value: 'direct' }), 'invalid_value', 'rules[1].conditions.all[0].value', '"notIn" compares with a list: give a JSON array or a list parameter'],
  ['"in" with a money parameter', (f) => (f.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: { fact: 'param.vpLimit' } }), 'invalid_value', 'rules[1].conditions.all[0].value', '"in" compares with a list: give a JSON array or a list parameter'],
  ['"in" with a path into a list parameter', (f) => (f.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: { fact: 'param.departmentSteps', path: '$[0]' } }), 'invalid_value', 'rules[1].conditions.all[0].value', '"in" compares with a list: give a JSON array or a list parameter'],
  ['"in" with another fact', (f) => (f.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: { fact: 'channel' } }), 'invalid_value', 'rules[1].conditions.all[0].value', '"in" compares with a list: give a JSON array or a list parameter'],
  // Only list parameters stand for a list, not a list fact.
  ['"in" with a list fact', (f) => ((f.facts['priorApprovalSteps'] = { type: 'list', description: 'x' }), (f.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: { fact: 'priorApprovalSteps' } })), 'invalid_value', 'rules[1].conditions.all[0].value', '"in" compares with a list: give a JSON array or a list parameter'],
  ['a money fact compared with a word', (f) => (f.rules[3].conditions.all[1].value = 'half a million'), 'invalid_value', 'rules[3].conditions.all[1].value', `amount is a money fact, so it is compared with decimals: ${NOT_DECIMAL}`],
  ['a money fact in a list with a word', (f) => (f.rules[3].conditions.all[1] = { fact: 'amount', operator: 'in', value: ['1', 'lots'] }), 'invalid_value', 'rules[3].conditions.all[1].value[1]', `amount is a money fact, so it is compared with decimals: ${NOT_DECIMAL}`],
  ['a decimal fact compared with a word', (f) => ((f.facts.amount.type = 'decimal'), (f.rules[3].conditions.all[1].value = 'many')), 'invalid_value', 'rules[3].conditions.all[1].value', `amount is a decimal fact, so it is compared with decimals: ${NOT_DECIMAL}`],
  ['a money parameter that is not a decimal', (f) => (f.parameters[0].values.vpLimit = '3,000,000'), 'invalid_parameter_value', 'parameters[0].values.vpLimit', `parameter vpLimit is declared money: ${NOT_DECIMAL}`],
  ['a wrapped example value that is not a decimal', (f) => (f.parameters[0].values.vpLimit = { value: 'lots', example: true }), 'invalid_parameter_value', 'parameters[0].values.vpLimit.value', `parameter vpLimit is declared money: ${NOT_DECIMAL}`],
  ['a list parameter that is not a list', (f) => (f.parameters[0].values.departmentSteps = 'technical'), 'invalid_parameter_value', 'parameters[0].values.departmentSteps', 'parameter departmentSteps is declared list: expected a list'],
  ['a version that leaves out a parameter', (f) => delete f.parameters[0].values.vpLimit, 'missing_parameter', 'parameters[0].values', 'this version does not give parameter "vpLimit": every version gives every declared parameter'],
  ['a value for an undeclared parameter', (f) => (f.parameters[0].values.gmLimit = 1), 'undeclared_parameter', 'parameters[0].values.gmLimit', 'parameter "gmLimit" is not declared under parameterInfo'],
  ['two versions on one date', (f) => f.parameters.push(structuredClone(f.parameters[0])), 'duplicate_effective_date', 'parameters[1].from', "2017-04-26 must come after the previous version's 2017-04-26: versions are listed oldest first, one per date"],
  ['versions out of order', (f) => f.parameters.push({ ...structuredClone(f.parameters[0]), from: '2016-01-01' }), 'unordered_effective_date', 'parameters[1].from', "2016-01-01 must come after the previous version's 2017-04-26: versions are listed oldest first, one per date"],
  ['an impossible effective date', (f) => (f.parameters[0].from = '2017-02-30'), 'invalid_date', 'parameters[0].from', '"from" must be a date "YYYY-MM-DD": 2017-02-30 is not a day of the calendar'],
  ['an instant as the effective date', (f) => (f.parameters[0].from = '2017-04-26T00:00:00Z'), 'invalid_date', 'parameters[0].from', '"from" must be a date "YYYY-MM-DD": an instant is not a date'],
  ['an unknown top-level key', (f) => (f.rulez = []), 'unknown_key', '', 'unknown key "rulez"'],
  ['two unknown keys in a rule', (f) => ((f.rules[0].when = 1), (f.rules[0].then = 2)), 'unknown_key', 'rules[0]', 'unknown keys "when", "then"'],
  ['an unknown fact type', (f) => (f.facts.amount.type = 'float'), 'invalid_value', 'facts.amount.type', `unknown type "float": expected one of ${TYPE_LIST}`],
  ['a fact named like a parameter', (f) => (f.facts['param.amount'] = { type: 'money', description: 'x' }), 'reserved_name', 'facts["param.amount"]', 'fact names starting with "param." are reserved for parameters; declare it under parameterInfo'],
  ['allowed values on a boolean fact', (f) => (f.facts.disputed.values = ['yes']), 'values_on_non_string', 'facts.disputed.values', '"values" lists the allowed strings of a string or list fact'],
  ['a minimum on a boolean fact', (f) => (f.facts.disputed.minimum = 0), 'minimum_on_non_number', 'facts.disputed.minimum', '"minimum" applies to money, decimal and integer facts'],
  ['a minimum on a date fact', (f) => (f.facts.signed = { type: 'date', description: 'x', minimum: 0 }), 'minimum_on_non_number', 'facts.signed.minimum', '"minimum" applies to money, decimal and integer facts'],
  ['a priority of zero', (f) => (f.rules[0].priority = 0), 'too_small', 'rules[0].priority', undefined],
  ['a rule without an event', (f) => delete f.rules[0].event, 'invalid_type', 'rules[0].event', undefined],
  ['a monotone declaration on an unknown fact', (f) => (f.monotone[0].fact = 'amout'), 'unknown_fact', 'monotone[0].fact', 'unknown fact "amout": declare it under "facts"'],
];

describe('loading a rules file', () => {
  it.each(defects)('refuses %s, naming the file and JSON path', (_name, edit, code, path, message) => {
    const file = approval();
    edit(file);
    expect(problems(file)).toEqual([{ code, path, file: FILE, message: message ?? expect.any(String) }]);
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
      rules/review/approval.rules.json → rules[2].conditions.all[0].operator: unknown operator "lessThen"; did you mean "lessThan"? Supported are equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain]
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

describe('what a loaded rules file holds', () => {
  const typed = (facts: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...ruleFileOf([{ name: 'R', conditions: { all: [{ fact: Object.keys(facts)[0], operator: 'equal', value: 1 }] }, event: { type: 'x' } }], []),
    facts,
    ...extra,
  });

  it.each([
    ['first-hit', undefined, 'gap'],
    ['collect-all', undefined, 'allowed'],
    ['first-hit', 'allowed', 'allowed'],
    ['collect-all', 'gap', 'gap'],
  ] as const)('a %s file with noMatch %s treats no rule firing as %s', (decision, noMatch, expected) => {
    const json = { ...ruleFileOf([{ name: 'R', conditions: { all: [{ fact: 'f0', operator: 'equal', value: 1 }] }, event: { type: 'x' } }], ['f0'], decision), ...(noMatch ? { noMatch } : {}) };
    expect(parseRuleFile(json, 'x.rules.json').noMatch).toBe(expected);
  });

  it('gives no labels and no monotone declarations when the file declares none', () => {
    const file = parseRuleFile(ruleFileOf([{ name: 'R', conditions: { all: [{ fact: 'f0', operator: 'equal', value: 1 }] }, event: { type: 'x' } }], ['f0']), 'x.rules.json');
    expect(file.labels).toEqual({});
    expect(file.monotone).toEqual([]);
  });

  it('lists the parameter values marked as examples, per version, and unwraps them', () => {
    const info = { a: { type: 'integer', description: 'a' }, b: { type: 'integer', description: 'b' }, c: { type: 'integer', description: 'c' } };
    const json = ruleFileOf([{ name: 'R', conditions: { all: [{ fact: 'param.a', operator: 'equal', value: 1 }] }, event: { type: 'x' } }], [], 'collect-all', {
      info,
      values: { a: { value: 1, example: true }, b: { value: 2, example: false }, c: 3 },
    });
    json['parameters'] = [...(json['parameters'] as unknown[]), { from: '2020-01-01', values: { a: 4, b: 5, c: 6 } }];
    const file = parseRuleFile(json, 'x.rules.json');
    expect(file.parameters).toEqual([
      { from: '2017-04-26', values: { a: 1, b: 2, c: 3 }, examples: ['a'] },
      { from: '2020-01-01', values: { a: 4, b: 5, c: 6 }, examples: [] },
    ]);
  });

  it('accepts a minimum on money, decimal and integer facts, and allowed values on string and list facts', () => {
    for (const type of ['money', 'decimal', 'integer']) expect(() => parseRuleFile(typed({ n: { type, description: 'n', minimum: 0 } }), 'x.rules.json')).not.toThrow();
    for (const type of ['string', 'list']) expect(() => parseRuleFile(typed({ s: { type, description: 's', values: ['a'] } }), 'x.rules.json')).not.toThrow();
  });

  it('accepts "in" and "notIn" with a list parameter, and a money fact read at a path compared with anything', () => {
    const json = ruleFileOf(
      [
        { name: 'R', conditions: { all: [{ fact: 's', operator: 'in', value: { fact: 'param.steps' } }, { fact: 's', operator: 'notIn', value: ['a'] }] }, event: { type: 'x' } },
        { name: 'S', conditions: { any: [{ fact: 'm', path: '$.total', operator: 'equal', value: 'n/a' }, { fact: 'm', operator: 'lessThan', value: { fact: 'param.limit' } }] }, event: { type: 'x' } },
      ],
      [],
      'collect-all',
      { info: { steps: { type: 'list', description: 'steps' }, limit: { type: 'money', description: 'limit' } }, values: { steps: ['a'], limit: '10' } },
    );
    json['facts'] = { s: { type: 'string', description: 's' }, m: { type: 'money', description: 'm' } };
    expect(parseRuleFile(json, 'x.rules.json').rules).toHaveLength(2);
  });

  it('refuses "in" with an undeclared parameter as an unknown parameter and a non-list', () => {
    const file = approval();
    file.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: { fact: 'param.channels' } };
    expect(problems(file).map(({ code, path }) => [code, path])).toEqual([
      ['unknown_parameter', 'rules[1].conditions.all[0].value.fact'],
      ['invalid_value', 'rules[1].conditions.all[0].value'],
    ]);
  });

  it('refuses "in" with a fact reference whose fact is not a name as both, never a crash', () => {
    const file = approval();
    file.rules[1].conditions.all[0] = { fact: 'channel', operator: 'in', value: { fact: 7 } };
    expect(problems(file).map(({ code, path }) => [code, path])).toEqual([
      ['invalid_fact', 'rules[1].conditions.all[0].value.fact'],
      ['invalid_value', 'rules[1].conditions.all[0].value'],
    ]);
  });

  it('lists exactly MAX_RULE_SET_ISSUES shape problems without a too_many_issues issue', () => {
    const shape = { ...ruleFileOf([], ['f0']), rules: new Array(MAX_RULE_SET_ISSUES).fill(1) };
    const issues = (() => {
      try {
        parseRuleFile(shape, 'shape.rules.json');
      } catch (error) {
        return (error as RuleSetError).issues;
      }
      throw new Error('accepted');
    })();
    expect(issues).toHaveLength(MAX_RULE_SET_ISSUES);
    expect(issues.map((issue) => issue.code)).not.toContain('too_many_issues');
  });
});

describe('checkNesting', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = {};
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };

  it(`accepts an object ${MAX_RULE_FILE_DEPTH - 1} levels down and refuses one ${MAX_RULE_FILE_DEPTH} down, with its path`, () => {
    expect(() => checkNesting(nested(MAX_RULE_FILE_DEPTH - 1), 'deep.rules.json')).not.toThrow();
    expect(() => checkNesting(nested(MAX_RULE_FILE_DEPTH), 'deep.rules.json')).toThrow(RuleSetError);
    try {
      checkNesting(nested(MAX_RULE_FILE_DEPTH), 'deep.rules.json');
    } catch (error) {
      expect((error as RuleSetError).issues).toEqual([
        { code: 'too_deep', file: 'deep.rules.json', path: '[0]'.repeat(MAX_RULE_FILE_DEPTH), message: `nested more than ${MAX_RULE_FILE_DEPTH} levels deep: a rules file never needs that; simplify the conditions` },
      ]);
    }
  });
});

describe('parsePath', () => {
  it.each([
    ['$', []],
    ['$.referral.agents[1]', ['referral', 'agents', 1]],
    ['$[0]._x$', [0, '_x$']],
    ['.referral', undefined],
    ['x.referral', undefined],
    ['referral', undefined],
    ['$..a', undefined],
    ['$.*', undefined],
    ['$[-1]', undefined],
    ['$.$', undefined],
    ['$.a.$', undefined],
    ['$.a[01]', undefined],
    ['$[00]', undefined],
    ['$.$a[0]', ['$a', 0]],
    ['$.a[10]', ['a', 10]],
  ] as const)('%s → %j', (path, segments) => {
    expect(parsePath(path)).toEqual(segments);
  });
});

describe('valueTypeProblem', () => {
  it.each([
    ['money', '12.5', undefined],
    ['money', 'lots', NOT_DECIMAL],
    ['decimal', 1.5, undefined],
    ['decimal', true, 'expected a number or a decimal string'],
    ['integer', 3, undefined],
    ['integer', 1.5, 'expected a whole number'],
    ['integer', '3', 'expected a whole number'],
    ['boolean', false, undefined],
    ['boolean', 'false', 'expected true or false'],
    ['string', '', undefined],
    ['string', 1, 'expected a string'],
    ['date', '2026-02-28', undefined],
    ['date', '2026-02-30', '2026-02-30 is not a day of the calendar'],
    ['date', '2026-02-28T00:00:00Z', 'expected a date "YYYY-MM-DD"'],
    ['date', 20260228, 'expected a date "YYYY-MM-DD"'],
    ['date', ['2', '0', '2', '6', '-', '0', '2', '-', '2', '8'], 'expected a date "YYYY-MM-DD"'],
    ['list', [], undefined],
    ['list', 'a', 'expected a list'],
    ['object', {}, undefined],
    ['object', null, 'expected an object'],
    ['object', [], 'expected an object'],
    ['object', 'a', 'expected an object'],
    ['json', null, undefined],
    ['json', [1, { a: 'b' }], undefined],
  ] as const)('%s %j → %s', (type, value, problem) => {
    expect(valueTypeProblem(type, value)).toBe(problem);
  });
});
