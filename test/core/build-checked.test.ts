import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedAtBuild, isCompiledRuleFile, loadRules } from '../../src/core/compile.js';
import { RuleSetError } from '../../src/core/errors.js';
import { parseRuleFile } from '../../src/core/rule-file.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { evaluate, explain, isPolicyId } from '../../src/index.js';
import { BUNDLED_REGISTRY } from '../../src/policies.js';
import { engineOf } from '../../src/core/policy.js';
import { bundledTexts } from '../../src/rule-texts.js';
import { decisionPart, textPart } from '../../src/core/rule-parts.js';
import { bundledCaseFiles, ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';

// The library build checks each bundled rules file with the loader and bundles the result as
// JSON text wrapped in checkedAtBuild (tsup.config.ts); evaluating it then skips the loader.
const read = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

describe('rules files checked when the library is built', () => {
  it.each(ruleFilesEndingIn('.rules.json'))('%s: what the build bundles compiles to what the loader makes of its decision part', (file) => {
    const part = decisionPart(read(file), file);
    // As the build writes it: the checked file as JSON text, read back.
    const bundled = checkedAtBuild(JSON.parse(JSON.stringify(parseRuleFile(part, file))) as ReturnType<typeof parseRuleFile>);
    const viaBuild = loadRules(bundled, file);
    const viaLoader = compileRuleFile(part, file);
    expect(isCompiledRuleFile(viaBuild)).toBe(true);
    expect(viaBuild.spec).toEqual(viaLoader.spec);
    expect(viaBuild.versions.map((version) => version.parameters)).toEqual(viaLoader.versions.map((version) => version.parameters));
    expect(viaBuild.versions.map((version) => version.rules.map((rule) => rule.name))).toEqual(viaLoader.versions.map((version) => version.rules.map((rule) => rule.name)));
    // Compiled once, and compileRuleFile takes the bundled object too (the CLI and toolkit pass it).
    expect(loadRules(bundled, file)).toBe(viaBuild);
    expect(compileRuleFile(bundled, file)).toBe(viaBuild);
    expect(Object.isFrozen(bundled)).toBe(true);
  });

  it.each(Object.keys(BUNDLED_REGISTRY.policies))('%s: its rules file\'s text part is bundled for explain', (id) => {
    const { rulesFile } = engineOf(BUNDLED_REGISTRY.policies[id as keyof typeof BUNDLED_REGISTRY.policies]).definition;
    expect(bundledTexts(rulesFile)).toEqual(textPart(read(rulesFile)));
    expect(bundledTexts(rulesFile)?.rules.length).toBeGreaterThan(0);
  });

  it('trusts no object by its shape: a checked-looking file that the build did not mark goes through the loader', () => {
    const file = 'rules/review/approval.rules.json';
    const lookalike = JSON.parse(JSON.stringify(parseRuleFile(decisionPart(read(file), file), file))) as Record<string, unknown>;
    // The loader refuses the key "file" a checked file carries, so the lookalike was read as JSON, not trusted.
    expect(() => loadRules(lookalike, 'options.rules')).toThrow(RuleSetError);
  });
});

// Child processes: the loader is installed per process by the entry points that take JSON rules.
const built = existsSync(join(ROOT, 'dist/review.js')) && existsSync(join(ROOT, 'dist/index.js'));
const run = (script: string): unknown => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }));

