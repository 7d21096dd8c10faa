import type { EvaluateOptions } from '../../src/index.js';
import { DEFAULT_MAX_ITEMS } from '../../src/core/policy.js';

let next = DEFAULT_MAX_ITEMS + 1;

/**
 * `options` with a `maxItems` no earlier call used (above the default, so no list bound changes),
 * which makes `evaluate` build the policy's facts schema anew instead of reusing the one it keeps
 * per zone and bound. Tests of what the schema accepts and refuses use it so that they check the
 * schema's construction too: a mutation run, which loads the library once for all tests, credits
 * that code only to the tests that build a schema.
 *
 * @example
 * evaluate('followUp.escalation', facts, freshSchema({ asOf: '2026-01-01' }));
 */
export function freshSchema<O extends EvaluateOptions>(options: O): O & { maxItems: number } {
  return { ...options, maxItems: next++ };
}
