import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledRuleFile } from '../core/compile.js';
import { compileRuleFile } from '../core/rule-loader.js';
import type { CalendarDate } from '../core/dates.js';
import type { ExplorerData, ExplorerPolicy } from '../explorer/data.js';
import type { RuleFolder } from '../node/rule-folder.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { RuleSetError } from '../core/errors.js';
import { loadRuleSet } from '../node/load-rule-set.js';
import { decidingFrom, policyArg } from './deciding.js';
import { docsImpact } from './docs-impact.js';
import { UNREADABLE } from './impact-verb.js';
import { BUNDLED_REGISTRY } from '../policies.js';
import type { Registry } from '../registry.js';
import { policyMarkdown } from '../toolkit/docs.js';
import { EXPLORER_BUDGET_BYTES, explorerHtml } from './explorer-html.js';
import type { Io } from './io.js';
import type { VerbSpec } from './command.js';
import type { FlagValues } from './command.js';
import { DECIDING_FLAGS, formatFlag, parseVerb } from './command.js';
import { EXIT, packageRoot, rulesDir, UsageError } from './io.js';

/** `sales-policies docs`: its flags, help and examples. */
export const docsSpec = {
  name: 'docs',
  summary: 'Each policy (or the ones named) as a Markdown decision table with its clauses, the source quoted and the parameters in force; or the explorer page (--html).',
  usage: 'docs [policy…] [--rules DIR] [--as-of DATE] [--lang en|zh] [--html FILE [--data FILE]]',
  flags: {
    ...DECIDING_FLAGS,
    lang: { type: 'string', short: 'l', value: 'en|zh', choices: ['en', 'zh'], help: 'language of labels and headings (default: en)' },
    html: { type: 'string', value: 'FILE', help: 'write the explorer instead: one self-contained page that evaluates facts in the browser' },
    data: { type: 'string', short: 'd', value: 'FILE', help: 'with --html: historical facts (.ndjson or .csv, as impact reads them); the page shows what its rules change in them against the bundled rules' },
    policy: { type: 'string', short: 'p', value: 'ID', help: 'with --data: the policy the rows are facts of (default: the rows\' "policy" column)' },
    id: { type: 'string', value: 'FIELD', help: 'with --data: the field holding a row\'s id (default: id; else the row number)' },
    'as-of-field': { type: 'string', value: 'FIELD', help: 'with --data: the field holding the date each row is decided as of (default: every row as of --as-of)' },
    ...formatFlag(['markdown', 'json']),
  },
  examples: ['sales-policies docs review.approval --as-of 2026-01-01', 'sales-policies docs --rules our-rules --as-of 2027-01-01 --lang zh > decision-tables.md', 'sales-policies docs --html explorer.html', 'sales-policies docs --html pr.html --rules rules --data history.ndjson --policy review.approval --as-of-field signedOn   # with the impact of the change'],
  details: 'JSON: {"asOf", "lang", "policies": [{"policy", "file", "markdown"}]}; with --html: {"wrote", "policies", "bytes", "asOf"}, and with --data "impact": {"policy", "rows", "decided", "changed"}.\n' +
    'With --data, exit 1 when a row of the file cannot be read (the page is written, the rows counted).',
} as const satisfies VerbSpec;

/** The most examples per policy the explorer embeds (from its case file), to keep the page small. */
const MAX_EXAMPLES = 8;

/**
 * `sales-policies docs [--rules DIR] [--as-of DATE] [--lang zh|en] [--html FILE [--data FILE]]`:
 * each policy as a Markdown decision table with its clauses, the source quoted, and the
 * parameters in force on that date; with `--html`, the explorer instead: one self-contained page
 * that shows the same and evaluates facts in the browser, and with `--data` what the page's rules
 * change in a file of historical facts against the bundled rules.
 *
 * @example
 * await docsVerb(['--as-of', '2026-01-01', '--lang', 'zh'], io); //=> 0, Markdown on stdout
 * await docsVerb(['--html', 'explorer.html'], io); //=> 0, the page written
 * await docsVerb(['--html', 'pr.html', '--rules', 'rules', '--data', 'history.ndjson', '--policy', 'review.approval'], io); //=> 0, with the impact table
 */
