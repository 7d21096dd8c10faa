// What one `evaluate('review.approval', …)` costs, with and without trace, beside
// json-rules-engine running the same rules. Run with `npm run bench` (builds first); never part
// of `npm test`. Figures are per decision on 100,000 generated fact objects.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Engine } from 'json-rules-engine';
import { evaluate } from '../dist/index.js';

const COUNT = 100_000;
const rules = JSON.parse(readFileSync(new URL('../rules/review/approval.rules.json', import.meta.url), 'utf8'));
const params = rules.parameters[0].values;

// A seeded generator, so every run measures the same facts.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const facts = Array.from({ length: COUNT }, () => ({
  amount: random() < 0.5 ? String(Math.floor(random() * 600_000_000) / 100) : Math.floor(random() * 6_000_000),
  channel: random() < 0.8 ? 'direct' : 'distributor',
  disputed: random() < 0.2,
  repeatBatch: random() < 0.1,
}));

function time(label, run, repeat = 3) {
  run(Math.min(COUNT, 5_000)); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    run(COUNT);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  const ns = best / COUNT;
  return { label, nsPerDecision: Math.round(ns), decisionsPerSecond: Math.round(1e9 / ns) };
}

const options = { asOf: '2026-01-01' };
const results = [];
let sink = 0;
results.push(time('evaluate, with trace', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', facts[i], options).basis.length; }));
results.push(time('evaluate, trace: false', (n) => { for (let i = 0; i < n; i++) sink += evaluate('review.approval', facts[i], { asOf: '2026-01-01', trace: false }).basis.length; }));

// json-rules-engine: engine built once, each run awaited, as its docs use it. Amounts as numbers.
const engine = new Engine(rules.rules, { allowUndefinedFacts: true });
const jreFacts = facts.slice(0, 10_000).map((f) => ({ ...f, amount: Number(f.amount), technicalTermsChanged: false, priceChanged: false, 'param.directorLimit': params.directorLimit, 'param.vpLimit': params.vpLimit }));
const start = process.hrtime.bigint();
for (const f of jreFacts) sink += (await engine.run(f)).events.length;
const jreNs = Number(process.hrtime.bigint() - start) / jreFacts.length;
results.push({ label: 'json-rules-engine 7.3.1 (10,000 facts)', nsPerDecision: Math.round(jreNs), decisionsPerSecond: Math.round(1e9 / jreNs) });

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
console.log(`review.approval on ${COUNT.toLocaleString('en')} fact objects — ${machine}`);
for (const r of results) console.log(`${r.label.padEnd(42)} ${String(r.nsPerDecision).padStart(8)} ns/decision ${r.decisionsPerSecond.toLocaleString('en').padStart(12)} decisions/s  ${(jreNs / r.nsPerDecision).toFixed(0).padStart(5)}× json-rules-engine`);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine, results }, null, 2)}\n`);
if (sink === 0) console.log('');
