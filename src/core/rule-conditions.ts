import { foldCondition } from './condition-fold.js';
import { decimalProblem } from './decimal.js';
import type { RuleSetIssueCode } from './errors.js';
import { safeJson } from './errors.js';
import type { PathSegment } from './path.js';
import { isOperator, OPERATORS } from './operators.js';
import { didYouMean } from './did-you-mean.js';
import type { Condition, FactDeclaration, LeafCondition, ParameterInfo, ParameterVersion } from './rule-file-schema.js';
import { isFactReference, PARAMETER_PREFIX, pathProblem } from './rule-paths.js';

// Checking the conditions of a rules file: untrusted JSON in, a typed condition tree out, every
// problem reported with its JSON path; shared conditions written out where they are used.

/** Reports a problem at a JSON path of the file. */
export type Report = (path: readonly PathSegment[], code: RuleSetIssueCode, message: string) => void;

/** What checking a file's conditions needs: its declarations, where to report, its shared conditions. */
export interface ConditionContext {
  readonly facts: Readonly<Record<string, FactDeclaration>>;
  readonly parameterInfo: Readonly<Record<string, ParameterInfo>>;
  readonly parameters: readonly ParameterVersion[];
  readonly at: Report;
  readonly shared: SharedConditions;
}

/** The most conditions one rule may hold once its shared conditions are written out in place. */
export const MAX_RULE_CONDITIONS = 10_000;

/** The shared conditions of a file, each checked once and written out in place where a rule refers to it. */
export interface SharedConditions {
  /** The checked condition shared under `name`, or `undefined` (and an issue at `path`) when there is none or it refers back to itself. */
  resolve(name: string, path: readonly PathSegment[], ctx: ConditionContext): Condition | undefined;
  /** Nodes and depth of a checked shared condition, written out: counted once per name, so a file that shares a condition many times is measured without being expanded. */
  readonly sizes: Map<Condition, { nodes: number; depth: number }>;
}

/**
 * The shared conditions of a file (its `conditions` block), each checked on first use.
 *
 * @example
 * sharedConditions(raw.conditions ?? {}, at).resolve('isWeekend', ['rules', 0, 'conditions', 'condition'], ctx);
 */
export function sharedConditions(raw: Readonly<Record<string, unknown>>, at: Report): SharedConditions {
  const done = new Map<string, Condition | undefined>();
  const inProgress: string[] = [];
  return {
    sizes: new Map(),
    resolve(name, path, ctx) {
      if (!Object.prototype.hasOwnProperty.call(raw, name)) {
        const known = Object.keys(raw);
        at(path, 'unknown_condition', `unknown shared condition ${safeJson(name)}: ${known.length === 0 ? 'the file has no "conditions" block' : `the "conditions" block has ${known.map((k) => safeJson(k)).join(', ')}`}`);
        return undefined;
      }
      if (done.has(name)) return done.get(name);
      if (inProgress.includes(name)) {
        const cycle = [...inProgress.slice(inProgress.indexOf(name)), name];
        at(path, 'condition_cycle', `shared condition ${safeJson(name)} refers back to itself: ${cycle.join(' → ')}`);
        return undefined;
      }
      inProgress.push(name);
      const entry = raw[name];
      const checked = checkConditions(entry, ['conditions', name], true, ctx);
      inProgress.pop();
      // A condition shared under a name carries it into the trace, unless it has a name of its own.
      const named = checked.name === undefined && isConditionObject(entry) ? { ...checked, name } : checked;
      done.set(name, named);
      return named;
    },
  };
}

function isConditionObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Nodes and depth of a checked rule's conditions, shared conditions written out: each shared
 * condition is measured once (the memo), so a file sharing one many times is never expanded.
 *
 * @example
 * conditionSize({ all: [leaf, { not: leaf }] }, shared); //=> { nodes: 4, depth: 3 }
 */
export function conditionSize(condition: Condition, shared: SharedConditions): { nodes: number; depth: number } {
  const group = (children: readonly { nodes: number; depth: number }[]) => ({
    nodes: children.reduce((nodes, child) => nodes + child.nodes, 1),
    depth: children.reduce((depth, child) => Math.max(depth, child.depth + 1), 1),
  });
  return foldCondition(condition, { all: group, any: group, not: (inner) => group([inner]), fact: () => ({ nodes: 1, depth: 1 }) }, { memo: shared.sizes });
}

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const LEAF_KEYS = new Set(['fact', 'operator', 'value', 'path']);
/** Keys json-rules-engine's `toJSON()` writes on any condition: kept (`name`) or checked and left aside (`priority`, which orders evaluation, never changes a result). */
const ANNOTATION_KEYS = new Set(['name', 'priority']);
/** Keys json-rules-engine writes on the conditions of a rule's *result* (`RuleResult.toJSON()`), never on a rule. */
const RESULT_KEYS = new Set(['factResult', 'valueResult', 'result']);

