import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { enumerateCells, enumerateDecisionSpace } from '../../src/toolkit/enumerate.js';
import { validateRuleFile } from '../../src/toolkit/validate.js';
import { ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';

const AUTHORITIES = ['marketing_director', 'sales_vp', 'general_manager'];

/** The bundled approval file plus `count` rules on overlapping amount intervals (neighbours two apart conflict). */
function approvalWith(count: number): any {
  const json = JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8'));
  for (let i = 0; i < count; i++) {
    const low = 10_000_000 + i * 1000;
    json.rules.push({
      name: `GEN-${i}`,
      priority: 3,
      conditions: { all: [
        { fact: 'channel', operator: 'equal', value: i % 2 === 0 ? 'direct' : 'distributor' },
        { fact: 'disputed', operator: 'equal', value: i % 6 < 3 },
        { fact: 'amount', operator: 'greaterThanInclusive', value: low },
        { fact: 'amount', operator: 'lessThan', value: low + 2500 },
      ] },
      event: { type: 'approval', params: { authority: AUTHORITIES[i % 3] } },
    });
  }
  return json;
}

/** What every rule decides in every cell, by running every rule: the reference the candidate index must match. */
function everyRuleOnEveryCell(compiled: ReturnType<typeof compileRuleFile>, version: (typeof compiled.versions)[number]) {
  return enumerateCells([{ compiled, version }]).cells.map((cell) => runRules(version.rules, cell.facts, { firstHit: false, trace: false }).fired.map((rule) => rule.index));
}

describe('validate: conflict detection by candidate index', () => {
  const files = ruleFilesEndingIn('.rules.json');
  it.each(files)('%s: the indexed space fires exactly the rules that running every rule fires, in every cell', (file) => {
    const compiled = compileRuleFile(JSON.parse(readFileSync(join(ROOT, file), 'utf8')), file);
    for (const version of compiled.versions) {
      const space = enumerateDecisionSpace(compiled, version);
      // Sampled (the cells are too many; commission.allocation) or not, never for the work bound.
      expect(space.sampled?.workBound).toBeUndefined();
      expect(space.results.map((r) => r.fired.map((rule) => rule.index))).toEqual(
        space.sampled ? space.results.map((r) => runRules(version.rules, r.cell.facts, { firstHit: false, trace: false }).fired.map((rule) => rule.index)) : everyRuleOnEveryCell(compiled, version),
      );
    }
  });

  it('a generated file of 300 rules: the same fired rules as running every rule, and each neighbour conflict found once', () => {
    const json = approvalWith(300);
    const compiled = compileRuleFile(json, 'generated.rules.json');
    const space = enumerateDecisionSpace(compiled, compiled.versions[0]!);
    expect(space.sampled).toBeUndefined();
    expect(space.results.map((r) => r.fired.map((rule) => rule.index))).toEqual(everyRuleOnEveryCell(compiled, compiled.versions[0]!));
    const conflicts = validateRuleFile(json, 'generated.rules.json').filter((f) => f.code === 'conflict');
    // GEN-i and GEN-(i+2) overlap on amount and share the channel; they share `disputed` when i % 6 < 1 or 3 <= i % 6 < 4 …
    const expected = new Set<string>();
    for (let i = 0; i + 2 < 300; i++) if ((i % 6 < 3) === ((i + 2) % 6 < 3) && AUTHORITIES[i % 3] !== AUTHORITIES[(i + 2) % 3]) expected.add(`rules[${8 + i + 2}]`);
    expect(new Set(conflicts.map((c) => c.path))).toEqual(expected);
  });
});

describe('validate: the work bound', () => {
  it('past the bound, says "too large to check exactly, sampled" as a warning with a code, and still finds what the sample reaches', () => {
    const json = approvalWith(60);
    const findings = validateRuleFile(json, 'generated.rules.json', { maxRuleTests: 1000 });
    const warning = findings.find((f) => f.code === 'too_large_sampled');
    expect(warning).toMatchObject({ severity: 'warning', path: 'parameters[0]' });
    expect(warning!.message).toMatch(/^too large to check exactly, sampled: \d+ of \d+ combinations of facts checked \(68 rules\)/);
    expect(findings.some((f) => f.code === 'conflict')).toBe(true);
  });

  it('within the bound, no such warning (the bundled approval file is checked exactly)', () => {
    const json = JSON.parse(readFileSync(join(ROOT, 'rules/review/approval.rules.json'), 'utf8'));
    expect(validateRuleFile(json, 'approval.rules.json').map((f) => f.code)).not.toContain('too_large_sampled');
  });
});
