import type { CompiledRule, CompiledVersion, FactView } from './compile.js';
import type { RuleTrace } from './trace.js';

// Running a compiled version's rules on facts: through the generated kernel, or rule by rule
// with a trace.

/** The outcome of running a version's rules on facts. */
export interface RunResult {
  /** Rules that fired, highest priority first (file order within a priority). */
  readonly fired: readonly CompiledRule[];
  /** Every rule evaluated, in evaluation order, when a trace was asked for; else empty. */
  readonly trace: readonly RuleTrace[];
}

/**
 * Runs a compiled version's rules through its generated kernel. The same answer as
 * {@link runRules} on `version.rules`, faster; with a trace it is `runRules` itself.
 *
 * @example
 * runVersion(version, { amount: '1200000', channel: 'direct' }, { firstHit: true, trace: false }).fired[0]?.name; //=> 'REV-6.2'
 */
export function runVersion(version: CompiledVersion, facts: FactView, options: { readonly firstHit: boolean; readonly trace: boolean }): RunResult {
  if (options.trace) return runRules(version.rules, facts, options);
  if (options.firstHit) {
    const hit = version.firstHit(facts);
    return { fired: hit === -1 ? [] : [version.rules[hit]!], trace: [] };
  }
  return { fired: version.allHits(facts).map((i) => version.rules[i]!), trace: [] };
}

/**
 * Runs compiled rules on facts. `firstHit` stops at the first rule that fires (rules are in
 * priority order); otherwise every rule is evaluated (collect-all).
 *
 * @example
 * runRules(version.rules, { amount: '1200000', channel: 'direct' }, { firstHit: true, trace: false }).fired[0]?.name; //=> 'REV-6.2'
 */
export function runRules(rules: readonly CompiledRule[], facts: FactView, options: { readonly firstHit: boolean; readonly trace: boolean }): RunResult {
  const fired: CompiledRule[] = [];
  if (!options.trace) {
    for (const rule of rules) {
      if (rule.test(facts)) {
        fired.push(rule);
        if (options.firstHit) break;
      }
    }
    return { fired, trace: [] };
  }
  const trace: RuleTrace[] = [];
  for (const rule of rules) {
    const conditions = rule.trace(facts);
    const source = rule.definition.source;
    trace.push(
      source === undefined
        ? { rule: rule.name, index: rule.index, priority: rule.priority, fired: conditions.result, conditions }
        : { rule: rule.name, index: rule.index, priority: rule.priority, fired: conditions.result, conditions, source },
    );
    if (conditions.result) {
      fired.push(rule);
      if (options.firstHit) break;
    }
  }
  return { fired, trace };
}

