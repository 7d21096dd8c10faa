import * as z from 'zod/mini';
import rules from '../../rules/commission/conduct.rules.json' with { type: 'json' };
import { RuleGapError, safeJson } from '../core/errors.js';
import { flag } from '../core/facts.js';
import { definePolicy } from '../core/policy.js';

const POLICY = 'commission.conduct';

const conductFacts = () =>
  z.strictObject({
    jointReception: flag(),
    newClientArrived: flag(),
    enoughStaffFree: flag(),
    splitOff: flag(),
    oldClientReturned: flag(),
    followingBoth: flag(),
  });

/** What the caller gives `commission.conduct`; every fact is a boolean that defaults to false. */
export type CommissionConductFacts = z.input<ReturnType<typeof conductFacts>>;

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
export const commissionConduct = definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/commission/conduct.rules.json',
  facts: conductFacts,
  decide: (fired) => {
    const violations: string[] = [];
    for (const rule of fired) {
      const violation = rule.definition.event.params?.['violation'];
      if (typeof violation !== 'boolean') {
        throw new RuleGapError(POLICY, `rules[${rule.index}] (${rule.name}) gives event.params.violation = ${safeJson(violation)}; expected true or false`);
      }
      if (violation && !violations.includes(rule.name)) violations.push(rule.name);
    }
    const outcome: CommissionConductOutcome = { allowed: violations.length === 0, violations };
    return { outcome };
  },
});
