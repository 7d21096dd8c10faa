import { safeJson } from './errors.js';
import type { PathSegment } from './path.js';

// Rule files are untrusted: every name in one is an identifier with a documented character set,
// checked when the file loads, so no name can carry quotes, backslashes, newlines or markup into
// SQL, generated JavaScript, HTML, Markdown or a terminal. Text (descriptions, quotes, labels)
// stays free, and is escaped wherever it is written.

/** The kinds of name a rules file or case file holds, each with its own character set. */
export type NameKind = 'fact' | 'parameter' | 'outcomeField' | 'word' | 'eventType' | 'rule' | 'policy' | 'case';

interface NameRule {
  readonly pattern: RegExp;
  readonly maxLength: number;
  /** The character set in words, for the message. */
  readonly expected: string;
}

/**
 * The character set of each kind of name.
 * - `fact`, `parameter`, `outcomeField` (the outcome field a `labels` entry is for): an ASCII
 *   letter, then letters, digits and `_` (`repeatBatch`, `vpLimit`), at most 64 characters.
 * - `rule` (a clause id such as `REV-6.2`), `word` (an outcome value a label names, such as
 *   `sales_vp` or `COM-6`) and `eventType` (`follow-up-actions`): an ASCII letter or digit, then
 *   letters, digits, `.`, `-` and `_`, at most 64 characters.
 * - `policy`: dotted identifiers (`followUp.escalation`), at most 64 characters.
 * - `case` (a case's `name`, prose in any language): letters, marks, digits, punctuation, symbols
 *   and the plain space, at most 200 characters; no control, format, line or paragraph separator
 *   characters, no leading or trailing space.
 *
 * @example
 * NAME_RULES.rule.pattern.test('REV-6.2'); //=> true
 * NAME_RULES.fact.pattern.test('amount\n'); //=> false
 */
export const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
  fact: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, maxLength: 64, expected: 'an ASCII letter, then letters, digits and "_"' },
  parameter: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, maxLength: 64, expected: 'an ASCII letter, then letters, digits and "_"' },
  outcomeField: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, maxLength: 64, expected: 'an ASCII letter, then letters, digits and "_"' },
  rule: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, maxLength: 64, expected: 'an ASCII letter or digit, then letters, digits, ".", "-" and "_"' },
  word: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, maxLength: 64, expected: 'an ASCII letter or digit, then letters, digits, ".", "-" and "_"' },
  eventType: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, maxLength: 64, expected: 'an ASCII letter or digit, then letters, digits, ".", "-" and "_"' },
  policy: { pattern: /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/, maxLength: 64, expected: 'identifiers (an ASCII letter, then letters, digits and "_") joined by "."' },
  case: { pattern: /^[\p{L}\p{M}\p{N}\p{P}\p{S}](?:[\p{L}\p{M}\p{N}\p{P}\p{S} ]*[\p{L}\p{M}\p{N}\p{P}\p{S}])?$/u, maxLength: 200, expected: 'one line of letters, digits, punctuation, symbols and spaces, not starting or ending with a space' },
};

const WHAT: Readonly<Record<NameKind, string>> = {
  fact: 'a fact name',
  parameter: 'a parameter name',
  outcomeField: 'an outcome field name',
  rule: 'a rule name',
  word: 'a labelled value',
  eventType: 'an event type',
  policy: 'a policy id',
  case: 'a case name',
};

/**
 * Why `name` is not a valid name of its kind, or `undefined` when it is.
 *
 * @example
 * nameProblem('rule', 'REV-6.2'); //=> undefined
 * nameProblem('parameter', "x = 1\nCOPY"); //=> 'a parameter name is an ASCII letter, then …: received "x = 1\\nCOPY"'
 */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule = NAME_RULES[kind];
  if (name.length > rule.maxLength) return `${WHAT[kind]} has at most ${rule.maxLength} characters: received ${safeJson(name)} (${name.length})`;
  if (!rule.pattern.test(name)) return `${WHAT[kind]} is ${rule.expected}: received ${safeJson(name)}`;
  return undefined;
}

/** Reports a problem at a JSON path (the loader's issue collector). */
export type NameReport = (path: readonly PathSegment[], code: 'invalid_name', message: string) => void;

/** The parts of a rules file whose names are checked; the shape is already known to be right. */
export interface NamedParts {
  readonly policy: string;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly parameterInfo?: Readonly<Record<string, unknown>> | undefined;
  readonly labels?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  readonly rules: readonly { readonly name: string; readonly event: { readonly type: string } }[];
  readonly monotone?: readonly { readonly outcome: string; readonly order: readonly string[] }[] | undefined;
}

/**
 * Checks every name of a rules file (policy id, fact and parameter names, label keys, rule
 * names, event types, the outcome field and values a `monotone` declaration orders) against {@link NAME_RULES}, reporting each bad one with code
 * `invalid_name` at its JSON path. Fact names under `param.` are left to the loader's own
 * `reserved_name` check.
 *
 * @example
 * checkRuleFileNames(raw, (path, code, message) => issues.push({ path, code, message }));
 */
export function checkRuleFileNames(file: NamedParts, report: NameReport, reservedPrefix: string): void {
  const check = (kind: NameKind, name: string, path: readonly PathSegment[]) => {
    const problem = nameProblem(kind, name);
    if (problem !== undefined) report(path, 'invalid_name', problem);
  };
  check('policy', file.policy, ['policy']);
  for (const name of Object.keys(file.facts)) if (!name.startsWith(reservedPrefix)) check('fact', name, ['facts', name]);
  for (const name of Object.keys(file.parameterInfo ?? {})) check('parameter', name, ['parameterInfo', name]);
  for (const field of Object.keys(file.labels ?? {})) {
    check('outcomeField', field, ['labels', field]);
    for (const value of Object.keys(file.labels![field]!)) check('word', value, ['labels', field, value]);
  }
  for (const [index, rule] of file.rules.entries()) {
    check('rule', rule.name, ['rules', index, 'name']);
    check('eventType', rule.event.type, ['rules', index, 'event', 'type']);
  }
  for (const [index, monotone] of (file.monotone ?? []).entries()) {
    check('outcomeField', monotone.outcome, ['monotone', index, 'outcome']);
    for (const [position, value] of monotone.order.entries()) check('word', value, ['monotone', index, 'order', position]);
  }
}
