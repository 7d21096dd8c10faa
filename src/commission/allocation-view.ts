import type { InputIssue } from '../core/errors.js';
import { PolicyInputError, safeJson } from '../core/errors.js';
import { toDotPath } from '../core/path.js';
import type { AllocationFacts } from './allocation.js';

/** Facts computed from the input, which the rules read beside the given ones. */
// A type, not an interface: the engine takes the view as a record of facts.
export type DerivedAllocationFacts = {
  readonly handlerCount: number;
  readonly originalAgentCount: number;
  readonly receivingAgentCount: number;
  readonly otherReceivingAgentCount: number;
  readonly otherHandlerCount: number;
  readonly closerIsHandler: boolean;
  readonly closerIsProtector: boolean;
  readonly closerIsReferrer: boolean;
};

/**
 * Every checked fact (an optional one absent is `undefined`): listing each is required, so a fact
 * added to the schema but left out of {@link allocationView} does not compile.
 */
type EveryFact = { readonly [K in keyof AllocationFacts]-?: AllocationFacts[K] | undefined };

/** What the allocation rules read: the checked facts and the derived ones, in one object. */
export type AllocationView = EveryFact & DerivedAllocationFacts;

/**
 * Checks what the facts schema cannot (what each kind requires, each agent listed once), then
 * builds the object the rules read: the facts and the derived ones in one literal of one shape,
 * which the engine reads as it is (see `PolicyDefinition.view`).
 *
 * @example
 * allocationView({ pool: '100', kind: 'lease', handlers: ['li'], closer: 'li', receivingAgents: ['li'], protectedBy: null, … }).closerIsHandler; //=> true
 */
export function allocationView(facts: AllocationFacts): AllocationView {
  const { closer, handlers, originalAgents, receivingAgents, protectedBy } = facts;
  const required = facts.kind === 'lease' ? closer !== undefined && receivingAgents !== undefined && protectedBy !== undefined : originalAgents !== undefined && originalAgents.length > 0;
  if (!required || hasRepeat(handlers) || (originalAgents !== undefined && hasRepeat(originalAgents)) || (receivingAgents !== undefined && hasRepeat(receivingAgents))) {
    throw new PolicyInputError('commission.allocation', inputIssues(facts));
  }

  const referrer = facts.referral?.referrerAgent;
  const receiving = receivingAgents ?? [];
  // Sets only for long lists: the lists of a deal hold a few agents, where a scan is faster.
  const handlerSet = handlers.length > SHORT_LIST ? new Set(handlers) : undefined;
  const receivingSet = receiving.length > SHORT_LIST ? new Set(receiving) : undefined;
  // Each list holds an agent once (checked above): count the union without building it.
  let everyone = receiving.length;
  let otherHandlerCount = 0;
  for (const agent of handlers) {
    if (!listed(receiving, receivingSet, agent)) everyone++;
    if (agent !== closer && agent !== referrer) otherHandlerCount++;
  }
  const closerIsHandler = closer !== undefined && listed(handlers, handlerSet, closer);
  if (closer !== undefined && !closerIsHandler && !listed(receiving, receivingSet, closer)) everyone++;
  let otherReceivingAgentCount = 0;
  for (const agent of receiving) if (agent !== closer && agent !== referrer && !listed(handlers, handlerSet, agent)) otherReceivingAgentCount++;
  return {
    pool: facts.pool,
    kind: facts.kind,
    depositPaidInFull: facts.depositPaidInFull,
    contractSigned: facts.contractSigned,
    handlers,
    closer,
    originalAgents,
    originalAgentsActive: facts.originalAgentsActive,
    referral: facts.referral,
    receivingAgents,
    protectedBy,
    handlerCount: handlers.length,
    originalAgentCount: originalAgents === undefined ? 0 : originalAgents.length,
    receivingAgentCount: everyone,
    otherReceivingAgentCount,
    otherHandlerCount,
    closerIsHandler,
    closerIsProtector: closer !== undefined && protectedBy === closer,
    closerIsReferrer: closer !== undefined && referrer === closer,
  };
}

/** The longest list searched by a scan; longer ones get a Set (never quadratic). */
const SHORT_LIST = 16;

function listed(agents: readonly string[], set: ReadonlySet<string> | undefined, agent: string): boolean {
  return set === undefined ? agents.includes(agent) : set.has(agent);
}

/**
 * Whether a list names an agent more than once: a scan of the short lists deals have, a Set for long ones.
 *
 * @example
 * hasRepeat(['li', 'wang', 'li']); //=> true
 */
export function hasRepeat(agents: readonly string[]): boolean {
  const n = agents.length;
  if (n > SHORT_LIST) return new Set(agents).size !== n;
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (agents[i] === agents[j]) return true;
  return false;
}

/** Every problem {@link allocationView} found, each with its path, as a {@link PolicyInputError} lists them. */
function inputIssues(facts: AllocationFacts): InputIssue[] {
  const issues: InputIssue[] = [];
  if (facts.kind === 'lease') {
    if (facts.closer === undefined) issues.push(missing('closer', 'required for a lease: the agent who closed', 'an agent id'));
    if (facts.receivingAgents === undefined) issues.push(missing('receivingAgents', 'required for a lease: every agent who received or introduced the client', 'a list of agent ids'));
    if (facts.protectedBy === undefined) issues.push(missing('protectedBy', 'required for a lease: the agent whose protection entry covered the client on the closing date, or null when none did', 'an agent id or null'));
  } else if (facts.originalAgents === undefined || facts.originalAgents.length === 0) {
    issues.push({
      code: facts.originalAgents === undefined ? 'invalid_type' : 'too_small',
      path: 'originalAgents',
      message: `required for ${facts.kind === 'add_on' ? 'an add-on' : 'an intent'}: at least one agent who closed the earlier deal or took the intent`,
      received: facts.originalAgents,
      expected: 'a list of at least one agent id',
    });
  }
  repeats(facts.handlers, 'handlers', issues);
  repeats(facts.originalAgents ?? [], 'originalAgents', issues);
  repeats(facts.receivingAgents ?? [], 'receivingAgents', issues);
  return issues;
}

function missing(path: string, message: string, expected: string): InputIssue {
  return { code: 'invalid_type', path, message, received: undefined, expected };
}

function repeats(agents: readonly string[], field: string, issues: InputIssue[]): void {
  const first = new Map<string, number>();
  agents.forEach((agent, index) => {
    const earlier = first.get(agent);
    if (earlier === undefined) first.set(agent, index);
    else issues.push({ code: 'invalid_value', path: toDotPath([field, index]), message: `${safeJson(agent)} is already listed at ${field}[${earlier}]: list each agent once`, received: agent, expected: 'an agent not listed before' });
  });
}
