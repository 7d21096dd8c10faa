import type { CompiledRuleFile } from '../core/compile.js';
import { safeJson } from '../core/errors.js';
import type { RuleDefinition, RuleFile } from '../core/rule-file.js';
import { policyDoc } from './docs.js';

/**
 * The areas of the policy reference, in the order it lists them: a policy id's prefix, and the
 * heading of its section.
 */
const AREAS: readonly (readonly [string, string])[] = [
  ['review', 'Contract (order) review'],
  ['commission', 'Leasing commission and client protection'],
  ['followUp', 'Hotel order follow-up'],
  ['fulfilment', 'Distribution order desk'],
  ['selling', 'Selling'],
];

/** A decision the library took where the source is silent or ambiguous: `D-REV-2`, or `Decision:`. */
const DECISION_ID = /\bD-[A-Z]+-\d+\b/g;
const DECISION_WORD = /\bDecision\b/;

const INTRO = `# sales-policies: the policy reference

This file is generated from the rules files in \`rules/\` by \`npm run docs:policies\`
(\`sales-policies reference --out docs/policies.md\`); a test fails when it is stale, so edit the
rules files, not this page.

It describes every policy the package bundles: the facts each one reads, the outcomes it gives,
the parameters it uses and every rule, with the sentence of the source the rule comes from, quoted
in Chinese and translated. Where the source is silent or ambiguous the library takes a decision of
its own; a rule that rests on one says so in its description ("Decision", or an id such as
\`D-REV-2\`), and each policy ends with the list of its decisions.

How to read it:
- Money is CNY, exact: a JSON number or a decimal string (\`"1200000.50"\`); 万元 / 萬元 = 10,000 CNY.
  Money outcomes are decimal strings with two places.
- Dates are calendar dates in the organisation's time zone (\`Asia/Shanghai\` unless configured);
  an instant must carry its offset.
- A boolean fact is \`false\` when absent unless its description says otherwise; a fact a rule needs
  and that has no default is required.
- A case neither the source nor a decision settles is not guessed: the outcome names who rules
  (\`needs_ruling\`, \`decidedBy\`, \`handler\`, \`approver\`).
- Derived facts are computed by the library before the rules run; a caller never gives them.
- "first hit": the highest-priority rule that applies decides, file order breaking ties;
  "collect all": every rule that applies contributes.
`;

/** A worked example of a policy: a case from its case file, with the outcome it expects. */
export interface ReferenceExample {
  readonly name: string;
  readonly facts: unknown;
  readonly outcome: unknown;
}

/** The most examples a policy shows, from the start of its case file. */
const MAX_EXAMPLES = 3;

/**
 * The examples of each policy in a set of case files (`*.cases.json`, parsed): the cases that
 * expect an outcome, in file order, at most three per policy. Anything that is not a case file is skipped.
 *
 * @example
 * referenceExamples([{ policy: 'fulfilment.spending', cases: [{ name: 'a', facts: { amount: 0 }, expected: { outcome: { approver: 'order_processing_chief' } } }] }]);
 * //=> { 'fulfilment.spending': [{ name: 'a', facts: { amount: 0 }, outcome: { approver: 'order_processing_chief' } }] }
 */
export function referenceExamples(caseFiles: readonly unknown[]): Record<string, ReferenceExample[]> {
  const examples: Record<string, ReferenceExample[]> = {};
  for (const file of caseFiles) {
    if (file === null || typeof file !== 'object') continue;
    const { policy, cases } = file as { policy?: unknown; cases?: unknown };
    if (typeof policy !== 'string' || !Array.isArray(cases)) continue;
    const found = (examples[policy] ??= []);
    for (const item of cases as unknown[]) {
      if (found.length >= MAX_EXAMPLES) break;
      const { name, facts, expected } = (item ?? {}) as { name?: unknown; facts?: unknown; expected?: { outcome?: unknown } };
      if (typeof name === 'string' && expected !== null && typeof expected === 'object' && expected.outcome !== undefined) found.push({ name, facts, outcome: expected.outcome });
    }
  }
  return examples;
}

