import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { evaluate, explain, isPolicyId } from '../../src/index.js';
import { decisionPart } from '../../src/toolkit/decision-part.js';
import { bundledCaseFiles, ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';

// The library bundles each rules file's decision part (tsup.config.ts): whatever the file, the
// decision part must load, make the same decisions with the same trace, and explain them alike.
const read = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const rulesFiles = ruleFilesEndingIn('.rules.json');

function outcomeOf(run: () => unknown, rules: unknown): unknown {
  try {
    const decision = run();
    return { decision, explained: explain(decision as never, { rules }) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe('the decision part of a rules file', () => {
  it.each(rulesFiles)('%s loads, and keeps every rule, condition, event, parameter and label', (file) => {
    const full = read(file) as Record<string, unknown>;
    const part = decisionPart(full, file) as Record<string, unknown>;
    const compiled = compileRuleFile(part, file);
    const whole = compileRuleFile(full, file);
    expect(compiled.spec.rules.map(({ description: _d, ...rule }) => rule)).toEqual(whole.spec.rules.map(({ description: _d, ...rule }) => rule));
    expect(compiled.spec.parameters.map((version) => version.values)).toEqual(whole.spec.parameters.map((version) => version.values));
    expect(compiled.spec.labels).toEqual(whole.spec.labels);
    expect(compiled.spec.facts.constructor).toBe(Object);
    for (const [name, fact] of Object.entries(compiled.spec.facts)) expect({ ...fact, description: '' }).toEqual({ ...whole.spec.facts[name], description: '' });
    expect(JSON.stringify(part).length).toBeLessThan(JSON.stringify(full).length);
    expect(JSON.stringify(part)).not.toMatch(/"note":|"description":"(?!in rules\/)/);
  });

  it.each(bundledCaseFiles().flatMap(({ file, cases }) => cases.cases.map((c) => [`${file}: ${c.name}`, cases, c] as const)))('%s: the same decision, trace and explanation', (_name, caseFile, c) => {
    const policy = caseFile.policy;
    if (!isPolicyId(policy)) throw new Error(`unknown policy ${policy}`);
    const file = rulesFiles.find((f) => (read(f) as { policy?: unknown }).policy === policy)!;
    const asOf = c.asOf ?? caseFile.asOf;
    const options = { ...(asOf === undefined ? {} : { asOf }), ...(c.timeZone === undefined ? {} : { timeZone: c.timeZone }) };
    const full = read(file);
    const part = decisionPart(full, file);
    expect(outcomeOf(() => evaluate(policy, c.facts as never, { ...options, rules: part }), part)).toEqual(outcomeOf(() => evaluate(policy, c.facts as never, { ...options, rules: full }), full));
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a list', [1, 2]],
    ['a string', 'rules'],
    ['facts that are not an object', { facts: 3, rules: 'x' }],
  ])('leaves %s as it is, for the loader to refuse', (_name, json) => {
    expect(decisionPart(json, 'rules/x.rules.json')).toEqual(json);
  });
});
