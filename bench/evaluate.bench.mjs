// `npm run bench`: how fast each way of evaluating a policy is, side by side, in one process, on
// the same 100,000 generated fact objects per policy (never part of `npm test`), for
// review.approval and commission.allocation:
//   1. json-rules-engine running the same rules (engine built once, each run awaited)
//   2. our evaluate with trace      3. without trace      4. the batch API (evaluateMany)
//   5. a hand-written function doing the same job (same checks, same exactness): the limit
// and the kernels alone (facts already checked and normalised): our compiled rules against a
// hand-written if/else on the same values. For commission.allocation also where the time goes
// (facts check, derive, kernel, roles and money) and what refusing invalid facts costs. Every
// way must agree on every fact, or it exits 1. Writes bench/results.json.
// BENCH_COUNT (facts per policy), BENCH_ROUNDS (best of), BENCH_POLICIES (comma-separated ids).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Engine } from 'json-rules-engine';
import { compile } from 'zod/mini';
import { evaluate, evaluateMany } from '../dist/index.js';
import { commissionAllocation } from '../dist/commission.js';
import { reviewApproval } from '../dist/review.js';
import { handCommissionAllocation, handFacts, handKernel as handAllocationKernel, handOutcome } from './hand-written/commission-allocation.mjs';
import { handKernel, handReviewApproval } from './hand-written/review-approval.mjs';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POLICIES = (process.env.BENCH_POLICIES ?? 'review.approval,commission.allocation').split(',');
const AS_OF = '2026-01-01';
const noTrace = { asOf: AS_OF, trace: false };
const readRules = (file) => JSON.parse(readFileSync(new URL(`../rules/${file}`, import.meta.url), 'utf8'));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;

// Seeded, so every run measures the same facts.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

let sink = 0;

/** Best of ROUNDS over `count` items (other jobs share this machine: the best round is the least disturbed). */
function measure(label, run, count = COUNT) {
  run(Math.min(count, 10_000)); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    run(count);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / count);
  }
  return { label, ns: best };
}

/** json-rules-engine, engine built once, each run awaited, as its documentation uses it: one pass. */
async function measureJre(label, engine, jreFacts) {
  const fired = [];
  const start = process.hrtime.bigint();
  for (const f of jreFacts) {
    const { results } = await engine.run(f);
    fired.push(results);
  }
  return { row: { label, ns: Number(process.hrtime.bigint() - start) / jreFacts.length }, fired };
}

/** Ratios to json-rules-engine and to the hand-written line (kernels to the hand-written kernel). */
function toRows(results, handLabel, handKernelLabel) {
  const jre = results.find((r) => r.label.startsWith('json-rules-engine')).ns;
  const hand = results.find((r) => r.label === handLabel).ns;
  const handKernelNs = results.find((r) => r.label === handKernelLabel).ns;
  return results.map((r) => ({
    label: r.label,
    nsPerDecision: Math.round(r.ns * 10) / 10,
    decisionsPerSecond: Math.round(1e9 / r.ns),
    timesFasterThanJsonRulesEngine: Math.round(jre / r.ns),
    timesTheHandWritten: Math.round((r.ns / (r.vs ?? (r.label.startsWith('kernel') ? handKernelNs : hand))) * 100) / 100,
  }));
}

function printTable(policy, rows, disagreements, extra = '') {
  console.log(`${policy}, ${COUNT.toLocaleString('en')} fact objects, best of ${ROUNDS} rounds — ${machine}`);
  console.log(`${'way'.padEnd(44)} ${'ns/decision'.padStart(11)} ${'decisions/s'.padStart(12)} ${'× JRE'.padStart(7)} ${'vs hand'.padStart(8)}`);
  for (const r of rows) console.log(`${r.label.padEnd(44)} ${String(r.nsPerDecision).padStart(11)} ${r.decisionsPerSecond.toLocaleString('en').padStart(12)} ${String(r.timesFasterThanJsonRulesEngine).padStart(7)} ${`${r.timesTheHandWritten}×`.padStart(8)}`);
  console.log(disagreements === 0 ? `all ways agree on all ${COUNT.toLocaleString('en')} facts${extra}` : `${disagreements} disagreements`);
}

// ─── review.approval ────────────────────────────────────────────────────────────────────────────

