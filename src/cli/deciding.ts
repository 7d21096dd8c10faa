import type { CalendarDate } from '../core/dates.js';
import { dateProblem, DEFAULT_TIME_ZONE, timeZoneProblem, toCalendarDate, todayIn } from '../core/dates.js';
import { loadRuleSet } from '../node/load-rule-set.js';
import type { PolicyId } from '../policies.js';
import { isPolicyId, POLICY_IDS } from '../policies.js';
import type { RuleSet } from '../rule-set.js';
import { didYouMean } from '../core/did-you-mean.js';
import { rulesDir, UsageError } from './io.js';

/** What `--rules`, `--as-of` and `--time-zone` select, checked. */
export interface Deciding {
  /** The folder's rule set, loaded and checked as `createPolicies` checks it; absent for the bundled rules. */
  readonly rules?: RuleSet;
  readonly timeZone: string;
  /** The date asked for, or today in the time zone. */
  readonly asOf: CalendarDate;
  /** True when `--as-of` was given. */
  readonly asOfGiven: boolean;
}

/**
 * Reads the deciding flags every deciding verb shares. A bad date or zone is a usage error; a
 * folder that does not load is a `RuleSetError` (a finding: exit 1, with every file and path).
 *
 * @example
 * decidingFrom({ rules: 'our-rules', 'as-of': '2027-01-01' }).asOf; //=> '2027-01-01'
 */
export function decidingFrom(values: { readonly rules?: string | undefined; readonly 'as-of'?: string | undefined; readonly 'time-zone'?: string | undefined }): Deciding {
  const timeZone = values['time-zone'] ?? DEFAULT_TIME_ZONE;
  const zoneProblem = timeZoneProblem(timeZone);
  if (zoneProblem !== undefined) throw new UsageError(`--time-zone: ${zoneProblem}`);
  const asOfFlag = values['as-of'];
  const problem = asOfFlag === undefined ? undefined : dateProblem(asOfFlag);
  if (problem !== undefined) throw new UsageError(`--as-of: ${problem}`);
  const asOf = asOfFlag === undefined ? todayIn(timeZone) : toCalendarDate(asOfFlag, timeZone);
  return { timeZone, asOf, asOfGiven: asOfFlag !== undefined, ...(values.rules === undefined ? {} : { rules: loadRuleSet(rulesDir(values.rules)) }) };
}

/**
 * A policy id from the command line, or a usage error naming the closest known id.
 *
 * @example
 * policyArg('review.aproval'); // throws: unknown policy "review.aproval"; did you mean "review.approval"?
 */
export function policyArg(id: string): PolicyId {
  if (isPolicyId(id)) return id;
  throw new UsageError(`unknown policy ${JSON.stringify(id)}${didYouMean(id, POLICY_IDS)} (known: ${POLICY_IDS.join(', ')}; "sales-policies policies" lists them)`);
}
