// `npm run bench:impact-duckdb`: `impact` through DuckDB against the Node engine, as a user runs
// them (the built CLI, one process each, wall time and peak RSS from /usr/bin/time -v when it is
// there). Never part of `npm test`.
//   The rows: BENCH_SIZES (default 1,000,000 and 10,000,000) generated review.approval contracts,
//   written once by DuckDB into BENCH_DIR (default /tmp/sales-policies-impact-bench) as Parquet (for
//   DuckDB) and NDJSON (for Node; the same rows, same ids), and kept for the next run.
//   Each size: the bundled rules against a copy whose vpLimit falls 3,000,000 → 2,000,000 from
//   2027-07-01 (a dated version), each row decided as of its own signing date (--as-of-field).
//   Node runs at the sizes in BENCH_NODE_SIZES (default: all). Goal: 10,000,000 rows through DuckDB
//   at least 3× faster than Node. Both reports must be equal (messages aside), or the bench fails.
//   Writes bench/impact-duckdb-results.json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = process.env.BENCH_CLI ?? join(ROOT, 'dist', 'cli.js');
const DIR = process.env.BENCH_DIR ?? '/tmp/sales-policies-impact-bench';
const SIZES = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const NODE_SIZES = new Set((process.env.BENCH_NODE_SIZES ?? SIZES.join(',')).split(',').filter(Boolean).map(Number));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;

// The changed rules: a dated version lowering the VP limit from 2027-07-01.
const rulesDir = mkdtempSync(join(tmpdir(), 'sales-policies-impact-bench-rules-'));
cpSync(join(ROOT, 'rules'), join(rulesDir, 'rules'), { recursive: true });
cpSync(join(ROOT, 'schema'), join(rulesDir, 'schema'), { recursive: true });
const approvalFile = join(rulesDir, 'rules', 'review', 'approval.rules.json');
const approval = JSON.parse(readFileSync(approvalFile, 'utf8'));
const last = approval.parameters.at(-1);
approval.parameters.push({ from: '2027-07-01', note: 'The VP limit lowered (bench).', values: { ...last.values, vpLimit: 2_000_000 } });
writeFileSync(approvalFile, `${JSON.stringify(approval, null, 2)}\n`);

