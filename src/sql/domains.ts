import type * as z from 'zod/mini';
import type { FactDeclaration, RuleFile } from '../core/rule-file.js';
import type { FactsContext } from '../engine.js';
import { SqlCompileError } from './errors.js';
import type { ObjectField } from './fact-structures.js';

/**
 * What the SQL knows of one input fact: its kind and domain, read from the compiled policy, never
 * written down a second time. `kind` and the closed set of `values` come from the rules file's
 * `facts` block; whether the fact is required, its default and what an object holds come from
 * the policy's facts schema (what `evaluate` checks), until the block says them too.
 *
 * @example
 * const domain: FactDomain = { name: 'channel', kind: 'enum', values: ['direct', 'distributor'], required: true };
 */
export type FactDomain =
  | { readonly name: string; readonly kind: 'boolean'; readonly default: boolean }
  | { readonly name: string; readonly kind: 'enum'; readonly values: readonly string[]; readonly required: boolean }
  | { readonly name: string; readonly kind: 'identifier'; readonly required: boolean; readonly nullable: boolean }
  | { readonly name: string; readonly kind: 'decimal'; readonly nonNegative: boolean; readonly maxPlaces?: number }
  | { readonly name: string; readonly kind: 'list'; readonly required: boolean }
  | { readonly name: string; readonly kind: 'object'; readonly members: Readonly<Record<string, ObjectField>> };

/**
 * The rules file's `facts` block, the one place the SQL reads it: the facts the caller gives (not
 * the derived ones), in the block's order, with their declarations.
 *
 * @example
 * inputDeclarations(engineOf(reviewApproval).compiled().spec).map(([name]) => name); //=> ['amount', 'channel', …]
 */
export function inputDeclarations(spec: RuleFile): readonly (readonly [string, FactDeclaration])[] {
  return Object.entries(spec.facts).filter(([, declaration]) => declaration.derived !== true);
}

/**
 * The domains of a policy's input facts, or a {@link SqlCompileError} naming a fact the SQL
 * cannot read exactly (a date, a schema that is not one object, a block and schema that disagree).
 *
 * @example
 * factDomains(engineOf(reviewApproval), spec, context)[1]; //=> { name: 'channel', kind: 'enum', values: ['direct', 'distributor'], required: true }
 */
export function factDomains(engine: { readonly definition: { readonly id: string; readonly facts: (context: FactsContext) => unknown } }, spec: RuleFile, context: FactsContext): readonly FactDomain[] {
  const policy = engine.definition.id;
  const schema = engine.definition.facts(context) as unknown as Zod;
  if (schema._zod.def.type !== 'object') throw new SqlCompileError(policy, 'a facts schema that is not one object (a union of variants)', 'give the policy its fact readers in src/sql/outcomes/');
  const shape = schema._zod.def.shape as Readonly<Record<string, Zod>>;
  return inputDeclarations(spec).map(([name, declaration]) => {
    const field = shape[name];
    if (field === undefined) throw new SqlCompileError(policy, `the fact ${JSON.stringify(name)}`, 'the rules file declares it, the facts schema does not have it');
    return domainOf(policy, name, declaration, field);
  });
}

/** A zod/mini schema as its definition shows it (zod's documented `_zod.def`). */
interface Zod {
  readonly _zod: { readonly def: { readonly type: string } & Readonly<Record<string, unknown>> };
  readonly safeParse: (value: unknown) => { readonly success: boolean };
}

/** The schema under `default`, `optional` and `nullable`, and what they say. */
function unwrap(field: Zod): { base: Zod; required: boolean; nullable: boolean; default: unknown } {
  let base = field;
  let required = true;
  let nullable = false;
  let defaultValue: unknown;
  for (;;) {
    const def = base._zod.def;
    if (def.type === 'default') {
      required = false;
      defaultValue = def['defaultValue'];
    } else if (def.type === 'optional') required = false;
    else if (def.type === 'nullable') nullable = true;
    else return { base, required, nullable, default: defaultValue };
    base = def['innerType'] as Zod;
  }
}

