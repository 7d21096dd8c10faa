import * as z from 'zod/mini';
import { factDeclarationSchema, valueTypeSchema } from './fact-declaration.js';
import type { Operator } from './operators.js';

// The shape of a rules file (zod, for the loader) and the types of a checked one. Only the
// loader imports the schema at run time; everything else imports these types.

export { VALUE_TYPES } from './fact-declaration.js';
export type { FactDeclaration, ValueType } from './fact-declaration.js';
import type { FactDeclaration } from './fact-declaration.js';

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
/** A parameter version as written, before its values are checked against parameterInfo. */
export type WrittenParameterVersion = z.infer<typeof parameterVersionSchema>;

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

