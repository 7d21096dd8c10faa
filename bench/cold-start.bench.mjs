// Time from `import` to the first decision, in a fresh process each time (median of 15), for the
// root entry and for one area's entry. Part of `npm run bench`, never of `npm test`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const cases = [
  ['import { evaluate } from "sales-policies"', `const { evaluate } = await import(${JSON.stringify(`${dist}index.js`)}); evaluate('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: '2026-01-01' });`],
  ['import { reviewApproval } from "sales-policies/review"', `const { reviewApproval } = await import(${JSON.stringify(`${dist}review.js`)}); reviewApproval.evaluate({ amount: '1200000', channel: 'direct' }, { asOf: '2026-01-01' });`],
  ['require("sales-policies") (CommonJS)', `const { evaluate } = require(${JSON.stringify(`${dist}index.cjs`)}); evaluate('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: '2026-01-01' });`],
];
const results = [];
for (const [label, code] of cases) {
  const isCjs = code.includes('require(');
  const script = isCjs
    ? `const t = performance.now(); ${code} process.stdout.write(String(performance.now() - t));`
    : `const t = performance.now(); ${code} process.stdout.write(String(performance.now() - t));`;
  const times = Array.from({ length: 15 }, () => Number(execFileSync(process.execPath, [isCjs ? '-e' : '--input-type=module', ...(isCjs ? [script] : ['-e', script])], { encoding: 'utf8' })));
  times.sort((a, b) => a - b);
  results.push({ label, medianMs: Math.round(times[7] * 10) / 10 });
}
for (const r of results) console.log(`${r.label.padEnd(56)} ${String(r.medianMs).padStart(6)} ms to the first decision`);
