/**
 * The leasing-commission policies alone: `import { commissionAllocation } from
 * 'sales-policies/commission'` pulls in no other area's rules.
 *
 * @example
 * import { commissionHandler } from 'sales-policies/commission';
 * commissionHandler.evaluate({ request: 'add_on', originalAgent: 'A', originalAgentStatus: 'departed' }).outcome.handler; //=> 'leasing_director'
 *
 * @packageDocumentation
 */
import { commissionAllocation } from './allocation.js';
import { commissionHandler } from './handler.js';
import { commissionProtection } from './protection.js';
import { commissionConduct } from './conduct.js';
export { ALLOCATION_STATUSES, commissionAllocation, RULING_AUTHORITIES } from './allocation.js';
export type { AllocationStatus, CommissionAllocationFacts, CommissionAllocationOutcome, CommissionShare, RulingAuthority } from './allocation.js';
export { commissionHandler, REQUEST_HANDLERS } from './handler.js';
export type { CommissionHandlerFacts, CommissionHandlerOutcome, RequestHandler } from './handler.js';
export { commissionProtection, PROTECTION_REFUSALS } from './protection.js';
export type { CommissionProtectionFacts, CommissionProtectionOutcome, ProtectionRefusal } from './protection.js';
export { commissionConduct } from './conduct.js';
export type { CommissionConductFacts, CommissionConductOutcome } from './conduct.js';

/**
 * The leasing-commission policies by id: the area's part of the registry (`src/policies.ts` assembles the areas). A new
 * policy of this area is registered here and nowhere else.
 *
 * @example
 * Object.keys(COMMISSION_POLICIES).includes('commission.allocation'); //=> true
 */
export const COMMISSION_POLICIES = {
  'commission.allocation': commissionAllocation,
  'commission.handler': commissionHandler,
  'commission.protection': commissionProtection,
  'commission.conduct': commissionConduct,
} as const;
