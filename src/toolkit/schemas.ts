import * as z from 'zod/mini';
import { caseFileShape } from '../core/cases.js';
import { OPERATORS } from '../core/operators.js';
import { ruleFileShape } from '../core/rule-file.js';

// The loader checks conditions by hand, to name the exact JSON path of a problem; for editors the
// same grammar is written here as a zod schema, so the JSON Schema can autocomplete and flag them.
const comparison = z.strictObject({
  fact: z.string(),
  operator: z.enum(OPERATORS),
  value: z.unknown(),
  path: z.optional(z.string().check(z.regex(/^\$/))),
});
const condition: z.ZodMiniType = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).check(z.minLength(1)) }),
    z.strictObject({ any: z.array(condition).check(z.minLength(1)) }),
    z.strictObject({ not: condition }),
    comparison,
  ]),
);
const rootCondition = z.union([
  z.strictObject({ all: z.array(condition).check(z.minLength(1)) }),
  z.strictObject({ any: z.array(condition).check(z.minLength(1)) }),
  z.strictObject({ not: condition }),
]);

/**
 * The JSON Schemas of rules files and case files, generated from the zod schemas the loader
 * uses. `npm run schemas` writes them to `schema/`; a test fails when the committed ones are stale.
 *
 * @example
 * jsonSchemas()['rules.schema.json'].title; //=> 'sales-policies rules file'
 */
export function jsonSchemas(): Record<'rules.schema.json' | 'cases.schema.json', Record<string, unknown>> {
  const rule = z.extend(ruleFileShape.def.shape.rules.def.element, { conditions: rootCondition });
  const rulesFile = z.extend(ruleFileShape, { rules: z.array(rule).check(z.minLength(1)) });
  return {
    'rules.schema.json': withHeader(z.toJSONSchema(rulesFile, { unrepresentable: 'any', io: 'input' }), 'sales-policies rules file', 'A policy as json-rules-engine rules with dated parameters, fact declarations and the source quoted.'),
    'cases.schema.json': withHeader(z.toJSONSchema(caseFileShape, { unrepresentable: 'any', io: 'input' }), 'sales-policies case file', 'Examples of a policy: facts and the outcome, basis or error expected.'),
  };
}

function withHeader(schema: Record<string, unknown>, title: string, description: string): Record<string, unknown> {
  const { $schema, ...rest } = schema;
  return { $schema, title, description, ...rest };
}
