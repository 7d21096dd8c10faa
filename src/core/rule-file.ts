import * as z from 'zod/mini';
import { dateProblem } from './dates.js';
import { decimalProblem } from './decimal.js';
import type { RuleSetIssue, RuleSetIssueCode } from './errors.js';
import { RuleSetError, ruleSetIssue, safeJson } from './errors.js';
import type { PathSegment } from './path.js';
import { toDotPath } from './path.js';
import type { Operator } from './operators.js';
import { isOperator, OPERATORS } from './operators.js';
import { checkRuleFileNames } from './names.js';
import { didYouMean } from './did-you-mean.js';
import type { FactDeclaration, ValueType } from './fact-declaration.js';
import { checkFactDeclarations, factDeclarationSchema, valueTypeSchema } from './fact-declaration.js';
import { isFactReference, MAX_RULE_SET_ISSUES, PARAMETER_PREFIX, pathProblem } from './rule-paths.js';

export { VALUE_TYPES } from './fact-declaration.js';
export type { FactDeclaration, ValueType } from './fact-declaration.js';

/** A label in both languages the source and its readers use. */
export interface Label {
  readonly en: string;
  readonly zh: string;
}

const labelSchema = z.strictObject({ en: z.string(), zh: z.string() });
const nonEmpty = z.string().check(z.minLength(1));

const parameterInfoSchema = z.strictObject({
  type: valueTypeSchema,
  description: nonEmpty,
  /** Where the number comes from in the source, quoted. */
  source: z.optional(z.string()),
});

const parameterValueSchema = z.union([
  z.strictObject({ value: z.unknown(), example: z.optional(z.boolean()) }),
  z.number(),
  z.string(),
  z.boolean(),
  z.array(z.string()),
]);

const parameterVersionSchema = z.strictObject({
  from: nonEmpty,
  values: z.record(z.string(), parameterValueSchema),
  note: z.optional(z.string()),
});

const sourceRefSchema = z.strictObject({
  clause: nonEmpty,
  quote: z.optional(z.string()),
  gloss: z.optional(z.string()),
});

const ruleSchema = z.strictObject({
  name: nonEmpty,
  priority: z.optional(z.int().check(z.positive())),
  description: z.optional(z.string()),
  source: z.optional(sourceRefSchema),
  conditions: z.unknown(),
  event: z.strictObject({
    type: nonEmpty,
    params: z.optional(z.record(z.string(), z.unknown())),
  }),
});

const monotoneSchema = z.strictObject({
  fact: nonEmpty,
  outcome: nonEmpty,
  order: z.array(nonEmpty).check(z.minLength(2)),
});

/**
 * The shape of a `*.rules.json` file before its conditions and semantics are checked.
 *
 * @example
 * ruleFileShape.safeParse(JSON.parse(text)).success; //=> true for a well-formed file
 */
export const ruleFileShape = z.strictObject({
  $schema: z.optional(z.string()),
  policy: nonEmpty,
  title: labelSchema,
  description: z.string(),
  source: z.strictObject({
    document: nonEmpty,
    seed: z.optional(z.string()),
    published: z.optional(z.string()),
  }),
  decision: z.enum(['first-hit', 'collect-all']),
  /** Whether facts on which no rule fires are a gap (`validate` reports them) or a valid outcome. */
  noMatch: z.optional(z.enum(['gap', 'allowed'])),
  facts: z.record(z.string(), factDeclarationSchema),
  parameterInfo: z.optional(z.record(z.string(), parameterInfoSchema)),
  parameters: z.array(parameterVersionSchema).check(z.minLength(1)),
  labels: z.optional(z.record(z.string(), z.record(z.string(), labelSchema))),
  monotone: z.optional(z.array(monotoneSchema)),
  /**
   * Shared conditions, by name: a rule uses one with `{ "condition": "<name>" }` (json-rules-engine's
   * `engine.setCondition`); each is written out in place when the file is loaded.
   */
  conditions: z.optional(z.record(nonEmpty, z.unknown())),
  rules: z.array(ruleSchema).check(z.minLength(1)),
});

/** A condition tree in json-rules-engine's format, as far as this library supports it. */
export type Condition =
  | { readonly all: readonly Condition[]; readonly name?: string }
  | { readonly any: readonly Condition[]; readonly name?: string }
  | { readonly not: Condition; readonly name?: string }
  | LeafCondition;

