import type { FactView } from './compile.js';
import type { FactReference, LeafCondition } from './rule-file.js';
import { PARAMETER_PREFIX } from './rule-paths.js';
import type { ComparisonTrace, Missing } from './trace.js';

// The trace of one comparison: what the evaluator records when a trace is asked for.

type Reader = (facts: FactView) => unknown;

/**
 * Adds to a comparison's trace what {@link makeTrace} leaves to the rare case: the condition's
 * name, and a missing fact marked as missing (`missing: 'fact' | 'path'`) instead of shown as the
 * value `undefined`. The common trace, a named-less comparison of present values, is returned as
 * it is.
 *
 * @example
 * markTrace(leaf, undefined, makeTrace(leaf, undefined, readFact, readValue, compare))({}).missing; //=> 'fact'
 */
export function markTrace(leaf: LeafCondition, reference: FactReference | undefined, trace: (facts: FactView) => ComparisonTrace): (facts: FactView) => ComparisonTrace {
  const { name } = leaf;
  // A parameter always has a value in its version: only a path into it can miss.
  const missing = (facts: FactView, fact: string, path: string | undefined): Missing =>
    fact.startsWith(PARAMETER_PREFIX) || (path !== undefined && ownFact(facts, fact) !== undefined) ? 'path' : 'fact';
  return (facts) => {
    const traced = trace(facts);
    const factMissing = traced.factValue === undefined;
    const valueMissing = reference !== undefined && traced.value === undefined;
    if (!factMissing && !valueMissing && name === undefined) return traced;
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

/**
 * The trace of a comparison. Each of the four shapes (with or without `path`, `valueFrom`) is a
 * fixed object literal chosen once, at compile time: building it with conditional spreads made
 * tracing four times slower on rules with many conditions.
 *
 * @example
 * makeTrace(leaf, undefined, (f) => f.amount, () => '500000', compare)({ amount: '600000' }).result; //=> true
 */
export function makeTrace(leaf: LeafCondition, valueFrom: string | undefined, readFact: Reader, readValue: Reader, compare: (a: unknown, b: unknown) => boolean): (facts: FactView) => ComparisonTrace {
  const { fact, operator, path } = leaf;
  if (path === undefined && valueFrom === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      return { kind: 'fact', result: compare(factValue, value), fact, operator, factValue, value };
    };
  }
  if (path === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      return { kind: 'fact', result: compare(factValue, value), fact, operator, factValue, value, valueFrom: valueFrom! };
    };
  }
  if (valueFrom === undefined) {
    return (facts) => {
      const factValue = readFact(facts);
      const value = readValue(facts);
      return { kind: 'fact', result: compare(factValue, value), fact, path, operator, factValue, value };
    };
  }
  return (facts) => {
    const factValue = readFact(facts);
    const value = readValue(facts);
    return { kind: 'fact', result: compare(factValue, value), fact, path, operator, factValue, value, valueFrom };
  };
}

