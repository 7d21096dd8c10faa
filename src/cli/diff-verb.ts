import type { CaseFile, Evaluator } from '../core/cases.js';
import { parseCaseFile } from '../core/cases.js';
import { RuleSetError } from '../core/errors.js';
import { evaluate } from '../evaluate.js';
import { loadRuleSet } from '../node/load-rule-set.js';
import { readRuleFolder } from '../node/rule-folder.js';
import { isPolicyId } from '../policies.js';
import type { DiffSource } from '../toolkit/diff.js';
import { diffRuleSetsOverTime, formatChanges } from '../toolkit/diff.js';
import type { VerbSpec } from './command.js';
import { DECIDING_FLAGS, formatFlag, parseVerb } from './command.js';
import { decidingFrom } from './deciding.js';
import type { Io } from './io.js';
import { EXIT, rulesDir, UsageError } from './io.js';

/** `sales-policies diff`: its flags, help and examples. */
export const diffSpec = {
  name: 'diff',
  summary: 'Every class of input whose decision changes between two rules folders, before → after with the basis, and the date it applies from.',
  usage: 'diff OLD_DIR NEW_DIR [--as-of DATE] [--format text|json|markdown] [--fail-on-change]',
  flags: {
    'as-of': { ...DECIDING_FLAGS['as-of'], help: 'compare on this date only (default: on every date either side\'s parameters change, and today)' },
    'time-zone': DECIDING_FLAGS['time-zone'],
    ...formatFlag(['text', 'json', 'markdown']),
    'fail-on-change': { type: 'boolean', help: 'exit 1 when a decision changes (for CI)' },
  },
  examples: ['sales-policies diff main-rules rules', 'sales-policies diff main-rules rules --format markdown > diff.md   # a pull-request comment', 'sales-policies diff main-rules rules --as-of 2027-01-01 --fail-on-change'],
  details:
    'JSON: [{"policy", "kind": "case"|"cell"|"policy", "input", "before": {outcome?, basis, error?}, "after": {…}, "from": DATE, "until"?: DATE, "asOf"?: a dated case DATE}].\n' +
    'A folder that does not load is an error (exit 1, every issue), never a diff.',
} as const satisfies VerbSpec;

/**
 * `sales-policies diff OLD_DIR NEW_DIR [--as-of DATE] [--format text|json|markdown] [--fail-on-change]`:
 * every input class whose decision changes between two rule sets, before → after with the basis,
 * on every date either side's parameters change (or on `--as-of`), each with the date it applies from.
 *
 * @example
 * diffVerb(['main-rules', 'rules', '--format', 'markdown'], io); //=> 0, or 1 with --fail-on-change and a change
 */
export function diffVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(diffSpec, args);
  if (positionals.length !== 2) throw new UsageError('diff takes two rules folders: OLD_DIR NEW_DIR');
  const deciding = decidingFrom(values);
  io.progress?.('reading both rule sets');
  const [before, after] = positionals.map((dir) => source(rulesDir(dir)));
  io.progress?.('evaluating cases and enumerated cells on both');
  const changes = diffRuleSetsOverTime(evaluate as unknown as Evaluator, before!, after!, { today: deciding.asOf, ...(deciding.asOfGiven ? { dates: [deciding.asOf] } : {}), knownPolicy: isPolicyId });
  io.progress?.('');
  io.out(formatChanges(changes, values.format ?? 'text'));
  return changes.length > 0 && values['fail-on-change'] === true ? EXIT.findings : EXIT.ok;
}

/** A folder as diff compares it: its rules loaded and checked (a RuleSetError when they do not load) and its readable case files. */
function source(dir: string): DiffSource {
  const rules = loadRuleSet(dir);
  const cases: CaseFile[] = readRuleFolder(dir).cases.flatMap((file) => {
    if (file.parseError !== undefined) return [];
    try {
      return [parseCaseFile(file.json, file.path)];
    } catch (error) {
      if (error instanceof RuleSetError) return [];
      throw error;
    }
  });
  return { rules, cases };
}