/** Writes `count` contracts as Parquet and NDJSON with DuckDB (seeded: the same rows every run), unless they are there. */
async function generate(count) {
  mkdirSync(DIR, { recursive: true });
  const parquet = join(DIR, `approval-${count}.parquet`);
  const ndjson = join(DIR, `approval-${count}.ndjson`);
  if (existsSync(parquet) && existsSync(ndjson)) return { parquet, ndjson, ms: 0 };
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const start = process.hrtime.bigint();
  // Amounts spread over the thresholds (most small, some near each limit, a few large), in fen
  // then as a decimal string; a few bad amounts, as real history has; dates over 2027.
  // hash(i, salt) gives each row the same pseudo-random numbers every run, whatever the threads.
  const r = (salt) => `(hash(i, ${salt}) % 1000000) / 1000000.0`;
  await connection.run(`CREATE TABLE contracts AS
    SELECT 'C-' || lpad(CAST(i + 1 AS VARCHAR), 8, '0') AS "id",
      CASE WHEN ${r(7)} < 0.0005 THEN 'unknown' ELSE CAST(CAST(CAST(round(CASE WHEN ${r(1)} < 0.6 THEN ${r(2)} * 500000 WHEN ${r(1)} < 0.85 THEN 500000 + ${r(2)} * 1500000 WHEN ${r(1)} < 0.97 THEN 2000000 + ${r(2)} * 1000000 ELSE 3000000 + ${r(2)} * 7000000 END * 100) AS BIGINT) / 100.0 AS DECIMAL(18, 2)) AS VARCHAR) END AS "amount",
      CASE WHEN ${r(3)} < 0.8 THEN 'direct' ELSE 'distributor' END AS "channel",
      ${r(4)} < 0.05 AS "disputed",
      ${r(5)} < 0.1 AS "repeatBatch",
      ${r(6)} < 0.05 AS "technicalTermsChanged",
      CAST(DATE '2027-01-01' + CAST(hash(i, 8) % 365 AS INTEGER) AS VARCHAR) AS "signedOn"
    FROM range(${count}) AS t(i) ORDER BY i`);
  await connection.run(`COPY contracts TO '${parquet}.part' (FORMAT PARQUET)`);
  await connection.run(`COPY contracts TO '${ndjson}.part' (FORMAT JSON)`);
  connection.closeSync();
  instance.closeSync();
  renameSync(`${parquet}.part`, parquet);
  renameSync(`${ndjson}.part`, ndjson);
  return { parquet, ndjson, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** One impact run of the CLI: its report, wall seconds and peak RSS. */
function run(engine, data) {
  const args = ['impact', '--base', 'rules', '--rules', join(rulesDir, 'rules'), '--data', data, '--policy', 'review.approval', '--as-of-field', 'signedOn', '--format', 'json', '--engine', engine];
  const command = TIME === undefined ? [process.execPath, CLI, ...args] : [TIME, '-v', process.execPath, CLI, ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${engine} impact failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(result.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(result.stderr);
  // CPU seconds too: on a shared machine wall time mostly measures the neighbours.
  const cpu = user === null || system === null ? undefined : Number(user[1]) + Number(system[1]);
  return { report: JSON.parse(result.stdout), seconds, cpu, rssMb: rss === null ? undefined : Number(rss[1]) / 1024 };
}

const withoutMessages = (report) => ({ ...report, refusals: report.refusals.map(({ message: _message, ...refusal }) => refusal) });

const results = [];
for (const count of SIZES) {
  const files = await generate(count);
  if (files.ms > 0) console.error(`generated ${count.toLocaleString('en')} rows in ${(files.ms / 1000).toFixed(1)} s`);
  const duckdb = run('duckdb', files.parquet);
  const node = NODE_SIZES.has(count) ? run('node', files.ndjson) : undefined;
  if (duckdb.report.rows !== count) throw new Error(`DuckDB read ${duckdb.report.rows} rows, not ${count}`);
  if (node !== undefined && JSON.stringify(withoutMessages(node.report)) !== JSON.stringify(withoutMessages(duckdb.report))) {
    writeFileSync(join(DIR, `mismatch-${count}.json`), JSON.stringify({ node: node.report, duckdb: duckdb.report }, null, 2));
    throw new Error(`the two engines' reports differ at ${count} rows: see ${join(DIR, `mismatch-${count}.json`)}`);
  }
  results.push({ count, duckdbSeconds: duckdb.seconds, duckdbCpu: duckdb.cpu, duckdbRssMb: duckdb.rssMb, nodeSeconds: node?.seconds, nodeCpu: node?.cpu, nodeRssMb: node?.rssMb, changed: duckdb.report.changed });
  console.error(JSON.stringify(results.at(-1)));
}

const mb = (value) => (value === undefined ? '–' : `${value.toFixed(0)} MB`);
console.log(`Machine: ${machine}; review.approval, --as-of-field (a dated version), the CLI in one process per run\n`);
const s = (value) => (value === undefined ? '–' : `${value.toFixed(1)} s`);
const ratio = (a, b) => (a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}×`);
console.log('| rows | Node wall | DuckDB wall | wall ratio | Node CPU | DuckDB CPU | CPU ratio | peak RSS Node | peak RSS DuckDB | rows changed |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.count.toLocaleString('en')} | ${s(r.nodeSeconds)} | ${s(r.duckdbSeconds)} | ${ratio(r.nodeSeconds, r.duckdbSeconds)} | ${s(r.nodeCpu)} | ${s(r.duckdbCpu)} | ${ratio(r.nodeCpu, r.duckdbCpu)} | ${mb(r.nodeRssMb)} | ${mb(r.duckdbRssMb)} | ${r.changed.toLocaleString('en')} |`);
}
writeFileSync(new URL('./impact-duckdb-results.json', import.meta.url), `${JSON.stringify({ machine, results }, null, 2)}\n`);
const largest = results.at(-1);
if (largest.nodeSeconds !== undefined && largest.nodeSeconds / largest.duckdbSeconds < 3) {
  console.error(`DuckDB is ${(largest.nodeSeconds / largest.duckdbSeconds).toFixed(2)}× faster than Node at ${largest.count.toLocaleString('en')} rows: under the 3× goal`);
  process.exit(1);
}
