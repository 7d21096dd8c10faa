import { describe, expect, it } from 'vitest';
import { parseCaseFile } from '../../src/core/cases.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import type { NameKind } from '../../src/core/names.js';
import { nameProblem } from '../../src/core/names.js';
import { parseRuleFile } from '../../src/core/rule-file.js';
import { createPolicies, evaluate, RuleSetError } from '../../src/index.js';
import { toSql } from '../../src/sql/index.js';
import { validateRuleFile } from '../../src/toolkit/validate.js';
import { bundledCaseFiles } from '../helpers/case-files.js';
import { rulesFixture, runCli } from '../helpers/cli.js';
import { bundledRules, HOSTILE_STRINGS, NAME_SLOTS, RULE_FILES } from '../helpers/hostile.js';

const FILE = 'rules/review/approval.rules.json';
const AS_OF = '2026-01-01';

function issuesOf(load: () => unknown): { code: string; path: string; file: string }[] {
  try {
    load();
  } catch (error) {
    if (error instanceof RuleSetError) return error.issues.map(({ code, path, file }) => ({ code, path, file }));
    throw error;
  }
  return [];
}

describe('the character set of each kind of name', () => {
  const table: readonly (readonly [NameKind, string, boolean])[] = [
    ['fact', 'amount', true],
    ['fact', 'repeatBatch', true],
    ['fact', 'agent_2', true],
    ['fact', '2agent', false],
    ['fact', '_private', false],
    ['fact', 'first name', false],
    ['fact', 'a.b', false],
    ['fact', 'amount\n', false],
    ['fact', 'montant€', false],
    ['fact', 'a'.repeat(64), true],
    ['fact', 'a'.repeat(65), false],
    ['parameter', 'vpLimit', true],
    ['parameter', 'x = 1\nCOPY (SELECT 1) TO PROGRAM \'id\'; --', false],
    ['parameter', 'param.x', false],
    ['outcomeField', 'authority', true],
    ['outcomeField', 'author-ity', false],
    ['rule', 'REV-6.2', true],
    ['rule', 'FUL-P9-a', true],
    ['rule', 'FUP-006.5', true],
    ['rule', 'a_b', true],
    ['rule', '6.2', true],
    ['rule', '-6.2', false],
    ['rule', '.6', false],
    ['rule', 'REV 6.2', false],
    ['rule', "REV-6.5\\'", false],
    ['rule', 'REV-6.5$$', false],
    ['word', 'sales_vp', true],
    ['word', 'COM-6', true],
    ['word', 'sales vp', false],
    ['eventType', 'follow-up-actions', true],
    ['eventType', 'daily_report', true],
    ['eventType', 'a/b', false],
    ['policy', 'review.approval', true],
    ['policy', 'followUp.escalation', true],
    ['policy', 'review..approval', false],
    ['policy', 'review.approval.', false],
    ['policy', 'review/approval', false],
    ['case', 'a direct order of 500,000 ("at most") → the director', true],
    ['case', '總經理審批 300萬以上', true],
    ['case', ' leading space', false],
    ['case', 'trailing space ', false],
    ['case', 'two\nlines', false],
    ['case', 'tab\there', false],
    ['case', 'line\u2028separator', false],
    ['case', 'bidi \u202e override', false],
    ['case', 'x'.repeat(201), false],
  ];
  it.each(table)('%s %j: %s', (kind, name, valid) => {
    expect(nameProblem(kind, name) === undefined).toBe(valid);
  });

  it('no hostile string of the corpus is a valid name of any kind', () => {
    for (const kind of ['fact', 'parameter', 'outcomeField', 'rule', 'word', 'eventType', 'policy'] as const) {
      for (const text of HOSTILE_STRINGS) expect(nameProblem(kind, text), `${kind} ${JSON.stringify(text)}`).toBeDefined();
    }
  });

  it('every name in the bundled rules and case files is valid (they all load)', () => {
    for (const file of RULE_FILES) expect(() => compileRuleFile(bundledRules(file), file), file).not.toThrow();
    expect(bundledCaseFiles().length).toBeGreaterThan(10);
  });
});

