import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/case-files.js';

// The package as users get it: `npm pack`, installed into a fresh project, used from ESM,
// CommonJS, TypeScript (NodeNext and Bundler resolution) and the CLI through npx. Slow (an npm
// install), so it runs in one of the three time-zone projects only.
const run = process.env['TZ'] === 'UTC' ? describe : describe.skip;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
let project = '';

function sh(command: string, args: readonly string[], cwd = project): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

function write(path: string, text: string): void {
  mkdirSync(join(project, path, '..'), { recursive: true });
  writeFileSync(join(project, path), text);
}

run('the packed package in a fresh project', () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'sales-policies-consumer-'));
    // dist/ is built by `npm test` before the suite runs; pack it as it is.
    sh('npm', ['pack', '--ignore-scripts', '--pack-destination', project], ROOT);
    const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'))!;
    write('package.json', JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`]);
    write('facts.json', JSON.stringify({ amount: '1200000', channel: 'direct' }));
    write('broken-rules/approval.rules.json', JSON.stringify({ policy: 'review.approval' }));
  }, 240_000);

  it('works from ESM, with one copy of the core behind every entry point', () => {
    write(
      'esm.mjs',
      `import { evaluate, RuleSetError, createPolicies } from 'sales-policies';
import { reviewApproval } from 'sales-policies/review';
import { loadRuleSet } from 'sales-policies/node';
const d = evaluate('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: '2026-01-01' });
let sameClass = false;
try { createPolicies({ rules: { 'review.approval': { policy: 'review.approval' } } }); } catch (e) { sameClass = e instanceof RuleSetError; }
let nodeSameClass = false;
try { loadRuleSet('broken-rules'); } catch (e) { nodeSameClass = e instanceof RuleSetError; }
console.log(JSON.stringify([d.outcome.authority, reviewApproval.evaluate({ amount: 1, channel: 'direct' }, { asOf: '2026-01-01' }).basis[0], sameClass, nodeSameClass]));`,
    );
    expect(JSON.parse(sh('node', ['esm.mjs']))).toEqual(['sales_vp', 'REV-6.1', true, true]);
  });

  it('works from CommonJS require', () => {
    write(
      'cjs.cjs',
      `const { evaluate, PolicyInputError } = require('sales-policies');
const { commissionHandler } = require('sales-policies/commission');
let refused = false;
try { commissionHandler.evaluate({ request: 'nope' }); } catch (e) { refused = e instanceof PolicyInputError; }
console.log(JSON.stringify([evaluate('review.arbitration', { clause: 'price' }, { asOf: '2026-01-01' }).outcome.decidedBy, refused]));`,
    );
    expect(JSON.parse(sh('node', ['cjs.cjs']))).toEqual(['finance_vp', true]);
  });

  const typed = `import { evaluate } from 'sales-policies';
import type { ApprovalAuthority, ReviewApprovalOutcome } from 'sales-policies';
import { reviewApproval } from 'sales-policies/review';
const authority: ApprovalAuthority = evaluate('review.approval', { amount: '1200000', channel: 'direct' }).outcome.authority;
const outcome: ReviewApprovalOutcome = reviewApproval.evaluate({ amount: 1, channel: 'distributor' }).outcome;
// @ts-expect-error: not a channel
evaluate('review.approval', { amount: 1, channel: 'retail' });
// @ts-expect-error: not a policy
evaluate('review.nope', {});
export { authority, outcome };
`;

  it.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])('type-checks typed outcomes with moduleResolution %s', (name, options) => {
    write(`ts-${name}/index.ts`, typed);
    write(`ts-${name}/tsconfig.json`, JSON.stringify({ compilerOptions: { ...options, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['index.ts'] }));
    expect(sh('node', [TSC, '-p', `ts-${name}`])).toBe('');
  });

  it('runs the CLI through npx', () => {
    const decision = JSON.parse(sh('npx', ['--no-install', 'sales-policies', 'eval', 'review.approval', '--facts', 'facts.json', '--as-of', '2026-01-01', '--no-trace']));
    expect(decision).toMatchObject({ outcome: { authority: 'sales_vp' }, basis: ['REV-6.2'] });
    // The bundled rules validate: only the warnings about example parameters, exit 0.
    expect(sh('npx', ['--no-install', 'sales-policies', 'validate']).trim().split('\n').every((line) => line.includes('[example_parameter]'))).toBe(true);
  });
});
