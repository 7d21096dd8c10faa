import * as z from 'zod/mini';
import rules from '../../rules/commission/conduct.rules.json' with { type: 'json' };
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { CommissionConductCheckedFacts, CommissionConductFacts } from '../generated/facts-types.js';

const POLICY = 'commission.conduct';

/** A conduct rule says whether what it matches breaks its clause. */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const conductEvent = /* @__PURE__ */ (() => ({ conduct: z.strictObject({ violation: z.boolean() }) }))();

/** What the caller gives `commission.conduct`; every fact is a boolean that defaults to false. */
export type { CommissionConductFacts };

/** Whether the conduct is allowed, and the clauses it breaks, in clause order. */
export interface CommissionConductOutcome {
  readonly allowed: boolean;
  readonly violations: readonly string[];
}

/**
 * `commission.conduct`: floor conduct of two agents jointly receiving a client (COM-11, COM-12).
 * Collect-all: every clause broken is listed.
 *
 * @example
 * commissionConduct.evaluate({ jointReception: true, oldClientReturned: true, followingBoth: true }).outcome;
 * //=> { allowed: false, violations: ['COM-12'] }
 */
export const commissionConduct = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/commission/conduct.rules.json',
  facts: declaredFacts<CommissionConductFacts, CommissionConductCheckedFacts>,
  event: conductEvent,
  decide: (fired) => {
    const violations: string[] = [];
    for (const rule of fired) {
      if (rule.definition.event.params.violation && !violations.includes(rule.name)) violations.push(rule.name);
    }
    const outcome: CommissionConductOutcome = { allowed: violations.length === 0, violations };
    return { outcome };
  },
});
