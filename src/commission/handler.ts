import * as z from 'zod/mini';
import rules from '../../rules/commission/handler.rules.json' with { type: 'json' };
import { firstFired } from '../core/outcome.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { CommissionHandlerCheckedFacts, CommissionHandlerFacts } from '../generated/facts-types.js';

const POLICY = 'commission.handler';

/**
 * Who handles a tenant's or intent holder's request (COM-1, COM-2, COM-3).
 *
 * @example
 * REQUEST_HANDLERS.includes('leasing_director'); //=> true
 */
export const REQUEST_HANDLERS = ['original_agent', 'department_colleague', 'leasing_manager', 'leasing_director'] as const;
export type RequestHandler = (typeof REQUEST_HANDLERS)[number];

// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const handlerEvent = /* @__PURE__ */ (() => ({ handler: z.strictObject({ handler: z.enum(REQUEST_HANDLERS) }) }))();

/** What the caller gives `commission.handler`. */
export type { CommissionHandlerFacts };

/** Who handles the request. */
export interface CommissionHandlerOutcome {
  readonly handler: RequestHandler;
}

/**
 * `commission.handler`: who handles an add-on, a shop or payment change, or an intent refund or
 * signing, depending on whether the original agent is there (COM-1, COM-2, COM-3, D-COM-3).
 *
 * @example
 * commissionHandler.evaluate({ request: 'payment_change', originalAgentStatus: 'absent' }).outcome;
 * //=> { handler: 'department_colleague' }
 */
export const commissionHandler = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/commission/handler.rules.json',
  facts: declaredFacts<CommissionHandlerFacts, CommissionHandlerCheckedFacts>,
  event: handlerEvent,
  decide: (fired, facts) => {
    const outcome: CommissionHandlerOutcome = { handler: firstFired(fired, POLICY, facts).definition.event.params.handler };
    return { outcome };
  },
});
