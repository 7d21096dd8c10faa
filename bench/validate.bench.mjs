// `npm run bench:validate`: how long `sales-policies validate` takes as a rules file grows (never
// part of `npm test`). For each size (BENCH_SIZES, default 100,1000,10000) it writes a rules folder
// holding the bundled review.approval file plus that many generated rules, runs the built CLI's
// validate on it (the time CI would spend) and prints the wall time, the findings by code, and
// whether the work bound made it sample (a `too_large_sampled` warning). Generated rule i tests the channel,
// `disputed` and an amount interval that overlaps its neighbour's, so the conflict check has real
// pairs to find (i and i+1 at the same priority with different authorities).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const AUTHORITIES = ['marketing_director', 'sales_vp', 'general_manager'];

function generatedRule(i) {
  const low = 10_000_000 + i * 1000;
  return {
    name: `GEN-${i}`,
    priority: 3,
    conditions: {
      all: [
        { fact: 'channel', operator: 'equal', value: i % 2 === 0 ? 'direct' : 'distributor' },
        { fact: 'disputed', operator: 'equal', value: i % 6 < 3 },
        { fact: 'amount', operator: 'greaterThanInclusive', value: low },
        { fact: 'amount', operator: 'lessThan', value: low + 2500 },
      ],
    },
    event: { type: 'approval', params: { authority: AUTHORITIES[i % 3] } },
  };
}

const base = JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8'));
delete base.$schema;
const rows = [];
for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'sales-policies-bench-validate-'));
  mkdirSync(join(dir, 'review'));
  const json = { ...base, rules: [...base.rules, ...Array.from({ length: size }, (_, i) => generatedRule(i))] };
  writeFileSync(join(dir, 'review', 'approval.rules.json'), JSON.stringify(json, null, 2));
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'validate', '--rules', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0 && run.status !== 1) {
    console.error(run.stderr);
    process.exit(1);
  }
  const report = JSON.parse(run.stdout);
  const byCode = {};
  for (const finding of report.findings) byCode[finding.code] = (byCode[finding.code] ?? 0) + 1;
  rows.push({ rules: base.rules.length + size, seconds: Number(seconds.toFixed(2)), workBound: Boolean(byCode.too_large_sampled), findings: byCode });
  console.log(`${String(base.rules.length + size).padStart(6)} rules  ${seconds.toFixed(2).padStart(7)} s  ${byCode.too_large_sampled ? 'sampled (work bound)' : 'checked exactly     '}  ${JSON.stringify(byCode)}`);
}
writeFileSync(join(ROOT, 'bench/validate-results.json'), `${JSON.stringify(rows, null, 2)}\n`);
