/** How a decimal fact is written when it comes as a string: ASCII digits, an optional sign and fraction. */
const DECIMAL_STRING = /^-?[0-9]+(?:\.[0-9]+)?$/;
const CANONICAL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?$/;
/** The longest decimal string accepted; longer ones are refused rather than parsed. */
export const MAX_DECIMAL_STRING_LENGTH = 40;
/** JSON numbers for money must stay where every integer is exact. */
const MAX_SAFE_MAGNITUDE = 2 ** 53;

/**
 * Why a value is not a decimal, or `undefined` when it is one. Numbers must be finite and below
 * 2^53 in magnitude; strings must look like `-1234.50` (no exponent, no spaces, ASCII digits).
 *
 * @example
 * decimalProblem('1e3'); //=> 'a decimal string has only digits, an optional "-" and one "."'
 * decimalProblem('1200000.50'); //=> undefined
 */
export function decimalProblem(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'a number must be finite';
    if (Math.abs(value) >= MAX_SAFE_MAGNITUDE) return 'a number must be below 2^53 in magnitude; give larger amounts as strings';
    return undefined;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_DECIMAL_STRING_LENGTH) return `a decimal string has at most ${MAX_DECIMAL_STRING_LENGTH} characters`;
    if (!DECIMAL_STRING.test(value)) return 'a decimal string has only digits, an optional "-" and one "."';
    return undefined;
  }
  return 'expected a number or a decimal string';
}

/**
 * Writes a valid decimal (see {@link decimalProblem}) in canonical form: no leading zeros, no
 * trailing fraction zeros, no `-0`. Equal values give equal strings, so canonical strings can be
 * compared with {@link compareCanonical} and used as map keys.
 *
 * @example
 * canonicalDecimal('0012.500'); //=> '12.5'
 * canonicalDecimal(-0); //=> '0'
 */
export function canonicalDecimal(value: number | string): string {
  if (typeof value === 'number') {
    const cents = wholeCentsText(value);
    if (cents !== undefined) return cents;
    // From 1e-6 up to 1e21, String() writes a finite number without an exponent, in its shortest
    // round-trip digits: no leading zeros, no trailing fraction zeros, so already canonical (and
    // -0 is written "0"). A property test proves this equal to the general path.
    const magnitude = value < 0 ? -value : value;
    if ((magnitude >= 1e-6 && magnitude < 1e21) || magnitude === 0) return String(value);
  } else if (value !== '-0' && CANONICAL.test(value)) {
    // Most strings are already canonical (whole amounts, or cents without a trailing zero).
    return value;
  }
  return canonicalDecimalGeneral(value);
}

// Amounts in whole cents, written from the integer number of cents (integers print fast; other
// numbers go through the shortest-digits algorithm). Below 1e13 a double's spacing is under 0.002,
// so at most one decimal with two places is read as this double; `cents / 100` is the double
// nearest `units.cc`, so when it is this one, `units.cc` (trailing zero dropped) is the shortest
// text that reads back as it: what String() writes. Property-tested against the general path.
function wholeCentsText(value: number): string | undefined {
  const magnitude = value < 0 ? -value : value;
  if (!(magnitude < 1e13)) return undefined;
  const cents = Math.round(magnitude * 100);
  if (cents / 100 !== magnitude) return undefined;
  const units = Math.floor(cents / 100);
  const fraction = cents - units * 100;
  const integer = value < 0 && cents !== 0 ? `-${units}` : `${units}`;
  if (fraction === 0) return integer;
  if (fraction % 10 === 0) return `${integer}.${fraction / 10}`;
  return `${integer}${fraction < 10 ? '.0' : '.'}${fraction}`;
}

/**
 * The general path of {@link canonicalDecimal}, for any valid decimal: every value it takes a
 * fast path for gives the same string here (a property test checks it).
 *
 * @example
 * canonicalDecimalGeneral(1e-7); //=> '0.0000001'
 */
