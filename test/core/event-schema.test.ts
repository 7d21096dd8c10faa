// Every policy declares the events its rules may give (definePolicy({ event })). A rules file whose
// events do not fit is refused when it is compiled, with the file and the JSON path, wherever rules
// come in: evaluate's options.rules, createPolicies, loadRuleSet, validate and the CLI.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { eventIssues, noParams } from '../../src/core/event.js';
import { loadRuleSet } from '../../src/node/index.js';
import { POLICIES, POLICY_IDS } from '../../src/policies.js';
import type { PolicyId } from '../../src/policies.js';
import { createPolicies, evaluate, RuleSetError } from '../../src/index.js';
import { policyShape } from '../../src/toolkit/policy-shape.js';
import { validateRuleFile } from '../../src/toolkit/validate.js';
import { ROOT } from '../helpers/case-files.js';
import { rulesFixture, runCli } from '../helpers/cli.js';
import { eventIssuesOf } from '../helpers/rule-set-issues.js';
import { ruleFileOf } from '../helpers/rule-file.js';
import { engineOf } from '../../src/core/policy.js';

type Json = { rules: { name: string; event: { type: string; params?: Record<string, unknown> } }[] };
const bundledJson = (policy: PolicyId): Json => structuredClone(engineOf(POLICIES[policy]).definition.rules) as Json;
const fileOf = (policy: PolicyId) => engineOf(POLICIES[policy]).definition.rulesFile;

/** The bundled rules of `policy` with one rule's event changed. */
const withEvent = (policy: PolicyId, index: number, change: (event: Json['rules'][number]['event']) => void): Json => {
  const json = bundledJson(policy);
  change(json.rules[index]!.event);
  return json;
};

