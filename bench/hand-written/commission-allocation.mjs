// commission.allocation written by hand: the limit our evaluator is measured against. It does the
// same job as `evaluate('commission.allocation', facts, { trace: false })`:
// - the same input checks: a strict object (no unknown fields, here or in `referral`), `pool` ≥ 0
//   with at most two decimals as a safe JSON number or a decimal string of at most 40 characters,
//   `kind` one of three, booleans defaulting to false, agent ids (strings of 1 to 200 characters),
//   lists of at most 100,000 agents (the default maxItems) each listed once, what each kind
//   requires (a lease: closer, receivingAgents, protectedBy; add_on and intent: at least one
//   original agent), `referral` null or a strict object with a referrer agent;
// - the same rules in the same precedence (D-COM-1, D-COM-8), numbers inlined as a programmer
//   would (2 handlers, 3 receiving agents);
// - the same exact money (D-COM-2): pool × percent / 100 rounded down to the fen, the remainder
//   to the first share in output order (descending percent, then agent id), on integer cents
//   (safe integers up to 13 integer digits, BigInt beyond), never floats;
// - the same decision object `{ policy, asOf, outcome, basis, trace: [] }`.
// Not reproduced, and never exercised by the generated facts: which issues an invalid input
// reports (it throws at the first problem; `evaluate` lists them all), and enumerable keys
// inherited through a prototype (facts are plain JSON objects here).

const POLICY = 'commission.allocation';
const FIELDS = new Set(['pool', 'kind', 'depositPaidInFull', 'contractSigned', 'handlers', 'closer', 'originalAgents', 'originalAgentsActive', 'referral', 'receivingAgents', 'protectedBy']);
const REFERRAL_FIELDS = new Set(['referrerAgent', 'referrerAgentContacted', 'namedReferrerAgent', 'referrerAgentPresent', 'notifiedReferrerAgent', 'delegatedToCloser', 'intentSigned', 'referrerChoice']);
const DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;
const MAX_ITEMS = 100_000;

export class HandInputError extends Error {}

const fail = (path) => {
  throw new HandInputError(path);
};

/**
 * `pool` → integer cents: a number below 2^53 cents when the integer part has at most 13 digits,
 * a BigInt beyond. Refuses negatives (but "-0.00" is 0), more than two places, exponents.
 */
function poolCents(value) {
  let text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= -(2 ** 53) || value >= 2 ** 53) fail('pool');
    if (value < 0) fail('pool');
    if (Number.isInteger(value) && value < 2 ** 53 / 100) return value === 0 ? 0 : value * 100; // -0 → 0
    text = String(value); // -0 → "0"
    if (text.includes('e')) fail('pool'); // only below 1e-6 here: more than two places
  } else if (typeof value === 'string') {
    if (value.length > 40 || !DECIMAL.test(value)) fail('pool');
    text = value;
  } else return fail('pool');
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    text = text.slice(1);
  }
  const dot = text.indexOf('.');
  let integerEnd = dot === -1 ? text.length : dot;
  let fractionEnd = text.length;
  if (dot !== -1) while (fractionEnd > dot + 1 && text.charCodeAt(fractionEnd - 1) === 48) fractionEnd--;
  const places = dot === -1 ? 0 : fractionEnd - dot - 1;
  let start = 0;
  while (start < integerEnd - 1 && text.charCodeAt(start) === 48) start++;
  const integer = text.slice(start, integerEnd);
  if (negative && (integer !== '0' || places > 0)) fail('pool');
  if (places > 2) fail('pool');
  const fraction = places === 0 ? 0 : places === 1 ? (text.charCodeAt(dot + 1) - 48) * 10 : (text.charCodeAt(dot + 1) - 48) * 10 + (text.charCodeAt(dot + 2) - 48);
  if (integer.length <= 13) return Number(integer) * 100 + fraction;
  return BigInt(integer) * 100n + BigInt(fraction);
}

function money(cents) {
  if (typeof cents === 'bigint') {
    const fen = cents % 100n;
    return `${cents / 100n}.${fen < 10n ? '0' : ''}${fen}`;
  }
  const fen = cents % 100;
  return `${(cents - fen) / 100}.${fen < 10 ? '0' : ''}${fen}`;
}

function flag(value, path) {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail(path);
  return value;
}

function agent(value, path) {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) fail(path);
  return value;
}

/** A list of agent ids, each once. */
function agents(value, path) {
  if (!Array.isArray(value) || value.length > MAX_ITEMS) fail(path);
  const n = value.length;
  for (let i = 0; i < n; i++) agent(value[i], path);
  if (n > 16) {
    if (new Set(value).size !== n) fail(path);
  } else {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (value[i] === value[j]) fail(path);
  }
  return value;
}

