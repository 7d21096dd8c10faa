import type { CaseFile, Evaluator } from '../core/cases.js';
import { parseCaseFile } from '../core/cases.js';
import { dateProblem, DEFAULT_TIME_ZONE, toCalendarDate, todayIn } from '../core/dates.js';
import { RuleSetError } from '../core/errors.js';
import { evaluate } from '../evaluate.js';
import type { RuleFolder } from '../node/rule-folder.js';
import { readRuleFolder, ruleSetOf } from '../node/rule-folder.js';
import { isPolicyId } from '../policies.js';
import { diffRuleSets, formatChanges } from '../toolkit/diff.js';
import type { Io } from './io.js';
import { EXIT, oneOfFlag, parseVerbArgs, rulesDir, UsageError } from './io.js';

/**
 * `sales-policies diff OLD_DIR NEW_DIR [--as-of DATE] [--format text|json|markdown] [--fail-on-change]`:
 * every input class whose decision changes between two rule sets, before → after with the basis.
 *
 * @example
 * diffVerb(['main-rules', 'rules', '--format', 'markdown'], io); //=> 0, or 1 with --fail-on-change and a change
 */
export function diffVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerbArgs(args, { format: { type: 'string' }, 'fail-on-change': { type: 'boolean' }, 'as-of': { type: 'string' } });
  if (positionals.length !== 2) throw new UsageError('diff takes two rules folders: OLD_DIR NEW_DIR');
  const format = oneOfFlag('--format', values.format, ['text', 'json', 'markdown'], 'text');
  const asOfFlag = values['as-of'];
  if (asOfFlag !== undefined && dateProblem(asOfFlag) !== undefined) throw new UsageError(`--as-of: ${dateProblem(asOfFlag)}`);
  const asOf = asOfFlag === undefined ? todayIn(DEFAULT_TIME_ZONE) : toCalendarDate(asOfFlag, DEFAULT_TIME_ZONE);
  io.progress?.('reading both rule sets');
  const [before, after] = positionals.map((dir) => source(readRuleFolder(rulesDir(dir))));
  io.progress?.('evaluating cases and enumerated cells on both');
  const changes = diffRuleSets(evaluate as unknown as Evaluator, before!, after!, asOf, isPolicyId);
  io.progress?.('');
  io.out(formatChanges(changes, format));
  return changes.length > 0 && values['fail-on-change'] === true ? EXIT.findings : EXIT.ok;
}

function source(folder: RuleFolder) {
  const cases: CaseFile[] = folder.cases.flatMap((file) => {
    if (file.parseError !== undefined) return [];
    try {
      return [parseCaseFile(file.json, file.path)];
    } catch (error) {
      if (error instanceof RuleSetError) return [];
      throw error;
    }
  });
  return { rules: ruleSetOf(folder), cases };
}
