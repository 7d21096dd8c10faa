// `npm run bench:impact`: what `impact` costs, and the report on a generated year (never part of
// `npm test`).
//   1. 1,000,000 generated review.approval rows (BENCH_COUNT) through both rule sets with
//      `impact`, against one `evaluateMany` pass over the same rows (goal: under 10×). Best of
//      BENCH_ROUNDS; both consume every result, so neither is optimised away.
//   2. The README's "lower the VP limit" example: a year (2027) of 1,000,000 contracts, each
//      decided as of its own signing date, the bundled rules against a copy whose vpLimit falls
//      from 3,000,000 to 2,000,000 from 2027-07-01 (a dated version). Prints the report as the
//      CLI does (text) and writes bench/impact-results.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { approvalContracts } from './facts/review-approval.mjs';

const DIST = new URL('../dist/', import.meta.url);
const { evaluateMany } = await import(new URL('index.js', DIST).href);
const { impact } = await import(new URL('node.js', DIST).href);

const COUNT = Number(process.env.BENCH_COUNT ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const AS_OF = '2026-01-01';
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;

const approval = JSON.parse(readFileSync(new URL('../rules/review/approval.rules.json', import.meta.url), 'utf8'));
const BASE = { 'review.approval': approval };
const lowered = structuredClone(approval);
lowered.parameters[0].values.vpLimit = 2_000_000;
const LOWER_VP = { 'review.approval': lowered };
const dated = structuredClone(approval);
dated.parameters.push({ from: '2027-07-01', note: 'The VP limit lowered (bench).', values: { ...approval.parameters[0].values, vpLimit: 2_000_000 } });
const DATED = { 'review.approval': dated };

// Seeded, so every run measures the same rows (the generator `bench/facts/review-approval.mjs` writes as NDJSON).
const undated = approvalContracts({ dated: false });
const rows = Array.from({ length: COUNT }, (_, i) => undated(i));
// evaluateMany's rows carry no id member (its facts schema is strict); impact takes the id out itself.
const facts = rows.map(({ id: _id, ...rest }) => rest);

function best(run) {
  let fastest = Infinity;
  let result;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    result = run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: fastest, result };
}
async function bestAsync(run) {
  let fastest = Infinity;
  let result;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    result = await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: fastest, result };
}

const once = best(() => {
  let decided = 0;
  for (const item of evaluateMany('review.approval', facts, { asOf: AS_OF, trace: false })) if (item.success) decided++;
  return decided;
});
const both = await bestAsync(() => impact('review.approval', rows, { base: BASE, rules: LOWER_VP, asOf: AS_OF }));
if (both.result.decided !== once.result) {
  console.error(`impact decided ${both.result.decided} rows, evaluateMany ${once.result}`);
  process.exit(1);
}
const ratio = both.ms / once.ms;
const table = [
  ['way', `${COUNT.toLocaleString('en')} review.approval rows`, 'rows/s', 'vs one pass'],
  ['evaluateMany, one rule set (trace off)', `${once.ms.toFixed(0)} ms`, Math.round((COUNT / once.ms) * 1000).toLocaleString('en'), '1.00×'],
  ['impact, both rule sets + the report', `${both.ms.toFixed(0)} ms`, Math.round((COUNT / both.ms) * 1000).toLocaleString('en'), `${ratio.toFixed(2)}× (goal < 10×)`],
];
console.log(`Machine: ${machine}; best of ${ROUNDS}\n`);
console.log(`| ${table[0].join(' | ')} |\n|---|---:|---:|---:|`);
for (const row of table.slice(1)) console.log(`| ${row.join(' | ')} |`);

// The generated year, each row decided as of its own date.
const signed2027 = approvalContracts({ dated: true, year: 2027 });
const year = Array.from({ length: COUNT }, (_, i) => signed2027(i));
const start = process.hrtime.bigint();
const report = await impact('review.approval', year, { base: BASE, rules: DATED, asOfField: 'signedOn' });
const yearMs = Number(process.hrtime.bigint() - start) / 1e6;
console.log(`\nA generated year (2027) of ${COUNT.toLocaleString('en')} contracts, vpLimit 3,000,000 → 2,000,000 from 2027-07-01, each row as of its signedOn (${yearMs.toFixed(0)} ms):\n`);
console.log(`${report.rows.toLocaleString('en')} rows: ${report.decided.toLocaleString('en')} decided by both, ${report.changed.toLocaleString('en')} change outcome, ${report.basisChanged} basis only; refused by both: ${JSON.stringify(report.refusedByBoth)}; by one side: ${report.refusals.length}`);
for (const t of report.transitions) console.log(`  ${t.count.toLocaleString('en').padStart(9)}  ${t.before.outcome.authority} [${t.before.basis}] → ${t.after.outcome.authority} [${t.after.basis}]  e.g. ${t.examples.join(', ')}`);
const rss = process.memoryUsage().rss;
writeFileSync(new URL('./impact-results.json', import.meta.url), `${JSON.stringify({ machine, count: COUNT, rounds: ROUNDS, evaluateManyMs: once.ms, impactMs: both.ms, ratio, year: { ms: yearMs, report }, rssBytes: rss }, null, 2)}\n`);
if (ratio >= 10) {
  console.error(`impact is ${ratio.toFixed(2)}× one evaluateMany pass: over the 10× goal`);
  process.exit(1);
}