/** Checks `name` and `priority` on a condition, and returns its name. */
function checkAnnotations(record: Record<string, unknown>, path: readonly PathSegment[], ctx: ConditionContext): string | undefined {
  const { name, priority } = record;
  if (priority !== undefined && !(Number.isSafeInteger(priority) && (priority as number) > 0)) {
    ctx.at([...path, 'priority'], 'invalid_priority', `a condition's "priority" is a whole number from 1 up, received ${safeJson(priority)}`);
  }
  if (name === undefined) return undefined;
  if (typeof name === 'string' && name.length > 0) return name;
  ctx.at([...path, 'name'], 'invalid_name', `a condition's "name" is a non-empty string, received ${safeJson(name)}`);
  return undefined;
}

function withName<T extends Condition>(condition: T, name: string | undefined): T {
  return name === undefined ? condition : { ...condition, name };
}

/**
 * Checks a condition tree (any JSON value) at `path`, reporting every problem through
 * `ctx.at`, and returns it typed, shared conditions written out in place (a node that cannot be
 * read becomes an empty `all`, the issue reported).
 *
 * @example
 * checkConditions(rule.conditions, ['rules', 0, 'conditions'], true, ctx); //=> { all: [ … ] }
 */
export function checkConditions(node: unknown, path: PathSegment[], root: boolean, ctx: ConditionContext): Condition {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    ctx.at(path, 'invalid_condition', `expected a condition object, received ${safeJson(node)}`);
    return { all: [] };
  }
  const keys = Object.keys(node);
  const booleanKeys = BOOLEAN_KEYS.filter((key) => keys.includes(key));
  const record = node as Record<string, unknown>;
  if (booleanKeys.length > 1) {
    ctx.at(path, 'invalid_condition', `a condition has one of all, any, not; this one has ${booleanKeys.join(' and ')}`);
    return { all: [] };
  }
  const booleanKey = booleanKeys[0];
  for (const key of keys) {
    if (RESULT_KEYS.has(key)) ctx.at([...path, key], 'unknown_key', `${safeJson(key)} is an evaluation result json-rules-engine writes on a rule's result (RuleResult.toJSON()), not part of a rule: export the rule with rule.toJSON()`);
  }
  if (booleanKey !== undefined) {
    for (const key of keys) {
      if (key !== booleanKey && !ANNOTATION_KEYS.has(key) && !RESULT_KEYS.has(key)) ctx.at([...path, key], 'unknown_key', `unknown key ${safeJson(key)} beside "${booleanKey}"`);
    }
    const name = checkAnnotations(record, path, ctx);
    const children = record[booleanKey];
    if (booleanKey === 'not') return withName({ not: checkConditions(children, [...path, 'not'], false, ctx) }, name);
    if (!Array.isArray(children) || children.length === 0) {
      ctx.at([...path, booleanKey], 'invalid_condition', `"${booleanKey}" takes a non-empty list of conditions`);
      return { all: [] };
    }
    // Array.from visits the holes of a sparse list (rules built in code), which map would skip.
    const checked = Array.from(children as unknown[], (child, index) => checkConditions(child, [...path, booleanKey, index], false, ctx));
    return withName(booleanKey === 'all' ? { all: checked } : { any: checked }, name);
  }
  if ('condition' in record) return checkReference(record, path, ctx);
  if (root) {
    ctx.at(path, 'invalid_condition', 'the conditions of a rule start with "all", "any", "not" or a shared "condition" (json-rules-engine refuses a bare comparison here)');
    return { all: [] };
  }
  for (const key of keys) {
    if (!LEAF_KEYS.has(key) && !ANNOTATION_KEYS.has(key) && !RESULT_KEYS.has(key)) {
      ctx.at([...path, key], 'unknown_key', key === 'params' ? 'fact "params" (dynamic facts) are not supported' : `unknown key ${safeJson(key)}: a comparison has fact, operator, value and optional path, name and priority`);
    }
  }
  checkAnnotations(record, path, ctx);
  for (const key of ['fact', 'operator', 'value'] as const) {
    // A key set to undefined (possible in rules built in code, not in JSON) is as missing as an absent one.
    if (record[key] === undefined) ctx.at(path, 'missing_key', `a comparison needs "${key}"`);
  }
  const { fact, operator, value } = record;
  if (typeof fact === 'string') checkFactName(fact, [...path, 'fact'], ctx);
  else if (fact !== undefined) ctx.at([...path, 'fact'], 'invalid_fact', `"fact" is a fact name, received ${safeJson(fact)}`);
  if (operator !== undefined && !isOperator(operator)) {
    ctx.at([...path, 'operator'], 'unknown_operator', unknownOperatorMessage(operator));
  }
  if (record['path'] !== undefined) checkPath(record['path'], [...path, 'path'], ctx);
  if (isFactReference(value)) {
    const ref = value as unknown as Record<string, unknown>;
    for (const key of Object.keys(ref)) if (key !== 'fact' && key !== 'path') ctx.at([...path, 'value', key], 'unknown_key', `a fact reference has "fact" and optional "path", not ${safeJson(key)}`);
    if (typeof ref['fact'] === 'string') checkFactName(ref['fact'], [...path, 'value', 'fact'], ctx);
    else ctx.at([...path, 'value', 'fact'], 'invalid_fact', `"fact" is a fact name, received ${safeJson(ref['fact'])}`);
    if (ref['path'] !== undefined) checkPath(ref['path'], [...path, 'value', 'path'], ctx);
  }
  if ((operator === 'in' || operator === 'notIn') && !isListValue(value, ctx)) {
    ctx.at([...path, 'value'], 'invalid_value', `"${operator}" compares with a list: give a JSON array or a list parameter`);
  }
  const declared = typeof fact === 'string' ? ctx.facts[fact] : undefined;
  if (declared && (declared.type === 'money' || declared.type === 'decimal') && record['path'] === undefined && !isFactReference(value)) {
    const items = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      const problem = decimalProblem(item);
      if (problem) ctx.at(Array.isArray(value) ? [...path, 'value', index] : [...path, 'value'], 'invalid_value', `${fact} is a ${declared.type} fact, so it is compared with decimals: ${problem}`);
    }
  }
  return record as unknown as LeafCondition;
}

