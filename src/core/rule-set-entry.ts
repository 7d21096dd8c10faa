import type { CompiledRuleFile } from './compile.js';
import { isCompiledRuleFile, loadRules } from './compile.js';
import { RuleSetError } from './errors.js';

export function rulesFor(policy: string, rules: unknown, bundled: () => CompiledRuleFile, checkEvents: (file: CompiledRuleFile) => CompiledRuleFile): CompiledRuleFile {
  if (rules === undefined) return bundled();
  const own = ruleSetEntry(rules, policy);
  if (own !== NOT_A_RULE_SET) return own === undefined ? bundled() : checkEvents(customRules(policy, own, `options.rules[${JSON.stringify(policy)}]`));
  return checkEvents(customRules(policy, rules, 'options.rules'));
}

export const NOT_A_RULE_SET = Symbol('not a rule set');

/** The rule set's file for `policy` (`undefined` when it has none), or NOT_A_RULE_SET; a throwing getter or Proxy trap is a RuleSetError. */
export function ruleSetEntry(rules: unknown, policy: string): unknown {
  try {
    if (!isRuleSet(rules)) return NOT_A_RULE_SET;
    if (looksCompiled(rules)) {
      // Shaped like compileRuleFile's result but not made by it: trusting it would skip every check.
      throw new RuleSetError([{ code: 'not_compiled', file: 'options.rules', path: '', message: 'an object with "spec" and "versions" that compileRuleFile did not make: pass the rules file\'s JSON, or what compileRuleFile returned' }]);
    }
    return Object.prototype.hasOwnProperty.call(rules, policy) ? rules[policy] : undefined;
  } catch (error) {
    if (error instanceof RuleSetError) throw error;
    throw new RuleSetError([{ code: 'not_json', file: 'options.rules', path: policy, message: `the rule set cannot be read as plain data: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

/** A rule set is an object keyed by policy id; a single rules file has a `policy` field. */
export function isRuleSet(rules: unknown): rules is Readonly<Record<string, unknown>> {
  return rules !== null && typeof rules === 'object' && !Array.isArray(rules) && !('policy' in rules) && !isCompiledRuleFile(rules);
}

function looksCompiled(rules: object): boolean {
  return 'spec' in rules || 'versions' in rules;
}

function customRules(policy: string, rules: unknown, origin: string): CompiledRuleFile {
  const compiled = loadRules(rules, origin);
  if (compiled.spec.policy !== policy) {
    throw new RuleSetError([{ code: 'wrong_policy', file: compiled.spec.file, path: 'policy', message: `this rules file is for ${JSON.stringify(compiled.spec.policy)}, not ${JSON.stringify(policy)}` }]);
  }
  return compiled;
}