function referralOf(value) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail('referral');
  for (const key in value) if (!REFERRAL_FIELDS.has(key)) fail(`referral.${key}`);
  const choice = value.referrerChoice;
  if (choice !== undefined && choice !== 'all' && choice !== 'half') fail('referral.referrerChoice');
  return {
    referrerAgent: agent(value.referrerAgent, 'referral.referrerAgent'),
    referrerAgentContacted: flag(value.referrerAgentContacted, 'referral.referrerAgentContacted'),
    namedReferrerAgent: flag(value.namedReferrerAgent, 'referral.namedReferrerAgent'),
    referrerAgentPresent: flag(value.referrerAgentPresent, 'referral.referrerAgentPresent'),
    notifiedReferrerAgent: flag(value.notifiedReferrerAgent, 'referral.notifiedReferrerAgent'),
    delegatedToCloser: flag(value.delegatedToCloser, 'referral.delegatedToCloser'),
    intentSigned: flag(value.intentSigned, 'referral.intentSigned'),
    referrerChoice: choice,
  };
}

/**
 * Checks and normalises the facts, then adds what the rules need computed (the derived facts):
 * the view our compiled kernel also reads, with `pool` in integer cents.
 */
export function handFacts(facts) {
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) fail('facts');
  for (const key in facts) if (!FIELDS.has(key)) fail(key);
  const pool = poolCents(facts.pool);
  const kind = facts.kind;
  if (kind !== 'lease' && kind !== 'add_on' && kind !== 'intent') fail('kind');
  const depositPaidInFull = flag(facts.depositPaidInFull, 'depositPaidInFull');
  const contractSigned = flag(facts.contractSigned, 'contractSigned');
  const handlers = agents(facts.handlers, 'handlers');
  const closer = facts.closer === undefined ? undefined : agent(facts.closer, 'closer');
  const originalAgents = facts.originalAgents === undefined ? undefined : agents(facts.originalAgents, 'originalAgents');
  const originalAgentsActive = flag(facts.originalAgentsActive, 'originalAgentsActive');
  const referral = referralOf(facts.referral);
  const receivingAgents = facts.receivingAgents === undefined ? undefined : agents(facts.receivingAgents, 'receivingAgents');
  const protectedBy = facts.protectedBy === undefined || facts.protectedBy === null ? facts.protectedBy : agent(facts.protectedBy, 'protectedBy');
  if (kind === 'lease') {
    if (closer === undefined) fail('closer');
    if (receivingAgents === undefined) fail('receivingAgents');
    if (protectedBy === undefined) fail('protectedBy');
  } else if (originalAgents === undefined || originalAgents.length === 0) fail('originalAgents');

  // Derived facts. Lists are a few agents each: linear search beats building Sets.
  const referrer = referral === null ? undefined : referral.referrerAgent;
  const receiving = receivingAgents ?? [];
  let receivingAgentCount = receiving.length;
  let otherReceivingAgentCount = 0;
  let otherHandlerCount = 0;
  for (const a of handlers) {
    if (!receiving.includes(a)) receivingAgentCount++;
    if (a !== closer && a !== referrer) otherHandlerCount++;
  }
  const closerIsHandler = closer !== undefined && handlers.includes(closer);
  if (closer !== undefined && !closerIsHandler && !receiving.includes(closer)) receivingAgentCount++;
  for (const a of receiving) if (a !== closer && a !== referrer && !handlers.includes(a)) otherReceivingAgentCount++;
  return {
    pool,
    kind,
    depositPaidInFull,
    contractSigned,
    handlers,
    closer,
    originalAgents,
    originalAgentsActive,
    referral,
    receivingAgents,
    protectedBy,
    handlerCount: handlers.length,
    originalAgentCount: originalAgents === undefined ? 0 : originalAgents.length,
    receivingAgentCount,
    otherReceivingAgentCount,
    otherHandlerCount,
    closerIsHandler,
    closerIsProtector: closer !== undefined && protectedBy === closer,
    closerIsReferrer: closer !== undefined && referrer === closer,
  };
}

/**
 * The rules alone, on checked facts with the derived ones (the same view our compiled kernel
 * reads): the index in allocation.rules.json of the rule that decides.
 */
