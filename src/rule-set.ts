import { compileRuleFile } from './core/rule-loader.js';
import type { CompiledRuleFile } from './core/compile.js';
import { RuleSetError, UnknownPolicyError } from './core/errors.js';
import type { RuleSetIssue } from './core/errors.js';
import type { Decision, EvaluateOptions } from './core/policy.js';
import type { BatchOptions, BatchResult, SafeEvaluateResult } from './evaluate.js';
import { evaluate, evaluateMany, safeEvaluate } from './evaluate.js';
import type { ExplainOptions } from './explain.js';
import { explain } from './explain.js';
import type { FactsOf, OutcomeOf, PolicyId } from './policies.js';
import { isPolicyId, POLICIES, POLICY_IDS } from './policies.js';
import { engineOf } from './core/policy.js';

/** An organisation's rules: a rules file (parsed JSON, or compiled) per policy it changes. */
export type RuleSet = Readonly<Partial<Record<PolicyId, unknown>>>;

/** Evaluation bound to a rule set: the package's functions, with `options.rules` filled in. */
export interface Policies {
  /** The checked and compiled rules files, by policy id (policies the set does not name keep the bundled rules). */
  readonly rules: Readonly<Partial<Record<PolicyId, CompiledRuleFile>>>;
  readonly evaluate: <P extends PolicyId>(policy: P, facts: FactsOf<P>, options?: Omit<EvaluateOptions, 'rules'>) => Decision<OutcomeOf<P>>;
  readonly safeEvaluate: <P extends PolicyId>(policy: P, facts: FactsOf<P>, options?: Omit<EvaluateOptions, 'rules'>) => SafeEvaluateResult<OutcomeOf<P>>;
  readonly evaluateMany: <P extends PolicyId>(policy: P, facts: Iterable<FactsOf<P>>, options?: Omit<BatchOptions, 'rules'>) => Generator<BatchResult<OutcomeOf<P>>, void, undefined>;
  /** {@link explain}, naming outcome values with this rule set's labels. */
  readonly explain: (decision: Decision<unknown>, options?: Omit<ExplainOptions, 'rules'>) => string;
}

/**
 * Checks an organisation's rule set once (every file compiled, every policy id known, each file
 * for the policy it is filed under) and returns `evaluate` and friends bound to it. Works
 * anywhere, the browser included: the rules are plain JSON objects. Throws {@link RuleSetError}
 * listing every problem.
 *
 * @example
 * import approval from './rules/review/approval.rules.json' with { type: 'json' };
 * const policies = createPolicies({ rules: { 'review.approval': approval } });
 * const decision = policies.evaluate('review.approval', { amount: '800000', channel: 'direct' });
 * decision.outcome.authority;
 * console.log(policies.explain(decision)); // the outcome named with this rule set's labels
 */
export function createPolicies(options: { readonly rules: RuleSet }): Policies {
  const issues: RuleSetIssue[] = [];
  const compiled: Partial<Record<PolicyId, CompiledRuleFile>> = {};
  if (options === null || typeof options !== 'object' || options.rules === null || typeof options.rules !== 'object') {
    throw new RuleSetError([{ code: 'invalid_rule_set', file: '(rules)', path: '', message: 'createPolicies takes { rules: { [policyId]: rulesFileJson } }' }]);
  }
  for (const [policy, json] of Object.entries(options.rules)) {
    if (json === undefined) continue;
    if (!isPolicyId(policy)) {
      issues.push({ code: 'unknown_policy', file: `(rules)`, path: JSON.stringify(policy), message: new UnknownPolicyError(policy, POLICY_IDS).message });
      continue;
    }
    try {
      const file = compileRuleFile(json, sourceName(json, policy));
      if (file.spec.policy !== policy) issues.push({ code: 'wrong_policy', file: file.spec.file, path: 'policy', message: `this file is for ${JSON.stringify(file.spec.policy)}, but the rule set files it under ${JSON.stringify(policy)}` });
      else compiled[policy] = engineOf(POLICIES[policy]).rulesFor(file); // its events checked against the policy's event schema
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new RuleSetError(issues);
  const rules = compiled as Readonly<Record<string, CompiledRuleFile>>;
  return {
    rules: compiled,
    evaluate: (policy, facts, evaluateOptions = {}) => evaluate(policy, facts, { ...evaluateOptions, rules }),
    safeEvaluate: (policy, facts, evaluateOptions = {}) => safeEvaluate(policy, facts, { ...evaluateOptions, rules }),
    evaluateMany: (policy, facts, batchOptions = {}) => evaluateMany(policy, facts, { ...batchOptions, rules }),
    explain: (decision, explainOptions = {}) => explain(decision, { ...explainOptions, rules }),
  };
}

/** The name a rules file goes by in messages: its `$file` note from `loadRuleSet`, else the policy. */
function sourceName(json: unknown, policy: string): string {
  const file = json !== null && typeof json === 'object' ? (json as { [FILE_NAME]?: unknown })[FILE_NAME] : undefined;
  return typeof file === 'string' ? file : `rules for ${policy}`;
}

/**
 * Where `loadRuleSet` records the path a file was read from (a symbol: never part of the JSON).
 *
 * @example
 * (json as { [FILE_NAME]?: string })[FILE_NAME]; //=> 'our-rules/review/approval.rules.json'
 */
export const FILE_NAME = Symbol.for('sales-policies.file');
