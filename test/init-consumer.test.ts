import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/case-files.js';

// An organisation's own rules, end to end, as a new user meets them: `npm pack`, installed into a
// fresh project, `init`, one threshold changed with a JSON edit, then validate, test, diff and
// createPolicies on the copy. One packing for the file (an npm install is slow), in one time zone.
const run = process.env['TZ'] === 'UTC' ? describe : describe.skip;
let project = '';
const env = { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

function cli(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync('npx', ['--no-install', 'sales-policies', ...args], { cwd: project, encoding: 'utf8', env });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

run('init on the packed package in a fresh project', () => {
  const approval = () => join(project, 'rules', 'review', 'approval.rules.json');

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'sales-policies-init-consumer-'));
    // dist/ is built by `npm test` before the suite runs; pack it as it is.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', project], { cwd: ROOT, env });
    const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'our-sales', private: true, version: '1.0.0', type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], { cwd: project, env });
  }, 240_000);

  it('init writes the rules with $schema into node_modules, and they validate and test as they are', () => {
    const init = cli(['init']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('each $schema points into node_modules/sales-policies/schema/');
    expect(JSON.parse(readFileSync(approval(), 'utf8')).$schema).toBe('../../node_modules/sales-policies/schema/rules.schema.json');
    expect(existsSync(join(project, 'node_modules', 'sales-policies', 'docs', 'ci-workflow.yml'))).toBe(true);
    const validate = cli(['validate', '--rules', 'rules']);
    expect(validate.code).toBe(0);
    expect(validate.stdout).not.toContain('schema]');
    expect(cli(['test', '--rules', 'rules', '--min-coverage', '100']).code).toBe(0);
    expect(cli(['init']).code).toBe(2); // the copy is theirs now: not overwritten
  });

  it('after raising a threshold: validate passes, test fails the changed cases naming the rule, diff shows it, createPolicies uses it', () => {
    const json = JSON.parse(readFileSync(approval(), 'utf8'));
    json.parameters[0].values.directorLimit = 1_000_000;
    writeFileSync(approval(), `${JSON.stringify(json, null, 2)}\n`);

    expect(cli(['validate', '--rules', 'rules']).code).toBe(0);

    const test = cli(['test', '--rules', 'rules']);
    expect(test.code).toBe(1);
    expect(test.stdout).toMatch(/^✗ rules\/review\/approval\.cases\.json: 3 of \d+ failed$/m);
    expect(test.stdout).toContain('✗ rules/review/approval.cases.json › direct 500000.01, not disputed: sales_vp (REV-6.2)');
    expect(test.stdout).toContain('    basis:\n      - ["REV-6.2"]\n      + ["REV-6.1"]\n      (only expected: "REV-6.2"; only actual: "REV-6.1")');
    expect(test.stdout).toContain('Decided by REV-6.1');
    expect(test.stdout).toMatch(/^cases: \d+ passed, 3 failed$/m);

    const diff = cli(['diff', 'node_modules/sales-policies/rules', 'rules', '--as-of', '2026-01-01']);
    expect(diff.stdout).toMatch(/^review\.approval: \d+ changes/m);
    expect(diff.stdout).toMatch(/\{"authority":"sales_vp"\} \[REV-6\.2\]\n {2}→ \{"authority":"marketing_director"\} \[REV-6\.1\]/);

    writeFileSync(
      join(project, 'decide.js'),
      `import { createPolicies, evaluate } from 'sales-policies';
import { loadRuleSet } from 'sales-policies/node';
const ours = createPolicies({ rules: loadRuleSet('rules') });
const facts = { amount: '800000', channel: 'direct' };
console.log(JSON.stringify([ours.evaluate('review.approval', facts).outcome.authority, evaluate('review.approval', facts).outcome.authority, ours.evaluate('review.arbitration', { clause: 'price' }).outcome.decidedBy]));`,
    );
    expect(JSON.parse(execFileSync('node', ['decide.js'], { cwd: project, encoding: 'utf8', env }))).toEqual(['marketing_director', 'sales_vp', 'finance_vp']);
  });
});
