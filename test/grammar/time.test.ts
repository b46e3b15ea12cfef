// Node re-reads TZ when it is assigned; this file runs in its own process (pool: 'forks').
process.env.TZ = 'Europe/Berlin';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MAX_NS } from '../../src/grammar/duration.js';
import { formatInstant, formatLocalInstant, formatZoned, parseTime } from '../../src/grammar/time.js';
import { refusalOf } from '../helpers/refusal.js';

const MS = 1_000_000n;
const S = 1_000_000_000n;
const H = 3600n * S;

// An ISO 8601 UTC string (via Date, whole ms) as nanoseconds.
const at = (iso: string): bigint => BigInt(Date.parse(iso)) * MS;

// Noon in Berlin (CEST, UTC+2) on a summer Monday.
const NOW = at('2026-06-15T10:00:00Z');

function refusal(text: string, nowNs = NOW): UsageError {
  const error = refusalOf(() => parseTime(text, nowNs));
  expect(error.message).not.toMatch(/\.$/);
  return error;
}

it('runs in Europe/Berlin', () => {
  expect(new Date('2026-01-01T00:00:00Z').getTimezoneOffset()).toBe(-60);
  expect(new Date('2026-07-01T00:00:00Z').getTimezoneOffset()).toBe(-120);
});

describe('parseTime: HH:MM today or tomorrow', () => {
  it.each<[string, bigint, string]>([
    ['14:30', NOW, '2026-06-15T12:30:00Z'],
    ['14:30:15', NOW, '2026-06-15T12:30:15Z'],
    ['12:00:00.000000001', NOW, '2026-06-15T10:00:00.000000001Z'],
    ['12:00:00,5', NOW, '2026-06-15T10:00:00.5Z'],
    ['23:59:59.999999999', NOW, '2026-06-15T21:59:59.999999999Z'],
    // at or before now: tomorrow
    ['12:00', NOW, '2026-06-16T10:00:00Z'],
    ['11:59:59.999999999', NOW, '2026-06-16T09:59:59.999999999Z'],
    ['9:05', NOW, '2026-06-16T07:05:00Z'],
    ['09:05', NOW, '2026-06-16T07:05:00Z'],
    ['00:00', NOW, '2026-06-15T22:00:00Z'],
    ['  14:30\n', NOW, '2026-06-15T12:30:00Z'],
    // one nanosecond before the requested time: still today
    ['12:00', NOW - 1n, '2026-06-15T10:00:00Z'],
    // tomorrow across a month and a year
    ['23:00', at('2026-12-31T22:30:00Z'), '2027-01-01T22:00:00Z'],
    ['00:30', at('2026-06-30T22:45:00Z'), '2026-07-01T22:30:00Z'],
    // clocks go forward on 2026-03-29 at 02:00 CET
    ['02:30', at('2026-03-29T08:00:00Z'), '2026-03-30T00:30:00Z'],
    ['03:30', at('2026-03-29T00:00:00Z'), '2026-03-29T01:30:00Z'],
    ['01:30', at('2026-03-29T00:00:00Z'), '2026-03-29T00:30:00Z'],
    // clocks go back on 2026-10-25 at 03:00 CEST: 02:30 happens twice
    ['02:30', at('2026-10-25T00:00:00Z'), '2026-10-25T00:30:00Z'],
    ['02:30', at('2026-10-25T00:45:00Z'), '2026-10-25T01:30:00Z'],
    ['02:30', at('2026-10-25T01:45:00Z'), '2026-10-26T01:30:00Z'],
    ['02:30', at('2026-10-24T12:00:00Z'), '2026-10-25T00:30:00Z'],
  ])('%j at %s = %s', (text, now, expected) => {
    expect(parseTime(text, now)).toEqual({ instantNs: nsOf(expected), form: 'clock' });
  });

  it('refuses a skipped wall time that is still ahead today', () => {
    expect(refusal('02:30', at('2026-03-29T00:00:00Z')).message).toBe(
      '"02:30" does not exist in the local time zone on 2026-03-29',
    );
  });

  it('refuses a skipped wall time tomorrow', () => {
    expect(refusal('02:30', at('2026-03-28T12:00:00Z')).message).toBe(
      '"02:30" does not exist in the local time zone on 2026-03-29',
    );
  });
});

