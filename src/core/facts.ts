import * as z from 'zod/mini';
import type { CalendarDate } from './dates.js';
import type { DecimalOptions, DecimalString } from './fact-checks.js';
import { calendarDateCheck, decimalCheck, IDENTIFIER_MAX_LENGTH, instantCheck, Refusal, wholeNumberCheck } from './fact-checks.js';
import type { InputIssue } from './errors.js';
import type { CheckIssue } from './facts-checker.js';
import { safeJson } from './errors.js';
import type { PathSegment } from './path.js';
import { toDotPath, valueAt } from './path.js';

/** What a facts schema depends on besides the policy: the zone dates are read in, and size bounds. */
export interface FactsContext {
  /** IANA zone in which instants become calendar dates. */
  readonly timeZone: string;
  /** The most items any array in the facts may hold. */
  readonly maxItems: number;
  /** `false` keeps the facts checker to closures, as where code generation is not allowed (tests compare both ways). */
  readonly generate?: boolean;
}

export type { DecimalString } from './fact-checks.js';

/**
 * A money or other decimal fact: a JSON number or a decimal string, normalised to a canonical
 * decimal string that compares exactly. Never goes through binary floating point arithmetic.
 *
 * @example
 * decimal({ nonNegative: true }).parse('1200000.50'); //=> '1200000.5'
 */
export function decimal(options: DecimalOptions = {}): z.ZodMiniType<DecimalString, number | string> {
  return refined(decimalCheck(options)) as z.ZodMiniType<DecimalString, number | string>; // callers see the input type; the check runs on anything
}

/**
 * A date fact: `YYYY-MM-DD`, or an ISO-8601 instant with an offset that becomes the calendar
 * date it falls on in the configured zone.
 *
 * @example
 * calendarDate({ timeZone: 'Asia/Shanghai', maxItems: 10 }).parse('2026-03-01T23:30:00Z'); //=> '2026-03-02'
 */
export function calendarDate(context: FactsContext): z.ZodMiniType<CalendarDate, string> {
  return refined(calendarDateCheck(context.timeZone)) as z.ZodMiniType<CalendarDate, string>;
}

/**
 * A count or quantity: a whole JSON number from 0 (or from `minimum`) to 2^53 − 1, or up to
 * `maximum`.
 *
 * @example
 * z.strictObject({ quantity: wholeNumber() }).parse({ quantity: 12 }); //=> { quantity: 12 }
 */
export function wholeNumber(options: { readonly minimum?: number; readonly maximum?: number } = { minimum: 0 }): z.ZodMiniType<number, number> {
  return refined(wholeNumberCheck(options)) as z.ZodMiniType<number, number>;
}

/**
 * A date or an instant with offset, kept as given (for facts whose calendar day a policy works
 * out itself, in bulk).
 *
 * @example
 * instant().parse('2026-03-01T23:30:00Z'); //=> '2026-03-01T23:30:00Z'
 */
export function instant(): z.ZodMiniType<string, string> {
  return refined(instantCheck) as z.ZodMiniType<string, string>;
}

/**
 * An identifier such as an agent id: a non-empty string of at most 200 characters.
 *
 * @example
 * identifier().parse('agent-7'); //=> 'agent-7'
 */
export function identifier() {
  return z.string().check(z.minLength(1), z.maxLength(IDENTIFIER_MAX_LENGTH));
}

/** A schema of any input that `check` turns into a value or refuses, as a custom issue in its words. */
function refined<T>(check: (input: unknown) => T | Refusal): z.ZodMiniType<T, unknown> {
  return z.pipe(
    z.unknown(),
    z.transform((input: unknown, ctx): T => {
      const result = check(input);
      if (!(result instanceof Refusal)) return result;
      ctx.issues.push({ code: 'custom', message: result.message, input, params: { expected: result.expected } });
      return z.NEVER;
    }),
  ) as unknown as z.ZodMiniType<T, unknown>;
}

/**
 * An array fact, bounded by the call's `maxItems` before any item is read, so a huge input is
 * refused quickly instead of being walked.
 *
 * @example
 * list(identifier(), { timeZone: 'Asia/Shanghai', maxItems: 2 }).safeParse(['a', 'b', 'c']).success; //=> false
 */
export function list<T extends z.core.SomeType>(item: T, context: FactsContext): z.ZodMiniType<z.output<T>[], readonly z.input<T>[]> {
  return z.pipe(
    z.custom<unknown[]>((value) => !Array.isArray(value) || value.length <= context.maxItems, {
      error: `too many items: at most ${context.maxItems} are accepted (options.maxItems)`,
      params: { expected: `at most ${context.maxItems} items` },
      abort: true,
    }),
    z.array(item),
  ) as unknown as z.ZodMiniType<z.output<T>[], readonly z.input<T>[]>;
}

/**
 * The most issues an input error lists; past it the last issue says that more were left out, so
 * facts with a million unknown keys make a short error, not a million-line one.
 */
export const MAX_INPUT_ISSUES = 100;

/**
 * Turns zod's issues into ours: every issue has a code, the dotted path, a message that says
 * what to do, the value received (read from the original input) and what was expected. At most
 * {@link MAX_INPUT_ISSUES}, then one `too_many_issues` issue saying that more were left out.
 *
 * @example
 * toInputIssues(schema.safeParse(input).error!.issues, input)[0]?.path; //=> 'signoffs[1].step'
 */
export function toInputIssues(issues: readonly (z.core.$ZodIssue | CheckIssue)[], input: unknown): InputIssue[] {
  const out: InputIssue[] = [];
  let more = false;
  const add = (issue: InputIssue): boolean => (out.length < MAX_INPUT_ISSUES ? (out.push(issue), true) : ((more = true), false));
  // The library's own checker reports its issues with the fields of zod's that are read here.
  for (const issue of issues as readonly z.core.$ZodIssue[]) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (!add({ code: 'unknown_field', path: toDotPath([...path, key]), message: `unknown field ${safeJson(key)}`, received: valueAt(input, [...path, key]), expected: 'no such field' })) break;
      }
    } else {
      const received = valueAt(input, path);
      add({ code: issue.code, path: toDotPath(path), ...describe(issue, received === undefined), received });
    }
    if (more) break;
  }
  if (more) out.push({ code: 'too_many_issues', path: '', message: `stopped after ${MAX_INPUT_ISSUES} problems: correct these and try again`, received: undefined, expected: 'valid facts' });
  return out;
}

function describe(issue: z.core.$ZodIssue, missing: boolean): { message: string; expected: string } {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : issue.expected;
      return { message: missing ? `required: expected ${expected}` : `expected ${expected}`, expected };
    }
    case 'invalid_value': {
      const expected = `one of ${issue.values.map((v) => safeJson(v)).join(', ')}`;
      return { message: missing ? `required: expected ${expected}` : `expected ${expected}`, expected };
    }
    case 'too_big':
      return { message: `too big: at most ${String(issue.maximum)}`, expected: `at most ${String(issue.maximum)}` };
    case 'too_small':
      return { message: `too small: at least ${String(issue.minimum)}`, expected: `at least ${String(issue.minimum)}` };
    case 'custom': {
      const expected = typeof issue.params?.['expected'] === 'string' ? issue.params['expected'] : 'a valid value';
      return { message: issue.message, expected };
    }
    default:
      return { message: issue.message, expected: 'a valid value' };
  }
}
