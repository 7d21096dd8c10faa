// The one exact decimal ordering (core/operators.ts EXACT_ORDERING) used by the evaluator, the
// decision-space enumeration and the SQL compiler.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/core/money.js';
import { canonicalDecimal as canonical, signedIntegerDigits } from '../../src/core/decimal.js';
import { comparisonFor, COUNTED_ORDERING, EXACT_ORDERING, isOrderingOperator, JSON_RULES_ENGINE_SEMANTICS, OPERATORS } from '../../src/core/operators.js';

describe('EXACT_ORDERING', () => {
  it.each<[keyof typeof EXACT_ORDERING, string, string, boolean]>([
    ['lessThan', '0.1', '0.10000000000000001', true], // equal as binary floats
    ['greaterThan', '10000000000000001', '10000000000000000', true], // equal as binary floats
    ['lessThanInclusive', '-0.5', '-0.5', true],
    ['greaterThanInclusive', '-1', '-0.99', false],
    ['lessThan', '9', '10', true], // by value, not as text
  ])('%s %s %s is %s', (operator, a, b, expected) => {
    expect(EXACT_ORDERING[operator](a, b)).toBe(expected);
  });

  it('agrees with decimal.js on canonical decimals', () => {
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 })).map(([digits, places]) => canonical(new Dec(digits.toString()).div(new Dec(10).pow(places)).toFixed()));
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const order = new Dec(a).cmp(b);
        expect([EXACT_ORDERING.lessThan(a, b), EXACT_ORDERING.lessThanInclusive(a, b), EXACT_ORDERING.greaterThan(a, b), EXACT_ORDERING.greaterThanInclusive(a, b)]).toEqual([order < 0, order <= 0, order > 0, order >= 0]);
      }),
    );
  });

  it('compares anything but two decimal strings as json-rules-engine does', () => {
    for (const [a, b] of [[1, '2'], [null, 0], ['a', 3], [2, 1]] as const) {
      for (const operator of ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const) expect(EXACT_ORDERING[operator](a, b)).toBe(JSON_RULES_ENGINE_SEMANTICS[operator](a, b));
    }
  });

  it('isOrderingOperator picks exactly the four ordering operators', () => {
    expect(OPERATORS.filter(isOrderingOperator)).toEqual(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
  });
});

const ORDERINGS = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const;

describe('COUNTED_ORDERING (the generated kernel\'s, digits counted ahead)', () => {
  it('answers as EXACT_ORDERING on canonical decimals and on anything else', () => {
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 })).map(([digits, places]) => canonical(new Dec(digits.toString()).div(new Dec(10).pow(places)).toFixed()));
    const fact = fc.oneof(decimal, fc.constantFrom<unknown>(null, undefined, 5, true, 'x'));
    fc.assert(
      fc.property(fact, decimal, fc.constantFrom(...ORDERINGS), (a, b, operator) => {
        const digits = typeof a === 'string' ? signedIntegerDigits(a) : 0;
        expect(COUNTED_ORDERING[operator](a, digits, b, signedIntegerDigits(b))).toBe(EXACT_ORDERING[operator](a, b));
      }),
    );
  });
});

describe('comparisonFor', () => {
  it.each(OPERATORS.map((operator) => [operator] as const))('%s: exact ordering on decimals, json-rules-engine otherwise', (operator) => {
    expect(comparisonFor(operator, false)).toBe(JSON_RULES_ENGINE_SEMANTICS[operator]);
    expect(comparisonFor(operator, true)).toBe(isOrderingOperator(operator) ? EXACT_ORDERING[operator] : JSON_RULES_ENGINE_SEMANTICS[operator]);
  });
});