/** A comparison of one fact (optionally at a `path`) with a value or another fact. */
export interface LeafCondition {
  readonly fact: string;
  readonly operator: Operator;
  readonly value: unknown;
  readonly path?: string;
  /**
   * The condition's name, shown in the trace: written on the condition (json-rules-engine's
   * `toJSON()` keeps it), or the name of the shared condition it was written out from.
   */
  readonly name?: string;
}

/** A value that names another fact, `{ "fact": "param.vpLimit" }`. */
export interface FactReference {
  readonly fact: string;
  readonly path?: string;
}

export type ParameterInfo = z.infer<typeof parameterInfoSchema>;
export type SourceRef = z.infer<typeof sourceRefSchema>;
export type MonotoneDeclaration = z.infer<typeof monotoneSchema>;

/** One rule: a json-rules-engine rule object with its clause id as `name`. */
export interface RuleDefinition {
  readonly name: string;
  readonly priority?: number;
  readonly description?: string;
  readonly source?: SourceRef;
  readonly conditions: Condition;
  readonly event: { readonly type: string; readonly params?: Readonly<Record<string, unknown>> };
}

/** A parameter version: the values in force from `from` until the next version's `from`. */
export interface ParameterVersion {
  readonly from: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** Names of the values that are examples, not from the source (marked `"example": true`). */
  readonly examples: readonly string[];
}

/** A checked rules file. */
export interface RuleFile {
  readonly file: string;
  readonly policy: string;
  readonly title: Label;
  readonly description: string;
  readonly source: { readonly document: string; readonly seed?: string | undefined; readonly published?: string | undefined };
  readonly decision: 'first-hit' | 'collect-all';
  /** Whether facts on which no rule fires are a gap or a valid outcome (default: a gap for first-hit, allowed for collect-all). */
  readonly noMatch: 'gap' | 'allowed';
  readonly facts: Readonly<Record<string, FactDeclaration>>;
  readonly parameterInfo: Readonly<Record<string, ParameterInfo>>;
  readonly parameters: readonly ParameterVersion[];
  /** Labels of outcome values, by outcome field then value: `labels.authority.sales_vp.zh`. */
  readonly labels: Readonly<Record<string, Readonly<Record<string, Label>>>>;
  readonly monotone: readonly MonotoneDeclaration[];
  readonly rules: readonly RuleDefinition[];
}

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

type Report = (path: readonly PathSegment[], code: RuleSetIssueCode, message: string) => void;

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
  versions: readonly z.infer<typeof parameterVersionSchema>[],
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

interface ConditionContext {
  readonly facts: Readonly<Record<string, FactDeclaration>>;
  readonly parameterInfo: Readonly<Record<string, ParameterInfo>>;
  readonly parameters: readonly ParameterVersion[];
  readonly at: Report;
  readonly shared: SharedConditions;
}

/** The most conditions one rule may hold once its shared conditions are written out in place. */
export const MAX_RULE_CONDITIONS = 10_000;

/** The shared conditions of a file, each checked once and written out in place where a rule refers to it. */
interface SharedConditions {
  /** The checked condition shared under `name`, or `undefined` (and an issue at `path`) when there is none or it refers back to itself. */
  resolve(name: string, path: readonly PathSegment[], ctx: ConditionContext): Condition | undefined;
  /** Nodes and depth of a checked shared condition, written out: counted once per name, so a file that shares a condition many times is measured without being expanded. */
  readonly sizes: Map<Condition, { nodes: number; depth: number }>;
}

function sharedConditions(raw: Readonly<Record<string, unknown>>, at: Report): SharedConditions {
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

function conditionSize(condition: Condition, shared: SharedConditions): { nodes: number; depth: number } {
  const known = shared.sizes.get(condition);
  if (known) return known;
  let size = { nodes: 1, depth: 1 };
  const children = 'all' in condition ? condition.all : 'any' in condition ? condition.any : 'not' in condition ? [condition.not] : [];
  for (const child of children) {
    const inner = conditionSize(child, shared);
    size = { nodes: size.nodes + inner.nodes, depth: Math.max(size.depth, inner.depth + 1) };
  }
  shared.sizes.set(condition, size);
  return size;
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

function checkConditions(node: unknown, path: PathSegment[], root: boolean, ctx: ConditionContext): Condition {
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
 */
function checkEventParams(params: Readonly<Record<string, unknown>> | undefined, path: readonly PathSegment[], ctx: ConditionContext): void {
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

function fromZodIssue(file: string, issue: z.core.$ZodIssue): RuleSetIssue {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return { code: 'unknown_key', file, path: toDotPath(path), message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => safeJson(k)).join(', ')}` };
  }
  return { code: issue.code, file, path: toDotPath(path), message: issue.message };
}
