/**
 * The text of every bundled rules file that `explain` shows and evaluating never reads: titles,
 * outcome labels, and each rule's source quote and gloss ({@link textPart}), by rules file. The
 * library build bundles each rules file twice, apart: its decision part where a policy imports it
 * and its text part here (from the generated list of every bundled rules file, see
 * tsup.config.ts), so an app that imports `evaluate` or one area's policies ships none of this
 * text, and one that imports `explain` ships it once.
 */
import type { TextPart } from './core/rule-parts.js';
import { textPart } from './core/rule-parts.js';
import { BUNDLED_RULES_FILES as FILES } from './generated/rules-files.js';

const texts = new Map<string, TextPart>();

/**
 * The text part of the bundled rules file `file` (as a policy's `rulesFile` names it), or
 * `undefined` for a file the library does not bundle.
 *
 * @example
 * bundledTexts('rules/review/approval.rules.json')?.labels['authority']?.['sales_vp']?.en; //=> 'Sales Vice President'
 */
export function bundledTexts(file: string): TextPart | undefined {
  if (!Object.prototype.hasOwnProperty.call(FILES, file)) return undefined;
  let found = texts.get(file);
  if (!found) texts.set(file, (found = textPart(FILES[file])));
  return found;
}
