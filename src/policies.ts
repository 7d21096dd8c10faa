import { COMMISSION_POLICIES } from './commission/index.js';
import { FOLLOW_UP_POLICIES } from './follow-up/index.js';
import { FULFILMENT_POLICIES } from './fulfilment/index.js';
import { createRegistry } from './registry.js';
import { REVIEW_POLICIES } from './review/index.js';
import { SELLING_POLICIES } from './selling/index.js';

export type { AnyPolicy } from './registry.js';

/**
 * Every bundled area's policies, in the order the ids are listed: the registry assembles itself
 * from these, so a new policy is added to its area's record and nowhere else.
 *
 * @example
 * BUNDLED_AREAS.flatMap((area) => Object.keys(area)).length; //=> 15
 */
export const BUNDLED_AREAS = [REVIEW_POLICIES, COMMISSION_POLICIES, FOLLOW_UP_POLICIES, FULFILMENT_POLICIES, SELLING_POLICIES] as const;

/**
 * The registry of the bundled policies; tools that take a registry default to it, and
 * `createRegistry([...BUNDLED_AREAS, yours])` adds policies of your own.
 *
 * @example
 * BUNDLED_REGISTRY.has('review.approval'); //=> true
 */
export const BUNDLED_REGISTRY = createRegistry(BUNDLED_AREAS);

/**
 * Every bundled policy by id.
 *
 * @example
 * POLICIES['review.approval'].evaluate({ amount: 1, channel: 'direct' }).basis; //=> ['REV-6.1']
 */
export const POLICIES = BUNDLED_REGISTRY.policies;

/** The id of a bundled policy, e.g. `'review.approval'`. */
export type PolicyId = keyof typeof POLICIES;

/** What the caller gives policy `P`. */
// Read from `evaluate`, not by matching Policy<…, unknown, …>: a policy's derive/decide take its
// parsed facts as a parameter, so it never extends Policy<…, unknown, …> and that match gave never.
export type FactsOf<P extends PolicyId> = Parameters<(typeof POLICIES)[P]['evaluate']>[0];

/** The outcome of policy `P`. */
export type OutcomeOf<P extends PolicyId> = ReturnType<(typeof POLICIES)[P]['evaluate']>['outcome'];

/**
 * The ids of every bundled policy, in a stable order.
 *
 * @example
 * POLICY_IDS.length; //=> 15
 */
export const POLICY_IDS: readonly PolicyId[] = BUNDLED_REGISTRY.ids;

/**
 * Is `id` the id of a bundled policy?
 *
 * @example
 * isPolicyId('review.approval'); //=> true
 */
export function isPolicyId(id: unknown): id is PolicyId {
  return BUNDLED_REGISTRY.has(id);
}