export async function docsVerb(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseVerb(docsSpec, args);
  dataFlagsInPlace(values);
  const wanted = new Set<string>(positionals.map(policyArg));
  const lang = values.lang ?? 'en';
  const { asOf, timeZone } = decidingFrom({ ...values, rules: undefined });
  const folder = readRuleFolder(rulesDir(values.rules));
  const files = folder.rules.map((file) => {
    if (file.parseError !== undefined) throw new RuleSetError([{ code: 'invalid_json', file: file.path, path: '', message: `not JSON: ${file.parseError}` }]);
    return { file, compiled: compileRuleFile(file.json, file.path) };
  }).filter(({ compiled }) => wanted.size === 0 || wanted.has(compiled.spec.policy));
  for (const id of wanted) if (!files.some(({ compiled }) => compiled.spec.policy === id)) throw new UsageError(`no rules file for ${id} under ${values.rules ?? 'the bundled rules'}`);
  if (values.html !== undefined) return writeExplorer(values.html, values, { folder, files, asOf, timeZone, lang }, io);
  if (values.format === 'json') {
    io.out(JSON.stringify({ asOf, lang, policies: files.map(({ file, compiled }) => ({ policy: compiled.spec.policy, file: file.path, markdown: policyMarkdown(compiled, { asOf, lang }) })) }, null, 2));
    return EXIT.ok;
  }
  const sections = files.map(({ compiled }) => policyMarkdown(compiled, { asOf, lang }));
  io.out([`# ${lang === 'zh' ? '銷售政策決策表' : 'Sales policies: decision tables'} (${asOf})`, '', ...sections].join('\n'));
  return EXIT.ok;
}

type DocsValues = FlagValues<typeof docsSpec>;

/** `--data` and the flags that say how to read it go with `--html`; each alone is a usage error. */
function dataFlagsInPlace(values: DocsValues): void {
  if (values.html === undefined) {
    const misplaced = (['data', 'policy', 'id', 'as-of-field'] as const).find((flag) => values[flag] !== undefined);
    if (misplaced !== undefined) throw new UsageError(`--${misplaced} is for the explorer page's impact table: give --html FILE${misplaced === 'data' ? '' : ' and --data FILE'} too`);
  } else if (values.data === undefined) {
    const misplaced = (['policy', 'id', 'as-of-field'] as const).find((flag) => values[flag] !== undefined);
    if (misplaced !== undefined) throw new UsageError(`--${misplaced} says how to read --data FILE: give --data too`);
  }
}

