// Seeded, realistic commission.allocation facts for the benchmark: leases with one or two
// handlers, protection records (another agent's, the closer's own), referrals in every state
// COM-8/COM-9 distinguish, many receiving agents, too many handlers, add-ons and intents (one,
// two, three original agents, some departed), deposits not paid or contracts not signed, and what
// the rules leave to the Leasing Manager (COM-14); arrays in random order; pools as strings and
// numbers, odd fens, a few beyond 2^53 fen. Plus invalid facts (one breakage each) and edges.

let seed = 2017;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const AGENTS = ['wang.fang', 'li.na', 'zhang.wei', 'liu.yang', 'chen.jing', 'yang.li', 'zhao.lei', 'huang.min', 'zhou.jie', 'wu.tao', 'xu.ming', 'sun.hui', 'ma.lin', 'zhu.hong', 'hu.jun', 'guo.qiang', 'he.ping', 'lin.xia', 'luo.bin', 'gao.yan'];
const pick = (list) => list[Math.floor(random() * list.length)];
const chance = (p) => random() < p;
/** `n` different agents, none of `besides`. */
function agentsBut(n, besides = []) {
  const out = [];
  while (out.length < n) {
    const a = pick(AGENTS);
    if (!out.includes(a) && !besides.includes(a)) out.push(a);
  }
  return out;
}
function shuffled(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
/** A boolean fact: written out, or left to its default when false. */
function setFlag(f, name, value) {
  if (value || chance(0.5)) f[name] = value;
}

/** Commission pools: two-place strings (trailing zeros kept), whole numbers, JSON numbers with cents, odd fens, a few huge strings. */
function poolOf() {
  const r = random();
  const cents = Math.floor(random() * 50_000_000); // up to 500,000 CNY
  if (r < 0.3) return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  if (r < 0.5) return Math.floor(cents / 100);
  if (r < 0.65) return cents / 100;
  if (r < 0.8) return String(Math.floor(cents / 100));
  if (r < 0.9) return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`.replace(/0+$/, '').replace(/\.$/, '');
  if (r < 0.97) return pick(['10000.01', '0.01', '0.03', '0', 0, '00123.40', '99999.99', 0.07, '-0.00', '1.1']);
  return `${Math.floor(random() * 9e6)}${String(Math.floor(random() * 1e9)).padStart(9, '0')}.${String(cents % 100).padStart(2, '0')}`; // beyond 2^53 fen
}

/** A referral in one of the states COM-8, COM-9 and COM-14 distinguish. */
function referralOf(referrer) {
  const r = random();
  const ref = { referrerAgent: referrer };
  let state;
  if (r < 0.3) state = { contacted: false, named: false, present: false, notified: false, delegated: false }; // COM-8
  else if (r < 0.65) state = { contacted: true, named: chance(0.2), present: false, notified: true, delegated: true }; // COM-9 delegated
  else if (r < 0.75) state = { contacted: false, named: true, present: false, notified: false, delegated: false }; // named, another closed: COM-14
  else if (r < 0.85) state = { contacted: true, named: false, present: false, notified: false, delegated: false }; // not notified: COM-14
  else if (r < 0.93) state = { contacted: true, named: false, present: true, notified: chance(0.5), delegated: false }; // present: COM-14
  else state = { contacted: true, named: false, present: false, notified: true, delegated: false }; // notified, did not delegate
  setFlag(ref, 'referrerAgentContacted', state.contacted);
  setFlag(ref, 'namedReferrerAgent', state.named);
  setFlag(ref, 'referrerAgentPresent', state.present);
  setFlag(ref, 'notifiedReferrerAgent', state.notified);
  setFlag(ref, 'delegatedToCloser', state.delegated);
  if (state.delegated || chance(0.1)) {
    const choice = random();
    if (choice < 0.4) ref.referrerChoice = 'all';
    else if (choice < 0.75) ref.referrerChoice = 'half';
  }
  return ref;
}

function leaseFacts() {
  const f = { pool: poolOf(), kind: 'lease' };
  const r = random();
  let handlers;
  let closer;
  let receiving;
  let protectedBy = null;
  let referral;
  if (r < 0.3) {
    // Plain lease: one handler, or two who closed together; now and then a second receiver not on the contract.
    handlers = agentsBut(chance(0.7) ? 1 : 2);
    closer = pick(handlers);
    receiving = chance(0.8) ? [...handlers] : chance(0.5) ? [closer] : [];
    if (chance(0.1)) receiving.push(...agentsBut(1, handlers));
  } else if (r < 0.45) {
    // A protection record: another agent's (COM-7), or the closer's own (D-COM-8).
    handlers = agentsBut(chance(0.75) ? 1 : 2);
    closer = pick(handlers);
    receiving = [...handlers, ...agentsBut(Math.floor(random() * 3), handlers)];
    protectedBy = chance(0.6) ? agentsBut(1, [closer])[0] : closer;
  } else if (r < 0.68) {
    // A referral by an existing tenant: the referrer agent and the closer.
    const [referrer, closerAgent] = agentsBut(2);
    closer = chance(0.03) ? referrer : closerAgent;
    referral = referralOf(referrer);
    handlers = chance(0.75) ? [closer] : chance(0.6) ? [closer, referrer] : agentsBut(2, [referrer]);
    if (closer === referrer) handlers = [closer];
    receiving = chance(0.85) ? [closer] : [closer, ...agentsBut(chance(0.5) ? 1 : 2, [closer, referrer])];
    if (chance(0.1)) protectedBy = chance(0.5) ? closer : pick(AGENTS);
  } else if (r < 0.8) {
    // Many receiving agents (COM-10), the last to close on the contract; now and then a protection record.
    closer = pick(AGENTS);
    handlers = [closer];
    receiving = [closer, ...agentsBut(2 + Math.floor(random() * 3), [closer])];
    if (chance(0.15)) protectedBy = pick(receiving);
  } else if (r < 0.86) {
    // Too many handlers on the contract (COM-6).
    handlers = agentsBut(3 + (chance(0.1) ? 1 : 0));
    closer = pick(handlers);
    receiving = [...handlers];
  } else {
    // What the rules leave to the Leasing Manager (COM-14): a closer not on the contract, a contract
    // without handlers, two receivers and one handler, a handler who never received the client.
    const c = random();
    closer = pick(AGENTS);
    if (c < 0.3) handlers = agentsBut(1, [closer]);
    else if (c < 0.5) handlers = [];
    else if (c < 0.8) handlers = [closer];
    else handlers = [closer, ...agentsBut(1, [closer])];
    receiving = c >= 0.5 && c < 0.8 ? [closer, ...agentsBut(1, [closer])] : [closer];
  }
  f.handlers = shuffled(handlers);
  f.closer = closer;
  f.receivingAgents = shuffled(receiving);
  f.protectedBy = protectedBy;
  if (referral !== undefined) f.referral = referral;
  else if (chance(0.1)) f.referral = null;
  return f;
}

function earlierDealFacts(kind) {
  const f = { pool: poolOf(), kind };
  const count = kind === 'add_on' ? (chance(0.6) ? 1 : chance(0.8) ? 2 : 3) : chance(0.85) ? 1 : 2;
  const original = agentsBut(count);
  f.originalAgents = shuffled(original);
  setFlag(f, 'originalAgentsActive', chance(0.85));
  // Who signs now: usually an original agent; the protection list and receivers do not override (D-COM-8).
  const closer = chance(0.8) ? pick(original) : pick(AGENTS);
  f.handlers = chance(0.9) ? [closer] : [];
  if (chance(0.6)) f.closer = closer;
  if (chance(0.3)) f.receivingAgents = shuffled([closer, ...agentsBut(Math.floor(random() * 3), [closer])]);
  if (chance(0.3)) f.protectedBy = chance(0.5) ? null : pick(AGENTS);
  return f;
}

function allocationFacts() {
  const k = random();
  const f = k < 0.7 ? leaseFacts() : earlierDealFacts(k < 0.86 ? 'add_on' : 'intent');
  // Is anything due? Mostly yes; else the deposit (COM-5) or the signature (COM-4) is missing.
  const due = random();
  setFlag(f, 'depositPaidInFull', due >= 0.08);
  setFlag(f, 'contractSigned', due >= 0.14);
  return f;
}

/** One change that makes valid facts invalid: what `evaluate` and the hand-written must both refuse. */
const BREAKAGES = [
  (f) => ({ ...f, pool: '1200.005' }),
  (f) => ({ ...f, pool: 0.005 }),
  (f) => ({ ...f, pool: '-10' }),
  (f) => ({ ...f, pool: -0.01 }),
  (f) => ({ ...f, pool: '1e3' }),
  (f) => ({ ...f, pool: 2 ** 53 }),
  (f) => ({ ...f, pool: '1'.repeat(41) }),
  (f) => ({ ...f, pool: ' 100' }),
  (f) => ({ ...f, pool: Number.NaN }),
  (f) => ({ ...f, pool: 1e-7 }),
  (f) => { const { pool, ...rest } = f; void pool; return rest; },
  (f) => ({ ...f, kind: 'renewal' }),
  (f) => { const { kind, ...rest } = f; void kind; return rest; },
  (f) => ({ ...f, depositPaidInFull: 'true' }),
  (f) => ({ ...f, contractSigned: 1 }),
  (f) => ({ ...f, handlers: 'wang.fang' }),
  (f) => { const { handlers, ...rest } = f; void handlers; return rest; },
  (f) => ({ ...f, handlers: [...f.handlers, f.handlers[0] ?? 'li.na', f.handlers[0] ?? 'li.na'] }),
  (f) => ({ ...f, handlers: [''] }),
  (f) => ({ ...f, handlers: ['x'.repeat(201)] }),
  (f) => ({ ...f, handlers: [42] }),
  (f) => ({ ...f, closer: 7 }),
  (f) => ({ ...f, receivingAgents: ['li.na', 'li.na'] }),
  (f) => ({ ...f, protectedBy: '' }),
  (f) => ({ ...f, kind: 'lease', closer: undefined, receivingAgents: [], protectedBy: null }),
  (f) => { const { closer, ...rest } = f; void closer; return { ...rest, kind: 'lease', receivingAgents: [], protectedBy: null }; },
  (f) => { const { receivingAgents, ...rest } = f; void receivingAgents; return { ...rest, kind: 'lease', closer: 'li.na', protectedBy: null }; },
  (f) => { const { protectedBy, ...rest } = f; void protectedBy; return { ...rest, kind: 'lease', closer: 'li.na', receivingAgents: [] }; },
  (f) => ({ ...f, kind: 'add_on', originalAgents: [] }),
  (f) => { const { originalAgents, ...rest } = f; void originalAgents; return { ...rest, kind: 'intent' }; },
  (f) => ({ ...f, kind: 'add_on', originalAgents: ['li.na', 'wang.fang', 'li.na'] }),
  (f) => ({ ...f, originalAgents: ['li.na', null] }),
  (f) => ({ ...f, commission: 100 }),
  (f) => ({ ...f, referral: { referrerAgent: 'li.na', referrerChoice: 'most' } }),
  (f) => ({ ...f, referral: { referrerAgentContacted: true } }),
  (f) => ({ ...f, referral: { referrerAgent: 'li.na', referrerAgentPresent: 'no' } }),
  (f) => ({ ...f, referral: { referrerAgent: 'li.na', tenant: 'A' } }),
  (f) => ({ ...f, referral: ['li.na'] }),
  (f) => ({ ...f, referral: 'li.na' }),
  () => null,
  () => [],
  () => 'lease',
];

/** Valid facts at the edges, evaluated only for agreement. */
export const EDGE_FACTS = [
  ...[0, -0, '0', '-0', '-0.00', '0.00', '000', '0.1', 0.1, '0.10', 1.5, '1.50', 2 ** 53 - 1, 2 ** 53 / 100, 90071992547409.9, '9007199254740993', '9'.repeat(40), `${'9'.repeat(37)}.99`, '0'.repeat(39) + '1', 99999999999.99, 123.45, 0.01, 0.03].map((pool) => ({
    pool, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['b', 'a'], closer: 'b', receivingAgents: ['a', 'b'], protectedBy: null,
  })),
  { pool: 1, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['a'], closer: 'a', receivingAgents: [], protectedBy: null, referral: undefined, originalAgents: undefined },
  { pool: 1, kind: 'add_on', depositPaidInFull: true, contractSigned: true, handlers: [], originalAgents: ['z', 'y'], originalAgentsActive: true, closer: undefined, protectedBy: undefined },
  { pool: 1, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['a'], closer: 'a', receivingAgents: ['a'], protectedBy: null, referral: { referrerAgent: 'r', referrerAgentContacted: true, notifiedReferrerAgent: true, delegatedToCloser: true, referrerChoice: undefined } },
  { pool: '0.01', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['a'], closer: 'a', receivingAgents: ['a'], protectedBy: null, referral: { referrerAgent: 'b', referrerAgentContacted: true, notifiedReferrerAgent: true, delegatedToCloser: true, referrerChoice: 'half' } },
  { pool: 5, kind: 'intent', handlers: Array.from({ length: 20 }, (_, i) => `h${i}`), originalAgents: ['o'] },
];

/** `count` valid facts and `invalidCount` invalid ones, the same on every run. */
export function generateAllocationFacts(count, invalidCount) {
  seed = 2017;
  const facts = Array.from({ length: count }, allocationFacts);
  const invalid = Array.from({ length: invalidCount }, (_, i) => BREAKAGES[i % BREAKAGES.length](allocationFacts()));
  return { facts, invalid };
}
