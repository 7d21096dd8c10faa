import { TZDate, tz } from '@date-fns/tz';
import { addDays as addDaysFns } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';

/**
 * The organisation's zone unless an option says otherwise.
 *
 * @example
 * DEFAULT_TIME_ZONE; //=> 'Asia/Shanghai'
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** A calendar date, `YYYY-MM-DD`. Plain strings of this form sort in date order. */
export type CalendarDate = string;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_LIKE_MAX_LENGTH = 40;

/**
 * Why `value` is not a date fact, or `undefined`. A date fact is a real calendar date
 * `YYYY-MM-DD`, or an ISO-8601 instant that carries its offset (`Z` or `+08:00`): without one the
 * machine's zone would decide the date.
 *
 * @example
 * dateProblem('2026-02-30'); //=> '2026-02-30 is not a day of the calendar'
 * dateProblem('2026-03-01T10:00:00'); //=> 'an instant needs an offset (Z or +08:00) so that no machine zone decides its date'
 */
export function dateProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset';
  if (value.length > DATE_LIKE_MAX_LENGTH) return 'a date is at most 40 characters';
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) return isRealDay(+dateOnly[1]!, +dateOnly[2]!, +dateOnly[3]!) ? undefined : `${value} is not a day of the calendar`;
  const instant = INSTANT.exec(value);
  if (!instant) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
      ? 'an instant needs an offset (Z or +08:00) so that no machine zone decides its date'
      : 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset';
  }
  const [, y, mo, d, h, mi, s, offset] = instant;
  if (!isRealDay(+y!, +mo!, +d!)) return `${value.slice(0, 10)} is not a day of the calendar`;
  if (+h! > 23 || +mi! > 59 || (s !== undefined && +s > 59)) return `${value} is not a time of day`;
  if (offset !== 'Z' && (+offset!.slice(1, 3) > 23 || +offset!.slice(4, 6) > 59)) return `${offset} is not a UTC offset`;
  return undefined;
}

function isRealDay(year: number, month: number, day: number): boolean {
  // Years 0001–9999: dates compare as text, which holds only for four-digit years.
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * Whether a calendar date lies within 0001-01-01 to 9999-12-31, where dates compare as text (an
 * instant can fall outside in a zone even when its own date is inside).
 *
 * @example
 * inCalendarRange(toCalendarDate('9999-12-31T20:00:00Z', 'Asia/Shanghai')); //=> false ('10000-01-01')
 */
export function inCalendarRange(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !date.startsWith('0000');
}

/**
 * Turns a valid date fact (see {@link dateProblem}) into the calendar date it names in `zone`.
 * A date passes through; an instant becomes the date its moment falls on in `zone`.
 *
 * @example
 * toCalendarDate('2026-03-01T23:30:00Z', 'Asia/Shanghai'); //=> '2026-03-02'
 * toCalendarDate('2026-03-01', 'Asia/Shanghai'); //=> '2026-03-01'
 */
export function toCalendarDate(value: string, zone: string): CalendarDate {
  if (value.length === 10) return value;
  return ymd(new TZDate(Date.parse(value), zone));
}

/**
 * Today's calendar date in `zone`.
 *
 * @example
 * todayIn('Asia/Shanghai', Date.parse('2026-11-23T17:00:00Z')); //=> '2026-11-24'
 */
export function todayIn(zone: string, now: number = Date.now()): CalendarDate {
  return ymd(new TZDate(now, zone));
}

/** A calendar day in a zone and the instants it spans: `from` (its midnight) up to, not including, `until`. */
export interface ZoneDay {
  readonly date: CalendarDate;
  readonly from: number;
  readonly until: number;
}

const today = new Map<string, ZoneDay>();

/**
 * Today's calendar date in `zone`, remembered for the rest of that day in the zone, so a hot loop
 * that leaves `asOf` to default does not format a date per call. A clock set back before the day
 * began (by hand or by time sync) gives the earlier date again.
 *
 * @example
 * currentDateIn('Asia/Shanghai'); //=> '2026-11-24' (during that day in Shanghai)
 */
export function currentDateIn(zone: string): CalendarDate {
  return currentDayIn(zone).date;
}

/**
 * Today in `zone` with the instants it spans, so a caller can keep it and compare `Date.now()`
 * with its ends instead of asking again per call (see {@link isWithin}).
 *
 * @example
 * const day = currentDayIn('Asia/Shanghai');
 * isWithin(day, Date.now()); //=> true
 */
export function currentDayIn(zone: string): ZoneDay {
  const now = Date.now();
  const cached = today.get(zone);
  if (cached && isWithin(cached, now)) return cached;
  const date = todayIn(zone, now);
  const year = +date.slice(0, 4);
  const month = +date.slice(5, 7) - 1;
  const day = +date.slice(8, 10);
  const from = new TZDate(year, month, day, zone).getTime();
  const until = new TZDate(year, month, day + 1, zone).getTime();
  if (today.size > 64) today.clear();
  const entry: ZoneDay = { date, from, until };
  today.set(zone, entry);
  return entry;
}

/**
 * Does the instant `now` (milliseconds since the epoch) fall on `day`?
 *
 * @example
 * isWithin({ date: '2026-01-01', from: 0, until: 10 }, 10); //=> false
 */
export function isWithin(day: ZoneDay, now: number): boolean {
  return day.from <= now && now < day.until;
}

/**
 * Adds whole calendar days to a date. Calendar arithmetic does not depend on any zone, so it is
 * done in UTC, where every day has 24 hours.
 *
 * @example
 * addCalendarDays('2028-02-28', 1); //=> '2028-02-29'
 */
export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  return ymd(addDaysFns(utcDay(date), days, { in: tz('UTC') }));
}

