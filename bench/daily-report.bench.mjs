// fulfilment.dailyReport over 1,000,000 orders, streamed from a generator (never an array), in one
// pass: time per order, peak RSS, and how far the heap grows while the orders go through. Run with
// `npm run bench:daily-report` (builds first; node --expose-gc so the heap baseline is clean);
// never part of `npm test`. Writes bench/daily-report.results.json.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dailyOrderReport, dailyOrderReportAsync, evaluate } from '../dist/index.js';

const COUNT = Number(process.env.ORDERS ?? 1_000_000);
const SAMPLE_EVERY = 10_000;
const SOURCES = ['store', 'phone', 'distributor', 'web', 'fax'];
const OFFSETS = ['Z', '+08:00', '-05:00'];
const START = Date.UTC(2026, 0, 1);
const SPAN = 60 * 86_400_000; // two months of orders

let heapPeak = 0;
const sampleHeap = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > heapPeak) heapPeak = used;
};

/** A seeded stream of orders; builds each order as it is asked for and keeps none. */
function* orders(count, sample) {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++) {
    if (sample && i % SAMPLE_EVERY === 0) sampleHeap();
    const ms = START + Math.floor(random() * SPAN);
    const offset = OFFSETS[i % OFFSETS.length];
    const at = offset === 'Z' ? new Date(ms).toISOString() : shifted(ms, offset);
    yield { at, quantity: Math.floor(random() * 50), source: SOURCES[Math.floor(random() * SOURCES.length)] };
  }
}

function shifted(ms, offset) {
  const minutes = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return `${new Date(ms + minutes * 60_000).toISOString().slice(0, 19)}${offset}`;
}

async function* asyncOrders(count) {
  yield* orders(count, false);
}

const gc = globalThis.gc ?? (() => {});
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

// Warm up the code paths on a small stream.
dailyOrderReport(orders(50_000, false));

// 1. Generating the orders alone, to separate the generator's cost from the report's.
let start = process.hrtime.bigint();
let sink = 0;
for (const order of orders(COUNT, false)) sink += order.quantity;
const generateSeconds = seconds(start);

// 2. The report, streamed, with the heap sampled every 10,000 orders.
gc();
const heapBefore = process.memoryUsage().heapUsed;
heapPeak = heapBefore;
start = process.hrtime.bigint();
const report = dailyOrderReport(orders(COUNT, true), { timeZone: 'Asia/Shanghai' });
const streamSeconds = seconds(start);
sampleHeap();
const peakRssAfterStream = process.resourceUsage().maxRSS / 1024;
gc();
const heapAfter = process.memoryUsage().heapUsed; // the report itself is still referenced
const totalOrders = report.days.reduce((n, day) => n + day.orders, 0);
if (totalOrders !== COUNT) throw new Error(`the report counted ${totalOrders} orders, not ${COUNT}`);

// 3. The async variant over an async generator.
start = process.hrtime.bigint();
const asyncReport = await dailyOrderReportAsync(asyncOrders(COUNT), { timeZone: 'Asia/Shanghai' });
const asyncSeconds = seconds(start);
if (JSON.stringify(asyncReport) !== JSON.stringify(report)) throw new Error('the async report differs');

// 4. evaluate on an array of 100,000 orders (the default maxItems), for comparison.
const array = [...orders(100_000, false)];
start = process.hrtime.bigint();
evaluate('fulfilment.dailyReport', { orders: array }, { asOf: '2026-01-01' });
const evaluateSeconds = seconds(start);

const maxRssMiB = process.resourceUsage().maxRSS / 1024;
const mib = (bytes) => bytes / 2 ** 20;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
const results = {
  date: new Date().toISOString().slice(0, 10),
  machine,
  orders: COUNT,
  days: report.days.length,
  groups: report.days.reduce((n, day) => n + Object.keys(day.bySource).length, 0),
  generateOnlySeconds: +generateSeconds.toFixed(3),
  streamSeconds: +streamSeconds.toFixed(3),
  streamNsPerOrderExcludingGeneration: Math.round(((streamSeconds - generateSeconds) * 1e9) / COUNT),
  asyncSeconds: +asyncSeconds.toFixed(3),
  evaluate100kArraySeconds: +evaluateSeconds.toFixed(3),
  heapBeforeMiB: +mib(heapBefore).toFixed(1),
  heapPeakDuringStreamMiB: +mib(heapPeak).toFixed(1),
  heapGrowthMiB: +mib(heapPeak - heapBefore).toFixed(1),
  heapRetainedAfterGcMiB: +mib(heapAfter - heapBefore).toFixed(2),
  peakRssThroughStreamMiB: +peakRssAfterStream.toFixed(1),
  peakRssWholeRunMiB: +maxRssMiB.toFixed(1),
};
console.log(`fulfilment.dailyReport — ${COUNT.toLocaleString('en')} streamed orders, ${results.days} days, ${results.groups} (day, source) groups — ${machine}`);
console.log(`generating the orders alone        ${generateSeconds.toFixed(2)} s`);
console.log(`dailyOrderReport (generator)       ${streamSeconds.toFixed(2)} s  (≈${results.streamNsPerOrderExcludingGeneration} ns per order beyond generating it)`);
console.log(`dailyOrderReportAsync (async gen.) ${asyncSeconds.toFixed(2)} s`);
console.log(`evaluate, array of 100,000 orders  ${evaluateSeconds.toFixed(2)} s`);
console.log(`heap: ${results.heapBeforeMiB} MiB before, ${results.heapPeakDuringStreamMiB} MiB peak while streaming (growth ${results.heapGrowthMiB} MiB, garbage not yet collected included), ${results.heapRetainedAfterGcMiB} MiB retained after GC; peak RSS ${results.peakRssThroughStreamMiB} MiB through the streamed run, ${results.peakRssWholeRunMiB} MiB for the whole benchmark (the 100,000-order array included)`);
writeFileSync(new URL('./daily-report.results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
if (sink < 0) console.log('');
