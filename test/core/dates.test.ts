import { describe, expect, it } from 'vitest';
import { addCalendarDays, calendarDaysBetween, dateProblem, timeZoneProblem, toCalendarDate, todayIn } from '../../src/core/dates.js';

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