const oneOf = (...values: string[]) => `expected one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;

// One defect per line: the policy, the rule changed, how, and the exact issue (JSON path, message).
const CASES: [PolicyId, number, (event: Json['rules'][number]['event']) => void, string, string][] = [
  ['review.approval', 1, (e) => (e.params!['authority'] = 'ceo'), 'rules[1].event.params.authority', `${oneOf('marketing_director', 'sales_vp', 'general_manager')} (received "ceo")`],
  ['review.approval', 0, (e) => (e.params!['departments'] = ['materials', 'kitchen']), 'rules[0].event.params.departments[1]', `${oneOf('technical', 'materials', 'manufacturing', 'quality', 'finance', 'legal')} (received "kitchen")`],
  ['review.approval', 1, (e) => (e.params!['authorty'] = 'sales_vp'), 'rules[1].event.params.authorty', 'unknown field "authorty" (received "sales_vp")'],
  ['review.approval', 1, (e) => (e.type = 'approve'), 'rules[1].event.type', 'unknown event type "approve": review.approval reads "approval"'],
  ['review.arbitration', 1, (e) => (e.params!['convenedBy'] = 'chairman'), 'rules[1].event.params.convenedBy', `${oneOf('general_manager')} (received "chairman")`],
  ['review.readiness', 0, (e) => (e.params!['reason'] = 'bad_weather'), 'rules[0].event.params.reason', `${oneOf('missing_terms', 'buyer_not_agreed', 'review_not_passed', 'unauthorized_delegation')} (received "bad_weather")`],
  ['review.readiness', 1, (e) => (e.params!['missing'] = 'seller'), 'rules[1].event.params.missing', `${oneOf('buyer')} (received "seller")`],
  ['review.readiness', 4, (e) => (e.params = { reason: 'missing_terms' }), 'rules[4].event.params.reason', 'unknown field "reason" (received "missing_terms")'],
  ['commission.allocation', 0, (e) => (e.params = { status: 'void' }), 'rules[0].event.params.status', `${oneOf('allocated', 'no_commission', 'needs_ruling', 'invalid')} (received "void")`],
  ['commission.handler', 0, (e) => (e.params!['handler'] = 'ceo'), 'rules[0].event.params.handler', `${oneOf('original_agent', 'department_colleague', 'leasing_manager', 'leasing_director')} (received "ceo")`],
  ['commission.protection', 0, (e) => (e.params!['refusal'] = 'busy'), 'rules[0].event.params.refusal', `${oneOf('protected_by_other', 'already_registered', 'list_full')} (received "busy")`],
  ['commission.conduct', 0, (e) => (e.params!['violation'] = 'yes'), 'rules[0].event.params.violation', 'expected boolean (received "yes")'],
  ['followUp.workflow', 0, (e) => (e.params!['owner'] = 'front_desk'), 'rules[0].event.params.owner', `${oneOf('order_taker')} (received "front_desk")`],
  ['followUp.escalation', 0, (e) => (e.params!['actions'] = ['notify_departments', 'call_police']), 'rules[0].event.params.actions[1]', 'call_police'],
  ['fulfilment.shipmentHold', 0, (e) => (e.params!['reason'] = 'bad_mood'), 'rules[0].event.params.reason', `${oneOf('overdue_receivables', 'return_rate', 'special_circumstance')} (received "bad_mood")`],
  ['fulfilment.shippingOrder', 0, (e) => (e.params!['problem'] = 'wrong_colour'), 'rules[0].event.params.problem', `${oneOf('over_quantity', 'late_arrival', 'client_on_hold')} (received "wrong_colour")`],
  ['fulfilment.spending', 0, (e) => (e.params!['approver'] = 'ceo'), 'rules[0].event.params.approver', `${oneOf('order_processing_chief', 'sales_manager')} (received "ceo")`],
  ['fulfilment.disputeRuling', 1, (e) => (e.params!['by'] = 'ceo'), 'rules[1].event.params.by', 'expected one of "sales_manager" (received "ceo")'],
  ['fulfilment.dailyReport', 0, (e) => (e.params = { format: 'pdf' }), 'rules[0].event.params.format', 'unknown field "format" (received "pdf")'],
  ['selling.closingTechnique', 0, (e) => (e.params!['technique'] = 'hard_sell'), 'rules[0].event.params.technique', 'received "hard_sell"'],
];

describe('event schemas', () => {
  it('every bundled policy declares one, and every bundled rules file fits it', () => {
    for (const id of POLICY_IDS) {
      const definition = engineOf(POLICIES[id]).definition;
      expect(Object.keys(definition.event).length, id).toBeGreaterThan(0);
      expect(eventIssues(compileRuleFile(structuredClone(definition.rules), definition.rulesFile), definition.event), id).toEqual([]);
      // Each event type a policy declares is one its bundled rules give: no dead declarations.
      const given = new Set((definition.rules as Json).rules.map((rule) => rule.event.type));
      expect(Object.keys(definition.event).filter((type) => !given.has(type)), id).toEqual([]);
    }
  });

  it('the table covers every policy', () => {
    expect(new Set(CASES.map(([policy]) => policy))).toEqual(new Set(POLICY_IDS));
  });

  it.each(CASES)('%s rules[%s]: refused by evaluate with the JSON path', (policy, index, change, path, message) => {
    const rules = withEvent(policy, index, change);
    const issues = eventIssuesOf(() => POLICIES[policy].evaluate({} as never, { rules }));
    expect(issues).toHaveLength(1);
    expect(issues[0]![0]).toBe(path);
    expect(issues[0]![1]).toContain(message);
  });

  it.each(CASES)('%s rules[%s]: refused by createPolicies and reported by validate, naming the file', (policy, index, change, path, message) => {
    const rules = withEvent(policy, index, change);
    let error: unknown;
    try {
      createPolicies({ rules: { [policy]: rules } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).issues).toEqual([{ code: 'invalid_event', file: `rules for ${policy}`, path, message: expect.stringContaining(message) }]);
    expect(validateRuleFile(rules, fileOf(policy), { policy: policyShape(policy) })).toEqual([{ severity: 'error', code: 'invalid_event', file: fileOf(policy), path, message: expect.stringContaining(message) }]);
  });

  it('an unknown outcome value is refused by loadRuleSet, with the file it was read from', () => {
    const dir = rulesFixture('review/approval.rules.json', (json) => (json.rules[7].event.params.authority = 'ceo'));
    let error: unknown;
    try {
      loadRuleSet(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).issues).toEqual([
      { code: 'invalid_event', file: relative(process.cwd(), join(dir, 'review/approval.rules.json')), path: 'rules[7].event.params.authority', message: `${oneOf('marketing_director', 'sales_vp', 'general_manager')} (received "ceo")` },
    ]);
  });

  it('the CLI validate reports it with exit 1 (issue 18 item 3: authority "ceo" used to pass)', () => {
    const dir = rulesFixture('review/approval.rules.json', (json) => (json.rules[7].event.params.authority = 'ceo'));
    const { code, stdout } = runCli(['validate', '--rules', dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error \S*review\/approval\.rules\.json:\d+ rules\[7\]\.event\.params\.authority \[invalid_event\]: expected one of .* \(received "ceo"\)$/m);
  });

  it('a rule set in a rule set option is checked too, naming the policy it is filed under', () => {
    const rules = withEvent('review.approval', 1, (e) => (e.params!['authority'] = 'ceo'));
    const issues = eventIssuesOf(() => evaluate('review.approval', { amount: 1, channel: 'direct' }, { rules: { 'review.approval': rules } }), 'options.rules["review.approval"]');
    expect(issues.map(([path]) => path)).toEqual(['rules[1].event.params.authority']);
  });

  it('a nested policy checks its own rules: review.readiness with a bad review.approval file', () => {
    const approval = withEvent('review.approval', 1, (e) => (e.params!['authority'] = 'ceo'));
    const facts = { amount: 1, channel: 'direct', terms: [], signoffs: [] } as const;
    expect(() => evaluate('review.readiness', facts, { rules: { 'review.approval': approval } })).toThrow(RuleSetError);
  });

  it('checks each compiled file once: the same rules object evaluates again without a new check', () => {
    const rules = bundledJson('review.approval');
    const facts = { amount: 1, channel: 'direct' } as const;
    expect(evaluate('review.approval', facts, { asOf: '2026-01-01', rules }).outcome.authority).toBe('marketing_director');
    expect(evaluate('review.approval', facts, { asOf: '2026-01-01', rules }).outcome.authority).toBe('marketing_director');
  });
});

describe('eventIssues', () => {
  const file = (events: { type: string; params?: unknown }[]) =>
    compileRuleFile(
      ruleFileOf(
        events.map((event, index) => ({ name: `R-${index}`, conditions: { all: [{ fact: 'f0', operator: 'equal', value: index }] }, event })),
        ['f0'],
        'collect-all',
      ),
      'events.rules.json',
    );
  const schema = { pick: z.strictObject({ colour: z.enum(['red', 'blue']) }), none: noParams() };

  it.each<[string, { type: string; params?: unknown }, string, string]>([
    ['an unknown type', { type: 'choose' }, 'rules[0].event.type', 'unknown event type "choose": test.policy reads "pick", "none"'],
    ['params missing', { type: 'pick' }, 'rules[0].event.params', 'required: expected an object'],
    ['a value outside the domain', { type: 'pick', params: { colour: 'green' } }, 'rules[0].event.params.colour', 'expected one of "red", "blue" (received "green")'],
    ['params on an event that takes none', { type: 'none', params: { colour: 'red' } }, 'rules[0].event.params.colour', 'unknown field "colour" (received "red")'],
  ])('%s: the JSON path and what was expected', (_name, event, path, message) => {
    expect(eventIssues(file([event]), schema)).toEqual([{ code: 'invalid_event', file: 'events.rules.json', path, message }]);
  });

  it('accepts events that fit, an event with empty params included', () => {
    expect(eventIssues(file([{ type: 'pick', params: { colour: 'red' } }, { type: 'none' }, { type: 'none', params: {} }]), schema)).toEqual([]);
  });

  it('lists every rule that does not fit, in file order, and at most 100 issues', () => {
    const bad = Array.from({ length: 150 }, () => ({ type: 'pick', params: { colour: 'green' } }));
    const issues = eventIssues(file(bad), schema);
    expect(issues).toHaveLength(100);
    expect(issues.slice(0, 2).map((issue) => issue.path)).toEqual(['rules[0].event.params.colour', 'rules[1].event.params.colour']);
  });
});

describe('the README documents the event schema', () => {
  it('names the error a rules file gets for an outcome value no policy knows', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('rules[7].event.params.authority');
  });
});