describe('names are checked when a rules file loads, with the file and JSON path', () => {
  it.each(NAME_SLOTS.map(([slot, edit]) => [slot, edit] as const))('a bad %s is refused with invalid_name', (slot, edit) => {
    for (const name of HOSTILE_STRINGS) {
      const json = bundledRules(FILE);
      edit(json, name);
      const issues = issuesOf(() => parseRuleFile(json, FILE));
      expect(issues.length, `${slot} ${JSON.stringify(name)}`).toBeGreaterThan(0);
      expect(issues.some((issue) => issue.code === 'invalid_name' && issue.file === FILE), `${slot} ${JSON.stringify(name)}: ${JSON.stringify(issues)}`).toBe(true);
    }
  });

  it('names the JSON path of each bad name', () => {
    const json = bundledRules(FILE);
    json.facts['first name'] = { type: 'string', description: 'x' };
    json.rules[2].name = 'REV 6.3';
    json.rules[2].event.type = 'approval!';
    json.labels.authority['sales vp'] = { en: 'x', zh: 'x' };
    expect(issuesOf(() => parseRuleFile(json, FILE))).toEqual([
      { code: 'invalid_name', file: FILE, path: 'facts["first name"]' },
      { code: 'invalid_name', file: FILE, path: 'labels.authority["sales vp"]' },
      { code: 'invalid_name', file: FILE, path: 'rules[2].name' },
      { code: 'invalid_name', file: FILE, path: 'rules[2].event.type' },
    ]);
  });

  it('validate reports a bad name as loading does', () => {
    const json = bundledRules(FILE);
    json.rules[0].name = 'REV-6.1; DROP';
    const findings = validateRuleFile(json, FILE, {});
    expect(findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'invalid_name', file: FILE, path: 'rules[0].name' }));
  });

  it('a case file with a bad case name or policy id is refused, naming the case', () => {
    const file = 'rules/review/approval.cases.json';
    const cases = { policy: 'review approval', cases: [{ name: 'ok', facts: {}, expected: { error: 'INVALID_FACTS' } }, { name: 'two\nlines', facts: {}, expected: { error: 'INVALID_FACTS' } }] };
    expect(issuesOf(() => parseCaseFile(cases, file))).toEqual([
      { code: 'invalid_name', file, path: 'policy' },
      { code: 'invalid_name', file, path: 'cases[1].name' },
    ]);
  });
});

