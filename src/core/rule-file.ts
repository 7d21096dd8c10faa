import type * as z from 'zod/mini';
import { dateProblem } from './dates.js';
import { decimalProblem } from './decimal.js';
import type { RuleSetIssue, RuleSetIssueCode } from './errors.js';
import { RuleSetError, ruleSetIssue, safeJson } from './errors.js';
import type { PathSegment } from './path.js';
import { toDotPath } from './path.js';
import { checkRuleFileNames } from './names.js';
import { checkFactDeclarations } from './fact-declaration.js';
import type { ConditionContext, Report } from './rule-conditions.js';
import { checkConditions, checkEventParams, conditionSize, MAX_RULE_CONDITIONS, sharedConditions } from './rule-conditions.js';
import type { ParameterInfo, ParameterVersion, RuleDefinition, RuleFile, ValueType, WrittenParameterVersion } from './rule-file-schema.js';
import { ruleFileShape } from './rule-file-schema.js';
import { MAX_RULE_SET_ISSUES, PARAMETER_PREFIX } from './rule-paths.js';

// The rules-file loader's check: a parsed file (any JSON value) in, a checked RuleFile out, or a
// RuleSetError listing every problem with its file and JSON path. The schema is in
// rule-file-schema.ts, the conditions' check in rule-conditions.ts.

export type { Condition, FactDeclaration, FactReference, Label, LeafCondition, MonotoneDeclaration, ParameterInfo, ParameterVersion, RuleDefinition, RuleFile, SourceRef, ValueType } from './rule-file-schema.js';
export { ruleFileShape, VALUE_TYPES } from './rule-file-schema.js';
export { MAX_RULE_CONDITIONS } from './rule-conditions.js';
export { isFactReference, PARAMETER_PREFIX, parsePath } from './rule-paths.js';

/**
 * Checks a parsed rules file (any JSON value) and returns it typed, or throws a
 * {@link RuleSetError} listing every problem with its file and JSON path.
 *
 * @example
 * const file = parseRuleFile(JSON.parse(text), 'rules/review/approval.rules.json');
 * file.rules.length; //=> 8
 */
export function parseRuleFile(json: unknown, file: string): RuleFile {
  checkNesting(json, file);
  const issues: RuleSetIssue[] = [];
  const shape = ruleFileShape.safeParse(json);
  if (!shape.success) {
    for (const issue of shape.error.issues.slice(0, MAX_RULE_SET_ISSUES)) issues.push(fromZodIssue(file, issue));
    if (shape.error.issues.length > MAX_RULE_SET_ISSUES) issues.push(tooManyIssues(file));
    // Conditions are checked by hand below, so report those too when the rest is readable.
    throw new RuleSetError(issues);
  }
  const raw = shape.data;
  let more = false;
  const at = (path: readonly PathSegment[], code: RuleSetIssueCode, message: string) => {
    if (issues.length < MAX_RULE_SET_ISSUES) issues.push(ruleSetIssue(file, path, code, message));
    else more = true;
  };

  checkRuleFileNames(raw, at, PARAMETER_PREFIX);
  const parameterInfo = raw.parameterInfo ?? {};
  checkFactDeclarations(raw.facts, at);

  const parameters = checkParameterVersions(raw.parameters, parameterInfo, at);
  const ctx: ConditionContext = { facts: raw.facts, parameterInfo, parameters, at, shared: sharedConditions(raw.conditions ?? {}, at) };
  // Every shared condition is checked, used or not, so a mistake in one never waits for its first use.
  for (const name of Object.keys(raw.conditions ?? {})) ctx.shared.resolve(name, ['conditions', name], ctx);
  const rules: RuleDefinition[] = raw.rules.map((rule, index) => {
    const conditions = checkConditions(rule.conditions, ['rules', index, 'conditions'], true, ctx);
    const size = conditionSize(conditions, ctx.shared);
    if (size.depth > MAX_RULE_FILE_DEPTH) at(['rules', index, 'conditions'], 'too_deep', `with its shared conditions written out, this rule nests ${size.depth} levels deep (at most ${MAX_RULE_FILE_DEPTH})`);
    else if (size.nodes > MAX_RULE_CONDITIONS) at(['rules', index, 'conditions'], 'too_many_conditions', `with its shared conditions written out, this rule has ${size.nodes} conditions (at most ${MAX_RULE_CONDITIONS})`);
    checkEventParams(rule.event.params, ['rules', index, 'event', 'params'], ctx);
    return { ...rule, conditions } as RuleDefinition;
  });
  for (const [index, monotone] of (raw.monotone ?? []).entries()) {
    if (!Object.prototype.hasOwnProperty.call(raw.facts, monotone.fact)) at(['monotone', index, 'fact'], 'unknown_fact', `unknown fact ${safeJson(monotone.fact)}: declare it under "facts"`);
  }
  if (more) issues.push(tooManyIssues(file));
  if (issues.length > 0) throw new RuleSetError(issues);
  return {
    file,
    policy: raw.policy,
    title: raw.title,
    description: raw.description,
    source: raw.source,
    decision: raw.decision,
    noMatch: raw.noMatch ?? (raw.decision === 'first-hit' ? 'gap' : 'allowed'),
    facts: raw.facts,
    parameterInfo,
    parameters,
    labels: raw.labels ?? {},
    monotone: raw.monotone ?? [],
    rules,
  };
}