async function benchApproval() {
  seed = 42;
  const rules = readRules('review/approval.rules.json');
  const params = rules.parameters[0].values;
  // Amounts as strings and as numbers, crowding the thresholds as well as spreading far beyond them.
  const amountOf = () => {
    const r = random();
    if (r < 0.2) return String(500_000 + Math.floor(random() * 3) - 1);
    if (r < 0.3) return (2_999_999.99 + Math.floor(random() * 3) / 100).toFixed(2);
    if (r < 0.65) return String(Math.floor(random() * 600_000_000) / 100);
    return Math.floor(random() * 6_000_000);
  };
  const facts = Array.from({ length: COUNT }, () => {
    const f = { amount: amountOf(), channel: random() < 0.8 ? 'direct' : 'distributor' };
    if (random() < 0.5) f.disputed = random() < 0.4;
    if (random() < 0.2) f.repeatBatch = true;
    if (random() < 0.1) f.priceChanged = random() < 0.5;
    return f;
  });

  const results = [];
  results.push(measure('evaluate, with trace', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', facts[i], { asOf: AS_OF }).basis.length; }));
  results.push(measure('evaluate, trace: false', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', facts[i], noTrace).basis.length; }));
  results.push(measure('evaluateMany, trace: false', (n) => { for (const item of evaluateMany('review.approval', facts.slice(0, n), noTrace)) sink += item.decision.basis.length; }));
  results.push(measure('hand-written (same checks, exact)', (n) => { for (let i = 0; i < n; i++) sink += handReviewApproval(facts[i], AS_OF).basis.length; }));

  // The kernels: our compiled rules and the hand-written if/else, on the same normalised values.
  const version = reviewApproval.version({ asOf: AS_OF });
  const normalised = facts.map((f) => { const d = evaluate('review.approval', f, noTrace); void d; return normalise(f); });
  function normalise(f) {
    const canonical = (v) => { const s = String(v); const [i, fr = ''] = s.split('.'); const frac = fr.replace(/0+$/, ''); const int = i.replace(/^0+(?=\d)/, ''); return frac ? `${int}.${frac}` : int; };
    return { amount: canonical(f.amount), channel: f.channel, disputed: f.disputed ?? false, repeatBatch: f.repeatBatch ?? false, technicalTermsChanged: f.technicalTermsChanged ?? false, priceChanged: f.priceChanged ?? false };
  }
  const compiledKernel = (view) => version.rules[version.firstHit(view)];
  results.push(measure('kernel: compiled rules (generated)', (n) => { for (let i = 0; i < n; i++) sink += compiledKernel(normalised[i]).index; }));
  results.push(measure('kernel: hand-written if/else', (n) => { for (let i = 0; i < n; i++) sink += handKernel(normalised[i], AS_OF).basis.length; }));

  // json-rules-engine: its engine built once, each run awaited, as its documentation uses it.
  const engine = new Engine(rules.rules, { allowUndefinedFacts: true });
  const jreFacts = facts.map((f) => ({ technicalTermsChanged: false, priceChanged: false, disputed: false, repeatBatch: false, ...f, amount: Number(f.amount), 'param.directorLimit': params.directorLimit, 'param.vpLimit': params.vpLimit }));
  const jre = await measureJre('json-rules-engine 7.3.1 (each run awaited)', engine, jreFacts);
  results.push(jre.row);
  const jreBasis = jre.fired.map((fired) => fired.sort((a, b) => b.priority - a.priority)[0]?.name);

  // Agreement on every fact.
  let disagreements = 0;
  const many = [...evaluateMany('review.approval', facts, noTrace)];
  facts.forEach((f, i) => {
    const ours = evaluate('review.approval', f, noTrace);
    const hand = handReviewApproval(f, AS_OF);
    const kernel = compiledKernel(normalised[i]).name;
    const same = JSON.stringify(ours) === JSON.stringify(hand) && JSON.stringify(many[i].decision) === JSON.stringify(ours) && kernel === ours.basis[0] && handKernel(normalised[i], AS_OF).basis[0] === kernel;
    // json-rules-engine compares JSON numbers: it agrees wherever the amount is exact as a double.
    const jreComparable = Number.isSafeInteger(Math.round(Number(f.amount) * 100)) && String(Number(f.amount)) === normalised[i].amount;
    if (!same || (jreComparable && jreBasis[i] !== ours.basis[0])) {
      if (disagreements++ < 5) console.error('disagreement on', JSON.stringify(f), ours.basis, hand.basis, kernel, jreBasis[i]);
    }
  });

  const rows = toRows(results, 'hand-written (same checks, exact)', 'kernel: hand-written if/else');
  printTable('review.approval', rows, disagreements);
  return { policy: 'review.approval', count: COUNT, rows, disagreements };
}

// ─── commission.allocation ──────────────────────────────────────────────────────────────────────

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
function referralOf(referrer, closer) {
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
  void closer;
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
    referral = referralOf(referrer, closer);
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
const EDGE_FACTS = [
  ...[0, -0, '0', '-0', '-0.00', '0.00', '000', '0.1', 0.1, '0.10', 1.5, '1.50', 2 ** 53 - 1, 2 ** 53 / 100, 90071992547409.9, '9007199254740993', '9'.repeat(40), `${'9'.repeat(37)}.99`, '0'.repeat(39) + '1', 99999999999.99, 123.45, 0.01, 0.03].map((pool) => ({
    pool, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['b', 'a'], closer: 'b', receivingAgents: ['a', 'b'], protectedBy: null,
  })),
  { pool: 1, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['a'], closer: 'a', receivingAgents: [], protectedBy: null, referral: undefined, originalAgents: undefined },
  { pool: 1, kind: 'add_on', depositPaidInFull: true, contractSigned: true, handlers: [], originalAgents: ['z', 'y'], originalAgentsActive: true, closer: undefined, protectedBy: undefined },
  { pool: 1, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['a'], closer: 'a', receivingAgents: ['a'], protectedBy: null, referral: { referrerAgent: 'r', referrerAgentContacted: true, notifiedReferrerAgent: true, delegatedToCloser: true, referrerChoice: undefined } },
  { pool: '0.01', kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: ['a'], closer: 'a', receivingAgents: ['a'], protectedBy: null, referral: { referrerAgent: 'b', referrerAgentContacted: true, notifiedReferrerAgent: true, delegatedToCloser: true, referrerChoice: 'half' } },
  { pool: 5, kind: 'intent', handlers: Array.from({ length: 20 }, (_, i) => `h${i}`), originalAgents: ['o'] },
];

async function benchAllocation() {
  seed = 2017;
  const POLICY = 'commission.allocation';
  const rules = readRules('commission/allocation.rules.json');
  const params = rules.parameters[0].values;
  const facts = Array.from({ length: COUNT }, allocationFacts);
  const invalid = Array.from({ length: Math.max(1, Math.round(COUNT / 50)) }, (_, i) => BREAKAGES[i % BREAKAGES.length](allocationFacts()));

  const results = [];
  results.push(measure('evaluate, with trace', (n) => { for (let i = 0; i < n; i++) sink += evaluate(POLICY, facts[i], { asOf: AS_OF }).basis.length; }));
  results.push(measure('evaluate, trace: false', (n) => { for (let i = 0; i < n; i++) sink += evaluate(POLICY, facts[i], noTrace).basis.length; }));
  results.push(measure('evaluateMany, trace: false', (n) => { for (const item of evaluateMany(POLICY, facts.slice(0, n), noTrace)) sink += item.decision.basis.length; }));
  results.push(measure('hand-written (same checks, exact)', (n) => { for (let i = 0; i < n; i++) sink += handCommissionAllocation(facts[i], AS_OF).basis.length; }));

  // Our pipeline taken apart, as `prepare` runs it: the compiled facts schema, derive, the view
  // the rules read, the generated kernel, decide (roles to agents, decimal.js split).
  const definition = commissionAllocation.definition;
  const version = commissionAllocation.version({ asOf: AS_OF });
  const context = { timeZone: 'Asia/Shanghai', maxItems: 100_000, asOf: AS_OF, param: (name) => version.parameters[name], nested: { ...noTrace, timeZone: 'Asia/Shanghai', maxItems: 100_000 } };
  const schema = compile(definition.facts(context));
  const parsed = facts.map((f) => schema.safeParse(f).data);
  const derived = parsed.map((f) => definition.derive(f, context));
  const views = parsed.map((f, i) => ({ ...f, ...derived[i] }));
  const compiledKernel = (view) => version.rules[version.firstHit(view)];
  const decisive = views.map((view) => compiledKernel(view));
  const handViews = facts.map((f) => handFacts(f));
  const handRules = handViews.map((view) => handAllocationKernel(view));

  results.push(measure('kernel: compiled rules (generated)', (n) => { for (let i = 0; i < n; i++) sink += compiledKernel(views[i]).index; }));
  results.push(measure('kernel: hand-written if/else', (n) => { for (let i = 0; i < n; i++) sink += handAllocationKernel(views[i]); }));

  const parts = [
    measure('facts check (compiled zod schema)', (n) => { for (let i = 0; i < n; i++) sink += schema.safeParse(facts[i]).success ? 1 : 0; }),
    measure('derive', (n) => { for (let i = 0; i < n; i++) sink += definition.derive(parsed[i], context).handlerCount; }),
    measure('view { ...facts, ...derived }', (n) => { for (let i = 0; i < n; i++) sink += ({ ...parsed[i], ...derived[i] }).handlerCount; }),
    measure('decide (roles, decimal.js split)', (n) => { for (let i = 0; i < n; i++) sink += definition.decide([decisive[i]], parsed[i], context, derived[i]).basis.length; }),
    measure('hand: check + derive', (n) => { for (let i = 0; i < n; i++) sink += handFacts(facts[i]).handlerCount; }),
    measure('hand: outcome (integer cents)', (n) => { for (let i = 0; i < n; i++) sink += handOutcome(handRules[i], handViews[i]).status.length; }),
  ];
  const allocatedIndexes = decisive.flatMap((rule, i) => (rule.definition.event.params.status === 'allocated' ? [i] : []));
  const allocatedCount = allocatedIndexes.length;
  parts.push(
    measure('decide, allocated only', (n) => { for (let k = 0; k < n; k++) { const i = allocatedIndexes[k]; sink += definition.decide([decisive[i]], parsed[i], context, derived[i]).basis.length; } }, allocatedCount),
    measure('hand: outcome, allocated only', (n) => { for (let k = 0; k < n; k++) { const i = allocatedIndexes[k]; sink += handOutcome(handRules[i], handViews[i]).status.length; } }, allocatedCount),
  );

  // Refusals: the invalid facts (every kind of breakage, none in the measured set above).
  const refuse = (fn) => (n) => {
    for (let i = 0; i < n; i++) {
      try {
        fn(invalid[i]);
      } catch {
        sink++;
      }
    }
  };
  const refusedHand = measure('hand-written, refusing invalid facts', refuse((f) => handCommissionAllocation(f, AS_OF)), invalid.length);
  const refusedOurs = measure('evaluate, refusing invalid facts', refuse((f) => evaluate(POLICY, f, noTrace)), invalid.length);
  refusedOurs.vs = refusedHand.ns;
  refusedHand.vs = refusedHand.ns;
  results.push(refusedOurs, refusedHand);

  // json-rules-engine: the rules JSON as it is, engine built once, each run awaited. It cannot make
  // the decision alone (naming agents by role and splitting the pool is TypeScript), so it runs on
  // the facts after our facts check and derive (the derived facts and parameters added), and picks
  // the deciding rule: the highest priority that fired, file order within a priority.
  const engine = new Engine(rules.rules, { allowUndefinedFacts: true });
  const jreFacts = views.map((view) => ({ ...view, 'param.maxHandlers': params.maxHandlers, 'param.multipleReceivingAgents': params.multipleReceivingAgents }));
  const jre = await measureJre('json-rules-engine 7.3.1 (derived facts, each run awaited)', engine, jreFacts);
  results.push(jre.row);
  const ruleKey = (name, priority, event) => `${name}|${priority}|${JSON.stringify(event)}`;
  const ruleIndex = new Map(rules.rules.map((rule, index) => [ruleKey(rule.name, rule.priority, rule.event), index]));
  if (ruleIndex.size !== rules.rules.length) throw new Error('two rules share a name, priority and event: json-rules-engine results cannot be told apart');
  const jreRule = jre.fired.map((fired) => {
    if (fired.length === 0) return -1;
    const top = Math.max(...fired.map((result) => result.priority));
    return Math.min(...fired.filter((result) => result.priority === top).map((result) => ruleIndex.get(ruleKey(result.name, result.priority, result.event))));
  });

  // Agreement: the same decision JSON every way, the same deciding rule for every kernel and for
  // json-rules-engine; the same facts refused; and the case file's facts (edges and errors).
  let disagreements = 0;
  const report = (...what) => {
    if (disagreements++ < 5) console.error('disagreement on', ...what.map((w) => JSON.stringify(w)));
  };
  const many = [...evaluateMany(POLICY, facts, noTrace)];
  const decidedBy = new Map();
  facts.forEach((f, i) => {
    const ours = JSON.stringify(evaluate(POLICY, f, noTrace));
    const hand = JSON.stringify(handCommissionAllocation(f, AS_OF));
    const index = decisive[i].index;
    decidedBy.set(index, (decidedBy.get(index) ?? 0) + 1);
    const viaJre = JSON.stringify({ policy: POLICY, asOf: AS_OF, ...definition.decide([version.rules.find((rule) => rule.index === jreRule[i])], parsed[i], context, derived[i]), trace: [] });
    if (ours !== hand || JSON.stringify(many[i].decision) !== ours || handRules[i] !== index || handAllocationKernel(views[i]) !== index || jreRule[i] !== index || viaJre !== ours) {
      report(f, ours, hand, { compiled: index, hand: handRules[i], jre: jreRule[i] });
    }
  });
  const outcome = (f, asOf, fn) => {
    try {
      return JSON.stringify(fn(f, asOf));
    } catch (error) {
      if (error?.name === 'PolicyInputError' || error?.constructor?.name === 'HandInputError') return 'refused';
      throw error;
    }
  };
  const ours = (f, asOf) => evaluate(POLICY, f, { asOf, trace: false });
  let refused = 0;
  for (const f of invalid) {
    const a = outcome(f, AS_OF, ours);
    if (a !== 'refused' || outcome(f, AS_OF, handCommissionAllocation) !== 'refused') report('invalid facts accepted', f, a);
    else refused++;
  }
  const cases = readRules('commission/allocation.cases.json');
  const edges = [...cases.cases.map((c) => ({ facts: c.facts, asOf: c.asOf ?? cases.asOf })), ...EDGE_FACTS.map((f) => ({ facts: f, asOf: AS_OF }))];
  for (const { facts: f, asOf } of edges) {
    const a = outcome(f, asOf, ours);
    const b = outcome(f, asOf, handCommissionAllocation);
    if (a !== b) report(f, a, b);
  }
  const unused = rules.rules.map((rule, index) => (decidedBy.has(index) ? undefined : `${rule.name} (rules[${index}])`)).filter(Boolean);
  if (unused.length > 0) {
    console.error(`the generated facts never reach ${unused.join(', ')}`);
    disagreements++;
  }

  const rows = toRows(results, 'hand-written (same checks, exact)', 'kernel: hand-written if/else');
  printTable(POLICY, rows, disagreements, `, on ${refused.toLocaleString('en')} invalid ones (all refused) and ${edges.length} edge and case-file facts`);
  const coverage = rules.rules.map((rule, index) => ({ rule: rule.name, index, decided: decidedBy.get(index) ?? 0 }));
  console.log(`decided by: ${coverage.map((c) => `${c.rule}[${c.index}] ${c.decided}`).join(', ')}`);
  const round = (ns) => Math.round(ns * 10) / 10;
  console.log(`where the time goes, ns per fact (best of ${ROUNDS}; ${allocatedCount.toLocaleString('en')} of the facts are allocated):`);
  for (const p of parts) console.log(`  ${p.label.padEnd(40)} ${String(round(p.ns)).padStart(9)}`);
  return { policy: POLICY, count: COUNT, invalidCount: invalid.length, rows, parts: parts.map((p) => ({ label: p.label, nsPerFact: round(p.ns) })), coverage, disagreements };
}

const reports = [];
for (const policy of POLICIES) {
  if (reports.length > 0) console.log('');
  if (policy === 'review.approval') reports.push(await benchApproval());
  else if (policy === 'commission.allocation') reports.push(await benchAllocation());
  else throw new Error(`no benchmark for ${policy}`);
}
const disagreements = reports.reduce((sum, r) => sum + r.disagreements, 0);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine, count: COUNT, rounds: ROUNDS, policies: reports }, null, 2)}\n`);
if (sink === 0) console.log('');
process.exitCode = disagreements === 0 ? 0 : 1;
