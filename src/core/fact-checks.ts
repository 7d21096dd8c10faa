import type { CalendarDate } from './dates.js';
import { dateProblem, inCalendarRange, toCalendarDate } from './dates.js';
import { canonicalDecimal, compareCanonical, decimalPlaces, decimalProblem } from './decimal.js';

/**
 * Why a value was refused, in the words an input issue shows: what is wrong and what was
 * expected. The checks below return one instead of throwing, so zod's transforms (facts.ts) and
 * the library's own facts checker (facts-checker.ts) report the same words from one source.
 *
 * @example
 * const refused = decimalCheck({ nonNegative: true })('-1'); // Refusal { message: 'must not be negative', … }
 */
export class Refusal {
  constructor(
    readonly message: string,
    readonly expected: string,
  ) {}
}

/** A decimal in canonical form (see `canonicalDecimal`): `"1200000.5"`, `"0"`, `"-3"`. */
export type DecimalString = string;

/** What a money or decimal fact refuses besides a value that is not a decimal. */
export interface DecimalOptions {
  /** Refuse values below zero. */
  readonly nonNegative?: boolean;
  /** Refuse values below this one, compared exactly (0: use `nonNegative`, whose words say "negative"). */
  readonly minimum?: number;
  /** Refuse values above this one (a rate: 1), compared exactly. */
  readonly maximum?: number;
  /** Refuse values with more digits after the point (e.g. 2 for an amount that is split to the fen). */
  readonly maxPlaces?: number;
}

/**
 * The check of a money or other decimal fact: a JSON number or a decimal string becomes its
 * canonical decimal string, compared with the bounds exactly (theirs made canonical once, here).
 *
 * @example
 * decimalCheck({ nonNegative: true })('1200000.50'); //=> '1200000.5'
 */
export function decimalCheck(options: DecimalOptions = {}): (input: unknown) => DecimalString | Refusal {
  const { nonNegative, minimum, maximum, maxPlaces } = options;
  const lowest = minimum === undefined ? undefined : canonicalDecimal(minimum);
  const highest = maximum === undefined ? undefined : canonicalDecimal(maximum);
  return (input) => {
    const problem = input === undefined ? 'required' : decimalProblem(input);
    if (problem !== undefined) return new Refusal(problem, 'a decimal: a number, or a string like "1200000.50"');
    const value = canonicalDecimal(input as number | string);
    if (nonNegative && value.startsWith('-')) return new Refusal('must not be negative', 'a decimal ≥ 0');
    if (lowest !== undefined && compareCanonical(value, lowest) < 0) return new Refusal(`too small: at least ${minimum}`, `a decimal ≥ ${minimum}`);
    if (highest !== undefined && compareCanonical(value, highest) > 0) return new Refusal(`too big: at most ${maximum}`, nonNegative ? `a decimal from 0 to ${maximum}` : `a decimal ≤ ${maximum}`);
    if (maxPlaces !== undefined && decimalPlaces(value) > maxPlaces) return new Refusal(`has more than ${maxPlaces} decimal places`, `a decimal with at most ${maxPlaces} places`);
    return value;
  };
}

/**
 * The check of a date fact: `YYYY-MM-DD`, or an ISO-8601 instant with an offset, which becomes
 * the calendar date it falls on in `timeZone`.
 *
 * @example
 * calendarDateCheck('Asia/Shanghai')('2026-03-01T23:30:00Z'); //=> '2026-03-02'
 */
export function calendarDateCheck(timeZone: string): (input: unknown) => CalendarDate | Refusal {
  return (input) => {
    const problem = input === undefined ? 'required' : dateProblem(input);
    if (problem !== undefined) return new Refusal(problem, 'a date "YYYY-MM-DD" or an ISO-8601 instant with offset');
    const date = toCalendarDate(input as string, timeZone);
    // An instant late on 9999-12-31 can fall on 10000-01-01 in the zone: dates compare as text only within 0001–9999.
    if (!inCalendarRange(date)) return new Refusal(`falls on ${date} in ${timeZone}, outside 0001-01-01 to 9999-12-31`, 'a date from 0001-01-01 to 9999-12-31');
    return date;
  };
}

/**
 * The check of a count or quantity: a whole JSON number from `minimum` (when given) to
 * 2^53 − 1, or up to `maximum`.
 *
 * @example
 * wholeNumberCheck({ minimum: 0 })(-1); // Refusal { message: 'must not be negative', … }
 */
export function wholeNumberCheck(options: { readonly minimum?: number; readonly maximum?: number }): (input: unknown) => number | Refusal {
  const { minimum, maximum } = options;
  const expected = minimum === undefined ? 'a whole number' : `a whole number ≥ ${minimum}`;
  return (input) => {
    if (input === undefined) return new Refusal(`required: expected ${expected}`, expected);
    if (typeof input !== 'number' || !Number.isInteger(input)) return new Refusal(`expected ${expected}`, expected);
    if (minimum !== undefined && input < minimum) return new Refusal(minimum === 0 ? 'must not be negative' : `too small: at least ${minimum}`, expected);
    if (!Number.isSafeInteger(input)) return input > 0 ? new Refusal('too big: at most 2^53 − 1 (9007199254740991)', 'a whole number ≤ 9007199254740991') : new Refusal('too small: at least −(2^53 − 1)', 'a whole number ≥ -9007199254740991');
    if (maximum !== undefined && input > maximum) return new Refusal(`too big: at most ${maximum}`, `a whole number ≤ ${maximum}`);
    return input;
  };
}

/**
 * The check of a string fact with `format: "instant"`: a date or an instant with offset, kept
 * as given.
 *
 * @example
 * instantCheck('2026-03-01T23:30:00Z'); //=> '2026-03-01T23:30:00Z'
 */
export function instantCheck(input: unknown): string | Refusal {
  const problem = input === undefined ? 'required' : dateProblem(input);
  return problem === undefined ? (input as string) : new Refusal(problem, 'an ISO-8601 instant with offset, or a date "YYYY-MM-DD"');
}

/** The longest identifier (an agent id, a department name) a string fact takes. */
export const IDENTIFIER_MAX_LENGTH = 200;
