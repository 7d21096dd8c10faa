// `npm run bench`: how fast each way of evaluating review.approval is, side by side, in one
// process, on the same 100,000 generated fact objects (never part of `npm test`):
//   1. json-rules-engine running the same rules (engine built once, each run awaited)
//   2. our evaluate with trace      3. without trace      4. the batch API (evaluateMany)
//   5. a hand-written function doing the same job (same checks, same exactness): the limit
// and the kernels alone (facts already checked and normalised): our compiled rules against a
// hand-written if/else on the same values. Every way must agree on every fact, or it exits 1.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Engine } from 'json-rules-engine';
import { evaluate, evaluateMany } from '../dist/index.js';
import { reviewApproval } from '../dist/review.js';
import { handKernel, handReviewApproval } from './hand-written/review-approval.mjs';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const AS_OF = '2026-01-01';
const rules = JSON.parse(readFileSync(new URL('../rules/review/approval.rules.json', import.meta.url), 'utf8'));
const params = rules.parameters[0].values;

// Seeded, so every run measures the same facts: amounts as strings and as numbers, crowding the
// thresholds as well as spreading far beyond them.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
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

function measure(label, run) {
  run(Math.min(COUNT, 10_000)); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    run(COUNT);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / COUNT);
  }
  return { label, ns: best };
}

let sink = 0;
const results = [];
const noTrace = { asOf: AS_OF, trace: false };
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
const jreBasis = [];
{
  const start = process.hrtime.bigint();
  for (const f of jreFacts) {
    const { results: fired } = await engine.run(f);
    jreBasis.push(fired.sort((a, b) => b.priority - a.priority)[0]?.name);
  }
  results.push({ label: 'json-rules-engine 7.3.1 (each run awaited)', ns: Number(process.hrtime.bigint() - start) / COUNT });
}

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

const jre = results.find((r) => r.label.startsWith('json-rules-engine')).ns;
const hand = results.find((r) => r.label.startsWith('hand-written')).ns;
const handKernelNs = results.find((r) => r.label === 'kernel: hand-written if/else').ns;
const rows = results.map((r) => ({
  label: r.label,
  nsPerDecision: Math.round(r.ns * 10) / 10,
  decisionsPerSecond: Math.round(1e9 / r.ns),
  timesFasterThanJsonRulesEngine: Math.round(jre / r.ns),
  timesTheHandWritten: Math.round((r.ns / (r.label.startsWith('kernel') ? handKernelNs : hand)) * 100) / 100,
}));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
console.log(`review.approval, ${COUNT.toLocaleString('en')} fact objects, best of ${ROUNDS} rounds — ${machine}`);
console.log(`${'way'.padEnd(44)} ${'ns/decision'.padStart(11)} ${'decisions/s'.padStart(12)} ${'× JRE'.padStart(7)} ${'vs hand'.padStart(8)}`);
for (const r of rows) console.log(`${r.label.padEnd(44)} ${String(r.nsPerDecision).padStart(11)} ${r.decisionsPerSecond.toLocaleString('en').padStart(12)} ${String(r.timesFasterThanJsonRulesEngine).padStart(7)} ${`${r.timesTheHandWritten}×`.padStart(8)}`);
console.log(disagreements === 0 ? `all ways agree on all ${COUNT.toLocaleString('en')} facts` : `${disagreements} disagreements`);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine, count: COUNT, policy: 'review.approval', rows, disagreements }, null, 2)}\n`);
if (sink === 0) console.log('');
process.exitCode = disagreements === 0 ? 0 : 1;