describe('parseTime: absolute', () => {
  it.each<[string, string]>([
    ['2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z'],
    ['2026-12-01T09:00Z', '2026-12-01T09:00:00Z'],
    ['2026-12-01t09:00z', '2026-12-01T09:00:00Z'],
    ['2026-12-01T09:00+01:00', '2026-12-01T08:00:00Z'],
    ['2026-12-01T09:00+0100', '2026-12-01T08:00:00Z'],
    ['2026-12-01T09:00+01', '2026-12-01T08:00:00Z'],
    ['2026-12-01T09:00:00.5-05:30', '2026-12-01T14:30:00.5Z'],
    ['2026-12-01T09:00:00.123456789Z', '2026-12-01T09:00:00.123456789Z'],
    ['2026-12-01T09:00:00,25Z', '2026-12-01T09:00:00.25Z'],
    ['2026-12-01T00:30-01:00', '2026-12-01T01:30:00Z'],
    ['2026-12-01T23:30+23:59', '2026-11-30T23:31:00Z'],
    // no zone: local time (CET in winter, CEST in summer)
    ['2026-12-01 09:00', '2026-12-01T08:00:00Z'],
    ['2026-12-01T09:00:00', '2026-12-01T08:00:00Z'],
    ['2026-07-01T09:00:00.000000001', '2026-07-01T07:00:00.000000001Z'],
    ['2026-12-01', '2026-11-30T23:00:00Z'],
    ['2026-03-29T03:00', '2026-03-29T01:00:00Z'],
    ['2026-10-25T02:30', '2026-10-25T00:30:00Z'],
    // leap years
    ['2028-02-29', '2028-02-28T23:00:00Z'],
    ['2000-02-29T00:00Z', '2000-02-29T00:00:00Z'],
    // epoch seconds
    ['@1700000000.5', '2023-11-14T22:13:20.5Z'],
    ['@1700000000', '2023-11-14T22:13:20Z'],
    ['@0', '1970-01-01T00:00:00Z'],
    ['@-0', '1970-01-01T00:00:00Z'],
    ['@1.000000001', '1970-01-01T00:00:01.000000001Z'],
    ['@1.', '1970-01-01T00:00:01Z'],
    ['@.5', '1970-01-01T00:00:00.5Z'],
    // the edges a timer can hold
    ['1970-01-01T00:00Z', '1970-01-01T00:00:00Z'],
    ['1970-01-01T01:00+01:00', '1970-01-01T00:00:00Z'],
    ['1969-12-31T23:00-01:00', '1970-01-01T00:00:00Z'],
    ['2262-04-11T23:47:16.854775807Z', '2262-04-11T23:47:16.854775807Z'],
    ['@9223372036.854775807', '2262-04-11T23:47:16.854775807Z'],
  ])('%j = %s', (text, expected) => {
    expect(parseTime(text, NOW)).toEqual({ instantNs: nsOf(expected), form: 'absolute' });
  });

  it('does not judge a past instant', () => {
    expect(parseTime('2001-01-01T00:00Z', NOW).instantNs).toBe(at('2001-01-01T00:00:00Z'));
  });
});

