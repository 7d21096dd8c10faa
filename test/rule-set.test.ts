import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPolicies, evaluate, explain, RuleSetError } from '../src/index.js';
import { loadRuleSet } from '../src/node/index.js';
import { ROOT } from './helpers/case-files.js';
import { rulesFixture } from './helpers/cli.js';

const approval = (): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8'));
const AS_OF = { asOf: '2026-01-01' } as const;
const facts = { amount: '800000', channel: 'direct' } as const;

function issuesOf(run: () => unknown): { code: string; file: string; path: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return (error as RuleSetError).issues.map(({ code, file, path }) => ({ code, file, path }));
  }
  throw new Error('no RuleSetError');
}

describe('createPolicies', () => {
  it('evaluates with an organisation\'s own threshold', () => {
    const rules = approval();
    rules.parameters[0].values.directorLimit = 1_000_000;
    const policies = createPolicies({ rules: { 'review.approval': rules } });
    expect(evaluate('review.approval', facts, AS_OF).outcome.authority).toBe('sales_vp');
    expect(policies.evaluate('review.approval', facts, AS_OF).outcome.authority).toBe('marketing_director');
    expect(policies.safeEvaluate('review.approval', facts, AS_OF)).toMatchObject({ success: true, decision: { basis: ['REV-6.1'] } });
    expect([...policies.evaluateMany('review.approval', [facts], AS_OF)][0]).toMatchObject({ success: true, decision: { outcome: { authority: 'marketing_director' } } });
    // Policies evaluated inside others (readiness → approval) use the same set.
    expect(policies.evaluate('review.readiness', { ...facts, terms: [], signoffs: [] }, AS_OF).outcome.missingSteps.at(-1)).toBe('marketing_director');
    // Policies the set does not name keep the bundled rules.
    expect(policies.evaluate('review.arbitration', { clause: 'price' }, AS_OF).outcome.decidedBy).toBe('finance_vp');
  });

  it('explains with the set\'s own labels, bound or given to explain', () => {
    const rules = approval();
    rules.labels.authority.sales_vp = { en: 'VP of Sales (our title)', zh: '我們的銷售副總' };
    const policies = createPolicies({ rules: { 'review.approval': rules } });
    const decision = policies.evaluate('review.approval', facts, AS_OF);
    expect(policies.explain(decision).split('\n')[0]).toContain('authority = sales_vp (VP of Sales (our title))');
    expect(policies.explain(decision, { lang: 'zh' }).split('\n')[0]).toContain('authority = sales_vp (我們的銷售副總)');
    expect(explain(decision, { rules: { 'review.approval': rules } })).toContain('VP of Sales (our title)');
    expect(explain(decision, { rules })).toContain('VP of Sales (our title)');
    expect(explain(decision, { rules: policies.rules })).toContain('VP of Sales (our title)');
    // Without the rules, explain can only use the bundled labels.
    expect(explain(decision)).toContain('authority = sales_vp (Sales Vice President)');
  });

  it('explain refuses rules that do not load, or are for another policy, with a RuleSetError', () => {
    const decision = evaluate('review.approval', facts, AS_OF);
    const broken = approval();
    broken.labels = 'none';
    expect(issuesOf(() => explain(decision, { rules: broken }))).toEqual([{ code: 'invalid_type', file: 'options.rules', path: 'labels' }]);
    expect(issuesOf(() => explain(decision, { rules: JSON.parse(readFileSync(join(ROOT, 'rules/review/arbitration.rules.json'), 'utf8')) }))).toMatchObject([{ code: 'wrong_policy', path: 'policy' }]);
  });

  it('checks the whole set at once and names every problem', () => {
    const broken = approval();
    broken.rules[0].conditions.all[0].operator = 'equals';
    expect(issuesOf(() => createPolicies({ rules: { 'review.approval': broken, 'review.arbitraton': approval() } as never }))).toEqual([
      { code: 'unknown_operator', file: 'rules for review.approval', path: 'rules[0].conditions.all[0].operator' },
      { code: 'unknown_policy', file: '(rules)', path: '"review.arbitraton"' },
    ]);
  });

  it('refuses a file filed under another policy', () => {
    expect(issuesOf(() => createPolicies({ rules: { 'review.arbitration': approval() } }))).toEqual([{ code: 'wrong_policy', file: 'rules for review.arbitration', path: 'policy' }]);
  });
});

describe('loadRuleSet', () => {
  it('reads a rules folder into a rule set that evaluate and createPolicies take', () => {
    const dir = rulesFixture('review/approval.rules.json', (json) => (json.parameters[0].values.directorLimit = 1_000_000));
    const rules = loadRuleSet(dir);
    expect(Object.keys(rules).sort()).toContain('review.approval');
    expect(evaluate('review.approval', facts, { ...AS_OF, rules }).outcome.authority).toBe('marketing_director');
    expect(createPolicies({ rules }).evaluate('review.approval', facts, AS_OF).outcome.authority).toBe('marketing_director');
  });

  it('names the file and JSON path of a problem in the folder', () => {
    const dir = rulesFixture('review/approval.rules.json', (json) => (json.rules[3].conditions.all[1].operator = 'lessThen'));
    expect(issuesOf(() => loadRuleSet(dir))).toEqual([{ code: 'unknown_operator', file: expect.stringMatching(/review\/approval\.rules\.json$/), path: 'rules[3].conditions.all[1].operator' }]);
  });

  it('refuses two files for one policy, and a file that is not JSON', () => {
    const dir = rulesFixture('review/approval.rules.json', () => undefined);
    writeFileSync(join(dir, 'review', 'copy.rules.json'), JSON.stringify(approval()));
    writeFileSync(join(dir, 'review', 'bad.rules.json'), '{ not json');
    expect(issuesOf(() => loadRuleSet(dir)).map((issue) => issue.code).sort()).toEqual(['duplicate_policy', 'invalid_json']);
  });

  it('refuses a folder that does not exist', () => {
    expect(() => loadRuleSet(join(mkdtempSync(join(tmpdir(), 'sp-')), 'missing'))).toThrow(/ENOENT|no such file/);
  });
});
