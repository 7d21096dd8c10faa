import type { Decision } from '../core/policy.js';

/**
 * A decision as the CLI writes it: without `trace` when none was asked for (`--no-trace`), rather
 * than an empty list that reads as "no rule was evaluated".
 *
 * @example
 * JSON.stringify(decisionJson(evaluate('review.approval', facts, { trace: false }), false)); // no "trace" key
 */
export function decisionJson(decision: Decision<unknown>, withTrace: boolean): Omit<Decision<unknown>, 'trace'> & { trace?: Decision<unknown>['trace'] } {
  if (withTrace) return decision;
  const { trace: _trace, ...rest } = decision;
  return rest;
}
