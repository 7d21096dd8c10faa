import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { factSchema } from '../src/core/facts-schema.js';
import { engineOf } from '../src/core/policy.js';
import { BUNDLED_REGISTRY } from '../src/policies.js';

// The facts types are generated from the rules files (JSON imports are not typed literally).
describe('generated facts types', () => {
  it('are up to date with every facts block (else: run npm run facts:types)', () => {
    let failure = '';
    try {
      execFileSync(process.execPath, ['scripts/gen-facts-types.mjs', '--check'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(failure, 'the generated facts types are out of date: run npm run facts:types').toBe('');
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
