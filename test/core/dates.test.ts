import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addCalendarDays, calendarDaysBetween, currentDateIn, dateProblem, dayNumber, timeZoneProblem, toCalendarDate, todayIn } from '../../src/core/dates.js';

describe('the machine zone', () => {
  it('is the one this project of the suite runs under', () => {
    expect(['Asia/Shanghai', 'UTC', 'America/Los_Angeles']).toContain(process.env['TZ']);
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(process.env['TZ'] === 'UTC' ? 'UTC' : process.env['TZ']);
  });
});

describe('calendar dates', () => {
  it.each([
    ['2026-03-01T23:30:00Z', 'Asia/Shanghai', '2026-03-02'],
    ['2026-03-01T23:30:00Z', 'UTC', '2026-03-01'],
    ['2026-03-01T15:59:59Z', 'Asia/Shanghai', '2026-03-01'],
    ['2026-03-01T16:00:00Z', 'Asia/Shanghai', '2026-03-02'],
    ['2026-03-02T00:30:00+08:00', 'UTC', '2026-03-01'],
    ['2026-03-08T09:30:00Z', 'America/Los_Angeles', '2026-03-08'], // the morning DST starts there
    ['2026-11-01T08:30:00Z', 'America/Los_Angeles', '2026-11-01'], // the night DST ends there
    ['2026-12-31T16:00:00Z', 'Asia/Shanghai', '2027-01-01'],
    ['2028-02-29T12:00:00.123Z', 'Asia/Shanghai', '2028-02-29'],
    ['2026-05-05', 'America/Los_Angeles', '2026-05-05'],
  ])('%s in %s is %s', (input, zone, expected) => {
    expect(dateProblem(input)).toBeUndefined();
    expect(toCalendarDate(input, zone)).toBe(expected);
  });

  it.each([
    ['2026-02-30', '2026-02-30 is not a day of the calendar'],
    ['2027-02-29', '2027-02-29 is not a day of the calendar'],
    ['2026-13-01', '2026-13-01 is not a day of the calendar'],
    ['2026-03-01T10:00:00', 'an instant needs an offset (Z or +08:00) so that no machine zone decides its date'],
    ['2026-03-01T24:00:00Z', '2026-03-01T24:00:00Z is not a time of day'],
    ['2026-03-01T10:00:00+25:00', '+25:00 is not a UTC offset'],
    ['1 March 2026', 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset'],
    [20260301, 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset'],
  ])('refuses %j: %s', (input, problem) => {
    expect(dateProblem(input)).toBe(problem);
  });

  it.each([
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-01-01', 29, '2026-01-30'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
    expect(calendarDaysBetween(date, expected)).toBe(days);
  });

  it("today is read in the given zone, not the machine's", () => {
    const instant = Date.parse('2026-11-23T17:00:00Z');
    expect(todayIn('Asia/Shanghai', instant)).toBe('2026-11-24');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-11-23');
  });

  it('knows real zones from made-up ones', () => {
    expect(timeZoneProblem('Asia/Shanghai')).toBeUndefined();
    expect(timeZoneProblem('Mars/Olympus')).toBe('unknown time zone "Mars/Olympus"');
    expect(timeZoneProblem(8)).toBe('expected an IANA time zone name such as "Asia/Shanghai"');
  });
});

describe('dayNumber', () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-03-01', 11017],
    ['0001-01-01', -719162],
    ['9999-12-31', 2932896],
  ])('%s is day %i', (date, expected) => {
    expect(dayNumber(date)).toBe(expected);
  });

  it('counts days exactly as addCalendarDays does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 365 }), fc.integer({ min: -800, max: 800 }), (n, k) => {
        const date = addCalendarDays('1800-01-01', n);
        const later = addCalendarDays(date, k);
        expect(dayNumber(later) - dayNumber(date)).toBe(k);
        expect(calendarDaysBetween(date, later)).toBe(k);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the current date', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // Fake clocks here run past any real one, so no date remembered from the real clock is in force.
  it('changes at the zone\'s midnight to the millisecond, and goes back with a clock set back', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2034-07-09T15:59:59.999Z') });
    expect(currentDateIn('Asia/Shanghai')).toBe('2034-07-09');
    vi.setSystemTime(Date.parse('2034-07-09T16:00:00.000Z'));
    expect(currentDateIn('Asia/Shanghai')).toBe('2034-07-10');
    vi.setSystemTime(Date.parse('2034-07-10T15:59:59.999Z'));
    expect(currentDateIn('Asia/Shanghai')).toBe('2034-07-10');
    vi.setSystemTime(Date.parse('2034-07-09T15:59:59.999Z'));
    expect(currentDateIn('Asia/Shanghai')).toBe('2034-07-09');
    vi.setSystemTime(Date.parse('2034-08-09T16:00:00.000Z'));
    expect(currentDateIn('Asia/Shanghai')).toBe('2034-08-10');
  });
});