export function canonicalDecimalGeneral(value: number | string): string {
  let text = typeof value === 'number' ? numberToPlainString(value) : value;
  let negative = false;
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  const dot = text.indexOf('.');
  let integer = dot === -1 ? text : text.slice(0, dot);
  let fraction = dot === -1 ? '' : text.slice(dot + 1);
  integer = integer.replace(/^0+(?=[0-9])/, '');
  fraction = fraction.replace(/0+$/, '');
  const body = fraction === '' ? integer : `${integer}.${fraction}`;
  return negative && body !== '0' ? `-${body}` : body;
}

// String() gives the shortest digits that round-trip; below 1e-6 (and from 1e21, which valid
// decimals never reach but rules-file numbers read by the toolkit may) it writes them with an
// exponent, which is moved into place here. Its mantissa starts with a digit other than 0 and has
// one digit before the point, so a negative exponent always puts every digit after the point.
function numberToPlainString(value: number): string {
  const text = String(value);
  const e = text.indexOf('e');
  if (e === -1) return text;
  const negative = text.startsWith('-');
  const digits = text.slice(negative ? 1 : 0, e).replace('.', '');
  const exponent = Number(text.slice(e + 1)) - (digits.length - 1);
  const plain = exponent >= 0 ? digits + '0'.repeat(exponent) : `0.${'0'.repeat(-exponent - digits.length)}${digits}`;
  return negative ? `-${plain}` : plain;
}

/**
 * Compares two canonical decimal strings exactly, without allocating: -1, 0 or 1. A property
 * test proves it equal to `Decimal#cmp` on the same values. The one exact decimal comparison of
 * the library ({@link compareCounted} with the digits counted here): every ordering of money
 * and decimals (evaluator, generated kernel, enumeration, SQL constant folding) comes down to it.
 *
 * @example
 * compareCanonical('500000', '500000.01'); //=> -1
 */
export function compareCanonical(a: string, b: string): -1 | 0 | 1 {
  return compareCounted(a, signedIntegerDigits(a), b, signedIntegerDigits(b));
}

/**
 * Counts the digits after the point of a canonical decimal.
 *
 * @example
 * decimalPlaces('10000.01'); //=> 2
 */
export function decimalPlaces(canonical: string): number {
  const dot = canonical.indexOf('.');
  return dot === -1 ? 0 : canonical.length - dot - 1;
}

/**
 * The integer digits of a canonical decimal, negated for a negative one (`'-12.5'` → -2,
 * `'0.5'` → 1): two canonical decimals with different counts are ordered by the counts alone.
 * The generated kernel counts a threshold's once, when the rules are compiled, and a fact's once
 * per call; {@link compareCounted} then compares them.
 *
 * @example
 * signedIntegerDigits('1200000.5'); //=> 7
 */
export function signedIntegerDigits(canonical: string): number {
  const dot = canonical.indexOf('.');
  const integerEnd = dot === -1 ? canonical.length : dot;
  return canonical.charCodeAt(0) === 45 ? 1 - integerEnd : integerEnd;
}

/**
 * {@link compareCanonical} on two canonical decimals whose {@link signedIntegerDigits} are known
 * (the generated kernel counts a threshold's once, at compile time).
 *
 * @example
 * compareCounted('500000.01', 6, '500000', 6); //=> 1
 */
export function compareCounted(a: string, aDigits: number, b: string, bDigits: number): -1 | 0 | 1 {
  if (aDigits !== bDigits) return aDigits < bDigits ? -1 : 1;
  // Same sign and integer digits, no trailing fraction zeros: string order is the order of the
  // magnitudes, reversed below zero.
  if (a === b) return 0;
  return (a < b) === (aDigits > 0) ? -1 : 1;
}

/**
 * Do facts or parameters of this declared type compare exactly, as decimals (`money`, `decimal`)?
 *
 * @example
 * isDecimalType('money'); //=> true
 * isDecimalType('integer'); //=> false
 */
export function isDecimalType(type: string | undefined): boolean {
  return type === 'money' || type === 'decimal';
}
