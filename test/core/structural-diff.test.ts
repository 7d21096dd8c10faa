import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/cases.js';
import type { MatchMode } from '../../src/core/structural-diff.js';
import { structuralDiff } from '../../src/core/structural-diff.js';

// The diff `sales-policies test` prints, and the comparison that decides whether a case passes.
describe('structuralDiff', () => {
  it.each<[string, unknown, unknown, MatchMode, unknown[]]>([
    ['equal objects, any key order', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, 'exact', []],
    ['a changed scalar, at its path', { authority: 'sales_vp' }, { authority: 'ceo' }, 'exact', [{ path: 'outcome.authority', kind: 'changed', expected: 'sales_vp', actual: 'ceo' }]],
    ['a list of scalars, compared whole and in order', { route: ['a', 'b'] }, { route: ['b', 'a'] }, 'exact', [{ path: 'outcome.route', kind: 'changed', expected: ['a', 'b'], actual: ['b', 'a'] }]],
    ['a field only the expected has', { a: 1, b: 2 }, { a: 1 }, 'partial', [{ path: 'outcome.b', kind: 'missing', expected: 2 }]],
    ['a field only the actual has, exact', { a: 1 }, { a: 1, extra: true }, 'exact', [{ path: 'outcome.extra', kind: 'unexpected', actual: true }]],
    ['a field only the actual has, partial', { a: 1 }, { a: 1, extra: true }, 'partial', []],
    ['partial at every depth', { share: { agent: '0.5' } }, { share: { agent: '0.5', office: '0.5' } }, 'partial', []],
    ['lists of objects element by element', { shares: [{ who: 'a', amount: '1' }] }, { shares: [{ who: 'a', amount: '2' }] }, 'exact', [{ path: 'outcome.shares[0].amount', kind: 'changed', expected: '1', actual: '2' }]],
    ['lists of objects of other lengths, whole', { shares: [{ who: 'a' }] }, { shares: [] }, 'partial', [{ path: 'outcome.shares', kind: 'changed', expected: [{ who: 'a' }], actual: [] }]],
    ['null against an object', { a: null }, { a: {} }, 'partial', [{ path: 'outcome.a', kind: 'changed', expected: null, actual: {} }]],
    ['a key that is not an identifier, quoted', { 'first name': 1 }, { 'first name': 2 }, 'exact', [{ path: 'outcome["first name"]', kind: 'changed', expected: 1, actual: 2 }]],
  ])('%s', (_name, expected, actual, mode, differences) => {
    expect(structuralDiff(expected, actual, mode, ['outcome'])).toEqual(differences);
  });

  it('exact mode finds no difference exactly when the canonical JSON is equal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(structuralDiff(a, b, 'exact').length === 0).toBe(canonicalJson(a) === canonicalJson(b));
      }),
    );
  });

  it('partial mode accepts any value with more fields than expected, and nothing exact refuses less', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()), (given, extra) => {
        const actual = { ...extra, ...given };
        expect(structuralDiff(given, actual, 'partial')).toEqual([]);
        expect(structuralDiff(given, actual, 'exact').every((d) => d.kind === 'unexpected')).toBe(true);
      }),
    );
  });
});