/**
 * The policy reference of a rule set as one Markdown document: per area and policy, its facts
 * (given and derived), its outcome values with their English and Chinese labels, its parameters
 * in every dated version, each rule with its conditions, outcome and source quote, and the
 * decisions the library took, and worked examples from the case files. It depends on those files
 * only, so it is the same on every day and machine.
 *
 * @example
 * policyReference([engineOf(POLICIES['review.approval']).compiled()]).includes('## `review.approval`'); //=> true
 */
export function policyReference(files: readonly CompiledRuleFile[], examples: Readonly<Record<string, readonly ReferenceExample[]>> = {}): string {
  const byArea = new Map<string, CompiledRuleFile[]>();
  for (const file of files) {
    const area = file.spec.policy.split('.')[0]!;
    byArea.set(area, [...(byArea.get(area) ?? []), file]);
  }
  const known = AREAS.map(([area]) => area);
  const areas = [...AREAS, ...[...byArea.keys()].filter((area) => !known.includes(area)).map((area) => [area, area] as const)].filter(([area]) => byArea.has(area));
  const lines = [INTRO, '## Contents', ''];
  for (const [area, heading] of areas) {
    lines.push(`- [${heading}](#${area})`);
    for (const file of byArea.get(area)!) lines.push(`  - [\`${file.spec.policy}\`](#${anchor(file.spec.policy)}): ${file.spec.title.en}`);
  }
  lines.push('');
  for (const [area, heading] of areas) {
    lines.push(`<a id="${area}"></a>`, '', `# ${heading} (\`${area}.*\`)`, '');
    for (const file of byArea.get(area)!) lines.push(...policySection(file, examples[file.spec.policy] ?? []));
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function policySection(compiled: CompiledRuleFile, examples: readonly ReferenceExample[]): string[] {
  const { spec } = compiled;
  const doc = policyDoc(compiled, { asOf: compiled.versions.at(-1)?.from ?? spec.parameters[0]?.from ?? '2017-04-26', lang: 'en' });
  const lines = [`<a id="${anchor(spec.policy)}"></a>`, '', `## \`${spec.policy}\`: ${spec.title.en} (${spec.title.zh})`, ''];
  lines.push(spec.description, '');
  lines.push(`Source: 「${spec.source.document}」${spec.source.seed ? ` (\`sources/${spec.source.seed}\`)` : ''}. Rules: \`${spec.file}\`, ${doc.decision}.`, '');
  lines.push(...factsTable(spec), ...outcomeTable(spec), ...examplesList(examples), ...parameterTable(spec), ...rulesList(spec, doc.rows), ...decisionsList(spec));
  return lines;
}

function factsTable(spec: RuleFile): string[] {
  const entries = Object.entries(spec.facts);
  const given = entries.filter(([, fact]) => fact.derived !== true);
  const derived = entries.filter(([, fact]) => fact.derived === true);
  const lines: string[] = [];
  if (given.length > 0) {
    lines.push('### Facts', '', '| fact | type | values | meaning |', '|---|---|---|---|');
    for (const [name, fact] of given) lines.push(`| \`${name}\` | ${fact.type}${fact.nullable ? ' or null' : ''} | ${fact.values ? fact.values.map((v) => `\`${v}\``).join(', ') : fact.minimum !== undefined ? `≥ ${fact.minimum}` : ''} | ${cell(fact.description)} |`);
    lines.push('');
  }
  if (derived.length > 0) {
    lines.push('Derived by the library before the rules run:', '', '| fact | type | meaning |', '|---|---|---|');
    for (const [name, fact] of derived) lines.push(`| \`${name}\` | ${fact.type} | ${cell(fact.description)} |`);
    lines.push('');
  }
  return lines;
}

