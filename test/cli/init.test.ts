import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvaluateOptions } from '../../src/index.js';
import { createPolicies, evaluate } from '../../src/index.js';
import { parseCaseFile } from '../../src/core/cases.js';
import { loadRuleSet } from '../../src/node/index.js';
import { readRuleFolder } from '../../src/node/rule-folder.js';
import { ROOT } from '../helpers/case-files.js';
import { runCli } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'sales-policies-init-'));

/** A project with the package "installed": node_modules/sales-policies with its package.json and schemas. */
function projectWithPackage(): string {
  const project = fresh();
  const installed = join(project, 'node_modules', 'sales-policies');
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'sales-policies', version: '0.0.0' }));
  cpSync(join(ROOT, 'schema'), join(installed, 'schema'), { recursive: true });
  return project;
}

describe('sales-policies init', () => {
  it('copies every bundled rules and case file, changing only $schema, and writes a README', () => {
    const project = fresh();
    const { code, stdout } = runCli(['init'], { cwd: project });
    expect(code).toBe(0);
    const bundled = readRuleFolder(join(ROOT, 'rules'));
    const copied = readRuleFolder(join(project, 'rules'));
    expect(stdout).toMatch(new RegExp(`^wrote ${bundled.rules.length + bundled.cases.length + 1} files to rules/`));
    expect(copied.rules.length + copied.cases.length).toBe(bundled.rules.length + bundled.cases.length);
    for (const [index, file] of [...copied.rules, ...copied.cases].entries()) {
      const original = [...bundled.rules, ...bundled.cases][index]!;
      const { $schema, ...rest } = file.json as { $schema: string };
      const { $schema: _old, ...originalRest } = original.json as { $schema: string };
      expect(rest).toEqual(originalRest);
      // Only the $schema value changed, byte for byte.
      expect(file.text.replace($schema, '')).toBe(original.text.replace(_old, ''));
      expect(readFileSync(resolve(dirname(file.absolutePath), $schema), 'utf8')).toBe(readFileSync(join(ROOT, 'schema', file.path.endsWith('.rules.json') ? 'rules.schema.json' : 'cases.schema.json'), 'utf8'));
    }
    expect(readFileSync(join(project, 'rules', 'README.md'), 'utf8')).toContain('npx sales-policies validate --rules rules');
  });

  it.each([
    ['rules', '../../node_modules/sales-policies/schema/rules.schema.json'],
    ['config/policies/ours', '../../../../node_modules/sales-policies/schema/rules.schema.json'],
  ])('points $schema into the installed package from %s, whatever the depth', (dir, schema) => {
    const project = projectWithPackage();
    const { code, stdout } = runCli(['init', dir, '--policies', 'review.approval'], { cwd: project });
    expect(code).toBe(0);
    expect(stdout).toContain('each $schema points into node_modules/sales-policies/schema/');
    expect(JSON.parse(readFileSync(join(project, dir, 'review', 'approval.rules.json'), 'utf8')).$schema).toBe(schema);
    expect(JSON.parse(readFileSync(join(project, dir, 'review', 'approval.cases.json'), 'utf8')).$schema).toBe(schema.replace('rules.schema', 'cases.schema'));
  });

  it('finds the installed package above the folder, not above the working directory', () => {
    const project = projectWithPackage();
    const elsewhere = fresh();
    expect(runCli(['init', join(project, 'rules'), '--policies', 'review.approval'], { cwd: elsewhere }).code).toBe(0);
    expect(JSON.parse(readFileSync(join(project, 'rules', 'review', 'approval.rules.json'), 'utf8')).$schema).toBe('../../node_modules/sales-policies/schema/rules.schema.json');
  });

  it('copies only the policies --policies names (ids and prefix.*)', () => {
    const project = fresh();
    expect(runCli(['init', 'ours', '--policies', 'review.approval,commission.*'], { cwd: project }).code).toBe(0);
    const copied = readRuleFolder(join(project, 'ours'));
    const policies = (files: typeof copied.rules) => new Set(files.map((f) => (f.json as { policy: string }).policy));
    const expected = new Set(['review.approval', 'commission.allocation', 'commission.handler', 'commission.protection', 'commission.conduct']);
    expect({ rules: policies(copied.rules), cases: policies(copied.cases) }).toEqual({ rules: expected, cases: expected });
  });

  it.each([
    [['init', '--policies', 'review.aproval'], /--policies: no policy matches "review\.aproval": known policies are review\.approval/],
    [['init', '--policies', ','], /--policies takes policy ids or prefixes/],
    [['init', 'a', 'b'], /init takes one folder/],
    [['init', '--frobnicate'], /unknown flag --frobnicate/],
    [['init', '--forc'], /unknown flag --forc; did you mean "--force"\?/],
  ])('exits 2 on a usage error: %j', (args, message) => {
    const { code, stderr } = runCli(args, { cwd: fresh() });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('refuses to overwrite a file unless --force, and writes nothing when it refuses', () => {
    const project = fresh();
    mkdirSync(join(project, 'rules', 'review'), { recursive: true });
    writeFileSync(join(project, 'rules', 'review', 'approval.rules.json'), 'ours');
    const refused = runCli(['init', '--policies', 'review.*'], { cwd: project });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('1 of the files init writes already exist (rules/review/approval.rules.json): pass --force to overwrite them');
    expect(readRuleFolder(join(project, 'rules')).cases).toEqual([]);
    const forced = runCli(['init', '--policies', 'review.*', '--force'], { cwd: project });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('1 overwritten');
    expect(JSON.parse(readFileSync(join(project, 'rules', 'review', 'approval.rules.json'), 'utf8')).policy).toBe('review.approval');
  });

  it('lists in the README exactly the example parameters validate warns about', () => {
    const project = fresh();
    runCli(['init'], { cwd: project });
    const readme = readFileSync(join(project, 'rules', 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^- `([^`]+)`: `(parameters\[\d+\]\.values\.\w+)`/gm)].map((m) => `rules/${m[1]} ${m[2]}`);
    const validate = runCli(['validate', '--rules', 'rules', '--format', 'json'], { cwd: project });
    const warned = (JSON.parse(validate.stdout) as { findings: { code: string; file: string; path: string }[] }).findings.filter((f) => f.code === 'example_parameter').map((f) => `${f.file} ${f.path}`);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.sort()).toEqual(warned.sort());
  });

  it('gives a copy that validates, tests and decides as the bundled rules do', () => {
    const project = fresh();
    runCli(['init'], { cwd: project });
    const validate = runCli(['validate', '--rules', 'rules'], { cwd: project });
    expect({ code: validate.code, stdout: validate.stdout.split('\n').filter((l) => l !== '' && !l.includes('[example_parameter]')) }).toEqual({ code: 0, stdout: [] });
    const test = runCli(['test', '--rules', 'rules', '--min-coverage', '100'], { cwd: project });
    expect(test.code).toBe(0);
    const policies = createPolicies({ rules: loadRuleSet(join(project, 'rules')) });
    let compared = 0;
    for (const file of readRuleFolder(join(ROOT, 'rules')).cases) {
      const cases = parseCaseFile(file.json, file.path);
      for (const testCase of cases.cases) {
        const asOf = testCase.asOf ?? cases.asOf;
        const options: EvaluateOptions = { ...(asOf === undefined ? {} : { asOf }), ...(testCase.timeZone === undefined ? {} : { timeZone: testCase.timeZone }) };
        const decide = (f: typeof evaluate) => {
          try {
            return f(cases.policy as never, testCase.facts as never, options);
          } catch (error) {
            return (error as { code: string }).code;
          }
        };
        expect(decide(policies.evaluate as typeof evaluate), `${file.path} › ${testCase.name}`).toEqual(decide(evaluate));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(400);
  });
});
