import { describe, expect, it } from 'vitest';
import type { CompiledRuleFile } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import type { PolicyId } from '../../src/index.js';
import { RuleSetError, SalesPoliciesError, evaluate } from '../../src/index.js';
import { bundledCaseFiles } from '../helpers/case-files.js';
import { bundledRules, HOSTILE_STRINGS, RULE_FILES, withTextEverywhere, withTextInOutcome, withTextsInValues } from '../helpers/hostile.js';

// The evaluator compiles each rule version to generated JavaScript (the kernel). Rules files full
// of hostile strings must give a kernel that runs no code of theirs, changes nothing global, and
// decides exactly as the closures do (compiled without code generation).

const AS_OF = '2026-01-01';
const CASES = bundledCaseFiles();

function policyOf(file: string): PolicyId {
  return bundledRules(file).policy as PolicyId;
}

/** What evaluate gives, reduced to JSON: the outcome and basis, or the error's code and paths. */
function decide(policy: PolicyId, facts: unknown, rules: CompiledRuleFile, trace: boolean): unknown {
  try {
    const decision = evaluate(policy, facts as never, { asOf: AS_OF, rules, trace });
    return JSON.parse(JSON.stringify({ outcome: decision.outcome, basis: decision.basis }));
  } catch (error) {
    if (!(error instanceof SalesPoliciesError)) throw error;
    return { error: error.code, paths: 'issues' in error && Array.isArray(error.issues) ? error.issues.map((issue: { path: string }) => issue.path) : [] };
  }
}

function globals(): string[] {
  return Reflect.ownKeys(globalThis).map(String).sort();
}

// Heavy, and the kernel does not depend on the machine's zone (every call passes asOf): one zone project runs it.
describe.runIf(process.env['TZ'] === 'UTC')('hostile strings through the generated kernel', () => {
  const tally = { files: 0, refused: 0, versions: 0, decisions: 0 };

  it.each(RULE_FILES.map((file) => [file]))('%s: the kernel runs no code of the rules and decides as the closures do', (file) => {
    const policy = policyOf(file);
    const facts = CASES.filter(({ cases }) => cases.policy === policy).flatMap(({ cases }) => cases.cases.filter((c) => c.timeZone === undefined).map((c) => c.facts));
    expect(facts.length).toBeGreaterThan(0);
    const files: unknown[] = [
      withTextEverywhere(bundledRules(file), (slot) => HOSTILE_STRINGS[slot % HOSTILE_STRINGS.length]!),
      withTextsInValues(bundledRules(file), HOSTILE_STRINGS),
      ...HOSTILE_STRINGS.map((text) => withTextsInValues(bundledRules(file), [text])),
      // Outcome strings reach decide, not the kernel: one file with a hostile string in each rule's outcome.
      ...[0, 1].map((offset) => {
        const json = bundledRules(file);
        (json.rules as unknown[]).forEach((_, rule) => withTextInOutcome(json, HOSTILE_STRINGS[(rule + offset * 20) % HOSTILE_STRINGS.length]!, rule));
        return json;
      }),
    ];
    const before = globals();
    for (const json of files) {
      tally.files++;
      let generated: CompiledRuleFile;
      let closures: CompiledRuleFile;
      try {
        generated = compileRuleFile(structuredClone(json), file);
        closures = compileRuleFile(structuredClone(json), file, { generate: false });
      } catch (error) {
        if (!(error instanceof RuleSetError)) throw error;
        tally.refused++;
        continue;
      }
      for (const version of generated.versions) {
        // Generated, not fallen back to closures (which a syntax error in the source would cause).
        expect(version.firstHit.toString()).toMatch(/^function firstHit\(f\)/);
        expect(version.allHits.toString()).toMatch(/^function allHits\(f\)/);
        tally.versions++;
      }
      for (const item of facts) {
        const kernel = decide(policy, item, generated, false);
        expect(kernel).toEqual(decide(policy, item, closures, false));
        expect(kernel).toEqual(decide(policy, item, generated, true));
        tally.decisions++;
      }
    }
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    expect(globals()).toEqual(before);
  });

  it('tried every hostile string in every bundled rules file', () => {
    console.info(`hostile kernel: ${HOSTILE_STRINGS.length} strings in ${tally.files} rules files (${tally.refused} refused at load), ${tally.versions} generated versions, ${tally.decisions} decisions equal to the closures'`);
    expect(tally.files).toBe(RULE_FILES.length * (4 + HOSTILE_STRINGS.length));
    expect(tally.refused).toBe(0);
    expect(tally.decisions).toBeGreaterThan(1000);
  });
});
