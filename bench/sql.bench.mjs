// `npm run bench:sql`: review.approval on 10 million generated rows, decided two ways (never part
// of `npm test`):
//   1. the query of toSql run by embedded DuckDB over a `facts` table generated inside DuckDB
//      with range(), every decision kept (CREATE TABLE decisions AS …);
//   2. evaluateMany in Node (trace: false) over the same rows generated in a loop.
// It also times the query's decisions counted by authority rather than kept.
// Both sides compute each row from its number with the same 32-bit hash, so the rows are the same
// on both sides, and the authority counts must agree exactly or the benchmark exits 1.
// BENCH_ROWS overrides the 10 million.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { evaluateMany } from '../dist/index.js';
import { toSql } from '../dist/sql.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const AS_OF = '2026-01-01';

// Row i, as Node builds it. Amounts crowd 500,000 and 3,000,000 (a third of the rows within a fen
// of one), the rest spread up to 6,000,000; 80% direct; disputed absent, true or false.
const K1 = 2654435761;
const K2 = 2246822519;
function row(i) {
  const h1 = (Math.imul(i, K1 | 0) + 12345) >>> 0;
  const h2 = (Math.imul(i, K2 | 0) + 54321) >>> 0;
  const r = h1 % 100;
  const cents = r < 20 ? 50_000_000 + (h2 % 3) - 1 : r < 30 ? 300_000_000 + (h2 % 3) - 1 : h2 % 600_000_000;
  const facts = { amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`, channel: (h1 >>> 8) % 10 < 8 ? 'direct' : 'distributor' };
  const disputed = (h1 >>> 12) % 4;
  if (disputed !== 0) facts.disputed = disputed === 1;
  if ((h1 >>> 16) % 10 === 0) facts.repeatBatch = true;
  if ((h1 >>> 20) % 20 === 0) facts.priceChanged = true;
  return facts;
}

// The same rows in SQL (BIGINT arithmetic; i * K stays below 2^63 for any i below 3 billion).
const h1 = `((i * ${K1} + 12345) % 4294967296)`;
const h2 = `((i * ${K2} + 54321) % 4294967296)`;
const cents = `CASE WHEN ${h1} % 100 < 20 THEN 50000000 + ${h2} % 3 - 1 WHEN ${h1} % 100 < 30 THEN 300000000 + ${h2} % 3 - 1 ELSE ${h2} % 600000000 END`;
const generate = `CREATE TABLE facts AS SELECT
  i AS id,
  CAST(CAST(${cents} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2)) AS amount,
  CASE WHEN (${h1} >> 8) % 10 < 8 THEN 'direct' ELSE 'distributor' END AS channel,
  CASE (${h1} >> 12) % 4 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END AS disputed,
  CASE WHEN (${h1} >> 16) % 10 = 0 THEN true END AS repeatBatch,
  CAST(NULL AS BOOLEAN) AS technicalTermsChanged,
  CASE WHEN (${h1} >> 20) % 20 = 0 THEN true END AS priceChanged
FROM range(${ROWS}) AS t(i)`;

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

// 1. DuckDB.
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
let start = process.hrtime.bigint();
await connection.run(generate);
const generateSeconds = seconds(start);
const sql = toSql('review.approval', { dialect: 'duckdb', asOf: AS_OF });
start = process.hrtime.bigint();
await connection.run(`CREATE TABLE decisions AS ${sql}`);
const duckdbSeconds = seconds(start);
// The same decisions counted by authority instead of kept (the impact of a threshold change, say).
start = process.hrtime.bigint();
await connection.run(`SELECT authority, count(*) FROM (${sql}) GROUP BY ALL`);
const duckdbCountSeconds = seconds(start);
const duckCounts = Object.fromEntries(
  (await connection.runAndReadAll(`SELECT coalesce(authority, error) AS authority, count(*) AS n FROM decisions GROUP BY ALL`)).getRowObjectsJson().map((r) => [r.authority, Number(r.n)]),
);
const [{ threads }] = (await connection.runAndReadAll(`SELECT current_setting('threads') AS threads`)).getRowObjectsJson();
connection.closeSync();
instance.closeSync();

// 2. Node: evaluateMany over the same rows, generated one at a time (10 million objects would not fit comfortably in memory).
function* rows(count) {
  for (let i = 0; i < count; i++) yield row(i);
}
start = process.hrtime.bigint();
let sink = 0;
for (const facts of rows(ROWS)) sink += facts.amount.length;
const nodeGenerateSeconds = seconds(start);
const nodeCounts = {};
start = process.hrtime.bigint();
for (const item of evaluateMany('review.approval', rows(ROWS), { asOf: AS_OF, trace: false })) {
  const authority = item.success ? item.decision.outcome.authority : item.error.code;
  nodeCounts[authority] = (nodeCounts[authority] ?? 0) + 1;
}
const nodeSeconds = seconds(start);

const sorted = (counts) => JSON.stringify(Object.fromEntries(Object.entries(counts).sort()));
const agree = sorted(duckCounts) === sorted(nodeCounts);
const perSecond = (s) => Math.round(ROWS / s).toLocaleString('en');
const results = {
  rows: ROWS,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, DuckDB threads ${threads}`,
  duckdb: { generateSeconds, querySeconds: duckdbSeconds, decisionsPerSecond: perSecond(duckdbSeconds), countByAuthoritySeconds: duckdbCountSeconds },
  node: { generateSeconds: nodeGenerateSeconds, evaluateManySeconds: nodeSeconds, evaluateManyWithoutGenerationSeconds: nodeSeconds - nodeGenerateSeconds, decisionsPerSecond: perSecond(nodeSeconds) },
  ratio: nodeSeconds / duckdbSeconds,
  counts: duckCounts,
  agree,
};
writeFileSync(new URL('./sql.results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`review.approval, ${ROWS.toLocaleString('en')} rows (${results.machine}; sink ${sink % 10})`);
console.log(`  DuckDB, the toSql query (CREATE TABLE decisions AS …): ${duckdbSeconds.toFixed(2)} s  (${results.duckdb.decisionsPerSecond} decisions/s; generating the table: ${generateSeconds.toFixed(2)} s)`);
console.log(`  DuckDB, the same decisions counted by authority:          ${duckdbCountSeconds.toFixed(2)} s`);
console.log(`  Node, evaluateMany (trace: false):                       ${nodeSeconds.toFixed(2)} s  (${results.node.decisionsPerSecond} decisions/s; generating the rows alone: ${nodeGenerateSeconds.toFixed(2)} s)`);
console.log(`  ratio: DuckDB is ${results.ratio.toFixed(1)}× faster; authorities ${agree ? 'agree' : 'DIFFER'}: ${sorted(duckCounts)}`);
if (!agree) {
  console.error(`Node counted ${sorted(nodeCounts)}`);
  process.exitCode = 1;
}