describe('parseTime refuses', () => {
  const expected = 'expected HH:MM[:SS], today|tomorrow HH:MM, YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM], @SECONDS, now or +DURATION';
  it.each<[string, string]>([
    ['', 'empty time: ""'],
    ['  ', 'empty time: "  "'],
    ['25:99', 'hour 25 out of range (0-23) in "25:99"'],
    ['24:00', 'hour 24 out of range (0-23) in "24:00"'],
    ['12:60', 'minute 60 out of range (0-59) in "12:60"'],
    ['12:00:60', 'second 60 out of range (0-59) in "12:00:60"'],
    ['12:00:00.1234567891', 'more than 9 fractional digits in "12:00:00.1234567891"'],
    ['2026-13-01', 'month 13 out of range (1-12) in "2026-13-01"'],
    ['2026-00-01', 'month 0 out of range (1-12) in "2026-00-01"'],
    ['2026-02-30T00:00', 'day 30 out of range (1-28) for 2026-02 in "2026-02-30T00:00"'],
    ['2027-02-29', 'day 29 out of range (1-28) for 2027-02 in "2027-02-29"'],
    ['2100-02-29', 'day 29 out of range (1-28) for 2100-02 in "2100-02-29"'],
    ['2026-04-31', 'day 31 out of range (1-30) for 2026-04 in "2026-04-31"'],
    ['2026-01-00', 'day 0 out of range (1-31) for 2026-01 in "2026-01-00"'],
    ['2026-12-01T24:00Z', 'hour 24 out of range (0-23) in "2026-12-01T24:00Z"'],
    ['2026-12-01T09:00+25:00', 'time zone offset "+25:00" out of range in "2026-12-01T09:00+25:00"'],
    ['2026-12-01T09:00+0160', 'time zone offset "+0160" out of range in "2026-12-01T09:00+0160"'],
    ['2026-03-29T02:30', '"2026-03-29T02:30" does not exist in the local time zone'],
    ['2026-03-29 02:59:59.999', '"2026-03-29 02:59:59.999" does not exist in the local time zone'],
    ['1969-12-31T23:59:59Z', 'before the Unix epoch: "1969-12-31T23:59:59Z"'],
    ['1970-01-01T00:30', 'before the Unix epoch: "1970-01-01T00:30"'],
    ['0099-01-01', 'before the Unix epoch: "0099-01-01"'],
    ['@-5', 'before the Unix epoch: "@-5"'],
    ['2262-04-11T23:47:16.854775808Z', 'after the latest time a timer can hold (2262-04-11T23:47:16.854775807Z): "2262-04-11T23:47:16.854775808Z"'],
    ['9999-12-31', 'after the latest time a timer can hold (2262-04-11T23:47:16.854775807Z): "9999-12-31"'],
    ['@9223372036.854775808', 'after the latest time a timer can hold (2262-04-11T23:47:16.854775807Z): "@9223372036.854775808"'],
    ['@1.0000000001', 'more than 9 fractional digits in "@1.0000000001"'],
    ['@', `not a time (${expected}): "@"`],
    ['@.', `not a time (${expected}): "@."`],
    ['@1e9', `not a time (${expected}): "@1e9"`],
    ['junk', `not a time (${expected}): "junk"`],
    ['14:30Z', `not a time (${expected}): "14:30Z"`],
    ['14', `not a time (${expected}): "14"`],
    ['123:00', `not a time (${expected}): "123:00"`],
    ['12:5', `not a time (${expected}): "12:5"`],
    ['12:00:00.', `not a time (${expected}): "12:00:00."`],
    ['26-12-01', `not a time (${expected}): "26-12-01"`],
    ['2026-12-1', `not a time (${expected}): "2026-12-1"`],
    ['2026-12-01T9:00', `not a time (${expected}): "2026-12-01T9:00"`],
    ['2026-12-01Z', `not a time (${expected}): "2026-12-01Z"`],
    ['2026-12-01T09', `not a time (${expected}): "2026-12-01T09"`],
    ['2026-12-01  09:00', `not a time (${expected}): "2026-12-01  09:00"`],
    ['١٢:٣٠', `not a time (${expected}): "١٢:٣٠"`],
    ['12:30\u0000', `not a time (${expected}): "12:30\\u0000"`],
    ['12:3\ufffd', `not a time (${expected}): "12:3\ufffd"`],
    ['12:30\ud800', `not a time (${expected}): "12:30\\ud800"`],
    ['12:30\u2028', `not a time (${expected}): "12:30\\u2028"`],
  ])('%j: %s', (text, message) => {
    expect(refusal(text).message).toBe(message);
  });

  it('refuses over-long input fast, with a short message', () => {
    for (const text of ['1'.repeat(100_000), '12:00:00.' + '0'.repeat(100_000), 'x '.repeat(50_000)]) {
      const started = performance.now();
      const message = refusal(text).message;
      expect(performance.now() - started).toBeLessThan(200);
      expect(message).toMatch(/^time too long \(\d+ characters\): ".*"… \(\d+ characters\)$/);
      expect(message.length).toBeLessThan(200);
    }
    const started = performance.now();
    expect(refusal(' '.repeat(100_000) + 'x').message).toMatch(/^not a time /);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('formatInstant', () => {
  it.each<[bigint, string]>([
    [0n, '1970-01-01T00:00:00Z'],
    [1n, '1970-01-01T00:00:00.000000001Z'],
    [at('2026-12-01T09:00:00Z'), '2026-12-01T09:00:00Z'],
    [at('2026-12-01T09:00:00Z') + 250n * MS, '2026-12-01T09:00:00.25Z'],
    [MAX_NS, '2262-04-11T23:47:16.854775807Z'],
    [-1n, '1969-12-31T23:59:59.999999999Z'],
  ])('%s = %s', (ns, text) => {
    expect(formatInstant(ns)).toBe(text);
  });
});

describe('properties', () => {
  const answers = (text: string, nowNs: bigint): boolean => {
    try {
      const { instantNs, form } = parseTime(text, nowNs);
      return instantNs >= 0n && instantNs <= MAX_NS && (form === 'clock' || form === 'absolute' || form === 'relative');
    } catch (error) {
      return error instanceof UsageError && error.exitCode === 125 && !/[\n\r]/.test(error.message);
    }
  };
  const now = fc.bigInt({ min: 0n, max: at('2200-01-01T00:00:00Z') });

  it('any string gives an instant or a UsageError', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const nearMiss = fc.constantFrom(...'0123456789:-+.,@TZtz '.split(''), '\ufffd', '\u0000');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), now, answers), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: codeUnit }), now, answers), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: nearMiss, maxLength: 40 }), now, answers), {
      numRuns: 5000,
    });
    const plausible = fc
      .tuple(
        fc.integer({ min: 1960, max: 2300 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }),
        fc.constantFrom('', 'Z', '+01:00', '-0530', '+24:00'),
      )
      .map(([y, mo, d, h, mi, s, zone]) => {
        const p = (n: number) => String(n).padStart(2, '0');
        return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${zone}`;
      });
    fc.assert(fc.property(plausible, now, answers), { numRuns: 3000 });
  });

  it('parseTime(formatInstant(x)) === x for runs of nearby instants (the second kept between calls)', () => {
    const around = fc.tuple(fc.bigInt({ min: 2_000_000_000n, max: MAX_NS - 2_000_000_000n }), fc.array(fc.bigInt({ min: -2_000_000_000n, max: 2_000_000_000n }), { minLength: 2, maxLength: 12 }));
    fc.assert(
      fc.property(around, now, ([base, offsets], nowNs) =>
        offsets.every((d) => {
          const parsed = parseTime(formatInstant(base + d), nowNs);
          return parsed.instantNs === base + d;
        }),
      ),
      { numRuns: 1000 },
    );
    // Into a second, out of it backwards, and across zero.
    expect([1_500_000_000n, 999_999_999n, 1_000_000_000n, -1n, 0n, -1_000_000_000n].map(formatInstant)).toEqual([
      '1970-01-01T00:00:01.5Z', '1970-01-01T00:00:00.999999999Z', '1970-01-01T00:00:01Z', '1969-12-31T23:59:59.999999999Z', '1970-01-01T00:00:00Z', '1969-12-31T23:59:59Z',
    ]);
  });

  it('parseTime(formatInstant(x)) === x', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_NS }), now, (x, nowNs) => {
        const parsed = parseTime(formatInstant(x), nowNs);
        return parsed.instantNs === x && parsed.form === 'absolute';
      }),
      { numRuns: 2000 },
    );
  });

  it('HH:MM:SS is the next time the local clock shows it, within a day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }),
        fc.bigInt({ min: at('2000-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z') }),
        (h, m, s, nowNs) => {
          const p = (n: number) => String(n).padStart(2, '0');
          let result: bigint;
          try {
            result = parseTime(`${h}:${p(m)}:${p(s)}`, nowNs).instantNs;
          } catch (error) {
            // Only a wall time skipped by a clock change may be refused.
            return error instanceof UsageError && /does not exist in the local time zone/.test(error.message);
          }
          const local = new Date(Number(result / MS));
          return (
            result > nowNs && result - nowNs <= 25n * H &&
            local.getHours() === h && local.getMinutes() === m && local.getSeconds() === s
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseTime: relative to now, today and tomorrow', () => {
  it.each<[string, bigint]>([
    ['now', NOW],
    ['  now ', NOW],
    ['+0', NOW],
    ['+5m', NOW + 5n * 60n * S],
    ['+1h30m', NOW + 90n * 60n * S],
    ['+PT1S', NOW + S],
    ['+0.5', NOW + 500n * MS],
  ])('%j is %s', (text, ns) => {
    expect(parseTime(text, NOW)).toEqual({ instantNs: ns, form: 'relative' });
  });

  it.each<[string, string]>([
    // NOW is 12:00 in Berlin (CEST)
    ['tomorrow 09:00', '2026-06-16T07:00:00Z'],
    ['tomorrow  09:00:30.5', '2026-06-16T07:00:30.5Z'],
    ['today 18:00', '2026-06-15T16:00:00Z'],
    // today's, even when past (the caller refuses it)
    ['today 09:00', '2026-06-15T07:00:00Z'],
  ])('%j is %s', (text, iso) => {
    expect(parseTime(text, NOW)).toEqual({ instantNs: nsOf(iso), form: 'clock' });
  });

  it('HH:MM with clockToday is today\'s, not tomorrow\'s, when past', () => {
    expect(parseTime('09:00', NOW).instantNs).toBe(nsOf('2026-06-16T07:00:00Z'));
    expect(parseTime('09:00', NOW, undefined, { clockToday: true }).instantNs).toBe(nsOf('2026-06-15T07:00:00Z'));
    expect(parseTime('13:00', NOW, undefined, { clockToday: true }).instantNs).toBe(nsOf('2026-06-15T11:00:00Z'));
  });

  it('tomorrow across a clock change: the local time of the next day', () => {
    // 2026-03-28 12:00 CET; tomorrow is the day clocks go forward (02:00 → 03:00)
    const now = at('2026-03-28T11:00:00Z');
    expect(parseTime('tomorrow 12:00', now).instantNs).toBe(nsOf('2026-03-29T10:00:00Z'));
    expect(refusal('tomorrow 02:30', now).message).toBe('"tomorrow 02:30" does not exist in the local time zone on 2026-03-29');
  });

  it.each<[string, RegExp]>([
    ['+', /^empty duration: "" \(in "\+"\)$/],
    ['+5x', /^unknown unit "x" in "5x" \(in "\+5x"\)$/],
    ['+-5m', /^negative durations are not allowed/],
    ['tomorrow', /not a time/],
    ['tomorrow noon', /^"tomorrow" needs a time of day after it \(tomorrow HH:MM\[:SS\]\): "tomorrow noon"$/],
    ['tomorrow 25:00', /^hour 25 out of range/],
    ['Now', /not a time/],
  ])('refuses %j', (text, message) => {
    expect(refusal(text).message).toMatch(message);
  });
});

describe('formatLocalInstant', () => {
  it.each<[string, string]>([
    ['2026-06-15T10:00:00Z', '2026-06-15 12:00:00+02:00'],
    ['2026-01-15T10:00:00.25Z', '2026-01-15 11:00:00.25+01:00'],
    ['2026-01-15T10:00:00.000000001Z', '2026-01-15 11:00:00.000000001+01:00'],
  ])('%s in Berlin is %s', (iso, local) => {
    expect(formatLocalInstant(nsOf(iso))).toBe(local);
  });
});

// An ISO 8601 UTC string with up to nine fractional digits as nanoseconds, without Date's ms limit.
function nsOf(iso: string): bigint {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!match) throw new Error(`bad test instant ${iso}`);
  const [, whole = '', frac = ''] = match;
  return BigInt(Date.parse(`${whole}Z`)) * MS + BigInt(frac.padEnd(9, '0'));
}

// An ISO instant (Date.parse) as bigint nanoseconds.
function ns(iso: string): bigint {
  return BigInt(Date.parse(iso)) * MS;
}

describe('formatZoned', () => {
  it.each<[string, string, string]>([
    ['2027-03-28T01:00:00Z', 'Europe/Berlin', '2027-03-28T03:00:00+02:00'],
    ['2027-03-28T00:59:59Z', 'Europe/Berlin', '2027-03-28T01:59:59+01:00'],
    ['2026-01-01T00:00:00Z', 'UTC', '2026-01-01T00:00:00+00:00'],
    ['2026-01-01T00:00:00.5Z', 'UTC', '2026-01-01T00:00:00.5+00:00'],
    ['2026-11-01T06:00:00Z', 'America/New_York', '2026-11-01T01:00:00-05:00'],
    ['2026-06-01T00:00:00Z', 'Asia/Kathmandu', '2026-06-01T05:45:00+05:45'],
    ['2026-04-04T15:00:00Z', 'Australia/Lord_Howe', '2026-04-05T01:30:00+10:30'],
  ])('%s in %s', (iso, zone, expected) => {
    expect(formatZoned(ns(iso), zone)).toBe(expected);
  });

  it('prints nanoseconds with trailing zeros trimmed', () => {
    const base = ns('2026-01-01T00:00:00Z');
    expect(formatZoned(base + 1n, 'UTC')).toBe('2026-01-01T00:00:00.000000001+00:00');
    expect(formatZoned(base + 420_000_000n, 'UTC')).toBe('2026-01-01T00:00:00.42+00:00');
    expect(formatZoned(base + 123_456_000n, 'UTC')).toBe('2026-01-01T00:00:00.123456+00:00');
  });
});