describe('the three reproductions of issue 14', () => {
  it('1. a parameter name with a newline and COPY … TO PROGRAM is refused at load (and by validate, evaluate and toSql)', () => {
    const name = "x = 1\nCOPY (SELECT 'pwned') TO PROGRAM 'id > out.txt'; --";
    const json = bundledRules(FILE);
    json.parameterInfo[name] = { type: 'money', description: 'x' };
    json.parameters[0].values[name] = '1';
    const path = `parameterInfo[${JSON.stringify(name)}]`;
    expect(issuesOf(() => compileRuleFile(json, FILE))).toContainEqual({ code: 'invalid_name', file: FILE, path });
    expect(validateRuleFile(json, FILE, {})).toContainEqual(expect.objectContaining({ code: 'invalid_name', path }));
    expect(() => evaluate('review.approval', { amount: '1', channel: 'direct' }, { asOf: AS_OF, rules: json })).toThrow(RuleSetError);
    for (const dialect of ['duckdb', 'postgres'] as const) expect(() => toSql('review.approval', { dialect, asOf: AS_OF, rules: json })).toThrow(RuleSetError);
  });

  it('1. on the CLI too: sql refuses the rules folder, validate names the parameter', () => {
    const name = "x = 1\nCOPY (SELECT 'pwned') TO PROGRAM 'id > out.txt'; --";
    const dir = rulesFixture('review/approval.rules.json', (json) => {
      json.parameterInfo[name] = { type: 'money', description: 'x' };
      json.parameters[0].values[name] = '1';
    });
    const sql = runCli(['sql', 'review.approval', '--dialect', 'postgres', '--as-of', AS_OF, '--rules', dir]);
    expect(sql.code).not.toBe(0);
    expect(sql.stdout).not.toContain('COPY');
    expect(sql.stderr).toContain(`parameterInfo[${JSON.stringify(name)}]: a parameter name is an ASCII letter`);
    const validate = runCli(['validate', '--rules', dir, '--format', 'json']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('invalid_name');
  });

  it('2. a rule name that would end a literal under standard_conforming_strings = off is refused at load', () => {
    const json = bundledRules(FILE);
    json.rules[7].name = "REV-6.5\\'] END AS x FROM facts; COPY (SELECT 1) TO PROGRAM $$id$$; --";
    expect(issuesOf(() => compileRuleFile(json, FILE))).toEqual([{ code: 'invalid_name', file: FILE, path: 'rules[7].name' }]);
    for (const dialect of ['duckdb', 'postgres'] as const) expect(() => toSql('review.approval', { dialect, asOf: AS_OF, rules: json })).toThrow(RuleSetError);
  });

  it('3. an object shaped like a compiled rules file is refused, never trusted', () => {
    const genuine = compileRuleFile(bundledRules('rules/fulfilment/shipment-hold.rules.json'), 'rules/fulfilment/shipment-hold.rules.json');
    const facts = { overdueAmount: '1000000', oldestOverdueDays: 400, returnRate: '0.9' };
    const forgeries = [
      // Plain JSON shaped like one, with no rules at all: it would decide "no hold".
      { spec: { ...JSON.parse(JSON.stringify(genuine.spec)), rules: [], file: "x\nCOPY (SELECT 1) TO PROGRAM 'id'; --" }, versions: [{ from: '2017-01-01', parameters: {}, examples: [], rules: [] }] },
      JSON.parse(JSON.stringify(genuine)),
      // The genuine one's own parts, in an object it did not make.
      { ...genuine },
      Object.create(genuine),
    ];
    for (const forged of forgeries) {
      expect(() => evaluate('fulfilment.shipmentHold', facts as never, { asOf: AS_OF, rules: forged })).toThrow(RuleSetError);
      expect(() => evaluate('fulfilment.shipmentHold', facts as never, { asOf: AS_OF, rules: { 'fulfilment.shipmentHold': forged } })).toThrow(RuleSetError);
      expect(() => createPolicies({ rules: { 'fulfilment.shipmentHold': forged } })).toThrow(RuleSetError);
    }
    const approval = compileRuleFile(bundledRules(FILE), FILE);
    for (const forged of [{ ...approval }, JSON.parse(JSON.stringify(approval))]) {
      for (const dialect of ['duckdb', 'postgres'] as const) expect(() => toSql('review.approval', { dialect, asOf: AS_OF, rules: forged })).toThrow(RuleSetError);
    }
    expect(issuesOf(() => evaluate('fulfilment.shipmentHold', facts as never, { asOf: AS_OF, rules: forgeries[0] }))).toEqual([{ code: 'not_compiled', file: 'options.rules', path: '' }]);
    // What compileRuleFile made is accepted, frozen, and compiling it again returns it.
    expect(evaluate('fulfilment.shipmentHold', facts as never, { asOf: AS_OF, rules: genuine }).outcome).toEqual(evaluate('fulfilment.shipmentHold', facts as never, { asOf: AS_OF }).outcome);
    expect(compileRuleFile(genuine, 'elsewhere')).toBe(genuine);
    expect(Object.isFrozen(genuine) && Object.isFrozen(genuine.versions) && Object.isFrozen(genuine.versions[0])).toBe(true);
    expect(createPolicies({ rules: { 'fulfilment.shipmentHold': genuine } }).rules['fulfilment.shipmentHold']).toBe(genuine);
  });
});
