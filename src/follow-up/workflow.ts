import * as z from 'zod/mini';
import rules from '../../rules/follow-up/workflow.rules.json' with { type: 'json' };
import type { DecidingRule } from '../core/event.js';
import type { InputIssue } from '../core/errors.js';
import { PolicyInputError, RuleGapError, safeJson } from '../core/errors.js';
import { firstFired } from '../core/outcome.js';
import { toDotPath } from '../core/path.js';
import type { PolicyContext } from '../core/policy.js';
import { declaredFacts, definePolicy } from '../core/policy.js';
import type { FollowUpWorkflowCheckedFacts, FollowUpWorkflowFacts } from '../generated/facts-types.js';
import { PARAMETER_PREFIX } from '../core/rule-paths.js';

const POLICY = 'followUp.workflow';

/**
 * Every stage either follow-up path may hold (docs/policies.md). Which stages a path has, and in which
 * order, is data: the parameters `normalPath` and `anomalyPath` of the rules file.
 *
 * @example
 * FOLLOW_UP_STAGES.includes('report_to_manager'); //=> true
 */
export const FOLLOW_UP_STAGES = [
  'review_order',
  'coordinate_departments',
  'confirm_fulfilment',
  'report_to_manager',
  'liaise_with_client',
  'follow_stay',
  'relay_feedback',
  'archive',
  'visit_client',
] as const;
/**
 * One of {@link FOLLOW_UP_STAGES}.
 *
 * @example
 * const stage: FollowUpStage = 'coordinate_departments';
 */
export type FollowUpStage = (typeof FOLLOW_UP_STAGES)[number];

/**
 * Who owns follow-up work: the salesperson who took the order (FUP-3.1 「谁接单、谁负责跟进」).
 *
 * @example
 * FOLLOW_UP_OWNERS; //=> ['order_taker']
 */
export const FOLLOW_UP_OWNERS = ['order_taker'] as const;
/**
 * One of {@link FOLLOW_UP_OWNERS}.
 *
 * @example
 * const owner: FollowUpOwner = 'order_taker';
 */
export type FollowUpOwner = (typeof FOLLOW_UP_OWNERS)[number];

/** The parameters that hold a path; a rule's event names one of them as `{ "fact": "param.<name>" }`. */
const PATH_PARAMETERS = ['normalPath', 'anomalyPath'] as const;

/**
 * A workflow rule names its path as json-rules-engine's fact reference to a path parameter,
 * `{ "fact": "param.anomalyPath" }`, and the owner.
 */
// Pure: an app's bundle that imports another policy of this area drops it (see tsup.config.ts).
const workflowEvent = /* @__PURE__ */ (() => ({
  'follow-up-path': z.strictObject({
    path: z.strictObject({ fact: z.enum(PATH_PARAMETERS.map((name) => `${PARAMETER_PREFIX}${name}` as const)) }),
    owner: z.enum(FOLLOW_UP_OWNERS),
  }),
}))();

// Stage ids are checked against the paths in force (data) in `derive`, so the schema checks only their shape.
/**
 * What the caller gives `followUp.workflow`: the stages done, in the order done, and whether an anomaly was found.
 *
 * @example
 * const facts: FollowUpWorkflowFacts = { completed: ['review_order'], anomalyDetected: true };
 */
export type { FollowUpWorkflowFacts };
type Facts = FollowUpWorkflowCheckedFacts;

/**
 * The next stage of the follow-up, its owner, and the stages done while an earlier one was still open.
 *
 * @example
 * const outcome: FollowUpWorkflowOutcome = { next: null, owner: 'order_taker', outOfOrder: [] }; // every stage done
 */
export interface FollowUpWorkflowOutcome {
  /** The first stage of the path not done yet; `null` when every stage is done. */
  readonly next: FollowUpStage | null;
  readonly owner: FollowUpOwner;
  /** Stages done that come after `next` on the path, in path order. */
  readonly outOfOrder: readonly FollowUpStage[];
}

interface CheckedPath {
  readonly stages: readonly FollowUpStage[];
  readonly has: ReadonlySet<string>;
}

const checkedPaths = new WeakMap<object, CheckedPath>();

