// Time from the first line to the first decision, in a fresh process each time (median of 15),
// for the root entry, one area's entry and CommonJS, beside json-rules-engine's `require`, engine
// build and first run on the same rules: in-process (first line to first decision) and the whole
// process (spawn to exit, what a CLI or a serverless cold start pays). Part of `npm run bench`,
// never of `npm test`. BENCH_DIST points at another build (e.g. an older dist) to compare.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = process.env.BENCH_DIST ?? fileURLToPath(new URL('../dist/', import.meta.url));
const rulesFile = fileURLToPath(new URL('../rules/review/approval.rules.json', import.meta.url));
const params = JSON.parse(readFileSync(rulesFile, 'utf8')).parameters[0].values;
const jreFacts = { amount: 1_200_000, channel: 'direct', disputed: false, repeatBatch: false, technicalTermsChanged: false, priceChanged: false, 'param.directorLimit': Number(params.directorLimit), 'param.vpLimit': Number(params.vpLimit) };
const at = (file) => JSON.stringify(`${dist}${file}`);
const cases = [
  ['import { evaluate } from "sales-policies"', 'esm', `const { evaluate } = await import(${at('index.js')}); evaluate('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: '2026-01-01' });`],
  ['import { reviewApproval } from "sales-policies/review"', 'esm', `const { reviewApproval } = await import(${at('review.js')}); reviewApproval.evaluate({ amount: '1200000', channel: 'direct' }, { asOf: '2026-01-01' });`],
  ['require("sales-policies") (CommonJS)', 'cjs', `const { evaluate } = require(${at('index.cjs')}); evaluate('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: '2026-01-01' });`],
  ['json-rules-engine 7.3.1: require, build, first run', 'cjs', `const { Engine } = require('json-rules-engine'); const rules = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(rulesFile)}, 'utf8')).rules; new Engine(rules, { allowUndefinedFacts: true }).run(${JSON.stringify(jreFacts)}).then(() => process.stdout.write(String(performance.now() - t)));`],
];
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = [];
for (const [label, kind, code] of cases) {
  const async = code.includes('.then(');
  const script = `const t = performance.now(); ${code}${async ? '' : ' process.stdout.write(String(performance.now() - t));'}`;
  const args = kind === 'cjs' ? ['-e', script] : ['--input-type=module', '-e', script];
  const inProcess = [];
  const whole = [];
  for (let i = 0; i < 15; i++) {
    const start = process.hrtime.bigint();
    inProcess.push(Number(execFileSync(process.execPath, args, { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) })));
    whole.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  results.push({ label, firstDecisionMs: median(inProcess), processMs: median(whole) });
}
const jre = results.at(-1);
console.log(`${'cold start (median of 15 fresh processes)'.padEnd(56)} ${'to decision'.padStart(12)} ${'× JRE'.padStart(6)} ${'process'.padStart(9)} ${'× JRE'.padStart(6)}`);
for (const r of results) {
  console.log(`${r.label.padEnd(56)} ${`${r.firstDecisionMs.toFixed(1)} ms`.padStart(12)} ${(r.firstDecisionMs / jre.firstDecisionMs).toFixed(2).padStart(6)} ${`${r.processMs.toFixed(1)} ms`.padStart(9)} ${(r.processMs / jre.processMs).toFixed(2).padStart(6)}`);
}
