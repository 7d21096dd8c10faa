import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/core/did-you-mean.js';

const OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain'];

describe('edit distance', () => {
  it.each([
    ['valdate', 'validate', 1],
    ['eval', 'eval', 0],
    ['review.aproval', 'review.approval', 1],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['lessThan', 'lessThan', 0],
    ['flaw', 'lawn', 2],
  ])('%s → %s is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });

  it('is at least the difference in length, the bound the suggestion skips by', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe('did you mean', () => {
  it.each([
    ['lessthan', '; did you mean "lessThan"?'],
    ['greaterThanInclusiv', '; did you mean "greaterThanInclusive"?'],
    ['notin', '; did you mean "notIn"?'],
    ['qq', '; did you mean "in"?'],
    ['between', ''],
    ['xyzzy', ''],
  ])('%j suggests %j', (word, expected) => {
    expect(didYouMean(word, OPERATORS)).toBe(expected);
  });

  it('suggests nothing from no words', () => {
    expect(didYouMean('equal', [])).toBe('');
  });

  it('suggests a verb by its letters, or nothing when no verb is close', () => {
    expect(didYouMean('frobnicate', ['eval', 'validate', 'test'])).toBe('');
    expect(didYouMean('tset', ['eval', 'validate', 'test'])).toBe('; did you mean "test"?');
  });

  it('suggests nothing for a megabyte-long word, which no known word is within reach of', () => {
    expect(didYouMean('x'.repeat(1_000_000), OPERATORS)).toBe('');
    expect(didYouMean(`${'lessThan'}${'x'.repeat(1_000_000)}`, OPERATORS)).toBe('');
  });

  it('suggests the nearest close word, as comparing every word in full would', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A'), maxLength: 9 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 6 }), (typed, known) => {
        const close = known
          .map((candidate) => ({ candidate, distance: editDistance(typed.toLowerCase(), candidate.toLowerCase()) }))
          .filter(({ candidate, distance }) => distance <= Math.max(2, Math.floor(Math.max(typed.length, candidate.length) / 3)));
        const nearest = close.reduce<(typeof close)[number] | undefined>((best, next) => (best === undefined || next.distance < best.distance ? next : best), undefined);
        expect(didYouMean(typed, known)).toBe(nearest === undefined ? '' : `; did you mean ${JSON.stringify(nearest.candidate)}?`);
      }),
    );
  });
});
