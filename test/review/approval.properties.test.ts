import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/core/compile.js';
import { canonicalDecimal } from '../../src/core/decimal.js';
import { APPROVAL_AUTHORITIES, evaluate } from '../../src/index.js';
import { reviewApproval } from '../../src/review/approval.js';
import { ROOT } from '../helpers/case-files.js';
import { engineOf } from '../../src/core/policy.js';

const AS_OF = { asOf: '2026-01-01', trace: false } as const;
const rank = (authority: string) => APPROVAL_AUTHORITIES.indexOf(authority as never);

/** Amounts that crowd the thresholds as well as spreading far beyond them. */
const cents = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 17n }),
  fc.constantFrom(50_000_000n, 300_000_000n).chain((limit) => fc.bigInt({ min: limit - 3n, max: limit + 3n })),
);
const amount = cents.map((c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`);
const otherFacts = fc.record({
  channel: fc.constantFrom('direct', 'distributor'),
  disputed: fc.boolean(),
  repeatBatch: fc.boolean(),
  technicalTermsChanged: fc.boolean(),
  priceChanged: fc.boolean(),
});

const approve = (facts: Parameters<typeof evaluate<'review.approval'>>[1]) => evaluate('review.approval', facts, AS_OF);

describe('review.approval invariants (SPEC §1)', () => {
  it('the authority never decreases as the amount grows, other facts fixed', () => {
    fc.assert(
      fc.property(amount, amount, otherFacts, (a, b, facts) => {
        const [low, high] = BigInt(a.replace('.', '')) <= BigInt(b.replace('.', '')) ? [a, b] : [b, a];
        expect(rank(approve({ ...facts, amount: low }).outcome.authority)).toBeLessThanOrEqual(rank(approve({ ...facts, amount: high }).outcome.authority));
      }),
      { numRuns: 3000 },
    );
  });

  it('a disputed order never gets a lower authority than the same order undisputed', () => {
    fc.assert(
      fc.property(amount, otherFacts, (value, facts) => {
        const calm = approve({ ...facts, amount: value, disputed: false }).outcome.authority;
        const disputed = approve({ ...facts, amount: value, disputed: true }).outcome.authority;
        expect(rank(disputed)).toBeGreaterThanOrEqual(rank(calm));
      }),
      { numRuns: 3000 },
    );
  });

  it('every amount ≥ 0 gets exactly one authority: one rule of the top priority fires, never two', () => {
    const { rules } = engineOf(reviewApproval).compiled().versions[0]!;
    fc.assert(
      fc.property(amount, otherFacts, (value, facts) => {
        // Collect-all over the same compiled rules: the rows must not overlap, or first-hit would hide a conflict.
        const fired = runRules(rules, { ...facts, amount: canonicalDecimal(value) }, { firstHit: false, trace: false }).fired;
        expect(fired.length).toBeGreaterThan(0);
        expect(fired.filter((rule) => rule.priority === fired[0]!.priority)).toHaveLength(1);
        expect(APPROVAL_AUTHORITIES).toContain(approve({ ...facts, amount: value }).outcome.authority);
      }),
      { numRuns: 3000 },
    );
  });

  it('the route always ends at the authority, with no step twice', () => {
    fc.assert(
      fc.property(amount, otherFacts, (value, facts) => {
        const { authority, route } = approve({ ...facts, amount: value }).outcome;
        expect(route.at(-1)).toBe(authority);
        expect(new Set(route).size).toBe(route.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('decides as json-rules-engine does on the same rules, with amounts as JSON numbers', async () => {
    const json = JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8'));
    const parameters = json.parameters[0].values;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 600_000_000 }), otherFacts, async (centsValue, facts) => {
        const value = centsValue / 100; // a JSON number with at most two decimals
        const engine = new Engine(json.rules, { allowUndefinedFacts: true });
        const { results } = await engine.run({ ...facts, amount: value, 'param.directorLimit': parameters.directorLimit, 'param.vpLimit': parameters.vpLimit });
        const fired = results.sort((x, y) => (y.priority ?? 1) - (x.priority ?? 1));
        expect(approve({ ...facts, amount: value }).basis).toEqual([fired[0]?.name]);
      }),
      { numRuns: 1500 },
    );
  });
});
