import * as z from 'zod/mini';
import type { FactDeclaration, NestedDeclaration } from './fact-declaration.js';
import type { FactsContext } from './facts.js';
import { calendarDate, decimal, identifier, instant, list, wholeNumber } from './facts.js';

/** The schema of every fact a caller gives, by name, as a rules file's `facts` block declares them. */
export type FactShape = Readonly<Record<string, z.ZodMiniType>>;

/**
 * A policy's facts schema, built from its rules file's `facts` block: a strict object of the
 * facts the caller gives (derived facts left out). Money and decimals come out in canonical
 * decimal form, dates as calendar dates in the zone; a boolean left out is false (or its
 * `default`), a fact marked `optional` may be left out, a `nullable` one may be null.
 *
 * @example
 * factsSchema(file.facts, { timeZone: 'Asia/Shanghai', maxItems: 100 }).parse({ amount: '1200000.50', channel: 'direct' });
 * //=> { amount: '1200000.5', channel: 'direct', disputed: false, … }
 */
export function factsSchema(facts: Readonly<Record<string, FactDeclaration>>, context: FactsContext): z.ZodMiniObject {
  return z.strictObject(factShape(facts, context));
}

/**
 * The schema of each fact the caller gives: for a policy whose TypeScript says what JSON cannot
 * (facts that apply only with some values of another) and builds its own object from them.
 *
 * @example
 * factShape(file.facts, context).amount.parse(12); //=> '12'
 */
export function factShape(facts: Readonly<Record<string, FactDeclaration | NestedDeclaration>>, context: FactsContext): FactShape {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, declaration] of Object.entries(facts)) {
    if (!(declaration as FactDeclaration).derived) shape[name] = factSchema(declaration, context);
  }
  return shape;
}

/**
 * The schema of one declared value, with its default, `optional` and `nullable`.
 *
 * @example
 * factSchema({ type: 'boolean' }, context).parse(undefined); //=> false
 */
export function factSchema(declaration: NestedDeclaration, context: FactsContext): z.ZodMiniType {
  const value = valueSchema(declaration, context);
  const schema = declaration.nullable ? z.nullable(value) : value;
  const fallback = declaration.default !== undefined ? declaration.default : declaration.type === 'boolean' ? false : undefined;
  // A function: zod calls it for each absent fact, where a value would be cloned each time.
  if (fallback !== undefined) return z._default(schema, () => fallback);
  return declaration.optional ? z.optional(schema) : schema;
}

function valueSchema(d: NestedDeclaration, context: FactsContext): z.ZodMiniType {
  switch (d.type) {
    case 'money':
    case 'decimal':
      return decimal({ ...(d.minimum === 0 ? { nonNegative: true } : d.minimum === undefined ? {} : { minimum: d.minimum }), ...(d.maximum === undefined ? {} : { maximum: d.maximum }), ...(d.maxPlaces === undefined ? {} : { maxPlaces: d.maxPlaces }) });
    case 'integer':
      return wholeNumber({ ...(d.minimum === undefined ? {} : { minimum: d.minimum }), ...(d.maximum === undefined ? {} : { maximum: d.maximum }) });
    case 'boolean':
      return z.boolean();
    case 'string':
      return d.values ? z.enum(d.values as [string, ...string[]]) : d.format === 'instant' ? instant() : identifier();
    case 'date':
      return calendarDate(context);
    case 'list':
      return list(d.items ? factSchema(d.items, context) : d.values ? z.enum(d.values as [string, ...string[]]) : identifier(), context);
    case 'object':
      return z.strictObject(factShape(d.fields ?? {}, context));
    case 'json':
      return z.unknown();
  }
}