describe.skipIf(!built)('an area entry point, which bundles no rules-file loader (dist/ built by `npm test`)', () => {
  const facts = "{ amount: '1200000', channel: 'direct' }";
  const json = "JSON.parse((await import('node:fs')).readFileSync('rules/review/approval.rules.json', 'utf8'))";

  it('evaluates its bundled rules', () => {
    expect(run(`const { reviewApproval } = await import('./dist/review.js'); console.log(JSON.stringify(reviewApproval.evaluate(${facts}).outcome.authority));`)).toBe('sales_vp');
  });

  it('refuses a rules file given as JSON with not_compiled, naming compileRuleFile', () => {
    const result = run(`const { reviewApproval } = await import('./dist/review.js');
      try { reviewApproval.evaluate(${facts}, { rules: ${json} }); console.log('null'); }
      catch (error) { console.log(JSON.stringify({ name: error.name, code: error.issues[0].code, message: error.issues[0].message })); }`);
    expect(result).toMatchObject({ name: 'RuleSetError', code: 'not_compiled', message: expect.stringContaining('compileRuleFile') });
  });

  it('takes what compileRuleFile returns, and JSON once the root entry (which brings the loader) is loaded', () => {
    const result = run(`const { reviewApproval } = await import('./dist/review.js');
      const { compileRuleFile } = await import('./dist/index.js');
      const rules = ${json};
      rules.parameters[0].values.vpLimit = 1000000;
      console.log(JSON.stringify([reviewApproval.evaluate(${facts}, { rules: compileRuleFile(rules, 'mine.rules.json') }).outcome.authority, reviewApproval.evaluate(${facts}, { rules }).outcome.authority]));`);
    expect(result).toEqual(['general_manager', 'general_manager']);
  });

  it('checks facts with zod\'s parser, refusing what the root entry (zod\'s compiled schemas) refuses, with the same issues', () => {
    const bad = "[{ amount: -1, channel: 'fax', disputed: 'no' }, { amount: '1e5', channel: 'direct' }, { amount: 1, channel: 'direct', extra: 1 }, null]";
    const issues = (entry: string): unknown => run(`const { reviewApproval } = await import('./dist/review.js');
      ${entry}
      console.log(JSON.stringify(${bad}.map((facts) => { try { reviewApproval.evaluate(facts); return null; } catch (error) { return error.issues; } })));`);
    const areaOnly = issues('');
    expect(areaOnly).toEqual(issues("await import('./dist/index.js');"));
    expect((areaOnly as unknown[]).every((list) => Array.isArray(list) && list.length > 0)).toBe(true);
  });
});

describe.skipIf(!built)('the built package, which bundles each rules file\'s decision part and its text apart (dist/ built by `npm test`)', () => {
  // Every case of every bundled case file, evaluated and explained by dist/ in one process.
  const cases = bundledCaseFiles().flatMap(({ file, cases: caseFile }) =>
    caseFile.cases.map((c) => {
      const asOf = c.asOf ?? caseFile.asOf;
      return { name: `${file}: ${c.name}`, policy: caseFile.policy, facts: c.facts, options: { ...(asOf === undefined ? {} : { asOf }), ...(c.timeZone === undefined ? {} : { timeZone: c.timeZone }) } };
    }),
  );
  const attempt = (run: () => unknown): unknown => {
    try {
      return run();
    } catch (error) {
      return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  };
  // The cases go in on stdin: as an argument they pass the system's limit.
  const script = `const { evaluate, explain } = await import('./dist/index.js');
    const { text } = await import('node:stream/consumers');
    const attempt = ${attempt.toString()};
    console.log(JSON.stringify(JSON.parse(await text(process.stdin)).map(({ policy, facts, options }) => attempt(() => {
      const decision = evaluate(policy, facts, options);
      return { decision, en: explain(decision, { all: true }), zh: explain(decision, { lang: 'zh', all: true }) };
    }))));`;
  const fromDist = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', input: JSON.stringify(cases), maxBuffer: 64 * 1024 * 1024 })) as unknown[];

  it.each(cases.map((c, index) => [c.name, c, index] as const))('%s: the same decision, its trace naming the clause, and the same explanation, quotes and labels included', (_name, c, index) => {
    if (!isPolicyId(c.policy)) throw new Error(`unknown policy ${c.policy}`);
    const policy = c.policy;
    const expected = attempt(() => {
      const decision = evaluate(policy, c.facts as never, c.options);
      const trace = decision.trace.map((rule) => (rule.source ? { ...rule, source: { clause: rule.source.clause } } : rule));
      return { decision: JSON.parse(JSON.stringify({ ...decision, trace })) as unknown, en: explain(decision, { all: true }), zh: explain(decision, { lang: 'zh', all: true }) };
    });
    expect(fromDist[index]).toEqual(expected);
  });
});
