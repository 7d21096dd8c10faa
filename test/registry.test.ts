// The registry assembles itself (issue 15): each area's index exports its policies as a record,
// src/policies.ts builds POLICIES from those records, and tools take a registry. A throwaway
// policy, three files under test/fixtures/registry/ (rules, cases, one TypeScript file), is
// registered by passing one more area to createRegistry; evaluate, validate, docs, the explorer
// data and the case runner then know it without an edit anywhere else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explorerData } from '../src/cli/docs-verb.js';
import { parseCaseFile, runCase } from '../src/core/cases.js';
import { compileRuleFile } from '../src/core/rule-loader.js';
import { UnknownPolicyError } from '../src/core/errors.js';
import { readRuleFolder } from '../src/node/rule-folder.js';
import { BUNDLED_AREAS, BUNDLED_REGISTRY, POLICIES, POLICY_IDS } from '../src/policies.js';
import { createRegistry } from '../src/registry.js';
import { policyMarkdown } from '../src/toolkit/docs.js';
import { policyShape } from '../src/toolkit/policy-shape.js';
import { validateRuleFile } from '../src/toolkit/validate.js';
import { fixtureDiscount } from './fixtures/registry/discount.js';
import { ROOT } from './helpers/case-files.js';
import { engineOf } from '../src/core/policy.js';
import { compileSql, SQL_POLICY_IDS } from '../src/sql/index.js';
import { checkAgainstEvaluate, DATABASE_ZONE, loadFacts, openDuckDb } from './sql/harness.js';

const DIR = join(ROOT, 'test/fixtures/registry/rules');
const RULES_FILE = 'test/fixtures/registry/rules/discount.rules.json';
const registry = createRegistry([...BUNDLED_AREAS, { 'fixture.discount': fixtureDiscount }]);
const json = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

describe('the bundled registry', () => {
  it('is the areas\' records, in area order, and POLICIES is it', () => {
    expect(POLICY_IDS).toEqual(BUNDLED_AREAS.flatMap((area) => Object.keys(area)));
    expect(Object.keys(POLICIES)).toEqual(POLICY_IDS);
    for (const id of POLICY_IDS) expect(BUNDLED_REGISTRY.get(id)).toBe(POLICIES[id]);
    expect(BUNDLED_REGISTRY.has('fixture.discount')).toBe(false);
  });

  it.each([
    ['a key that is not its policy\'s id', [{ 'review.other': POLICIES['review.approval'] }], /registered as "review\.other" has the id "review\.approval"/],
    ['an id two areas share', [...BUNDLED_AREAS, { 'review.approval': POLICIES['review.approval'] }], /"review\.approval" is registered twice/],
  ])('refuses %s', (_name, areas, message) => {
    expect(() => createRegistry(areas)).toThrow(message);
  });
});

