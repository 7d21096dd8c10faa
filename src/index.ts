/**
 * sales-policies: sales-operations procedures as rules as code. Policies live as JSON rules
 * (json-rules-engine format) under `rules/`; this package evaluates them synchronously, checks
 * facts, keeps money exact and explains every decision.
 *
 * @packageDocumentation
 */
export { evaluate, evaluateMany, safeEvaluate } from './evaluate.js';
export type { BatchOptions, BatchResult, SafeEvaluateResult } from './evaluate.js';
export { explain } from './explain.js';
export { createPolicies } from './rule-set.js';
export type { Policies, RuleSet } from './rule-set.js';
export type { ExplainOptions } from './explain.js';
export { POLICY_IDS, isPolicyId } from './policies.js';
export type { FactsOf, OutcomeOf, PolicyId } from './policies.js';
export type { Decision, DecisionWarning, EvaluateOptions, Policy, PreparedEvaluate } from './core/policy.js';
// The engine's internals (definePolicy, engineOf, PolicyDefinition, PolicyContext, the compiled
// rule-file types, createRegistry) are in sales-policies/engine, for tooling.
export type { ComparisonTrace, ConditionTrace, GroupTrace, Missing, NotTrace, RuleTrace } from './core/trace.js';
export { PolicyInputError, RuleGapError, RuleSetError, SalesPoliciesError, UnknownPolicyError, formatIssues } from './core/errors.js';
export type { InputIssue, InputIssueCode, RuleSetIssue, RuleSetIssueCode, SalesPoliciesErrorCode } from './core/errors.js';
export { compileRuleFile } from './core/rule-loader.js';
export { OPERATORS } from './core/operators.js';
export { VALUE_TYPES } from './core/rule-file.js';
export type { Operator } from './core/operators.js';
export type { Condition, FactDeclaration, Label, LeafCondition, MonotoneDeclaration, ParameterInfo, ParameterVersion, RuleDefinition, RuleFile, SourceRef, ValueType } from './core/rule-file.js';
export { APPROVAL_AUTHORITIES } from './review/approval.js';
export type { ApprovalAuthority, ReviewApprovalFacts, ReviewApprovalOutcome, ReviewStep } from './review/approval.js';
export type { Arbiter, ReviewArbitrationFacts, ReviewArbitrationOutcome } from './review/arbitration.js';
export type { ReviewReadinessFacts, ReviewReadinessOutcome } from './review/readiness.js';
export { FOLLOW_UP_OWNERS, FOLLOW_UP_STAGES } from './follow-up/workflow.js';
export type { FollowUpOwner, FollowUpStage, FollowUpWorkflowFacts, FollowUpWorkflowOutcome } from './follow-up/workflow.js';
export { FOLLOW_UP_ACTIONS, FOLLOW_UP_EVENTS } from './follow-up/escalation.js';
export type { FollowUpAction, FollowUpEscalationFacts, FollowUpEscalationOutcome, FollowUpEvent } from './follow-up/escalation.js';
export { ALLOCATION_STATUSES, RULING_AUTHORITIES } from './commission/allocation.js';
export type { AllocationStatus, CommissionAllocationFacts, CommissionAllocationOutcome, CommissionShare, RulingAuthority } from './commission/allocation.js';
export { REQUEST_HANDLERS } from './commission/handler.js';
export type { CommissionHandlerFacts, CommissionHandlerOutcome, RequestHandler } from './commission/handler.js';
export { PROTECTION_REFUSALS } from './commission/protection.js';
export type { CommissionProtectionFacts, CommissionProtectionOutcome, ProtectionRefusal } from './commission/protection.js';
export type { CommissionConductFacts, CommissionConductOutcome } from './commission/conduct.js';
export { FULFILMENT_ROLES } from './fulfilment/facts.js';
export type { FulfilmentRole } from './fulfilment/facts.js';
export { SHIPMENT_HOLD_REASONS } from './fulfilment/shipment-hold.js';
export type { FulfilmentShipmentHoldFacts, FulfilmentShipmentHoldOutcome, ShipmentHoldReason } from './fulfilment/shipment-hold.js';
export { SHIPPING_ORDER_PROBLEMS } from './fulfilment/shipping-order.js';
export type { FulfilmentShippingOrderFacts, FulfilmentShippingOrderOutcome, ShippingOrderProblem } from './fulfilment/shipping-order.js';
export type { FulfilmentSpendingFacts, FulfilmentSpendingOutcome } from './fulfilment/spending.js';
export { DISPUTE_PARTIES, DISPUTE_RULING_REASONS } from './fulfilment/dispute-ruling.js';
export type { DisputeParty, DisputeRulingReason, FulfilmentDisputeRulingFacts, FulfilmentDisputeRulingOutcome } from './fulfilment/dispute-ruling.js';
export { dailyOrderReport, dailyOrderReportAsync } from './fulfilment/daily-report.js';
export type { DailyReportDay, DailyReportOptions, DailyReportOrder, DailyReportTotals, FulfilmentDailyReportFacts, FulfilmentDailyReportOutcome } from './fulfilment/daily-report.js';
export { CLOSING_TECHNIQUES } from './selling/closing-technique.js';
export type { ClosingTechnique, SellingClosingTechniqueFacts, SellingClosingTechniqueOutcome } from './selling/closing-technique.js';