export function handKernel(f) {
  if (f.handlerCount > 2) return 0; // COM-6
  const r = f.referral;
  const delegated = r !== null && r.referrerAgentContacted && !r.referrerAgentPresent && r.notifiedReferrerAgent && r.delegatedToCloser && !f.closerIsReferrer;
  // COM-9: the client returns to the referrer agent only when neither a lease nor a letter of intent was signed.
  const signedNothing = !f.contractSigned && !(r !== null && r.intentSigned);
  if (!f.depositPaidInFull) return delegated && signedNothing ? 1 : 2; // COM-5 (+ COM-9)
  if (!f.contractSigned) return delegated && signedNothing ? 3 : 4; // COM-4 (+ COM-9)
  const kind = f.kind;
  if (kind === 'add_on') {
    if (!f.originalAgentsActive) return 5; // COM-1, D-COM-7
    if (f.originalAgentCount === 1) return 6; // COM-1
    if (f.originalAgentCount === 2) return 7; // COM-13
    return 21;
  }
  if (kind === 'intent') {
    if (!f.originalAgentsActive) return 8; // COM-3, D-COM-7
    if (f.originalAgentCount === 1) return 9; // COM-3
    return 21;
  }
  if (delegated && f.closerIsHandler && f.otherHandlerCount === 0 && f.otherReceivingAgentCount === 0) {
    const choice = r.referrerChoice;
    return choice === 'all' ? 10 : choice === 'half' ? 11 : 12; // COM-9
  }
  const protector = f.protectedBy;
  if (protector !== null && !f.closerIsProtector) return 13; // COM-7
  if (f.closerIsProtector && f.closerIsHandler) {
    if (f.handlerCount === 1) return 14; // COM-7, D-COM-8
    if (f.handlerCount === 2) return 15;
  }
  const plainReferral = r !== null && !r.referrerAgentContacted && !r.namedReferrerAgent && !f.closerIsReferrer;
  if (plainReferral && f.closerIsHandler && f.handlerCount === 1 && f.otherReceivingAgentCount === 0) return 16; // COM-8
  if (plainReferral && protector === null && f.receivingAgentCount >= 3 && f.closerIsHandler && f.handlerCount === 1) return 17; // COM-8, COM-10
  if (r === null && protector === null && f.closerIsHandler) {
    if (f.receivingAgentCount >= 3) {
      if (f.handlerCount === 1) return 18; // COM-10
    } else if (f.otherReceivingAgentCount === 0) {
      if (f.handlerCount === 1) return 19; // COM-4
      if (f.handlerCount === 2) return 20; // COM-4, D-COM-6
    }
  }
  return 21; // COM-14
}

const INVALID = ['COM-6'];
const BASIS = [['COM-6'], ['COM-5', 'COM-9'], ['COM-5'], ['COM-4', 'COM-9'], ['COM-4'], ['COM-1'], ['COM-1'], ['COM-13'], ['COM-3'], ['COM-3'], ['COM-9'], ['COM-9'], ['COM-9'], ['COM-7'], ['COM-7'], ['COM-7'], ['COM-8'], ['COM-8', 'COM-10'], ['COM-10'], ['COM-4'], ['COM-4'], ['COM-14']];

const one = (pool, agentId) => ({ status: 'allocated', shares: [{ agent: agentId, percent: 100, amount: money(pool) }] });

/** 50/50 under D-COM-2: each half rounded down to the fen, the odd fen to the first by agent id. */
function halves(pool, a, b) {
  const half = typeof pool === 'bigint' ? pool / 2n : Math.floor(pool / 2);
  const [first, second] = a < b ? [a, b] : [b, a];
  return { status: 'allocated', shares: [{ agent: first, percent: 50, amount: money(pool - half) }, { agent: second, percent: 50, amount: money(half) }] };
}

/** The outcome of the deciding rule, with the agents named and the pool split. */
export function handOutcome(rule, f) {
  switch (rule) {
    case 0:
      return { status: 'invalid', violations: INVALID };
    case 1:
    case 3:
      return { status: 'no_commission', followUpBy: f.referral.referrerAgent };
    case 2:
    case 4:
      return { status: 'no_commission' };
    case 5:
      return { status: 'needs_ruling', by: 'leasing_director' };
    case 8:
      return { status: 'needs_ruling', by: 'leasing_manager' }; // COM-3, D-COM-7
    case 6:
    case 9:
      return one(f.pool, f.originalAgents[0]);
    case 7:
      return halves(f.pool, f.originalAgents[0], f.originalAgents[1]);
    case 10:
      return one(f.pool, f.referral.referrerAgent);
    case 11:
      return halves(f.pool, f.referral.referrerAgent, f.closer);
    case 12:
      return { status: 'needs_ruling', by: 'referrer_agent' };
    case 13:
      return one(f.pool, f.protectedBy);
    case 15:
    case 20:
      return halves(f.pool, f.handlers[0], f.handlers[1]);
    case 21:
      return { status: 'needs_ruling', by: 'leasing_manager' };
    default: // 14, 16–19: the closer, 100%
      return one(f.pool, f.closer);
  }
}

/** The decision, as `evaluate(…, { trace: false })` returns it. */
export function handCommissionAllocation(facts, asOf) {
  const f = handFacts(facts);
  const rule = handKernel(f);
  return { policy: POLICY, asOf, outcome: handOutcome(rule, f), basis: BASIS[rule], trace: [] };
}
