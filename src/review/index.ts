/**
 * The contract-review policies alone, for apps that use only these: `import { reviewApproval }
 * from 'sales-policies/review'` pulls in no other area's rules.
 *
 * @example
 * import { reviewApproval } from 'sales-policies/review';
 * reviewApproval.evaluate({ amount: '1200000', channel: 'direct' }).outcome.authority; //=> 'sales_vp'
 *
 * @packageDocumentation
 */
import { reviewApproval } from './approval.js';
import { reviewArbitration } from './arbitration.js';
import { reviewReadiness } from './readiness.js';
export { APPROVAL_AUTHORITIES, reviewApproval } from './approval.js';
export type { ApprovalAuthority, ReviewApprovalFacts, ReviewApprovalOutcome, ReviewStep } from './approval.js';
export { ARBITERS, reviewArbitration } from './arbitration.js';
export type { Arbiter, ReviewArbitrationFacts, ReviewArbitrationOutcome } from './arbitration.js';
export { reviewReadiness } from './readiness.js';
export type { ReviewReadinessFacts, ReviewReadinessOutcome } from './readiness.js';

/**
 * The contract-review policies by id: the area's part of the registry (`src/policies.ts` assembles the areas). A new
 * policy of this area is registered here and nowhere else.
 *
 * @example
 * Object.keys(REVIEW_POLICIES).includes('review.approval'); //=> true
 */
export const REVIEW_POLICIES = {
  'review.approval': reviewApproval,
  'review.arbitration': reviewArbitration,
  'review.readiness': reviewReadiness,
} as const;