function domainOf(policy: string, name: string, declaration: FactDeclaration, field: Zod): FactDomain {
  const unsupported = (why: string) => new SqlCompileError(policy, `the ${declaration.type} fact ${JSON.stringify(name)}`, why);
  const { base, required, nullable, default: given } = unwrap(field);
  const type = base._zod.def.type;
  switch (declaration.type) {
    case 'boolean':
      if (type !== 'boolean' || typeof given !== 'boolean' || nullable) throw unsupported('a boolean fact needs a default in SQL');
      return { name, kind: 'boolean', default: given };
    case 'string': {
      if (declaration.values !== undefined) {
        const entries = type === 'enum' ? Object.values(base._zod.def['entries'] as Record<string, unknown>) : [];
        if (entries.length !== declaration.values.length || !declaration.values.every((value) => entries.includes(value))) throw unsupported('the facts block and the facts schema give different values');
        if (nullable) throw unsupported('a closed set of values that may also be null');
        return { name, kind: 'enum', values: declaration.values, required };
      }
      if (!isIdentifier(base)) throw unsupported('SQL reads free strings as identifiers (1 to 200 characters)');
      if (nullable !== (declaration.nullable === true)) throw unsupported('the facts block and the facts schema disagree on null');
      return { name, kind: 'identifier', required, nullable };
    }
    case 'money':
    case 'decimal': {
      if (type !== 'pipe' || !required || nullable) throw unsupported('SQL reads a required decimal (decimal())');
      if (declaration.minimum !== undefined && declaration.minimum !== 0) throw unsupported('a minimum other than 0');
      // The schema's own bounds, read by asking it: a negative value, then ever more places.
      const nonNegative = declaration.minimum === 0 || !base.safeParse('-1').success;
      const places = Array.from({ length: 19 }, (_, p) => p).find((p) => !base.safeParse(`0.${'0'.repeat(p)}1`).success);
      return { name, kind: 'decimal', nonNegative, ...(places === undefined ? {} : { maxPlaces: places }) };
    }
    case 'list': {
      const element = type === 'pipe' ? ((base._zod.def['out'] as Zod)._zod.def['element'] as Zod | undefined) : undefined;
      if (element === undefined || !isIdentifier(element) || nullable) throw unsupported('SQL reads lists of identifiers (list(identifier()))');
      return { name, kind: 'list', required };
    }
    case 'object': {
      if (type !== 'object' || !nullable || given !== null) throw unsupported('SQL reads an object that is null by default');
      const members = Object.entries(base._zod.def['shape'] as Record<string, Zod>).map(([member, schema]): [string, ObjectField] => {
        const inner = unwrap(schema);
        const kind = inner.base._zod.def.type;
        if (kind === 'boolean' && typeof inner.default === 'boolean') return [member, { kind: 'flag', default: inner.default }];
        if (kind === 'enum' && !inner.required) return [member, { kind: 'enum', values: Object.values(inner.base._zod.def['entries'] as Record<string, string>) }];
        if (isIdentifier(inner.base) && !inner.nullable) return [member, { kind: 'identifier', required: inner.required }];
        throw unsupported(`its member ${JSON.stringify(member)} is neither a flag, an optional closed set nor an identifier`);
      });
      return { name, kind: 'object', members: Object.fromEntries(members) };
    }
    default:
      throw unsupported('SQL reads money, decimals, booleans, strings, lists of identifiers and objects');
  }
}

/** A string of 1 to 200 characters: `identifier()`, as the SQL checks it. */
function isIdentifier(schema: Zod): boolean {
  const def = schema._zod.def;
  if (def.type !== 'string') return false;
  const checks = ((def['checks'] as z.core.$ZodCheck[] | undefined) ?? []).map((check) => check._zod.def as unknown as Record<string, unknown>);
  return checks.length === 2 && checks.some((c) => c['check'] === 'min_length' && c['minimum'] === 1) && checks.some((c) => c['check'] === 'max_length' && c['maximum'] === 200);
}
