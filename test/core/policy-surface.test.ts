// The narrower public surface (issue 15): a Policy object is { id, evaluate, safeEvaluate, prepare };
// its definition, compiled rules and versions are reached with engineOf from sales-policies/engine.
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as engine from '../../src/engine.js';
import { engineOf } from '../../src/engine.js';
import { PolicyInputError } from '../../src/index.js';
import { POLICIES, POLICY_IDS } from '../../src/policies.js';
import { reviewApproval } from '../../src/review/index.js';

const AS_OF = { asOf: '2026-01-01' } as const;

describe('a policy object', () => {
  it.each(POLICY_IDS)('%s has only id, evaluate, safeEvaluate and prepare, and is frozen', (id) => {
    expect(Object.keys(POLICIES[id]).sort()).toEqual(['evaluate', 'id', 'prepare', 'safeEvaluate']);
    expect(Object.isFrozen(POLICIES[id])).toBe(true);
    expect(engineOf(POLICIES[id]).definition.id).toBe(id);
  });

  it('safeEvaluate gives the decision, or the issues instead of throwing', () => {
    const ok = reviewApproval.safeEvaluate({ amount: 1, channel: 'distributor' }, AS_OF);
    expect(ok.success && ok.decision.outcome.authority).toBe('marketing_director');
    const bad = reviewApproval.safeEvaluate({ amount: 'lots', channel: 'direct' }, AS_OF);
    expect(!bad.success && bad.issues.map((issue) => issue.path)).toEqual(['amount']);
    expect(!bad.success && bad.error).toBeInstanceOf(PolicyInputError);
    expect(() => reviewApproval.safeEvaluate({ amount: 1, channel: 'direct' }, { asOf: 'nope' })).not.toThrow();
  });

  it('keeps its internals off its type: they are the engine\'s', () => {
    // @ts-expect-error: the definition is reached with engineOf
    expect(reviewApproval.definition).toBeUndefined();
    // @ts-expect-error: so are the compiled rules
    expect(reviewApproval.compiled).toBeUndefined();
    expectTypeOf(engineOf(reviewApproval).definition.id).toEqualTypeOf<'review.approval'>();
  });
});

describe('engineOf', () => {
  it('gives the version a set of options picks, and the same engine each time', () => {
    const version = engineOf(reviewApproval).version(AS_OF);
    expect(version.from).toBe(engineOf(reviewApproval).compiled().versions.at(-1)!.from);
    expect(engineOf(reviewApproval)).toBe(engineOf(reviewApproval));
  });

  it.each([
    ['a look-alike object', { id: 'review.approval', evaluate: () => undefined }],
    ['a copy of a policy', { ...POLICIES['review.approval'] }],
  ])('refuses %s with a TypeError', (_name, value) => {
    expect(() => engineOf(value)).toThrow(TypeError);
  });
});

describe('sales-policies/engine', () => {
  it('exports the tooling API and nothing an app needs', () => {
    expect(Object.keys(engine).sort()).toEqual(['BUNDLED_AREAS', 'BUNDLED_REGISTRY', 'compileRuleFile', 'createRegistry', 'declaredFacts', 'definePolicy', 'engineOf', 'factSchema', 'factShape', 'factsChecker', 'factsSchema', 'noParams', 'valueChecker', 'versionAt']);
  });
});
