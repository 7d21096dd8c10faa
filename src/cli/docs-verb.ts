import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledRuleFile } from '../core/compile.js';
import { compileRuleFile } from '../core/compile.js';
import type { CalendarDate } from '../core/dates.js';
import { dateProblem, DEFAULT_TIME_ZONE, toCalendarDate, todayIn } from '../core/dates.js';
import type { ExplorerData, ExplorerPolicy } from '../explorer/data.js';
import type { RuleFolder } from '../node/rule-folder.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { POLICIES, POLICY_IDS } from '../policies.js';
import { policyMarkdown } from '../toolkit/docs.js';
import { EXPLORER_BUDGET_BYTES, explorerHtml } from './explorer-html.js';
import type { Io } from './io.js';
import { EXIT, oneOfFlag, packageRoot, parseVerbArgs, rulesDir, UsageError } from './io.js';

/** The most examples per policy the explorer embeds (from its case file), to keep the page small. */
const MAX_EXAMPLES = 8;

/**
 * `sales-policies docs [--rules DIR] [--as-of DATE] [--lang zh|en] [--html FILE]`: each policy as
 * a Markdown decision table with its clauses, the source quoted, and the parameters in force on
 * that date; with `--html`, the explorer instead: one self-contained page that shows the same and
 * evaluates facts in the browser.
 *
 * @example
 * docsVerb(['--as-of', '2026-01-01', '--lang', 'zh'], io); //=> 0, Markdown on stdout
 * docsVerb(['--html', 'explorer.html'], io); //=> 0, the page written
 */
export function docsVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerbArgs(args, { rules: { type: 'string' }, 'as-of': { type: 'string' }, lang: { type: 'string' }, html: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const lang = oneOfFlag('--lang', values.lang, ['en', 'zh'], 'en');
  const asOfFlag = values['as-of'];
  if (asOfFlag !== undefined && dateProblem(asOfFlag) !== undefined) throw new UsageError(`--as-of: ${dateProblem(asOfFlag)}`);
  if (values.html !== undefined && values.html.trim() === '') throw new UsageError('--html takes the path of the page to write');
  const asOf = asOfFlag === undefined ? todayIn(DEFAULT_TIME_ZONE) : toCalendarDate(asOfFlag, DEFAULT_TIME_ZONE);
  const folder = readRuleFolder(rulesDir(values.rules));
  const files = folder.rules.map((file) => {
    if (file.parseError !== undefined) throw new UsageError(`${file.path} is not JSON: ${file.parseError}`);
    return { file, compiled: compileRuleFile(file.json, file.path) };
  });
  if (values.html !== undefined) {
    const data = explorerData(folder, files, { asOf, lang, source: values.rules });
    const html = explorerHtml(explorerScript(), data);
    writeFileSync(values.html, html);
    const bytes = Buffer.byteLength(html, 'utf8');
    io.out(`wrote ${values.html}: ${data.policies.length} policies, ${(bytes / 1024).toFixed(1)} KB (budget ${EXPLORER_BUDGET_BYTES / 1024} KB), parameters as of ${asOf}`);
    if (bytes > EXPLORER_BUDGET_BYTES) io.err(`sales-policies: warning: ${values.html} is over the page budget of ${EXPLORER_BUDGET_BYTES / 1024} KB`);
    return EXIT.ok;
  }
  const sections = files.map(({ compiled }) => policyMarkdown(compiled, { asOf, lang }));
  io.out([`# ${lang === 'zh' ? '銷售政策決策表' : 'Sales policies: decision tables'} (${asOf})`, '', ...sections].join('\n'));
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

/** What the page embeds: each policy of the folder (first file per policy id) with examples from its case file, and the rule set. */
function explorerData(folder: RuleFolder, files: readonly { file: { path: string; json: unknown }; compiled: CompiledRuleFile }[], options: { asOf: CalendarDate; lang: 'en' | 'zh'; source: string | undefined }): ExplorerData {
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
  for (const id of POLICY_IDS) if (!Object.prototype.hasOwnProperty.call(rules, id)) rules[id] = POLICIES[id].definition.rules;
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return { version, source: options.source ?? 'rules', bundled: options.source === undefined, asOf: options.asOf, lang: options.lang, policies, rules };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
