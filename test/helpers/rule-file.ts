import type { RuleDefinition } from '../../src/core/rule-file.js';

/**
 * Wraps bare json-rules-engine rules in a minimal rules file whose facts are all `json`, for
 * tests of the evaluator itself.
 *
 * @example
 * ruleFileOf([rule], ['f0', 'f1'], 'collect-all');
 */
export function ruleFileOf(
  rules: readonly unknown[],
  facts: readonly string[],
  decision: 'first-hit' | 'collect-all' = 'collect-all',
  parameters: { info?: Record<string, { type: string; description: string }>; values?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    policy: 'test.policy',
    title: { en: 'test', zh: '測試' },
    description: 'a rules file made by a test',
    source: { document: 'test' },
    decision,
    facts: Object.fromEntries(facts.map((name) => [name, { type: 'json', description: `fact ${name}` }])),
    parameterInfo: parameters.info ?? {},
    parameters: [{ from: '2017-04-26', values: parameters.values ?? {} }],
    rules: rules as RuleDefinition[],
  };
}