/** A path parameter in force, checked once per parameter version: known stages, each once. */
function readPath(context: PolicyContext, name: string): CheckedPath {
  const value = context.param(name);
  if (!Array.isArray(value)) throw new RuleGapError(POLICY, `parameter ${name} is ${safeJson(value)}: expected a list of stages`);
  const cached = checkedPaths.get(value);
  if (cached) return cached;
  const seen = new Set<string>();
  for (const [index, stage] of value.entries()) {
    if (typeof stage !== 'string' || !(FOLLOW_UP_STAGES as readonly string[]).includes(stage)) {
      throw new RuleGapError(POLICY, `parameter ${name}[${index}] is ${safeJson(stage)}: expected one of ${FOLLOW_UP_STAGES.join(', ')}`);
    }
    if (seen.has(stage)) throw new RuleGapError(POLICY, `parameter ${name}[${index}] repeats stage ${stage}: a path holds each stage once`);
    seen.add(stage);
  }
  const path: CheckedPath = { stages: value as FollowUpStage[], has: seen };
  checkedPaths.set(value, path);
  return path;
}

/** The path parameter a fired rule names: `{ "fact": "param.anomalyPath" }` (json-rules-engine's fact reference in event params). */
function pathParameter(rule: DecidingRule<typeof workflowEvent>): string {
  return rule.definition.event.params.path.fact.slice(PARAMETER_PREFIX.length);
}

/**
 * A completed stage must be on one of the paths: on the other path only, it is ignored (an
 * anomaly may be found after `confirm_fulfilment`); on neither, it is an input error. A stage listed
 * twice is accepted and counts once: `completed` is a log, and a stage may well be done again
 * (a change reopens the coordination with the departments, FUP-4.2.3); being done is all the
 * outcome reads, so a repeat cannot change it, and refusing it would refuse honest logs.
 */
function derive(facts: Facts, context: PolicyContext): Record<string, never> {
  const paths = PATH_PARAMETERS.map((name) => readPath(context, name));
  const issues: InputIssue[] = [];
  facts.completed.forEach((stage, index) => {
    if (!paths.some((path) => path.has.has(stage))) {
      issues.push({
        code: 'invalid_value',
        path: toDotPath(['completed', index]),
        message: `unknown stage ${safeJson(stage)}: it is on neither follow-up path`,
        received: stage,
        expected: `one of ${[...new Set(paths.flatMap((path) => path.stages))].join(', ')}`,
      });
    }
  });
  if (issues.length > 0) throw new PolicyInputError(POLICY, issues);
  return {};
}

/**
 * `followUp.workflow`: the next stage of an order follow-up, on the normal path (FUP-4) or, once
 * an anomaly is found, the 006.5 path (FUP-006.5). The paths are parameters of the rules file; the
 * rules pick one by `anomalyDetected` and name the owner, always the order taker.
 *
 * @example
 * followUpWorkflow.evaluate({ completed: ['review_order', 'follow_stay'] }).outcome;
 * //=> { next: 'coordinate_departments', owner: 'order_taker', outOfOrder: ['follow_stay'] }
 */
export const followUpWorkflow = /* @__PURE__ */ definePolicy({
  id: POLICY,
  rules,
  rulesFile: 'rules/follow-up/workflow.rules.json',
  facts: declaredFacts<FollowUpWorkflowFacts, FollowUpWorkflowCheckedFacts>,
  event: workflowEvent,
  derive,
  decide: (fired, facts, context) => {
    // The rules choose the path and the owner; finding the first stage not done is list arithmetic
    // on that path. As rules it would take one rule per stage, restating each path beside its
    // parameter, and two copies of a path can drift apart.
    const rule = firstFired(fired, POLICY, facts);
    const owner = rule.definition.event.params.owner;
    const path = readPath(context, pathParameter(rule)).stages;
    const done = new Set<string>(facts.completed);
    const nextIndex = path.findIndex((stage) => !done.has(stage));
    const outcome: FollowUpWorkflowOutcome =
      nextIndex === -1
        ? { next: null, owner, outOfOrder: [] }
        : { next: path[nextIndex]!, owner, outOfOrder: path.slice(nextIndex + 1).filter((stage) => done.has(stage)) };
    return { outcome };
  },
});
