import type { AnyPolicy } from '../engine.js';
import { engineOf } from '../core/policy.js';
import type { PolicyId } from '../policies.js';
import { POLICIES, POLICY_IDS } from '../policies.js';
import type { SqlOutcome } from './outcome.js';
import { SQL_OUTCOMES } from './outcomes/index.js';

/** The fact types the generic reading follows (see `factDomains`). */
const READABLE = ['money', 'decimal', 'boolean', 'string', 'list', 'object'];

/**
 * How `toSql` writes a policy: with its SQL of its own (`src/sql/outcomes/`), from its metadata
 * alone (a first-hit policy without `derive`, whose facts are of the kinds SQL reads), or not at
 * all (the reason). Whether `decide` reads only the fired rule is checked when compiling.
 *
 * @example
 * sqlSupport(fixtureDiscount); //=> { generic: true }
 */
export function sqlSupport(policy: { readonly id: string }): { readonly outcome: SqlOutcome } | { readonly generic: true } | { readonly reason: string } {
  const outcome = SQL_OUTCOMES[policy.id];
  if (outcome !== undefined) return { outcome };
  const { definition } = engineOf(policy as AnyPolicy);
  const json = definition.rules as { readonly decision?: unknown; readonly facts?: Readonly<Record<string, { readonly type?: unknown; readonly derived?: unknown }>> };
  if (json.decision !== 'first-hit') return { reason: 'its outcome combines every fired rule (collect-all): that needs SQL of its own in src/sql/outcomes/' };
  if (definition.derive !== undefined) return { reason: 'it derives facts in TypeScript: that needs SQL of its own in src/sql/outcomes/' };
  const unread = Object.entries(json.facts ?? {}).find(([, fact]) => fact.derived !== true && !READABLE.includes(String(fact.type)));
  if (unread !== undefined) return { reason: `its fact ${JSON.stringify(unread[0])} is a ${String(unread[1].type)}, which SQL does not read` };
  return { generic: true };
}

/**
 * The bundled policies `toSql` compiles: those whose decision is a function of one row's facts,
 * found from the policies themselves (see {@link sqlSupport}).
 *
 * @example
 * SQL_POLICY_IDS.includes('review.approval'); //=> true
 */
export const SQL_POLICY_IDS: readonly PolicyId[] = POLICY_IDS.filter((id) => !('reason' in sqlSupport(POLICIES[id])));

/**
 * A bundled policy's id, as `toSql` takes it: one of {@link SQL_POLICY_IDS} compiles, any other
 * is a `SqlCompileError` saying why.
 *
 * @example
 * const policy: SqlPolicyId = 'commission.allocation';
 */
export type SqlPolicyId = PolicyId;
