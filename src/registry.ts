import { UnknownPolicyError } from './core/errors.js';
import type { Decision, EvaluateOptions, Policy } from './core/policy.js';
import { engineOf } from './core/policy.js';

/** The runtime shape every registered policy shares. */
export type AnyPolicy = Policy<string, never, unknown, unknown> & {
  readonly evaluate: (facts: never, options?: EvaluateOptions) => Decision<unknown>;
};

/**
 * One area's policies, by id: what each area's index exports (e.g. `REVIEW_POLICIES`) and
 * {@link createRegistry} assembles. Each key must be its policy's `id`.
 *
 * @example
 * const area = { 'review.approval': reviewApproval } as const satisfies PolicyArea;
 */
export type PolicyArea = Readonly<Record<string, { readonly id: string }>>;

/** The areas' records merged into one type: `[A, B]` → `A & B` (each key keeps its exact policy type). */
export type MergedAreas<Areas extends readonly PolicyArea[]> = Areas extends readonly [infer First, ...infer Rest extends readonly PolicyArea[]] ? First & MergedAreas<Rest> : unknown;

/**
 * What tools read of a registry, whatever policies it holds: validate, docs, the explorer data
 * and the case runner take one (default: the bundled registry).
 *
 * @example
 * const shape = policyShape('review.approval', registry);
 */
export interface Registry {
  /** The ids, in area order. */
  readonly ids: readonly string[];
  /** Is `id` the id of a policy of this registry? */
  readonly has: (id: unknown) => boolean;
  /** The policy `id`, or `undefined`. */
  readonly get: (id: string) => AnyPolicy | undefined;
  /** Evaluates policy `id` (the case runner's `Evaluator`); throws {@link UnknownPolicyError} for an id it lacks. */
  readonly evaluate: (id: string, facts: unknown, options?: EvaluateOptions) => Decision<unknown>;
  /** Each policy's bundled rules file (parsed JSON), by id: a rule set that names every policy. */
  readonly bundledRules: () => Record<string, unknown>;
}

/** Policies assembled from areas, with each policy's exact type kept by id. */
export interface PolicyRegistry<Policies> extends Registry {
  /** Every policy by id, in area order. */
  readonly policies: Policies;
  readonly ids: readonly (keyof Policies & string)[];
  readonly has: (id: unknown) => id is keyof Policies & string;
}

/**
 * Assembles a registry from area records. A new policy is registered by adding it to its area's
 * record (or, for tooling and tests, by passing one more area): nothing else lists policies.
 * Throws a `TypeError` for a key that is not its policy's id or an id two areas share.
 *
 * @example
 * const registry = createRegistry([REVIEW_POLICIES, { 'acme.discount': acmeDiscount }]);
 * registry.ids; //=> ['review.approval', 'review.arbitration', 'review.readiness', 'acme.discount']
 */
export function createRegistry<const Areas extends readonly PolicyArea[]>(areas: Areas): PolicyRegistry<MergedAreas<Areas>> {
  const byId: Record<string, AnyPolicy> = {};
  for (const area of areas) {
    for (const [key, policy] of Object.entries(area)) {
      if (policy.id !== key) throw new TypeError(`policy registered as ${JSON.stringify(key)} has the id ${JSON.stringify(policy.id)}`);
      if (Object.prototype.hasOwnProperty.call(byId, key)) throw new TypeError(`policy ${JSON.stringify(key)} is registered twice`);
      byId[key] = policy as unknown as AnyPolicy;
    }
  }
  Object.freeze(byId);
  const ids = Object.keys(byId) as (keyof MergedAreas<Areas> & string)[];
  const has = (id: unknown): id is keyof MergedAreas<Areas> & string => typeof id === 'string' && Object.prototype.hasOwnProperty.call(byId, id);
  const get = (id: string): AnyPolicy | undefined => (has(id) ? byId[id] : undefined);
  return {
    policies: byId as unknown as MergedAreas<Areas>,
    ids,
    has,
    get,
    evaluate: (id, facts, options) => {
      const policy = get(id);
      if (policy === undefined) throw new UnknownPolicyError(String(id), ids);
      return (policy.evaluate as (facts: unknown, options?: EvaluateOptions) => Decision<unknown>)(facts, options);
    },
    bundledRules: () => Object.fromEntries(ids.map((id) => [id, engineOf(byId[id]!).definition.rules])),
  };
}
