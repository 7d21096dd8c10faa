import { DEFAULT_TIME_ZONE } from '../core/dates.js';
import { DEFAULT_MAX_ITEMS } from '../core/policy.js';
import { BUNDLED_REGISTRY } from '../policies.js';
import type { Registry } from '../registry.js';
import type { PolicyShape } from './validate.js';
import { engineOf } from '../core/policy.js';

/**
 * What `validate` needs to know of a policy of `registry` (default: the bundled ones): the facts
 * its schema accepts and its event schema. `undefined` for an id no policy has.
 *
 * @example
 * policyShape('review.approval')?.inputFacts.has('amount'); //=> true
 */
export function policyShape(policyId: string, registry: Registry = BUNDLED_REGISTRY): PolicyShape | undefined {
  const policy = registry.get(policyId);
  if (policy === undefined) return undefined;
  const schema = engineOf(policy).definition.facts({ timeZone: DEFAULT_TIME_ZONE, maxItems: DEFAULT_MAX_ITEMS });
  return { inputFacts: new Set(objectKeys(schema)), event: engineOf(policy).definition.event };
}

interface SchemaNode {
  readonly _zod: { readonly def: { readonly type: string; readonly shape?: Record<string, unknown>; readonly options?: readonly unknown[]; readonly in?: unknown; readonly innerType?: unknown } };
}

/** The keys of every object a facts schema accepts at its top level (through unions and pipes). */
function objectKeys(schema: unknown): string[] {
  const def = (schema as SchemaNode)._zod.def;
  switch (def.type) {
    case 'object':
      return Object.keys(def.shape ?? {});
    case 'union':
      return [...new Set((def.options ?? []).flatMap(objectKeys))];
    case 'pipe':
      return objectKeys(def.in);
    default:
      return def.innerType === undefined ? [] : objectKeys(def.innerType);
  }
}