describe('dateProblem', () => {
  it.each([
    ['a date', '2026-03-01', undefined],
    ['29 February of a leap year', '2028-02-29', undefined],
    ['day 0', '2026-01-00', '2026-01-00 is not a day of the calendar'],
    ['month 0', '2026-00-10', '2026-00-10 is not a day of the calendar'],
    ['month 13', '2026-13-01', '2026-13-01 is not a day of the calendar'],
    ['an instant at the last minute and second of a day', '2026-03-01T23:59:59Z', undefined],
    ['an instant with nine fraction digits and an offset of +23:59', '2026-03-01T00:00:00.123456789+23:59', undefined],
    ['an instant with -05:59', '2026-03-01T10:00-05:59', undefined],
    ['an instant on a day not in the calendar', '2026-02-30T10:00:00Z', '2026-02-30 is not a day of the calendar'],
    ['hour 24', '2026-03-01T24:00:00Z', '2026-03-01T24:00:00Z is not a time of day'],
    ['minute 60', '2026-03-01T10:60Z', '2026-03-01T10:60Z is not a time of day'],
    ['second 60', '2026-03-01T10:00:60+08:00', '2026-03-01T10:00:60+08:00 is not a time of day'],
    ['offset hour 24', '2026-03-01T10:00:00+24:00', '+24:00 is not a UTC offset'],
    ['offset minute 60', '2026-03-01T10:00:00-05:60', '-05:60 is not a UTC offset'],
    ['an instant to the minute without offset', '2026-03-01T10:00', 'an instant needs an offset (Z or +08:00) so that no machine zone decides its date'],
    ['an instant with a fraction, without offset', '2026-03-01T10:00:00.25', 'an instant needs an offset (Z or +08:00) so that no machine zone decides its date'],
    ['text before an instant without offset', 'x2026-03-01T10:00:00', 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset'],
    ['text after an instant without offset', '2026-03-01T10:00:00 tomorrow', 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset'],
    ['a dot without fraction digits', '2026-03-01T10:00:00.', 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset'],
    ['40 characters', `2026-03-01T10:00:00.${'1'.repeat(14)}+08:00`, 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset'],
    ['41 characters', `2026-03-01T10:00:00.${'1'.repeat(15)}+08:00`, 'a date is at most 40 characters'],
    ['a number', 20260301, 'expected a date as "YYYY-MM-DD" or an ISO-8601 instant with an offset'],
  ])('%s: %s', (_name, value, problem) => {
    expect(dateProblem(value)).toBe(problem);
  });
});

describe('timeZoneProblem', () => {
  it.each([
    ['empty', '', 'expected an IANA time zone name such as "Asia/Shanghai"'],
    ['64 characters', `Mars/${'x'.repeat(59)}`, `unknown time zone "Mars/${'x'.repeat(59)}"`],
    ['65 characters', `Mars/${'x'.repeat(60)}`, 'expected an IANA time zone name such as "Asia/Shanghai"'],
    ['a real zone, asked twice', 'Pacific/Chatham', undefined],
    ['a real zone, asked twice', 'Pacific/Chatham', undefined],
  ])('%s', (_name, zone, problem) => {
    expect(timeZoneProblem(zone)).toBe(problem);
  });
});
