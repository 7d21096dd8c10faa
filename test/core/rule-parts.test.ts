import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { evaluate, isPolicyId } from '../../src/index.js';
import { decisionPart, textPart } from '../../src/core/rule-parts.js';
import { bundledCaseFiles, ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';

// The library bundles each rules file's decision part and, apart, its text part (tsup.config.ts):
// whatever the file, the decision part must load and make the same decisions with the same trace
// (whose sources name their clause only), and the text part must hold every title, label, quote
// and gloss the decision part leaves out. That `explain` reads them back from the built package
// alike is checked on dist/ (test/core/build-checked.test.ts).
const read = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const rulesFiles = ruleFilesEndingIn('.rules.json');

/** A decision as the decision part makes it: each traced rule's source names its clause only. */
function clauseOnly(decision: { trace: { source?: { clause: string } }[] }): unknown {
  return { ...decision, trace: decision.trace.map((rule) => (rule.source ? { ...rule, source: { clause: rule.source.clause } } : rule)) };
}

/** The strings longer than any name or value a rules file holds (titles, descriptions, quotes, glosses), with where they are. */
function longStrings(value: unknown, at = '$'): string[] {
  if (typeof value === 'string') return value.length > 64 ? [at] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => longStrings(item, `${at}.${key}`));
}

function outcomeOf(run: () => unknown): unknown {
  try {
    return clauseOnly(run() as { trace: { source?: { clause: string } }[] });
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe('the decision part of a rules file', () => {
  it.each(rulesFiles)('%s loads, and keeps every rule, condition, event and parameter; its text part every title, label, quote and gloss', (file) => {
    const full = read(file) as Record<string, unknown>;
    const part = decisionPart(full, file) as Record<string, unknown>;
    const compiled = compileRuleFile(part, file);
    const whole = compileRuleFile(full, file);
    const decisive = ({ description: _d, source, ...rule }: (typeof whole.spec.rules)[number]) => ({ ...rule, clause: source?.clause });
    expect(compiled.spec.rules.map(decisive)).toEqual(whole.spec.rules.map(decisive));
    expect(compiled.spec.parameters.map((version) => version.values)).toEqual(whole.spec.parameters.map((version) => version.values));
    expect(compiled.spec.facts.constructor).toBe(Object);
    for (const [name, fact] of Object.entries(compiled.spec.facts)) expect({ ...fact, description: '' }).toEqual({ ...whole.spec.facts[name], description: '' });
    // No prose is left: every string of the part is a name, a value or a short placeholder (the
    // part's size is no test: a complete facts block is decision data, and grows it).
    expect(longStrings(part)).toEqual([]);
    expect(JSON.stringify(part)).not.toMatch(/"note":|"quote":|"gloss":|"labels":|"(description|en|zh)":"(?!in rules\/)/);
    const texts = textPart(full);
    expect(texts).toEqual({ title: whole.spec.title, labels: whole.spec.labels, rules: whole.spec.rules.map((rule) => rule.source ?? null) });
    expect(textPart(JSON.parse(JSON.stringify(texts)))).toEqual(texts);
  });

  it.each(bundledCaseFiles().flatMap(({ file, cases }) => cases.cases.map((c) => [`${file}: ${c.name}`, cases, c] as const)))('%s: the same decision and trace', (_name, caseFile, c) => {
    const policy = caseFile.policy;
    if (!isPolicyId(policy)) throw new Error(`unknown policy ${policy}`);
    const file = rulesFiles.find((f) => (read(f) as { policy?: unknown }).policy === policy)!;
    const asOf = c.asOf ?? caseFile.asOf;
    const options = { ...(asOf === undefined ? {} : { asOf }), ...(c.timeZone === undefined ? {} : { timeZone: c.timeZone }) };
    const full = read(file);
    const part = decisionPart(full, file);
    expect(outcomeOf(() => evaluate(policy, c.facts as never, { ...options, rules: part }))).toEqual(outcomeOf(() => evaluate(policy, c.facts as never, { ...options, rules: full })));
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
