import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  type CivilTime,
  checkZone,
  gapEnd,
  instantsAt,
  localZone,
  nextTransition,
  offsetAt,
  zonedTime,
} from '../../src/grammar/zone.js';
import { refusalOf } from '../helpers/refusal.js';

// Expected values below are the tz rules worked by hand (EU: last Sunday of March/October at
// 01:00 UTC; US: second Sunday of March / first of November at 02:00 local; Lord Howe: first
// Sunday of October/April at 02:00 local, 30 minutes; Kathmandu moved +05:30 → +05:45 on
// 1986-01-01), cross-checked once with glibc's `TZ=zone date`.

const MS = 1_000_000n;
// An ISO instant (Date.parse, independent of the module) as bigint nanoseconds.
function ns(iso: string): bigint {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return BigInt(ms) * MS;
}

function civil(text: string): CivilTime {
  const m = /^(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)$/.exec(text);
  if (m === null) throw new Error(`bad test civil time ${text}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { year, month, day, hour, minute, second };
}

// The error a call threw, checked to be a one-line usage error.
function refusal(run: () => unknown): UsageError {
  const error = refusalOf(run);
  expect(error.message).not.toMatch(/\.$/);
  return error;
}

describe('checkZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Etc/Universal', 'UTC'],
    ['GMT', 'UTC'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['Australia/Lord_Howe', 'Australia/Lord_Howe'],
    ['Asia/Kathmandu', 'Asia/Kathmandu'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['US/Eastern', 'US/Eastern'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('%s → %s', (input, expected) => {
    expect(checkZone(input)).toBe(expected);
  });

  it.each([
    'Mars/Base',
    '',
    ' Europe/Berlin',
    'Europe/Berlin ',
    '+01:00',
    'Europe//Berlin',
    '/Europe/Berlin',
    'PST', // ICU's Java-era alias, not an IANA zone
    'IST',
    'SystemV/EST5',
    'localtime',
  ])('refuses %j', (input) => {
    const error = refusal(() => checkZone(input));
    expect(error.message).toBe(`unknown time zone ${JSON.stringify(input)}`);
  });
});

describe('localZone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('follows TZ', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(localZone()).toBe('Asia/Tokyo');
    process.env.TZ = 'UTC';
    expect(localZone()).toBe('UTC');
  });

  it.each(['', 'Nowhere/Land', 'CET-1CEST,M3.5.0,M10.5.0/3'])('is UTC when Intl cannot use TZ=%j', (tz) => {
    process.env.TZ = tz;
    expect(localZone()).toBe('UTC');
  });
});

describe('zonedTime and offsetAt', () => {
  it.each<[string, string, string, number, number]>([
    // zone, instant, civil reading, weekday, offset in seconds
    ['UTC', '1970-01-01T00:00:00Z', '1970-01-01 00:00:00', 4, 0],
    ['UTC', '2000-02-29T23:59:59Z', '2000-02-29 23:59:59', 2, 0],
    ['Europe/Berlin', '2026-03-29T00:59:59Z', '2026-03-29 01:59:59', 0, 3600],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', '2026-03-29 03:00:00', 0, 7200],
    ['Europe/Berlin', '2026-10-25T00:59:59Z', '2026-10-25 02:59:59', 0, 7200],
    ['Europe/Berlin', '2026-10-25T01:00:00Z', '2026-10-25 02:00:00', 0, 3600],
    ['America/New_York', '2026-03-08T06:59:59Z', '2026-03-08 01:59:59', 0, -5 * 3600],
    ['America/New_York', '2026-03-08T07:00:00Z', '2026-03-08 03:00:00', 0, -4 * 3600],
    ['America/New_York', '2026-11-01T05:59:59Z', '2026-11-01 01:59:59', 0, -4 * 3600],
    ['America/New_York', '2026-11-01T06:00:00Z', '2026-11-01 01:00:00', 0, -5 * 3600],
    ['Australia/Lord_Howe', '2026-04-04T14:59:59Z', '2026-04-05 01:59:59', 0, 11 * 3600],
    ['Australia/Lord_Howe', '2026-04-04T15:00:00Z', '2026-04-05 01:30:00', 0, 10.5 * 3600],
    ['Australia/Lord_Howe', '2026-10-03T15:29:59Z', '2026-10-04 01:59:59', 0, 10.5 * 3600],
    ['Australia/Lord_Howe', '2026-10-03T15:30:00Z', '2026-10-04 02:30:00', 0, 11 * 3600],
    ['Asia/Kathmandu', '1985-12-31T18:29:59Z', '1985-12-31 23:59:59', 2, 5.5 * 3600],
    ['Asia/Kathmandu', '1985-12-31T18:30:00Z', '1986-01-01 00:15:00', 3, 5.75 * 3600],
    ['Asia/Kolkata', '2026-06-01T00:00:00Z', '2026-06-01 05:30:00', 1, 5.5 * 3600],
    ['Pacific/Kiritimati', '2026-06-01T00:00:00Z', '2026-06-01 14:00:00', 1, 14 * 3600],
  ])('%s at %s reads %s', (zone, iso, reading, weekday, offset) => {
    const t = zonedTime(ns(iso), zone);
    expect(t).toEqual({ ...civil(reading), weekday, offsetSec: offset, nanos: 0 });
    expect(offsetAt(ns(iso), zone)).toBe(offset);
  });

  it('keeps the nanoseconds within the second', () => {
    expect(zonedTime(ns('2026-01-01T00:00:00Z') + 999_999_999n, 'UTC')).toMatchObject({ second: 0, nanos: 999_999_999 });
    expect(zonedTime(ns('2026-01-01T00:00:00Z') - 1n, 'Asia/Kolkata')).toMatchObject({
      hour: 5,
      minute: 29,
      second: 59,
      nanos: 999_999_999,
    });
  });

  it('refuses an unknown zone as a usage error', () => {
    expect(refusal(() => zonedTime(0n, 'Mars/Base')).message).toBe('unknown time zone "Mars/Base"');
  });
});

describe('instantsAt', () => {
  it.each<[string, string, string[]]>([
    ['UTC', '2026-03-29 02:30:00', ['2026-03-29T02:30:00Z']],
    ['Europe/Berlin', '2026-03-29 01:59:59', ['2026-03-29T00:59:59Z']],
    ['Europe/Berlin', '2026-03-29 02:00:00', []],
    ['Europe/Berlin', '2026-03-29 02:59:59', []],
    ['Europe/Berlin', '2026-03-29 03:00:00', ['2026-03-29T01:00:00Z']],
    ['Europe/Berlin', '2026-10-25 01:59:59', ['2026-10-24T23:59:59Z']],
    ['Europe/Berlin', '2026-10-25 02:00:00', ['2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z']],
    ['Europe/Berlin', '2026-10-25 02:59:59', ['2026-10-25T00:59:59Z', '2026-10-25T01:59:59Z']],
    ['Europe/Berlin', '2026-10-25 03:00:00', ['2026-10-25T02:00:00Z']],
    ['America/New_York', '2026-03-08 02:30:00', []],
    ['America/New_York', '2026-11-01 01:30:00', ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z']],
    ['Australia/Lord_Howe', '2026-04-05 01:45:00', ['2026-04-04T14:45:00Z', '2026-04-04T15:15:00Z']],
    ['Australia/Lord_Howe', '2026-04-05 02:00:00', ['2026-04-04T15:30:00Z']],
    ['Australia/Lord_Howe', '2026-10-04 02:15:00', []],
    ['Australia/Lord_Howe', '2026-10-04 02:30:00', ['2026-10-03T15:30:00Z']],
    ['Asia/Kathmandu', '1986-01-01 00:10:00', []],
    ['Asia/Kathmandu', '1986-01-01 00:15:00', ['1985-12-31T18:30:00Z']],
  ])('%s %s', (zone, reading, expected) => {
    expect(instantsAt(civil(reading), zone)).toEqual(expected.map(ns));
  });

  it('throws RangeError for a date that does not exist', () => {
    expect(() => instantsAt(civil('2026-02-30 00:00:00'), 'UTC')).toThrow(RangeError);
    expect(() => instantsAt(civil('2026-01-01 24:00:00'), 'UTC')).toThrow(RangeError);
  });
});

describe('gapEnd', () => {
  it.each<[string, string, string]>([
    ['Europe/Berlin', '2026-03-29 02:30:00', '2026-03-29T01:00:00Z'],
    ['Europe/Berlin', '2026-03-29 02:00:00', '2026-03-29T01:00:00Z'],
    ['America/New_York', '2026-03-08 02:59:59', '2026-03-08T07:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-04 02:15:00', '2026-10-03T15:30:00Z'],
    ['Asia/Kathmandu', '1986-01-01 00:05:00', '1985-12-31T18:30:00Z'],
    // times that exist: their first instant
    ['Europe/Berlin', '2026-10-25 02:30:00', '2026-10-25T00:30:00Z'],
    ['UTC', '2026-03-29 02:30:00', '2026-03-29T02:30:00Z'],
  ])('%s %s → %s', (zone, reading, expected) => {
    expect(gapEnd(civil(reading), zone)).toBe(ns(expected));
  });
});

describe('nextTransition', () => {
  it.each<[string, string, string, string | undefined]>([
    ['Europe/Berlin', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-03-29T01:00:00Z'],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', '2027-01-01T00:00:00Z', '2026-10-25T01:00:00Z'],
    ['Europe/Berlin', '2026-03-29T00:59:59.999Z', '2027-01-01T00:00:00Z', '2026-03-29T01:00:00Z'],
    ['Europe/Berlin', '2026-01-01T00:00:00Z', '2026-03-29T00:59:59Z', undefined],
    ['America/New_York', '2026-06-01T00:00:00Z', '2027-06-01T00:00:00Z', '2026-11-01T06:00:00Z'],
    ['Australia/Lord_Howe', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-04-04T15:00:00Z'],
    ['Asia/Kolkata', '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z', undefined],
    ['UTC', '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z', undefined],
  ])('%s after %s until %s', (zone, after, limit, expected) => {
    expect(nextTransition(ns(after), zone, ns(limit))).toBe(expected === undefined ? undefined : ns(expected));
  });
});

// Intl's own reading of an offset, asked without the module's tables.
function intlOffset(instantNs: bigint, zone: string): number {
  const text = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).format(
    Number(instantNs / MS),
  );
  const m = /GMT(?:([+-])(\d\d):(\d\d))?$/.exec(text);
  if (m === null) throw new Error(`unexpected ${text}`);
  return m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

describe('properties', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC', 'America/Santiago'];
  const instant = fc.bigInt({ min: 0n, max: ns('2100-01-01T00:00:00Z') });

  it('offsets agree with Intl and every reading maps back to its instant', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (at, zone) => {
        const t = zonedTime(at, zone);
        expect(t.offsetSec).toBe(intlOffset(at, zone));
        const whole = at - BigInt(t.nanos);
        expect(instantsAt(t, zone)).toContain(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('is fast once a zone-year is known', () => {
    const base = ns('2026-01-01T00:00:00Z');
    zonedTime(base, 'Europe/Berlin');
    const started = performance.now();
    for (let i = 0n; i < 20_000n; i++) zonedTime(base + i * 60_000_000_000n, 'Europe/Berlin');
    const perCallUs = ((performance.now() - started) * 1000) / 20_000;
    expect(perCallUs).toBeLessThan(20);
  });
});