describe('a policy added as one more area', () => {
  it('is listed after the bundled ones', () => {
    expect(registry.ids).toEqual([...POLICY_IDS, 'fixture.discount']);
    expect(registry.has('fixture.discount')).toBe(true);
  });

  it('evaluates, and an id no area has is an UnknownPolicyError listing the known ones', () => {
    expect(registry.evaluate('fixture.discount', { amount: '1000.01', loyal: true }, { asOf: '2026-06-01' })).toMatchObject({ outcome: { tier: 'gold' }, basis: ['FIX-2'] });
    expect(registry.evaluate('review.arbitration', { clause: 'delivery' }, { asOf: '2026-06-01' }).outcome).toEqual({ decidedBy: 'sales_vp' });
    expect(() => registry.evaluate('fixture.nothing', {})).toThrow(UnknownPolicyError);
  });

  it('validates: its facts and events are known to validate, a fact its schema lacks is found', () => {
    expect(validateRuleFile(json(RULES_FILE), RULES_FILE, { policy: policyShape('fixture.discount', registry) }).filter((f) => f.severity === 'error')).toEqual([]);
    expect(validateRuleFile(json(RULES_FILE), RULES_FILE, { policy: policyShape('fixture.discount') }).map((f) => f.code)).toContain('unknown_policy');
    const extra = json(RULES_FILE) as { facts: Record<string, unknown>; rules: { conditions: { all: unknown[] } }[] };
    extra.facts['region'] = { type: 'string', description: 'not in the schema' };
    extra.rules[0]!.conditions.all.push({ fact: 'region', operator: 'equal', value: 'north' });
    expect(validateRuleFile(extra, RULES_FILE, { policy: policyShape('fixture.discount', registry) }).filter((f) => f.severity === 'error').length).toBeGreaterThan(0);
  });

  it('has docs', () => {
    const markdown = policyMarkdown(engineOf(registry.get('fixture.discount')!).compiled(), { asOf: '2026-06-01', lang: 'en' });
    expect(markdown).toContain('fixture.discount');
    expect(markdown).toContain('FIX-2');
  });

  it('is in the explorer data, beside the bundled rules of the other policies', () => {
    const folder = readRuleFolder(DIR);
    const files = folder.rules.map((file) => ({ file, compiled: compileRuleFile(file.json, file.path) }));
    const data = explorerData(folder, files, { asOf: '2026-06-01', lang: 'en', source: DIR, registry });
    expect(data.policies.map((p) => p.id)).toEqual(['fixture.discount']);
    expect(data.policies[0]!.examples.map((e) => e.name)).toEqual(['amount 1000: none (FIX-1)', 'amount 1000.01, loyal: gold (FIX-2)', 'amount 5000, new: silver (FIX-3)']);
    expect(Object.keys(data.rules).sort()).toEqual([...registry.ids].sort());
  });

  it('passes its case file through the case runner', () => {
    const cases = parseCaseFile(json('test/fixtures/registry/rules/discount.cases.json'), 'discount.cases.json');
    const results = cases.cases.map((testCase) => runCase(registry.evaluate, cases.policy, testCase, cases.asOf));
    expect(results.map((r) => r.passed)).toEqual([true, true, true]);
    const wrong = { ...cases.cases[2]!, expected: { outcome: { tier: 'gold' } } };
    expect(runCase(registry.evaluate, cases.policy, wrong, cases.asOf).passed).toBe(false);
  });

  // Its outcome is its event's params, and its decide reads no fact: toSql writes its SQL from
  // the metadata alone (src/sql/outcomes/ has nothing of it), as for review.approval.
  it('compiles to SQL from its metadata, its columns those of its facts block and outcome', () => {
    const query = compileSql(fixtureDiscount, { dialect: 'duckdb', asOf: '2026-06-01' });
    expect(query.inputs.map((input) => [input.name, input.kind.type])).toEqual([
      ['amount', 'decimal'],
      ['loyal', 'boolean'],
    ]);
    expect(query.outputs.map((output) => output.name)).toEqual(['tier', 'basis', 'error']);
    expect(query.sql).toContain('"loyal" BOOLEAN, NULL = false');
    expect(SQL_POLICY_IDS).not.toContain('fixture.discount');
  });

  it.runIf(DATABASE_ZONE)('decides in DuckDB as evaluate does, refusals included', async () => {
    const db = await openDuckDb();
    try {
      const rows = [{ amount: '1000' }, { amount: '1000.01', loyal: true }, { amount: 5000 }, { amount: '-1' }, { amount: 'lots', loyal: false }, { loyal: true }, { amount: '999.999', loyal: true }];
      const loaded = await loadFacts(db, fixtureDiscount, rows);
      expect(loaded).toHaveLength(rows.length);
      const tally = await checkAgainstEvaluate(db, fixtureDiscount, loaded, { asOf: '2026-06-01' });
      expect(tally).toMatchObject({ decided: 4, refused: 3 });
      expect([...tally.basis].sort()).toEqual(['FIX-1', 'FIX-2', 'FIX-3']);
    } finally {
      await db.close();
    }
  });
});
