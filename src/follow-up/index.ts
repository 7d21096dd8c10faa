/**
 * The order follow-up policies alone: `import { followUpEscalation } from 'sales-policies/follow-up'`
 * pulls in no other area's rules.
 *
 * @example
 * import { followUpEscalation } from 'sales-policies/follow-up';
 * followUpEscalation.evaluate({ event: 'order_change' }).outcome.actions; //=> ['notify_all_departments', 'report_handling_to_departments']
 *
 * @packageDocumentation
 */
import { followUpWorkflow } from './workflow.js';
import { followUpEscalation } from './escalation.js';
export { FOLLOW_UP_OWNERS, FOLLOW_UP_STAGES, followUpWorkflow } from './workflow.js';
export type { FollowUpOwner, FollowUpStage, FollowUpWorkflowFacts, FollowUpWorkflowOutcome } from './workflow.js';
export { FOLLOW_UP_ACTIONS, FOLLOW_UP_EVENTS, followUpEscalation } from './escalation.js';
export type { FollowUpAction, FollowUpEscalationFacts, FollowUpEscalationOutcome, FollowUpEvent } from './escalation.js';

/**
 * The order follow-up policies by id: the area's part of the registry (`src/policies.ts` assembles the areas). A new
 * policy of this area is registered here and nowhere else.
 *
 * @example
 * Object.keys(FOLLOW_UP_POLICIES).includes('followUp.workflow'); //=> true
 */
export const FOLLOW_UP_POLICIES = {
  'followUp.workflow': followUpWorkflow,
  'followUp.escalation': followUpEscalation,
} as const;
