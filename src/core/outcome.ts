import type { CompiledRule } from './compile.js';
import { RuleGapError, safeJson } from './errors.js';

/**
 * Reads a string event parameter of a fired rule and checks it against the values the policy
 * knows, so a custom rules file with a typo fails loudly instead of returning a wrong outcome.
 *
 * @example
 * eventString(rule, 'review.approval', 'authority', ['marketing_director', 'sales_vp', 'general_manager']); //=> 'sales_vp'
 */
export function eventString<const T extends string>(rule: CompiledRule, policy: string, name: string, allowed: readonly T[]): T {
  const value = rule.definition.event.params?.[name];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new RuleGapError(policy, `rules[${rule.index}] (${rule.name}) gives event.params.${name} = ${safeJson(value)}; expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * The first fired rule of a first-hit policy, or a {@link RuleGapError} when none fired.
 *
 * @example
 * const rule = firstFired(fired, 'review.approval', facts);
 */
export function firstFired(fired: readonly CompiledRule[], policy: string, facts: unknown): CompiledRule {
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
