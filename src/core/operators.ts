import { compareCanonical, compareCounted } from './decimal.js';

/**
 * The json-rules-engine operators this library compiles. Anything else in a rules file is
 * refused when the file is loaded, never discovered while evaluating.
 *
 * @example
 * OPERATORS.includes('lessThanInclusive'); //=> true
 */
export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;

/** One of the {@link OPERATORS}. */
export type Operator = (typeof OPERATORS)[number];

/**
 * Operators that order their operands; on decimal facts they compare exactly.
 *
 * @example
 * ORDERING_OPERATORS.has('greaterThan'); //=> true
 */
export const ORDERING_OPERATORS: ReadonlySet<Operator> = new Set<OrderingOperator>(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/**
 * Is `name` one of the supported operators?
 *
 * @example
 * isOperator('lessThen'); //=> false
 */
export function isOperator(name: unknown): name is Operator {
  return typeof name === 'string' && (OPERATORS as readonly string[]).includes(name);
}

/** A comparison of a fact's value with the value it is compared to. */
export type Comparison = (factValue: unknown, compareTo: unknown) => boolean;

// json-rules-engine lets an ordering operator run only when parseFloat(factValue) is a number,
// then applies JavaScript's own `<`, coercions included. Matching it exactly is what makes the
// differential test meaningful, so the loose comparisons below are deliberate.
function numberLike(value: unknown): boolean {
  return !Number.isNaN(Number.parseFloat(value as string));
}
type Loose = number;

// Values that are not JSON (an object without a prototype) make JavaScript's coercions throw;
// json-rules-engine then rejects the whole run. A comparison here answers false instead.
function ordering(compare: (a: Loose, b: Loose) => boolean): Comparison {
  return (a, b) => {
    // Two numbers, the common case: parseFloat(a) is NaN only when a is NaN, and every comparison
    // with NaN is false, so this is the same answer without parseFloat's string round trip.
    if (typeof a === 'number' && typeof b === 'number') return compare(a, b);
    try {
      return numberLike(a) && compare(a as Loose, b as Loose);
    } catch {
      return false;
    }
  };
}

/**
 * json-rules-engine's semantics for each operator, on plain JSON values.
 *
 * @example
 * JSON_RULES_ENGINE_SEMANTICS.lessThan('10', 9); //=> false ("10" is coerced to 10)
 */
export const JSON_RULES_ENGINE_SEMANTICS: Readonly<Record<Operator, Comparison>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  lessThan: ordering((a, b) => a < b),
  lessThanInclusive: ordering((a, b) => a <= b),
  greaterThan: ordering((a, b) => a > b),
  greaterThanInclusive: ordering((a, b) => a >= b),
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
};

/** The operators that order their operands: `lessThan`, `lessThanInclusive`, `greaterThan`, `greaterThanInclusive`. */
export type OrderingOperator = 'lessThan' | 'lessThanInclusive' | 'greaterThan' | 'greaterThanInclusive';

/**
 * The ordering operators on money and decimal facts, exactly: two canonical decimal strings (see
 * `canonicalDecimal`) compare by value, never through binary floating point; any other pair of
 * operands as json-rules-engine compares them. The one exact decimal ordering of the library: the
 * evaluator, the decision-space enumeration (validate, docs, diff) and the SQL compiler's
 * constant folding all use it.
 *
 * @example
 * EXACT_ORDERING.lessThan('0.1', '0.10000000000000001'); //=> true (as numbers both are 0.1)
 */
// Written out, not built by a helper: these run in the evaluator's hot loop, one call each.
export const EXACT_ORDERING: Readonly<Record<OrderingOperator, Comparison>> = {
  lessThan: (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) < 0 : JSON_RULES_ENGINE_SEMANTICS.lessThan(a, b)),
  lessThanInclusive: (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) <= 0 : JSON_RULES_ENGINE_SEMANTICS.lessThanInclusive(a, b)),
  greaterThan: (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) > 0 : JSON_RULES_ENGINE_SEMANTICS.greaterThan(a, b)),
  greaterThanInclusive: (a, b) => (typeof a === 'string' && typeof b === 'string' ? compareCanonical(a, b) >= 0 : JSON_RULES_ENGINE_SEMANTICS.greaterThanInclusive(a, b)),
};

/**
 * Is `operator` one of the ordering operators?
 *
 * @example
 * isOrderingOperator('greaterThan'); //=> true
 */
export function isOrderingOperator(operator: Operator): operator is OrderingOperator {
  return ORDERING_OPERATORS.has(operator);
}

/**
 * The comparison an operator applies: {@link EXACT_ORDERING} for an ordering on a money or
 * decimal fact (`exact`), else json-rules-engine's own. The one place the choice is made, for the
 * evaluator, the enumeration and the SQL compiler's constant folding.
 *
 * @example
 * comparisonFor('lessThan', true)('0.1', '0.10000000000000001'); //=> true
 * comparisonFor('lessThan', false)('10', 9); //=> false
 */
export function comparisonFor(operator: Operator, exact: boolean): Comparison {
  return exact && isOrderingOperator(operator) ? EXACT_ORDERING[operator] : JSON_RULES_ENGINE_SEMANTICS[operator];
}

/** {@link EXACT_ORDERING} against a canonical threshold, both integer-digit counts given (see `signedIntegerDigits`). */
export type CountedOrdering = (a: unknown, aDigits: number, b: string, bDigits: number) => boolean;

function countedOrdering(operator: OrderingOperator): CountedOrdering {
  const loose = JSON_RULES_ENGINE_SEMANTICS[operator];
  switch (operator) {
    case 'lessThan':
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) < 0 : loose(a, b));
    case 'lessThanInclusive':
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) <= 0 : loose(a, b));
    case 'greaterThan':
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) > 0 : loose(a, b));
    default:
      return (a, ad, b, bd) => (typeof a === 'string' ? compareCounted(a, ad, b, bd) >= 0 : loose(a, b));
  }
}

/**
 * {@link EXACT_ORDERING} for the generated kernel, which counts the threshold's integer digits
 * once when it compiles and the fact's once per call: the same answers (a property test checks).
 *
 * @example
 * COUNTED_ORDERING.greaterThan('500000.01', 6, '500000', 6); //=> true
 */
export const COUNTED_ORDERING: Readonly<Record<OrderingOperator, CountedOrdering>> = {
  lessThan: countedOrdering('lessThan'),
  lessThanInclusive: countedOrdering('lessThanInclusive'),
  greaterThan: countedOrdering('greaterThan'),
  greaterThanInclusive: countedOrdering('greaterThanInclusive'),
};
