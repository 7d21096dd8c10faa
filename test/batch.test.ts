import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateMany, PolicyInputError, safeEvaluate } from '../src/index.js';

const AS_OF = { asOf: '2026-01-01' } as const;
// Valid facts and near misses mixed, so batches hold both decisions and issues.
const approvalFacts = fc.record(
  {
    amount: fc.oneof(fc.integer({ min: -5, max: 6_000_000 }), fc.constantFrom('500000', '500000.01', '3000000', 'lots', '1e6'), fc.double({ min: 0, max: 1e7, noNaN: true })),
    channel: fc.constantFrom('direct', 'distributor', 'retail'),
    disputed: fc.oneof(fc.boolean(), fc.constant('yes')),
    repeatBatch: fc.boolean(),
  },
  { requiredKeys: ['amount', 'channel'] },
);

function one(facts: unknown, trace: boolean) {
  const result = safeEvaluate('review.approval', facts as never, { ...AS_OF, trace });
  return result.success ? { success: true, decision: result.decision } : { success: false, issues: result.issues };
}

describe('evaluateMany', () => {
  it('gives, item by item, what evaluate gives (decision or issues), from an iterable', () => {
    fc.assert(
      fc.property(fc.array(approvalFacts, { maxLength: 30 }), fc.boolean(), (batch, trace) => {
        const many = [...evaluateMany('review.approval', batch as never[], { ...AS_OF, trace })];
        expect(many.map((item) => item.index)).toEqual(batch.map((_, i) => i));
        expect(many.map((item) => (item.success ? { success: true, decision: item.decision } : { success: false, issues: item.issues }))).toEqual(batch.map((facts) => one(facts, trace)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same from an async iterable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(approvalFacts, { maxLength: 20 }), async (batch) => {
        async function* stream() {
          for (const facts of batch) yield facts as never;
        }
        const items = [];
        for await (const item of evaluateMany('review.approval', stream(), AS_OF)) items.push(item);
        expect(items).toEqual([...evaluateMany('review.approval', batch as never[], AS_OF)]);
      }),
      { numRuns: 100 },
    );
  });

  it('is lazy: nothing is evaluated before it is asked for', () => {
    let pulled = 0;
    function* rows() {
      for (;;) {
        pulled++;
        yield { amount: pulled, channel: 'direct' as const };
      }
    }
    const first = evaluateMany('review.approval', rows(), AS_OF).next();
    expect(first.value).toMatchObject({ index: 0, success: true });
    expect(pulled).toBe(1);
  });

  it('stops at the first bad item with failFast', () => {
    const batch = [{ amount: 1, channel: 'direct' }, { amount: 'x', channel: 'direct' }, { amount: 2, channel: 'direct' }];
    const seen: number[] = [];
    expect(() => {
      for (const item of evaluateMany('review.approval', batch as never[], { ...AS_OF, failFast: true })) seen.push(item.index);
    }).toThrow(PolicyInputError);
    expect(seen).toEqual([0]);
  });

  it('checks its options at once, before any item', () => {
    expect(() => evaluateMany('review.approval', [], { asOf: 'yesterday' })).toThrow(PolicyInputError);
    expect(() => evaluateMany('review.nope' as never, [])).toThrow(/unknown policy/);
  });
});