function outcomeTable(spec: RuleFile): string[] {
  const fields = Object.entries(spec.labels);
  if (fields.length === 0) return [];
  const lines = ['### Outcome values', '', '| field | value | English | 中文 |', '|---|---|---|---|'];
  for (const [field, values] of fields) for (const [value, label] of Object.entries(values)) lines.push(`| \`${field}\` | \`${value}\` | ${cell(label.en)} | ${cell(label.zh)} |`);
  lines.push('');
  return lines;
}

function examplesList(examples: readonly ReferenceExample[]): string[] {
  if (examples.length === 0) return [];
  const lines = ['### Examples (from the case file)', ''];
  for (const example of examples) lines.push(`- ${example.name}`, `  - facts: \`${safeJson(example.facts, 600)}\``, `  - outcome: \`${safeJson(example.outcome, 600)}\``);
  lines.push('');
  return lines;
}

function parameterTable(spec: RuleFile): string[] {
  const names = Object.keys(spec.parameterInfo);
  if (names.length === 0) return [];
  const lines = ['### Parameters', '', '| parameter | type | meaning | source | value, by version |', '|---|---|---|---|---|'];
  for (const name of names) {
    const info = spec.parameterInfo[name]!;
    const versions = spec.parameters
      .filter((version) => Object.prototype.hasOwnProperty.call(version.values, name))
      .map((version) => `from ${version.from}: ${shown(version.values[name])}${version.examples.includes(name) ? ' (example value, not from the source: set your own)' : ''}`);
    lines.push(`| \`${name}\` | ${info.type} | ${cell(info.description)} | ${cell(info.source ?? '')} | ${cell(versions.join('; '))} |`);
  }
  lines.push('');
  return lines;
}

function rulesList(spec: RuleFile, rows: ReturnType<typeof policyDoc>['rows']): string[] {
  const lines = ['### Rules', ''];
  for (const row of rows) {
    const rule = spec.rules[row.index]!;
    lines.push(`#### ${rule.name}${rule.source ? ` (${rule.source.clause})` : ''}${spec.decision === 'first-hit' ? `, priority ${row.priority}` : ''}`, '');
    if (rule.description) lines.push(rule.description, '');
    lines.push(`- When: ${row.when}`, `- Then: ${row.then}`, '');
    if (rule.source?.quote) lines.push(`> 「${rule.source.quote}」`, ...(rule.source.gloss ? ['>', `> ${rule.source.gloss}`] : []), '');
  }
  return lines;
}

function decisionsList(spec: RuleFile): string[] {
  const ids = new Map<string, string[]>();
  const unnamed: string[] = [];
  spec.rules.forEach((rule: RuleDefinition) => {
    const text = rule.description ?? '';
    for (const id of new Set(text.match(DECISION_ID) ?? [])) ids.set(id, [...new Set([...(ids.get(id) ?? []), rule.name])]);
    if (DECISION_WORD.test(text) && (text.match(DECISION_ID) ?? []).length === 0 && !unnamed.includes(rule.name)) unnamed.push(rule.name);
  });
  for (const id of new Set(spec.description.match(DECISION_ID) ?? [])) if (!ids.has(id)) ids.set(id, []);
  if (ids.size === 0 && unnamed.length === 0) return [];
  const lines = ['### Decisions the library took', ''];
  for (const [id, rules] of [...ids].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) lines.push(`- **${id}**${rules.length > 0 ? `: rules ${rules.join(', ')}` : ': in the policy description'}`);
  for (const name of unnamed) lines.push(`- a decision in rule ${name} (see its description)`);
  lines.push('');
  return lines;
}

function anchor(policy: string): string {
  return policy.replace(/[^A-Za-z0-9]+/g, '-');
}

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => String(item)).join(', ');
  if (value !== null && typeof value === 'object' && 'value' in value) return shown((value as { value: unknown }).value);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : safeJson(value, 200);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
