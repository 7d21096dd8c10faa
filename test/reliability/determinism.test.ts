import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyId } from '../../src/index.js';
import { evaluate, POLICY_IDS } from '../../src/index.js';
import { count, generated, policyExamples } from './support.js';

// Determinism (issue 8, SPEC "The public contract"): equal facts and equal options give
// byte-identical decision JSON, whatever the key order of the facts, at every level.

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

/** The same value with the keys of every object, at every depth, in the order `order` gives. */
function reordered(value: unknown, order: (keys: string[], depth: number) => string[], depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => reordered(item, order, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of order(Object.keys(value), depth)) out[key] = reordered((value as Record<string, unknown>)[key], order, depth + 1);
  return out;
}

describe.each(POLICY_IDS)('determinism of %s', (policy: PolicyId) => {
  const examples = policyExamples().get(policy)!;

  it('every case gives byte-identical decision JSON with the keys of its facts shuffled at every level (and with and without the trace)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples.valid), fc.infiniteStream(fc.nat()), fc.boolean(), (example, randoms, trace) => {
        const options = { ...example.options, trace };
        const reference = JSON.stringify(evaluate(policy, example.facts as never, options));
        const shuffle = (keys: string[]) => {
          const out = [...keys];
          for (let i = out.length - 1; i > 0; i--) {
            const j = randoms.next().value % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        expect(JSON.stringify(evaluate(policy, reordered(example.facts, shuffle) as never, options))).toBe(reference);
        expect(JSON.stringify(evaluate(policy, reordered(example.facts, (keys) => [...keys].reverse()) as never, options))).toBe(reference);
        expect(JSON.stringify(evaluate(policy, reordered(example.facts, (keys) => [...keys].sort()) as never, options))).toBe(reference);
        count('determinism', 3);
      }),
      { numRuns: Math.max(RUNS, examples.valid.length * 2) },
    );
  });

  it('options given with their keys in another order decide the same', () => {
    for (const example of examples.valid) {
      const options = { trace: true, maxItems: 100_000, ...example.options };
      const reversed = Object.fromEntries(Object.entries(options).reverse());
      expect(JSON.stringify(evaluate(policy, example.facts as never, reversed))).toBe(JSON.stringify(evaluate(policy, example.facts as never, options)));
    }
  });
});

afterAll(() => {
  console.log(`determinism calls: ${[...generated.values()].reduce((sum, n) => sum + n, 0)} (${[...generated.entries()].map(([name, n]) => `${name}: ${n}`).join('; ')})`);
});