/** "unknown operator …", naming the closest supported operator when one is close, then all of them. */
function unknownOperatorMessage(operator: unknown): string {
  const hint = typeof operator === 'string' ? didYouMean(operator, OPERATORS) : '';
  return `unknown operator ${safeJson(operator)}${hint}${hint === '' ? ': supported' : ' Supported'} are ${OPERATORS.join(', ')}`;
}

/** A reference to a shared condition, `{ "condition": "isWeekend" }`: the checked condition, written out in place. */
function checkReference(record: Record<string, unknown>, path: PathSegment[], ctx: ConditionContext): Condition {
  for (const key of Object.keys(record)) {
    if (key !== 'condition' && !ANNOTATION_KEYS.has(key) && !RESULT_KEYS.has(key)) ctx.at([...path, key], 'unknown_key', `unknown key ${safeJson(key)} beside "condition": a reference has "condition" and optional name and priority`);
  }
  const name = checkAnnotations(record, path, ctx);
  const target = record['condition'];
  if (typeof target !== 'string' || target.length === 0) {
    ctx.at([...path, 'condition'], 'invalid_condition', `"condition" names a shared condition of the file's "conditions" block, received ${safeJson(target)}`);
    return { all: [] };
  }
  const resolved = ctx.shared.resolve(target, [...path, 'condition'], ctx);
  return resolved === undefined ? { all: [] } : withName(resolved, name);
}

/**
 * json-rules-engine replaces a fact reference that is a whole event param (`"count": { "fact":
 * "count" }`) with the fact's value, but only when the engine runs with
 * `replaceFactsInEventParams`; otherwise it returns the reference as written. This library returns
 * event params as written, so a reference to a fact would reach the policy unresolved: it is
 * refused. A reference to a declared parameter (`{ "fact": "param.normalPath" }`) is allowed: it
 * names a dated constant, which the policy reading the param looks up for the decision's date.
 * (A reference deeper inside a param is data to json-rules-engine either way.)
 *
 * @example
 * checkEventParams({ count: { fact: 'count' } }, ['rules', 0, 'event', 'params'], ctx); // reports fact_in_event_params
 */
export function checkEventParams(params: Readonly<Record<string, unknown>> | undefined, path: readonly PathSegment[], ctx: ConditionContext): void {
  for (const [key, value] of Object.entries(params ?? {})) {
    if (!isFactReference(value)) continue;
    const fact = (value as { fact: unknown }).fact;
    if (typeof fact === 'string' && fact.startsWith(PARAMETER_PREFIX) && (value as { path?: unknown }).path === undefined && Object.keys(value).length === 1) {
      checkFactName(fact, [...path, key, 'fact'], ctx);
      continue;
    }
    ctx.at([...path, key], 'fact_in_event_params', `event param ${safeJson(key)} refers to a fact (json-rules-engine's replaceFactsInEventParams), which this library does not replace: event params are returned as written, so write the value itself, or let the policy read the fact`);
  }
}

function isListValue(value: unknown, ctx: ConditionContext): boolean {
  if (Array.isArray(value)) return true;
  if (!isFactReference(value) || typeof value.fact !== 'string' || value.path !== undefined) return false;
  if (!value.fact.startsWith(PARAMETER_PREFIX)) return false;
  return ctx.parameterInfo[value.fact.slice(PARAMETER_PREFIX.length)]?.type === 'list';
}

function checkFactName(name: string, path: PathSegment[], ctx: ConditionContext): void {
  if (name.startsWith(PARAMETER_PREFIX)) {
    const parameter = name.slice(PARAMETER_PREFIX.length);
    if (!Object.prototype.hasOwnProperty.call(ctx.parameterInfo, parameter)) ctx.at(path, 'unknown_parameter', `unknown parameter ${safeJson(parameter)}: declare it under parameterInfo and give it in every version`);
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(ctx.facts, name)) ctx.at(path, 'unknown_fact', `unknown fact ${safeJson(name)}: declare it under "facts"`);
}

function checkPath(path: unknown, at: PathSegment[], ctx: ConditionContext): void {
  const problem = pathProblem(typeof path === 'string' ? path : '');
  if (problem !== undefined) ctx.at(at, 'invalid_path', `unsupported path ${safeJson(path)}: ${problem}`);
}

