import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { dateProblem } from '../../src/core/dates.js';
import { PolicyInputError, RuleSetError } from '../../src/core/errors.js';
import { evaluate } from '../../src/evaluate.js';
import { diffRuleSets } from '../../src/toolkit/diff.js';
import { validateRuleFile } from '../../src/toolkit/validate.js';
import { ROOT } from '../helpers/case-files.js';

// Hostile objects handed to the library (not files on disk: those are in hostile-cli.test.ts).
const approval = (): any => JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8'));
const facts = { amount: '800000', channel: 'direct' } as const;
const AS_OF = '2026-01-01';

function deep(levels: number): any {
  const json = approval();
  let node: any = { fact: 'amount', operator: 'greaterThan', value: 0 };
  for (let i = 0; i < levels; i++) node = { all: [node] };
  json.rules[0].conditions = node;
  return json;
}

function ruleSetCodes(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleSetError) return error.issues.map((issue) => issue.code);
    throw error;
  }
  return [];
}

function inputCodes(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyInputError) return error.issues.map((issue) => issue.code);
    throw error;
  }
  return [];
}

describe('a rules file nested 10,000 deep (item 2)', () => {
  it('validate refuses it with too_deep, as loading does, instead of a RangeError from the copy', () => {
    expect(validateRuleFile(deep(10_000), 'deep.rules.json').map((f) => [f.severity, f.code])).toEqual([['error', 'too_deep']]);
  });

  it('diff reports the side as unreadable instead of crashing', () => {
    const changes = diffRuleSets(evaluate as never, { rules: { 'review.approval': approval() }, cases: [] }, { rules: { 'review.approval': deep(10_000) }, cases: [] }, AS_OF, () => false);
    expect(changes).toMatchObject([{ kind: 'policy', input: 'rules file unreadable', after: { error: 'INVALID_RULE_SET' } }]);
  });
});

describe('a rule set whose entry is replaced after first use (item 7)', () => {
  it('answers from the file the set holds now, whatever the options memo holds', () => {
    const raised = approval();
    raised.parameters[0].values.directorLimit = 900_000;
    const rules: Record<string, unknown> = { 'review.approval': approval() };
    const options = { asOf: AS_OF, rules };
    const authority = (o: object) => (evaluate('review.approval', facts, o) as { outcome: { authority: string } }).outcome.authority;
    expect(authority(options)).toBe('sales_vp');
    rules['review.approval'] = raised;
    // Same options object (the memo's hit), an equal copy, other options, and back: all the new file.
    expect([authority(options), authority({ ...options }), authority({ ...options, asOf: '2026-02-01' }), authority(options)]).toEqual(['marketing_director', 'marketing_director', 'marketing_director', 'marketing_director']);
  });

  it('changing the file object itself after first use never matters: it was copied when compiled', () => {
    const file = approval();
    const options = { asOf: AS_OF, rules: { 'review.approval': file } };
    const first = evaluate('review.approval', facts, options).outcome;
    file.parameters[0].values.directorLimit = 900_000;
    expect([evaluate('review.approval', facts, options).outcome, evaluate('review.approval', facts, { ...options, asOf: '2026-02-01' }).outcome]).toEqual([first, first]);
  });
});

describe('small ones (item 8)', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty'])('an undeclared parameter named %s is refused with its path', (name) => {
    const json = approval();
    json.parameters[0].values[name] = 1;
    expect(ruleSetCodes(() => compileRuleFile(json, 'x.rules.json'))).toContain('undeclared_parameter');
  });

  it('a "__proto__" key anywhere in a rules file is refused with its path, not dropped', () => {
    const json = JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8').replace(/"directorLimit": \d+,/, '$& "__proto__": { "x": 1 },'));
    try {
      compileRuleFile(json, 'proto.rules.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleSetError);
      expect((error as RuleSetError).issues).toMatchObject([{ code: 'forbidden_key', path: 'parameters[0].values.__proto__' }]);
    }
  });

  it.each([
    ['a Date', () => new Date(0)],
    ['a Map', () => new Map([['a', 1]])],
  ])('%s in event params is refused: JSON values only', (_name, make) => {
    const json = approval();
    json.rules[0].event.params.at = make();
    expect(ruleSetCodes(() => compileRuleFile(json, 'x.rules.json'))).toEqual(['not_json']);
  });

  const throwing = () => {
    const json = approval();
    Object.defineProperty(json.rules[0], 'name', { enumerable: true, get: () => { throw new Error('boom'); } });
    return json;
  };
  const trapped = () => new Proxy(approval(), { ownKeys: () => { throw new Error('trap'); } });
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable(approval(), {});
    revoke();
    return proxy;
  };
  it.each([
    ['a throwing getter', throwing],
    ['a Proxy whose trap throws', trapped],
    ['a revoked Proxy', revoked],
  ])('%s in a rules file is a RuleSetError (not_json), from compileRuleFile, validate and evaluate', (_name, make) => {
    expect(ruleSetCodes(() => compileRuleFile(make(), 'x.rules.json'))).toEqual(['not_json']);
    expect(validateRuleFile(make(), 'x.rules.json').map((f) => f.code)).toEqual(['not_json']);
    expect(ruleSetCodes(() => evaluate('review.approval', facts, { asOf: AS_OF, rules: { 'review.approval': make() } }))).toEqual(['not_json']);
  });

  it.each([
    ['a throwing getter', () => Object.defineProperty({ channel: 'direct' }, 'amount', { enumerable: true, get: () => { throw new Error('boom'); } })],
    ['a Proxy whose trap throws', () => new Proxy({ ...facts }, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } })],
    ['a revoked Proxy', () => { const { proxy, revoke } = Proxy.revocable({ ...facts }, {}); revoke(); return proxy; }],
  ])('%s as facts is a PolicyInputError', (_name, make) => {
    expect(inputCodes(() => evaluate('review.approval', make() as never, { asOf: AS_OF }))).toEqual(['unreadable_facts']);
  });

  it('a rule set whose getter throws is a RuleSetError', () => {
    const rules = Object.defineProperty({}, 'review.approval', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(ruleSetCodes(() => evaluate('review.approval', facts, { asOf: AS_OF, rules }))).toEqual(['not_json']);
  });

  it.each([
    ['0000-01-01', 'is not a day of the calendar'],
    ['0000-06-30T10:00:00Z', 'is not a day of the calendar'],
  ])('the year of %s is outside 0001–9999', (date, problem) => {
    expect(dateProblem(date)).toMatch(problem);
  });
  it.each(['0001-01-01', '9999-12-31'])('%s, the ends of the range, is a date', (date) => expect(dateProblem(date)).toBeUndefined());

  it('an instant that falls on 10000-01-01 in the zone is refused, as a fact and as asOf (it would compare as text before 9999)', () => {
    const entries = [{ agent: 'li', client: 'acme', registeredOn: '9999-12-20' }];
    expect(inputCodes(() => evaluate('commission.protection', { entries, on: '9999-12-31T20:00:00Z', client: 'acme' }, { asOf: AS_OF }))).toEqual(['custom']); // the code of every date fact problem
    expect(inputCodes(() => evaluate('review.approval', facts, { asOf: '9999-12-31T20:00:00Z' }))).toEqual(['invalid_option']);
    // Within the range, the entry still protects on the last day of 9999 (day numbers, not text).
    expect(evaluate('commission.protection', { entries, on: '9999-12-31', client: 'acme' }, { asOf: AS_OF }).outcome).toMatchObject({ protectedBy: 'li' });
  });
});