/** The explorer page of the folder's policies, with the impact of its rules over `--data` if given, written to `file`. */
async function writeExplorer(
  file: string,
  values: DocsValues,
  page: { folder: RuleFolder; files: readonly { file: { path: string; json: unknown }; compiled: CompiledRuleFile }[]; asOf: CalendarDate; timeZone: string; lang: 'en' | 'zh' },
  io: Io,
): Promise<number> {
  const { folder, files, asOf, timeZone, lang } = page;
  const script = explorerScript();
  const pageData = explorerData(folder, files, { asOf, lang, source: values.rules });
  const impact =
    values.data === undefined
      ? undefined
      : await docsImpact({
          file: values.data,
          policy: values.policy,
          shown: pageData.policies.map((p) => p.id),
          // The page's rules as evaluate loads them: a folder that does not load is exit 1 before a row is read.
          rules: values.rules === undefined ? undefined : loadRuleSet(rulesDir(values.rules)),
          labels: { base: 'the bundled rules', rules: values.rules ?? 'the bundled rules' },
          asOf,
          asOfField: values['as-of-field'],
          idField: values.id,
          timeZone,
        });
  const data = impact === undefined ? pageData : { ...pageData, impact };
  const html = explorerHtml(script, data);
  writeFileSync(file, html);
  const bytes = Buffer.byteLength(html, 'utf8');
  const impactSummary = impact === undefined ? {} : { impact: { policy: impact.policy, rows: impact.rows, decided: impact.decided, changed: impact.changed } };
  if (values.format === 'json') io.out(JSON.stringify({ wrote: file, policies: data.policies.map((p) => p.id), bytes, asOf, ...impactSummary }, null, 2));
  else {
    io.out(`wrote ${file}: ${data.policies.length} policies, ${(bytes / 1024).toFixed(1)} KB (budget ${EXPLORER_BUDGET_BYTES / 1024} KB), parameters as of ${asOf}`);
    if (impact !== undefined) {
      const n = (count: number) => count.toLocaleString('en');
      io.out(`impact of ${impact.rules} on ${impact.policy} over ${impact.data}: ${n(impact.rows)} rows, ${n(impact.decided)} decided by both, ${n(impact.changed)} change outcome`);
    }
  }
  if (bytes > EXPLORER_BUDGET_BYTES) io.err(`sales-policies: warning: ${file} is over the page budget of ${EXPLORER_BUDGET_BYTES / 1024} KB`);
  const unreadable = impact?.refusedByBoth.filter(({ code }) => UNREADABLE.has(code)) ?? [];
  if (unreadable.length > 0) {
    io.err(`${values.data}: ${unreadable.map(({ code, count }) => `${count} ${code}`).join(', ')} row(s) could not be read (the page counts them)`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/** The browser bundle of the explorer, built by tsup next to the CLI. */
function explorerScript(): string {
  const path = join(packageRoot(), 'dist', 'explorer.global.js');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the explorer's script ${path}: build the package first (npm run build)`);
  }
}

interface ExampleCase {
  readonly name?: unknown;
  readonly facts?: unknown;
  readonly expected?: { readonly outcome?: unknown };
}

/**
 * What the page embeds: each policy of the folder (first file per policy id) with examples from
 * its case file, and the rule set, completed with the bundled rules of `options.registry`'s other
 * policies (default: the bundled registry).
 *
 * @example
 * explorerData(folder, files, { asOf: '2026-01-01', lang: 'en', source: undefined }).policies.map((p) => p.id);
 */
export function explorerData(
  folder: RuleFolder,
  files: readonly { file: { path: string; json: unknown }; compiled: CompiledRuleFile }[],
  options: { asOf: CalendarDate; lang: 'en' | 'zh'; source: string | undefined; registry?: Registry },
): ExplorerData {
  const rules: Record<string, unknown> = {};
  const policies: ExplorerPolicy[] = [];
  for (const { file, compiled } of files) {
    const id = compiled.spec.policy;
    if (Object.prototype.hasOwnProperty.call(rules, id)) continue;
    rules[id] = file.json;
    const given = Object.entries(compiled.spec.facts).filter(([, d]) => d.derived !== true).map(([name]) => name);
    const examples = folder.cases
      .filter((c) => (c.json as { policy?: unknown } | undefined)?.policy === id)
      .flatMap((c) => ((c.json as { cases?: unknown }).cases as ExampleCase[] | undefined) ?? [])
      .filter((c): c is { name: string; facts: Record<string, unknown> } => typeof c.name === 'string' && isRecord(c.facts) && c.expected?.outcome !== undefined && Object.keys(c.facts).every((key) => given.includes(key)))
      .slice(0, MAX_EXAMPLES)
      .map((c) => ({ name: c.name, facts: c.facts }));
    policies.push({ id, file: file.path, examples });
  }
  // Policies evaluated inside the ones shown (readiness evaluates approval) keep their bundled rules.
  for (const [id, json] of Object.entries((options.registry ?? BUNDLED_REGISTRY).bundledRules())) if (!Object.prototype.hasOwnProperty.call(rules, id)) rules[id] = json;
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return { version, source: options.source ?? 'rules', bundled: options.source === undefined, asOf: options.asOf, lang: options.lang, policies, rules };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
