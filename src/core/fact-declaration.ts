import * as z from 'zod/mini';
import { decimalProblem } from './decimal.js';
import type { RuleSetIssueCode } from './errors.js';
import { safeJson } from './errors.js';
import type { PathSegment } from './path.js';
import { PARAMETER_PREFIX } from './rule-paths.js';

/**
 * The kinds of value a fact or parameter can hold. `money` and `decimal` compare exactly; `json`
 * is any JSON value, compared with json-rules-engine's own semantics.
 *
 * @example
 * VALUE_TYPES.includes('money'); //=> true
 */
export const VALUE_TYPES = ['money', 'decimal', 'integer', 'boolean', 'string', 'date', 'list', 'object', 'json'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

const nonEmpty = z.string().check(z.minLength(1));

/**
 * @example
 * valueTypeSchema.parse('money'); //=> 'money'
 */
export const valueTypeSchema = z.enum(VALUE_TYPES, {
  error: (issue) => `unknown type ${safeJson(issue.input)}: expected one of ${VALUE_TYPES.join(', ')}`,
});

/** What a fact declaration says of its value, at the top of `facts` or nested in a list or object fact. */
const valueKeys = {
  type: valueTypeSchema,
  /** For a string fact (or a list of strings) with a closed set of values. */
  values: z.optional(z.array(nonEmpty)),
  /** The smallest value a numeric fact takes (amounts and counts: 0); bounds the cells `validate` enumerates. */
  minimum: z.optional(z.number()),
  /** The largest value a numeric fact takes (a rate: 1), inclusive. */
  maximum: z.optional(z.number()),
  /** The most digits after the point a money or decimal fact may have (an amount split to the fen: 2). */
  maxPlaces: z.optional(z.int().check(z.nonnegative())),
  /** `"instant"`: a string fact holding a date or an instant with offset, kept as given. */
  format: z.optional(z.enum(['instant'])),
  /** The fact may be `null` as well as a value of its type ("no one", "none"). */
  nullable: z.optional(z.boolean()),
  /** The caller may leave the fact out (a boolean may always be left out: it is then false). */
  optional: z.optional(z.boolean()),
  /** The value the fact takes when left out (a boolean's is false unless this says otherwise). */
  default: z.optional(z.union([z.boolean(), z.null(), z.number(), z.string()])),
};

/** A value nested in a list (`items`) or an object (`fields`) fact: the same words, a description optional. */
export interface NestedDeclaration {
  readonly type: ValueType;
  readonly description?: string | undefined;
  readonly values?: string[] | undefined;
  readonly minimum?: number | undefined;
  readonly maximum?: number | undefined;
  readonly maxPlaces?: number | undefined;
  readonly format?: 'instant' | undefined;
  readonly nullable?: boolean | undefined;
  readonly optional?: boolean | undefined;
  readonly default?: boolean | null | number | string | undefined;
  /** A list fact's items. */
  readonly items?: NestedDeclaration | undefined;
  /** An object fact's fields. */
  readonly fields?: Readonly<Record<string, NestedDeclaration>> | undefined;
}

const nestedSchema: z.ZodMiniType<NestedDeclaration> = z.strictObject({
  ...valueKeys,
  description: z.optional(nonEmpty),
  get items() {
    return z.optional(nestedSchema);
  },
  get fields() {
    return z.optional(z.record(z.string(), nestedSchema));
  },
});

/**
 * How a rules file declares one fact: what `validate`, `docs` and the explorer read, and what
 * the policy's facts schema is built from (`factsSchema`).
 *
 * @example
 * factDeclarationSchema.parse({ type: 'money', minimum: 0, description: 'Contract amount.' });
 */
export const factDeclarationSchema = z.strictObject({
  ...valueKeys,
  description: nonEmpty,
  /** Computed by the policy's TypeScript before the rules run, not given by the caller. */
  derived: z.optional(z.boolean()),
  items: z.optional(nestedSchema),
  fields: z.optional(z.record(z.string(), nestedSchema)),
});

export type FactDeclaration = z.infer<typeof factDeclarationSchema>;

type At = (path: readonly PathSegment[], code: RuleSetIssueCode, message: string) => void;

const NUMERIC: readonly ValueType[] = ['money', 'decimal', 'integer'];

/**
 * Checks what the shape of a `facts` block cannot: each word is used on a type it applies to, a
 * default fits, a range is not empty. Reports through `at`.
 *
 * @example
 * checkFactDeclarations(raw.facts, at); // at(['facts', 'pool', 'maxPlaces'], 'misplaced_fact_key', …)
 */
export function checkFactDeclarations(facts: Readonly<Record<string, FactDeclaration>>, at: At): void {
  for (const [name, declaration] of Object.entries(facts)) {
    if (name.startsWith(PARAMETER_PREFIX)) at(['facts', name], 'reserved_name', `fact names starting with "${PARAMETER_PREFIX}" are reserved for parameters; declare it under parameterInfo`);
    checkDeclaration(declaration, ['facts', name], at);
  }
}

function checkDeclaration(d: NestedDeclaration, path: readonly PathSegment[], at: At): void {
  const misplaced = (key: string, what: string) => at([...path, key], 'misplaced_fact_key', `"${key}" ${what}, not to a ${d.type} fact`);
  if (d.values && d.type !== 'string' && d.type !== 'list') at([...path, 'values'], 'values_on_non_string', '"values" lists the allowed strings of a string or list fact');
  if (d.minimum !== undefined && !NUMERIC.includes(d.type)) at([...path, 'minimum'], 'minimum_on_non_number', '"minimum" applies to money, decimal and integer facts');
  if (d.maximum !== undefined && !NUMERIC.includes(d.type)) misplaced('maximum', 'applies to money, decimal and integer facts');
  if (d.minimum !== undefined && d.maximum !== undefined && d.minimum > d.maximum) at([...path, 'maximum'], 'empty_range', `"maximum" ${d.maximum} is below "minimum" ${d.minimum}: no value fits`);
  if (d.maxPlaces !== undefined && d.type !== 'money' && d.type !== 'decimal') misplaced('maxPlaces', 'applies to money and decimal facts');
  if (d.format !== undefined && (d.type !== 'string' || d.values)) misplaced('format', 'applies to a string fact without "values"');
  if (d.items !== undefined && d.type !== 'list') misplaced('items', 'declares the items of a list fact');
  if (d.fields !== undefined && d.type !== 'object') misplaced('fields', 'declares the fields of an object fact');
  if (d.items !== undefined && d.values !== undefined) at([...path, 'items'], 'misplaced_fact_key', 'give "values" (a list of those strings) or "items", not both');
  if (d.optional === true && d.default !== undefined) at([...path, 'optional'], 'misplaced_fact_key', 'a fact with a "default" is never missing: leave out "optional"');
  if (d.default !== undefined && !defaultFits(d)) at([...path, 'default'], 'bad_fact_default', `the default ${safeJson(d.default)} is not a value of this ${d.type} fact`);
  if (d.items !== undefined) checkDeclaration(d.items, [...path, 'items'], at);
  for (const [name, field] of Object.entries(d.fields ?? {})) checkDeclaration(field, [...path, 'fields', name], at);
}

function defaultFits(d: NestedDeclaration): boolean {
  const value = d.default;
  if (value === null) return d.nullable === true;
  switch (d.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string' && (d.values === undefined || d.values.includes(value));
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'money':
    case 'decimal':
      return decimalProblem(value) === undefined;
    default:
      return d.type === 'json';
  }
}
