// Benchmark: commission.protection over large protection lists. Run against the build:
//   npx tsup && node bench/protection.bench.mjs
// Not part of `npm test`. Prints the median time of one evaluate (all three questions) per size,
// and the ratio between sizes: linear work doubles with the list, quadratic work quadruples.
import { performance } from 'node:perf_hooks';
import { evaluate } from '../dist/index.js';

const DAYS = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));

function entries(n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const entry = { agent: `agent-${i % 5000}`, client: `client-${i}`, registeredOn: DAYS[i % 60] };
    if (i % 97 === 0) Object.assign(entry, { extendedUntil: '2026-04-30', extensionApprovedBy: 'manager-1' });
    out[i] = entry;
  }
  return out;
}

function measure(n, runs) {
  const facts = { entries: entries(n), on: '2026-03-01', client: 'client-777', agent: 'agent-7', register: { agent: 'agent-7', client: 'client-new' } };
  const options = { asOf: '2026-03-01', maxItems: n, trace: false };
  let outcome;
  for (let i = 0; i < 3; i++) outcome = evaluate('commission.protection', facts, options).outcome;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    outcome = evaluate('commission.protection', facts, options).outcome;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { entries: n, medianMs: +times[Math.floor(times.length / 2)].toFixed(1), minMs: +times[0].toFixed(1), outcome };
}

const sizes = [50_000, 100_000, 200_000];
const results = sizes.map((n) => measure(n, 15));
for (const r of results) console.log(`${String(r.entries).padStart(7)} entries: median ${r.medianMs} ms (min ${r.minMs} ms)  ${JSON.stringify(r.outcome)}`);
const ratio = (a, b) => (results[b].medianMs / results[a].medianMs).toFixed(2);
console.log(`ratio 100k/50k: ${ratio(0, 1)}, 200k/100k: ${ratio(1, 2)} (linear ≈ 2, quadratic ≈ 4)`);
