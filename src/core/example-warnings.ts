import type { CompiledRule, CompiledVersion } from './compile.js';
import { conditionLeaves } from './condition-fold.js';
import type { DecisionWarning } from './policy-types.js';
import { PARAMETER_PREFIX } from './rule-paths.js';
import type { Condition } from './rule-file.js';

export function rulesEvaluated(version: CompiledVersion, fired: readonly CompiledRule[], decision: 'first-hit' | 'collect-all'): readonly CompiledRule[] {
  if (decision === 'collect-all' || fired.length === 0) return version.rules;
  return version.rules.slice(0, version.rules.indexOf(fired[0]!) + 1);
}

export function exampleWarnings(version: CompiledVersion, evaluated: readonly CompiledRule[], used: Set<string>): DecisionWarning[] {
  for (const rule of evaluated) for (const name of parametersRead(rule.definition.conditions)) used.add(name);
  return version.examples
    .filter((name) => used.has(name))
    .map((name) => ({ code: 'example_parameter', parameter: name, message: `${name} is an example value, not from the source: set your organisation's own` }));
}

const parameterCache = new WeakMap<object, readonly string[]>();

function parametersRead(condition: Condition): readonly string[] {
  let names = parameterCache.get(condition);
  if (names) return names;
  const found = new Set<string>();
  for (const { leaf } of conditionLeaves(condition)) {
    if (leaf.fact.startsWith(PARAMETER_PREFIX)) found.add(leaf.fact.slice(PARAMETER_PREFIX.length));
    const value = leaf.value as { fact?: unknown } | null;
    if (value !== null && typeof value === 'object' && typeof value.fact === 'string' && value.fact.startsWith(PARAMETER_PREFIX)) {
      found.add(value.fact.slice(PARAMETER_PREFIX.length));
    }
  }
  names = [...found];
  parameterCache.set(condition, names);
  return names;
}
