import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { factSchema } from '../src/core/facts-schema.js';
import { engineOf } from '../src/core/policy.js';
import { BUNDLED_REGISTRY } from '../src/policies.js';
import { bundledTexts } from '../src/rule-texts.js';

// The facts types are generated from the rules files (JSON imports are not typed literally).
describe('the modules generated from the rules files (facts types, the list of rules files)', () => {
  it('are up to date with the rules files (else: run npm run generate)', () => {
    let failure = '';
    try {
      execFileSync(process.execPath, ['scripts/generate.mjs', '--check'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(failure, 'the generated modules are out of date: run npm run generate').toBe('');
  });

  it.each([...BUNDLED_REGISTRY.ids].map((id) => [id, engineOf(BUNDLED_REGISTRY.get(id)!).definition.rulesFile] as const))('give explain the texts of %s (%s)', (_id, file) => {
    expect(bundledTexts(file)?.rules.length).toBeGreaterThan(0);
  });
});

describe('every bundled facts block is complete', () => {
  it.each([...BUNDLED_REGISTRY.ids])('%s: each fact the caller gives has a schema', (id) => {
    const facts = engineOf(BUNDLED_REGISTRY.get(id)!).compiled().spec.facts;
    for (const [name, declaration] of Object.entries(facts)) {
      if (declaration.derived) continue;
      if (declaration.type === 'list') expect(declaration.items ?? declaration.values, `${id}: ${name} declares its items`).toBeDefined();
      if (declaration.type === 'object') expect(declaration.fields, `${id}: ${name} declares its fields`).toBeDefined();
      expect(() => factSchema(declaration, { timeZone: 'UTC', maxItems: 10 })).not.toThrow();
    }
  });
});
