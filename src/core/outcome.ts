import type { CompiledRule } from './compile.js';
import { RuleGapError, safeJson } from './errors.js';

/**
 * The first fired rule of a first-hit policy, or a {@link RuleGapError} when none fired.
 *
 * @example
 * const rule = firstFired(fired, 'review.approval', facts);
 */
export function firstFired<Rule extends CompiledRule>(fired: readonly Rule[], policy: string, facts: unknown): Rule {
  const rule = fired[0];
  if (!rule) throw new RuleGapError(policy, `no rule decides these facts: ${safeJson(facts, 200)}`);
  return rule;
}

/**
 * Reads a list-of-strings parameter value.
 *
 * @example
 * stringList(ctx.param('approvalSteps')); //=> ['marketing_director', 'sales_vp', 'general_manager']
 */
export function stringList(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
