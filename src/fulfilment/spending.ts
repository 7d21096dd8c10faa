import * as z from 'zod/mini';
import rules from '../../rules/fulfilment/spending.rules.json' with { type: 'json' };
import { firstFired } from '../core/outcome.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { FulfilmentSpendingCheckedFacts, FulfilmentSpendingFacts } from '../generated/facts-types.js';
import type { FulfilmentRole } from './facts.js';
import { FULFILMENT_ROLES } from './facts.js';

const POLICY = 'fulfilment.spending';

// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const spendingEvent = /* @__PURE__ */ (() => ({ approver: z.strictObject({ approver: z.enum(FULFILMENT_ROLES) }) }))();

/**
 * What the caller gives `fulfilment.spending`: the amount, a number or a decimal string ≥ 0.
 *
 * @example
 * const facts: FulfilmentSpendingFacts = { amount: '10000.01' };
 */
export type { FulfilmentSpendingFacts };

/**
 * Who approves the spending.
 *
 * @example
 * const outcome: FulfilmentSpendingOutcome = { approver: 'order_processing_chief' };
 */
export interface FulfilmentSpendingOutcome {
  readonly approver: FulfilmentRole;
}

/**
 * `fulfilment.spending`: within `chiefSpendingLimit` (the limit itself included) the order
 * processing chief approves (權力 8 「對限額資金有支配權」); above it the sales department manager.
 * The limit is an example value, so every decision carries its warning.
 *
 * @example
 * fulfilmentSpending.evaluate({ amount: '10000.01' }).outcome; //=> { approver: 'sales_manager' }
 */
export const fulfilmentSpending = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/fulfilment/spending.rules.json',
  facts: declaredFacts<FulfilmentSpendingFacts, FulfilmentSpendingCheckedFacts>,
  event: spendingEvent,
  decide: (fired, facts) => {
    const outcome: FulfilmentSpendingOutcome = { approver: firstFired(fired, POLICY, facts).definition.event.params.approver };
    return { outcome };
  },
});
