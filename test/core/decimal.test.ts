import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalDecimal, canonicalDecimalGeneral, compareCanonical, compareCounted, decimalProblem, signedIntegerDigits } from '../../src/core/decimal.js';
import { Dec } from '../../src/core/money.js';

const decimalString = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,18}$/), fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }))
  .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`);
const safeNumber = fc.oneof(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.constantFrom(0.1, 0.2, 0.30000000000000004, 1e-7, -0));

describe('canonical decimals', () => {
  it('compare exactly as Decimal#cmp does', () => {
    fc.assert(
      fc.property(fc.oneof(decimalString, safeNumber), fc.oneof(decimalString, safeNumber), (a, b) => {
        const [x, y] = [canonicalDecimal(a), canonicalDecimal(b)];
        expect(compareCanonical(x, y)).toBe(new Dec(x).cmp(new Dec(y)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('compare with counted integer digits exactly as Decimal#cmp does', () => {
    fc.assert(
      fc.property(fc.oneof(decimalString, safeNumber), fc.oneof(decimalString, safeNumber), (a, b) => {
        const [x, y] = [canonicalDecimal(a), canonicalDecimal(b)];
        expect(compareCounted(x, signedIntegerDigits(x), y, signedIntegerDigits(y))).toBe(new Dec(x).cmp(new Dec(y)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('write equal values the same way, and keep their value', () => {
    fc.assert(
      fc.property(decimalString, (text) => {
        const canonical = canonicalDecimal(text);
        expect(new Dec(canonical).eq(new Dec(text))).toBe(true);
        expect(canonicalDecimal(new Dec(text).toFixed(8))).toBe(canonical === '-0' ? '0' : canonical);
      }),
      { numRuns: 5_000 },
    );
  });

  it('take the String() fast path for numbers only where it equals the general path', () => {
    const cents = fc.tuple(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 4 })).map(([units, places]) => units / 10 ** places);
    const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const nearCentsBound = fc.integer({ min: 0, max: 10 ** 6 }).chain((k) => fc.constantFrom((1e15 - k) / 100, (1e15 + k) / 100, -(1e15 - k) / 100, k / 100 + 0.005));
    const nearEdges = fc.oneof(fc.double({ min: 1e-7, max: 1e-5, noNaN: true }), fc.double({ min: 1e20, max: 1e22, noNaN: true })).chain((n) => fc.constantFrom(n, -n));
    fc.assert(
      fc.property(fc.oneof(cents, anyFinite, nearEdges, nearCentsBound, fc.constantFrom(1e-6, -1e-6, 1e21, -1e21, 0, -0, Number.MIN_VALUE, Number.MAX_VALUE)), (n) => {
        expect(canonicalDecimal(n)).toBe(canonicalDecimalGeneral(n));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['0012.500', '12.5'],
    ['-0', '0'],
    ['-0.000', '0'],
    [-0, '0'],
    [1e-7, '0.0000001'],
    [500000, '500000'],
    ['9007199254740993', '9007199254740993'],
    [0.1, '0.1'],
  ])('canonicalDecimal(%j) is %j', (input, expected) => {
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it.each([
    ['1e3', 'a decimal string has only digits, an optional "-" and one "."'],
    [' 12 ', 'a decimal string has only digits, an optional "-" and one "."'],
    ['١٢', 'a decimal string has only digits, an optional "-" and one "."'],
    ['12.', 'a decimal string has only digits, an optional "-" and one "."'],
    [Number.NaN, 'a number must be finite'],
    [Number.POSITIVE_INFINITY, 'a number must be finite'],
    [2 ** 53, 'a number must be below 2^53 in magnitude; give larger amounts as strings'],
    [1e308, 'a number must be below 2^53 in magnitude; give larger amounts as strings'],
    ['1'.repeat(41), 'a decimal string has at most 40 characters'],
    [`-${'1'.repeat(18)}.${'2'.repeat(20)}`, undefined],
    [`-${'1'.repeat(18)}.${'2'.repeat(21)}`, 'a decimal string has at most 40 characters'],
    [true, 'expected a number or a decimal string'],
    [null, 'expected a number or a decimal string'],
  ])('decimalProblem(%j): %s', (input, problem) => {
    expect(decimalProblem(input)).toBe(problem);
  });

  it.each([
    ['-1', '-2', 1],
    ['-2', '-1', -1],
    ['-1', '-1', 0],
    ['-10', '-9', -1],
    ['-0.5', '-0.25', -1],
    ['-0.25', '-0.5', 1],
    ['-1', '1', -1],
    ['1', '-1', 1],
    ['9', '10', -1],
    ['0.1', '0.09', 1],
    ['12.5', '12.5', 0],
  ])('compareCanonical(%s, %s) is %d', (a, b, order) => {
    expect(compareCanonical(a, b)).toBe(order);
  });

  it('keeps amounts up to 1e15 exact, where floats do not', () => {
    expect(compareCanonical(canonicalDecimal('999999999999999.99'), canonicalDecimal('999999999999999.98'))).toBe(1);
    // eslint-disable-next-line no-loss-of-precision -- the float trap this avoids, written on purpose
    expect(999999999999999.99 > 999999999999999.98).toBe(false);
    expect(compareCanonical(canonicalDecimal('9007199254740993'), canonicalDecimal(9007199254740992))).toBe(1);
  });
});

describe('numbers written with an exponent', () => {
  it('are expanded exactly as decimal.js reads them', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e-6, max: 1e-6, noNaN: true }), (value) => {
        expect(new Dec(canonicalDecimal(value)).eq(new Dec(value))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it.each([
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
    [5e-324, `0.${'0'.repeat(323)}5`],
    [9.87654321e-7, '0.000000987654321'],
    [-1.2345678901234566e-7, '-0.00000012345678901234566'],
    // From 1e21 (past what a fact accepts, but a rules file may hold it for the toolkit to read).
    [1e21, '1000000000000000000000'],
    [-1.5e22, '-15000000000000000000000'],
  ])('%d is %s', (value, expected) => {
    expect(canonicalDecimal(value)).toBe(expected);
  });
});
