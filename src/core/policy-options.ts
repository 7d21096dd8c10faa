import type { CalendarDate } from './dates.js';
import { currentDateIn, DEFAULT_TIME_ZONE, dateProblem, inCalendarRange, timeZoneProblem, toCalendarDate } from './dates.js';
import type { InputIssue } from './errors.js';
import { PolicyInputError } from './errors.js';
import type { FactsContext } from './facts.js';
import type { EvaluateOptions } from './policy-types.js';

/**
 * The default bound on the items of any array in the facts.
 *
 * @example
 * evaluate('review.readiness', facts, { maxItems: DEFAULT_MAX_ITEMS * 2 });
 */
export const DEFAULT_MAX_ITEMS = 100_000;

export function sameOptions(a: EvaluateOptions, b: EvaluateOptions): boolean {
  return a.asOf === b.asOf && a.timeZone === b.timeZone && a.trace === b.trace && a.maxItems === b.maxItems && a.rules === b.rules;
}

/** The options of one evaluation, checked, with their defaults. */
export interface Settings extends FactsContext {
  readonly asOf: CalendarDate;
  readonly trace: boolean;
  readonly rules: unknown;
}

export function isOptionsObject(options: unknown): options is EvaluateOptions {
  return options !== null && typeof options === 'object' && !Array.isArray(options);
}

export function readOptions(policy: string, options: EvaluateOptions): Settings {
  if (!isOptionsObject(options)) {
    throw new PolicyInputError(policy, [optionIssue('', options, 'options must be an object', 'an object')], 'INVALID_OPTIONS');
  }
  const issues: InputIssue[] = [];
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const zoneProblem = timeZoneProblem(timeZone);
  if (zoneProblem) issues.push(optionIssue('timeZone', options.timeZone, zoneProblem, 'an IANA time zone name'));
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  if (!Number.isSafeInteger(maxItems) || maxItems < 0) issues.push(optionIssue('maxItems', options.maxItems, 'maxItems must be a whole number ≥ 0', 'a whole number ≥ 0'));
  if (options.trace !== undefined && typeof options.trace !== 'boolean') issues.push(optionIssue('trace', options.trace, 'trace must be true or false', 'a boolean'));
  let asOf = '';
  if (options.asOf !== undefined) {
    const problem = dateProblem(options.asOf);
    if (problem) issues.push(optionIssue('asOf', options.asOf, problem, 'a date "YYYY-MM-DD" or an instant with offset'));
    else if (!zoneProblem) {
      asOf = toCalendarDate(options.asOf, timeZone);
      if (!inCalendarRange(asOf)) issues.push(optionIssue('asOf', options.asOf, `falls on ${asOf} in ${timeZone}, outside 0001-01-01 to 9999-12-31`, 'a date from 0001-01-01 to 9999-12-31'));
    }
  } else if (!zoneProblem) {
    asOf = currentDateIn(timeZone);
  }
  if (issues.length > 0) throw new PolicyInputError(policy, issues, 'INVALID_OPTIONS');
  return { timeZone, maxItems, asOf, trace: options.trace ?? true, rules: options.rules };
}

export function optionIssue(name: string, received: unknown, message: string, expected: string): InputIssue {
  return { code: 'invalid_option', path: name ? `options.${name}` : 'options', message, received, expected };
}