/**
 * Whole calendar days from `from` to `to` (negative when `to` is earlier).
 *
 * @example
 * calendarDaysBetween('2026-01-01', '2026-01-31'); //=> 30
 */
export function calendarDaysBetween(from: CalendarDate, to: CalendarDate): number {
  return differenceInCalendarDays(utcDay(to), utcDay(from), { in: tz('UTC') });
}

/**
 * The number of days from 1970-01-01 to a calendar date `YYYY-MM-DD` (negative before), in
 * integer arithmetic on the proleptic Gregorian calendar: no `Date`, no zone, no allocation, so a
 * list of 100,000 dates is compared in a few milliseconds. Consecutive dates differ by exactly 1,
 * as {@link addCalendarDays} counts them (a property test holds the two equal).
 *
 * @example
 * dayNumber('1970-01-02'); //=> 1
 * dayNumber('2026-03-01') - dayNumber('2026-02-28'); //=> 1
 */
export function dayNumber(date: CalendarDate): number {
  const month = +date.slice(5, 7);
  const day = +date.slice(8, 10);
  const year = +date.slice(0, 4) - (month <= 2 ? 1 : 0);
  // Days from civil (H. Hinnant): years start on 1 March, so the leap day ends the year.
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * A zoned date's calendar date. TZDate's getters already read in its zone; date-fns' `format`
 * would do the same and bring its locale machinery (about 15 KB) into every bundle.
 */
function ymd(date: TZDate): CalendarDate {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

function utcDay(date: CalendarDate): TZDate {
  return new TZDate(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), 'UTC');
}

/**
 * Why `zone` is not a usable IANA time zone, or `undefined`.
 *
 * @example
 * timeZoneProblem('Mars/Olympus'); //=> 'unknown time zone "Mars/Olympus"'
 */
export function timeZoneProblem(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return 'expected an IANA time zone name such as "Asia/Shanghai"';
  if (knownZones.has(zone)) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return `unknown time zone ${JSON.stringify(zone)}`;
  }
  // Building an Intl formatter costs tens of microseconds: remember the zones already checked.
  if (knownZones.size < 64) knownZones.add(zone);
  return undefined;
}

// The default zone is known to every runtime with time-zone data (Node ships full ICU): checking
// it would build an Intl formatter, milliseconds of cold start, for a zone that is always there.
const knownZones = new Set<string>([DEFAULT_TIME_ZONE]);