export { MAX_RULE_SET_ISSUES } from './rule-paths.js';

function tooManyIssues(file: string): RuleSetIssue {
  return { code: 'too_many_issues', file, path: '', message: `stopped after ${MAX_RULE_SET_ISSUES} problems: correct these and load the file again` };
}

/** How deep a rules file may nest (a real one nests about a dozen levels); deeper is refused before anything recurses. */
export const MAX_RULE_FILE_DEPTH = 100;

/**
 * Refuses a rules file nested deeper than {@link MAX_RULE_FILE_DEPTH}, with the path where it
 * goes too deep. Walks with its own stack, so a file nested a million deep is refused, not a
 * stack overflow.
 *
 * @example
 * checkNesting({ rules: [] }, 'my.rules.json'); // passes
 */
export function checkNesting(json: unknown, file: string): void {
  const stack: [unknown, PathSegment[]][] = [[json, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_RULE_FILE_DEPTH) {
      throw new RuleSetError([ruleSetIssue(file, path, 'too_deep', `nested more than ${MAX_RULE_FILE_DEPTH} levels deep: a rules file never needs that; simplify the conditions`)]);
    }
    if (Array.isArray(value)) value.forEach((child, index) => stack.push([child, [...path, index]]));
    else {
      // JSON data only: a Date, a Map or a class instance is not what a rules file can hold.
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw new RuleSetError([ruleSetIssue(file, path, 'not_json', `a rules file is JSON data: ${Object.prototype.toString.call(value)} is not a JSON value`)]);
      for (const key of Object.keys(value)) {
        // JSON.parse keeps a "__proto__" key that every later copy drops or turns into a prototype.
        if (key === '__proto__') throw new RuleSetError([ruleSetIssue(file, [...path, key], 'forbidden_key', 'a "__proto__" key is refused: it would be dropped, or change what the object inherits')]);
        stack.push([(value as Record<string, unknown>)[key], [...path, key]]);
      }
    }
  }
}

function checkParameterVersions(
  versions: readonly WrittenParameterVersion[],
  info: Readonly<Record<string, ParameterInfo>>,
  at: Report,
): ParameterVersion[] {
  const out: ParameterVersion[] = [];
  let previous: string | undefined;
  for (const [index, version] of versions.entries()) {
    const problem = dateProblem(version.from);
    if (problem !== undefined || version.from.length !== 10) at(['parameters', index, 'from'], 'invalid_date', `"from" must be a date "YYYY-MM-DD": ${problem ?? 'an instant is not a date'}`);
    else if (previous !== undefined && version.from <= previous) {
      at(['parameters', index, 'from'], version.from === previous ? 'duplicate_effective_date' : 'unordered_effective_date', `${version.from} must come after the previous version's ${previous}: versions are listed oldest first, one per date`);
    }
    previous = version.from;
    const values: Record<string, unknown> = {};
    const examples: string[] = [];
    for (const [name, entry] of Object.entries(version.values)) {
      const path = ['parameters', index, 'values', name];
      const declared = Object.prototype.hasOwnProperty.call(info, name) ? info[name] : undefined; // never toString or constructor
      if (!declared) {
        at(path, 'undeclared_parameter', `parameter ${safeJson(name)} is not declared under parameterInfo`);
        continue;
      }
      const isWrapped = entry !== null && typeof entry === 'object' && !Array.isArray(entry);
      const value = isWrapped ? (entry as { value: unknown }).value : entry;
      if (isWrapped && (entry as { example?: boolean }).example === true) examples.push(name);
      const typeProblem = valueTypeProblem(declared.type, value);
      if (typeProblem) at(isWrapped ? [...path, 'value'] : path, 'invalid_parameter_value', `parameter ${name} is declared ${declared.type}: ${typeProblem}`);
      values[name] = value;
    }
    for (const name of Object.keys(info)) {
      if (!Object.prototype.hasOwnProperty.call(version.values, name)) at(['parameters', index, 'values'], 'missing_parameter', `this version does not give parameter ${safeJson(name)}: every version gives every declared parameter`);
    }
    out.push({ from: version.from, values, examples });
  }
  return out;
}

/**
 * Why `value` does not fit `type`, or `undefined`.
 *
 * @example
 * valueTypeProblem('money', '12.5'); //=> undefined
 * valueTypeProblem('integer', 1.5); //=> 'expected a whole number'
 */
export function valueTypeProblem(type: ValueType, value: unknown): string | undefined {
  switch (type) {
    case 'money':
    case 'decimal':
      return decimalProblem(value);
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : 'expected a whole number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'string':
      return typeof value === 'string' ? undefined : 'expected a string';
    case 'date':
      return typeof value === 'string' && value.length === 10 ? dateProblem(value) : 'expected a date "YYYY-MM-DD"';
    case 'list':
      return Array.isArray(value) ? undefined : 'expected a list';
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : 'expected an object';
    case 'json':
      return undefined;
  }
}

function fromZodIssue(file: string, issue: z.core.$ZodIssue): RuleSetIssue {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return { code: 'unknown_key', file, path: toDotPath(path), message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => safeJson(k)).join(', ')}` };
  }
  return { code: issue.code, file, path: toDotPath(path), message: issue.message };
}
