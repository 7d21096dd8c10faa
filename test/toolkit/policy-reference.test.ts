import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import type { RuleFile } from '../../src/core/rule-file.js';
import { POLICY_IDS } from '../../src/index.js';
import { policyReference, referenceExamples } from '../../src/toolkit/policy-reference.js';
import { ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';
import { runCli } from '../helpers/cli.js';

const read = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const compiled = ruleFilesEndingIn('.rules.json').map((path) => compileRuleFile(read(path), path));
const reference = policyReference(compiled, referenceExamples(ruleFilesEndingIn('.cases.json').map(read)));
const written = readFileSync(join(ROOT, 'docs', 'policies.md'), 'utf8');

describe('docs/policies.md, the policy reference', () => {
  it('is up to date with the rules and case files (run "npm run docs:policies" after changing one)', () => {
    expect(written).toBe(reference);
  });

  it('is what the CLI writes, wherever it is run from', () => {
    const { code, stdout } = runCli(['reference']);
    expect(code).toBe(0);
    expect(`${stdout.trimEnd()}\n`).toBe(written);
  });

  it('names every bundled policy, every fact, every labelled outcome value and every parameter', () => {
    const specs = compiled.map((file) => file.spec);
    expect(specs.map((spec) => spec.policy).sort()).toEqual([...POLICY_IDS].sort());
    for (const spec of specs) {
      expect(written).toContain(`## \`${spec.policy}\`: ${spec.title.en}`);
      for (const fact of Object.keys(spec.facts)) expect(written, `${spec.policy} fact ${fact}`).toContain(`| \`${fact}\` |`);
      for (const [field, values] of Object.entries(spec.labels)) for (const value of Object.keys(values)) expect(written, `${spec.policy} ${field}`).toContain(`| \`${field}\` | \`${value}\` |`);
      for (const name of Object.keys(spec.parameterInfo)) expect(written, `${spec.policy} parameter ${name}`).toContain(`| \`${name}\` |`);
    }
  });

  it('quotes the source of every rule, with its gloss, and lists every decision a rule description names', () => {
    for (const spec of compiled.map((file) => file.spec) as RuleFile[]) {
      const start = written.indexOf(`## \`${spec.policy}\``);
      const next = written.indexOf('\n## `', start + 1);
      const section = written.slice(start, next === -1 ? undefined : next);
      for (const rule of spec.rules) {
        if (rule.source?.quote) expect(section, `${spec.policy} ${rule.name}`).toContain(`> 「${rule.source.quote}」`);
        if (rule.source?.gloss) expect(section, `${spec.policy} ${rule.name}`).toContain(`> ${rule.source.gloss}`);
        for (const id of rule.description?.match(/\bD-[A-Z]+-\d+\b/g) ?? []) expect(section, `${spec.policy} ${id}`).toMatch(new RegExp(`- \\*\\*${id}\\*\\*: rules [^\\n]*${rule.name.replace('.', '\\.')}`));
      }
    }
  });

  it('shows worked examples from the case files, at most three a policy, and skips what is not a case file', () => {
    expect(referenceExamples([null, 'x', { policy: 'p' }, { policy: 'p', cases: [{ name: 'error', facts: {}, expected: { error: 'INVALID_FACTS' } }, { name: 'ok', facts: { a: 1 }, expected: { outcome: { b: 2 } } }] }])).toEqual({
      p: [{ name: 'ok', facts: { a: 1 }, outcome: { b: 2 } }],
    });
    expect(written).toContain('### Examples (from the case file)');
    expect(written).toContain(`- ${(read('rules/review/approval.cases.json') as { cases: { name: string }[] }).cases[0]!.name}\n  - facts: `);
  });
});
