import type { FactView } from './compile.js';
import type { FactReference, LeafCondition } from './rule-file.js';
import { isFactReference, PARAMETER_PREFIX } from './rule-paths.js';
import type { ComparisonTrace, Missing } from './trace.js';

// The trace of one comparison: what the evaluator records when a trace is asked for.

type Reader = (facts: FactView) => unknown;

/**
 * How a comparison reads its two sides: the fact, and either a constant for the version (a
 * written value or a parameter, `literal`) or another fact (`readValue`, named by `valueFrom`).
 */
export type ComparisonSides =
  | { readonly readFact: Reader; readonly literal: { readonly value: unknown }; readonly valueFrom: string | undefined; readonly compare: Compare }
  | { readonly readFact: Reader; readonly readValue: Reader; readonly valueFrom: string; readonly compare: Compare };

type Compare = (a: unknown, b: unknown) => boolean;

/**
 * The trace of a comparison. Each of the four shapes (with or without `path`, `valueFrom`) is a
 * fixed object literal chosen once, at compile time: building it with conditional spreads made
 * tracing four times slower on rules with many conditions. A constant value is read from the
 * closure, not through a reader. The rare cases, a condition's name and a missing fact (marked
 * `missing: 'fact' | 'path'` instead of shown as the value `undefined`), are left to
 * {@link markedTrace}; the common trace is returned as it is built, with no second call.
 *
 * @example
 * traceComparison(leaf, { readFact: (f) => f.amount, literal: { value: '500000' }, valueFrom: undefined, compare })({ amount: '600000' }).result; //=> true
 */
export function traceComparison(leaf: LeafCondition, sides: ComparisonSides): (facts: FactView) => ComparisonTrace {
  const { fact, operator, path, name } = leaf;
  const { readFact, compare } = sides;
  const reference = isFactReference(leaf.value) ? leaf.value : undefined;
  const mark = markedTrace(leaf, reference);
  if ('readValue' in sides) {
    // The value is another fact: `valueFrom` names it, and either side may be missing.
    const { readValue, valueFrom } = sides;
    const marked = (traced: ComparisonTrace, facts: FactView) => (name === undefined && traced.factValue !== undefined && traced.value !== undefined ? traced : mark(traced, facts));
    if (path === undefined) {
      return (facts) => {
        const factValue = readFact(facts);
        const value = readValue(facts);
        return marked({ kind: 'fact', result: compare(factValue, value), fact, operator, factValue, value, valueFrom }, facts);
      };
    }
    return (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      return marked({ kind: 'fact', result: compare(factValue, value), fact, path, operator, factValue, value, valueFrom }, facts);
    };
  }
  const { value } = sides.literal;
  const { valueFrom } = sides;
  // A parameter's path that misses is missing on every call of this version.
  const always = name !== undefined || (reference !== undefined && value === undefined);
  if (path === undefined && valueFrom === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const traced: ComparisonTrace = { kind: 'fact', result: compare(factValue, value), fact, operator, factValue, value };
      return factValue === undefined || always ? mark(traced, facts) : traced;
    };
  }
  if (path === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const traced: ComparisonTrace = { kind: 'fact', result: compare(factValue, value), fact, operator, factValue, value, valueFrom: valueFrom! };
      return factValue === undefined || always ? mark(traced, facts) : traced;
    };
  }
  if (valueFrom === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const traced: ComparisonTrace = { kind: 'fact', result: compare(factValue, value), fact, path, operator, factValue, value };
      return factValue === undefined || always ? mark(traced, facts) : traced;
    };
  }
  return (facts) => {
    const factValue = readFact(facts);
    const traced: ComparisonTrace = { kind: 'fact', result: compare(factValue, value), fact, path, operator, factValue, value, valueFrom };
    return factValue === undefined || always ? mark(traced, facts) : traced;
  };
}

/**
 * Rewrites a comparison's trace for the rare case: the condition's name first, and a missing
 * fact or referenced value marked as missing instead of shown as `undefined`.
 */
function markedTrace(leaf: LeafCondition, reference: FactReference | undefined): (traced: ComparisonTrace, facts: FactView) => ComparisonTrace {
  const { name } = leaf;
  // A parameter always has a value in its version: only a path into it can miss.
  const missing = (facts: FactView, fact: string, path: string | undefined): Missing =>
    fact.startsWith(PARAMETER_PREFIX) || (path !== undefined && ownFact(facts, fact) !== undefined) ? 'path' : 'fact';
  return (traced, facts) => {
    const factMissing = traced.factValue === undefined;
    const valueMissing = reference !== undefined && traced.value === undefined;
    const { factValue, value, ...rest } = traced;
    return {
      ...(name === undefined ? {} : { name }),
      ...rest,
      ...(factMissing ? { missing: missing(facts, leaf.fact, leaf.path) } : { factValue }),
      ...(valueMissing ? { valueMissing: missing(facts, reference.fact, reference.path) } : { value }),
    };
  };
}

function ownFact(facts: FactView, fact: string): unknown {
  return Object.prototype.hasOwnProperty.call(facts, fact) || !(fact in Object.prototype) ? facts[fact] : undefined;
}
