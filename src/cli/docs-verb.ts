import { compileRuleFile } from '../core/compile.js';
import { dateProblem, DEFAULT_TIME_ZONE, toCalendarDate, todayIn } from '../core/dates.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { policyMarkdown } from '../toolkit/docs.js';
import type { Io } from './io.js';
import { EXIT, oneOfFlag, parseVerbArgs, rulesDir, UsageError } from './io.js';

/**
 * `sales-policies docs [--rules DIR] [--as-of DATE] [--lang zh|en]`: each policy as a Markdown
 * decision table with its clauses, the source quoted, and the parameters in force on that date.
 *
 * @example
 * docsVerb(['--as-of', '2026-01-01', '--lang', 'zh'], io); //=> 0, Markdown on stdout
 */
export function docsVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerbArgs(args, { rules: { type: 'string' }, 'as-of': { type: 'string' }, lang: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const lang = oneOfFlag('--lang', values.lang, ['en', 'zh'], 'en');
  const asOfFlag = values['as-of'];
  if (asOfFlag !== undefined && dateProblem(asOfFlag) !== undefined) throw new UsageError(`--as-of: ${dateProblem(asOfFlag)}`);
  const asOf = asOfFlag === undefined ? todayIn(DEFAULT_TIME_ZONE) : toCalendarDate(asOfFlag, DEFAULT_TIME_ZONE);
  const folder = readRuleFolder(rulesDir(values.rules));
  const sections = folder.rules.map((file) => {
    if (file.parseError !== undefined) throw new UsageError(`${file.path} is not JSON: ${file.parseError}`);
    return policyMarkdown(compileRuleFile(file.json, file.path), { asOf, lang });
  });
  io.out([`# ${lang === 'zh' ? '銷售政策決策表' : 'Sales policies: decision tables'} (${asOf})`, '', ...sections].join('\n'));
  return EXIT.ok;
}
