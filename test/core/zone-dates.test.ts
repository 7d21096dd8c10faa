import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCalendarDate } from '../../src/core/dates.js';
import { calendarDateResolver } from '../../src/core/zone-dates.js';

// Zones with DST (both hemispheres), half- and quarter-hour offsets, a skipped day (Apia 2011),
// negative offsets, and local mean time with seconds before standard time (Shanghai, Dublin).
const ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/Los_Angeles',
  'America/St_Johns',
  'Europe/Dublin',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Abidjan',
  'America/Sao_Paulo',
] as const;

const MIN = Date.UTC(1800, 0, 1);
const MAX = Date.UTC(2200, 0, 1);
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** An instant written with an offset, as callers send it. */
function written(ms: number, offsetMinutes: number, seconds: boolean, fraction: number): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const base = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  const time = seconds ? `${base}:${pad(local.getUTCSeconds())}${fraction > 0 ? `.${String(fraction).padStart(3, '0')}` : ''}` : base;
  return `${time}${offsetMinutes === 0 ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`}`;
}

const offsets = fc.constantFrom(0, 480, -480, 330, -210, 765, -720, 840);

describe('calendarDateResolver', () => {
  it('gives the same date as toCalendarDate for any instant, in any zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: MIN, max: MAX }), offsets, fc.boolean(), (zone, ms, offset, seconds) => {
        const second = seconds ? ms : ms - (((ms % 60_000) + 60_000) % 60_000);
        const value = written(second, offset, seconds, 0);
        return calendarDateResolver(zone)(value) === toCalendarDate(value, zone);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees around every offset change: the hours on both sides of a DST switch, minute by minute', () => {
    // Walk a few transitions minute by minute: 2026 DST in Los Angeles, Dublin, Lord Howe (30 min),
    // Apia's skipped 2011-12-30, and the end of local mean time in Shanghai (1901).
    const windows: [string, string][] = [
      ['America/Los_Angeles', '2026-03-08T08:00:00Z'],
      ['America/Los_Angeles', '2026-11-01T07:00:00Z'],
      ['Europe/Dublin', '2026-10-25T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
      ['Pacific/Apia', '2011-12-29T09:00:00Z'],
      ['Asia/Shanghai', '1900-12-31T15:00:00Z'],
    ];
    for (const [zone, from] of windows) {
      const dateOf = calendarDateResolver(zone);
      for (let minute = 0; minute < 6 * 60; minute += 1) {
        const value = new Date(Date.parse(from) + minute * 60_000 + 17_000).toISOString();
        expect(dateOf(value), `${zone} ${value}`).toBe(toCalendarDate(value, zone));
      }
    }
  });

  it('passes dates through and puts 23:30 UTC on the next day in Shanghai', () => {
    const dateOf = calendarDateResolver('Asia/Shanghai');
    expect(dateOf('2026-03-01')).toBe('2026-03-01');
    expect(dateOf('2026-03-01T23:30:00Z')).toBe('2026-03-02');
    expect(dateOf('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    expect(dateOf('2026-03-01T16:00:00Z')).toBe('2026-03-02');
    expect(calendarDateResolver('UTC')('2026-03-01T23:30:00Z')).toBe('2026-03-01');
    expect(calendarDateResolver('America/Los_Angeles')('2026-03-02T07:59:00Z')).toBe('2026-03-01');
  });

  it('handles the ends of the four-digit years the way toCalendarDate does', () => {
    for (const [zone, value] of [['America/Los_Angeles', '0000-01-01T00:00:00Z'], ['Asia/Shanghai', '9999-12-31T23:30:00Z'], ['Asia/Shanghai', '0001-01-01T00:00:00+08:00']] as const) {
      expect(calendarDateResolver(zone)(value), `${zone} ${value}`).toBe(toCalendarDate(value, zone));
    }
  });

  it('takes the date from the zone, not from UTC, in an hour whose offset changes inside it', () => {
    // Kathmandu went from +05:30 to +05:45 at 1986-01-01 00:00 local, 18:30 UTC: inside the UTC
    // hour 18:00-19:00, whose instants all fall on 31 December in UTC.
    const dateOf = calendarDateResolver('Asia/Kathmandu');
    expect(dateOf('1985-12-31T18:20:00Z')).toBe('1985-12-31');
    expect(dateOf('1985-12-31T18:40:00Z')).toBe('1986-01-01');
    expect(dateOf('1985-12-31T18:59:59Z')).toBe('1986-01-01');
    expect(dateOf('1985-12-31T18:40:00+05:45')).toBe('1985-12-31');
  });
});

