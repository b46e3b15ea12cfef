import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  type CalendarSpec,
  matchesCalendar,
  nextCalendar,
  normalizeCalendar,
  parseCalendar,
} from '../../src/grammar/calendar.js';
import { refusalOf } from '../helpers/refusal.js';

// Expected values come from systemd's own test corpus (src/test/test-calendarspec.c: inputs,
// normalized forms, next elapses in µs with the TZ it sets; "" there is UTC), from
// `systemd-analyze calendar` 252 run by hand, and from the tz rules worked by hand. Where we
// depart from systemd on purpose (a repeated hour elapses twice) the row says so.

const US = 1000n;
const S = 1_000_000_000n;
// An ISO instant (Date.parse, independent of the module) as bigint nanoseconds.
function ns(iso: string): bigint {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return BigInt(ms) * 1_000_000n;
}
const iso = (at: bigint | undefined): string | undefined =>
  at === undefined ? undefined : new Date(Number(at / 1_000_000n)).toISOString();

// The first `count` elapses after `from`.
function elapses(spec: CalendarSpec, from: bigint, zone: string, count: number): (bigint | undefined)[] {
  const out: (bigint | undefined)[] = [];
  let at: bigint | undefined = from;
  for (let i = 0; i < count && at !== undefined; i++) {
    at = nextCalendar(spec, at, zone);
    out.push(at);
  }
  return out;
}

describe('normalized form (systemd test-calendarspec.c)', () => {
  it.each([
    ['Sat,Thu,Mon-Wed,Sat-Sun', 'Mon..Thu,Sat,Sun *-*-* 00:00:00'],
    ['Sat,Thu,Mon..Wed,Sat..Sun', 'Mon..Thu,Sat,Sun *-*-* 00:00:00'],
    ['Mon,Sun 12-*-* 2,1:23', 'Mon,Sun 2012-*-* 01,02:23:00'],
    ['Wed *-1', 'Wed *-*-01 00:00:00'],
    ['Wed-Wed,Wed *-1', 'Wed *-*-01 00:00:00'],
    ['Wed..Wed,Wed *-1', 'Wed *-*-01 00:00:00'],
    ['Wed, 17:48', 'Wed *-*-* 17:48:00'],
    ['Wednesday,', 'Wed *-*-* 00:00:00'],
    ['Wed-Sat,Tue 12-10-15 1:2:3', 'Tue..Sat 2012-10-15 01:02:03'],
    ['Wed..Sat,Tue 12-10-15 1:2:3', 'Tue..Sat 2012-10-15 01:02:03'],
    ['*-*-7 0:0:0', '*-*-07 00:00:00'],
    ['10-15', '*-10-15 00:00:00'],
    ['monday *-12-* 17:00', 'Mon *-12-* 17:00:00'],
    ['Mon,Fri *-*-3,1,2 *:30:45', 'Mon,Fri *-*-01,02,03 *:30:45'],
    ['12,14,13,12:20,10,30', '*-*-* 12,13,14:10,20,30:00'],
    ['mon,fri *-1/2-1,3 *:30:45', 'Mon,Fri *-01/2-01,03 *:30:45'],
    ['03-05 08:05:40', '*-03-05 08:05:40'],
    ['08:05:40', '*-*-* 08:05:40'],
    ['05:40', '*-*-* 05:40:00'],
    ['Sat,Sun 12-05 08:05:40', 'Sat,Sun *-12-05 08:05:40'],
    ['Sat,Sun 08:05:40', 'Sat,Sun *-*-* 08:05:40'],
    ['2003-03-05 05:40', '2003-03-05 05:40:00'],
    ['2003-03-05', '2003-03-05 00:00:00'],
    ['03-05', '*-03-05 00:00:00'],
    ['hourly', '*-*-* *:00:00'],
    ['daily', '*-*-* 00:00:00'],
    ['monthly', '*-*-01 00:00:00'],
    ['weekly', 'Mon *-*-* 00:00:00'],
    ['minutely', '*-*-* *:*:00'],
    ['quarterly', '*-01,04,07,10-01 00:00:00'],
    ['semi-annually', '*-01,07-01 00:00:00'],
    ['annually', '*-01-01 00:00:00'],
    ['*:2/3', '*-*-* *:02/3:00'],
    ['2015-10-25 01:00:00 uTc', '2015-10-25 01:00:00 UTC'],
    ['2015-10-25 01:00:00 Asia/Vladivostok', '2015-10-25 01:00:00 Asia/Vladivostok'],
    ['weekly Pacific/Auckland', 'Mon *-*-* 00:00:00 Pacific/Auckland'],
    ['2016-03-27 03:17:00.4200005', '2016-03-27 03:17:00.420001'],
    ['2016-03-27 03:17:00/0.42', '2016-03-27 03:17:00/0.420000'],
    ['9..11,13:00,30', '*-*-* 09..11,13:00,30:00'],
    ['1..3-1..3 1..3:1..3', '*-01..03-01..03 01..03:01..03:00'],
    ['00:00:1.125..2.125', '*-*-* 00:00:01.125000..02.125000'],
    ['00:00:1.0..3.8', '*-*-* 00:00:01..03'],
    ['00:00:01..03', '*-*-* 00:00:01..03'],
    ['00:00:01/2,02..03', '*-*-* 00:00:01/2,02..03'],
    ['*-*~1 Utc', '*-*~01 00:00:00 UTC'],
    ['*-*~05,3 ', '*-*~03,05 00:00:00'],
    ['*-*~* 00:00:00', '*-*-* 00:00:00'],
    ['Monday', 'Mon *-*-* 00:00:00'],
    ['Monday *-*-*', 'Mon *-*-* 00:00:00'],
    ['*-*-*', '*-*-* 00:00:00'],
    ['*:*:*', '*-*-* *:*:*'],
    ['*:*', '*-*-* *:*:00'],
    ['12:*', '*-*-* 12:*:00'],
    ['*:30', '*-*-* *:30:00'],
    ['93..00-*-*', '1993..2000-*-* 00:00:00'],
    ['00..07-*-*', '2000..2007-*-* 00:00:00'],
    ['*:20..39/5', '*-*-* *:20..35/5:00'],
    ['00:00:20..40/1', '*-*-* 00:00:20..40'],
    ['*~03/1,03..05', '*-*~03/1,03..05 00:00:00'],
    ['@1493187147', '2017-04-26 06:12:27 UTC'],
    ['@1493187147 UTC', '2017-04-26 06:12:27 UTC'],
    ['@0', '1970-01-01 00:00:00 UTC'],
    ['@0 UTC', '1970-01-01 00:00:00 UTC'],
    ['*:05..05', '*-*-* *:05:00'],
    ['*:05..10/6', '*-*-* *:05:00'],
  ])('%j → %j', (input, expected) => {
    const normalized = normalizeCalendar(parseCalendar(input));
    expect(normalized).toBe(expected);
    // as systemd's test checks: the normalized form reads back to itself
    expect(normalizeCalendar(parseCalendar(normalized))).toBe(normalized);
  });
});

describe('normalized form (systemd-analyze 252 by hand)', () => {
  it.each([
    ['yearly', '*-01-01 00:00:00'],
    ['anually', '*-01-01 00:00:00'],
    ['semiannually', '*-01,07-01 00:00:00'],
    ['biannually', '*-01,07-01 00:00:00'],
    ['bi-annually', '*-01,07-01 00:00:00'],
    ['DAILY', '*-*-* 00:00:00'],
    ['Weekly Europe/Berlin', 'Mon *-*-* 00:00:00 Europe/Berlin'],
    ['*-02~03', '*-02~03 00:00:00'],
    ['Mon..Sun', '*-*-* 00:00:00'],
    ['mon..sun', '*-*-* 00:00:00'],
    ['Mon,Tue', 'Mon,Tue *-*-* 00:00:00'],
    ['Mon,Tue,Wed', 'Mon..Wed *-*-* 00:00:00'],
    ['MONDAY', 'Mon *-*-* 00:00:00'],
    ['Mon,  12:00', 'Mon *-*-* 12:00:00'],
    ['Mon @0', 'Mon 1970-01-01 00:00:00 UTC'],
    ['@ 5', '1970-01-01 00:00:05 UTC'],
    ['@+5', '1970-01-01 00:00:05 UTC'],
    ['@-0', '1970-01-01 00:00:00 UTC'],
    ['@7258118399', '2199-12-31 23:59:59 UTC'],
    ['@0 Europe/Berlin', '1970-01-01 00:00:00 UTC'],
    ['daily Etc/UTC', '*-*-* 00:00:00 Etc/UTC'],
    ['daily US/Eastern', '*-*-* 00:00:00 US/Eastern'],
    ['daily CET', '*-*-* 00:00:00 CET'],
    ['daily utc', '*-*-* 00:00:00 UTC'],
    ['*-01..12/12-1', '*-01-01 00:00:00'],
    ['*-*-1/1,5', '*-*-01/1,05 00:00:00'],
    ['1,3..5,0/1:00', '*-*-* 00/1,01,03..05:00:00'],
    ['*:*:0..59', '*-*-* *:*:00..59'],
    ['*:*:0/1', '*-*-* *:*:*'],
    ['*:*:1..2/0.5', '*-*-* *:*:01..02/0.500000'],
    ['*:*:1.5..2.5', '*-*-* *:*:01.500000..02.500000'],
    ['*:*:0/59.999999', '*-*-* *:*:00/59.999999'],
    ['00:00:01.9999995', '*-*-* 00:00:02'],
    ['00:00:00.0000001', '*-*-* 00:00:00'],
    ['69-1-1', '2069-01-01 00:00:00'],
    ['70-1-1', '1970-01-01 00:00:00'],
    ['*-*~02/1', '*-*~02/1 00:00:00'],
    ['*-*~01..07/2', '*-*~01..07/2 00:00:00'],
    ['*~1', '*-*~01 00:00:00'],
    ['2-29', '*-02-29 00:00:00'],
    // systemd 252 prints seconds as '*' when any element is 0/1, even beside 3.5 (lossy)
    ['*:4,30:0/1,3,5', '*-*-* *:04,30:*'],
    ['*:*:0/1,3.5', '*-*-* *:*:*'],
    ['*:*:0,0/1', '*-*-* *:*:*'],
    ['*:4,30:1/1,3,5', '*-*-* *:04,30:01/1,03,05'],
    // 241 list elements is systemd's limit
    [`*:${Array.from({ length: 241 }, (_, i) => i % 60).join(',')}`, `*-*-* *:${Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0')).join(',')}:00`],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCalendar(parseCalendar(input))).toBe(expected);
  });
});

// The error parseCalendar threw, checked to be one usage line.
function refusal(text: string): UsageError {
  const error = refusalOf(() => parseCalendar(text), `expected ${JSON.stringify(text)} to be refused`);
  expect(error.code).toBe('EUSAGE');
  expect(error.message).not.toMatch(/\.$/);
  return error;
}

describe('refusals', () => {
  // [input, the part the message must name, the text it must quote]
  it.each<[string, string, string]>([
    // systemd's own refusals (test-calendarspec.c)
    ['test', 'weekday, date, time', '"test"'],
    [' utc', 'nothing before the time zone', '"UTC"'],
    ['    ', 'weekday, date, time', '"    "'],
    ['', 'empty', ''],
    ['7', 'time', '"7"'],
    ['121212:1:2', 'hour', '"121212"'],
    ['2000-03-05.23 00:00:00', 'day', '".23 00:00:00"'],
    ['2000-03-05 00:00.1:00', 'minute', '".1:00"'],
    ['00:00:00/0.00000001', 'second', '"00/0.00000001"'],
    ['00:00:00.0..00.9', 'second', '"00.0..00.9"'],
    ['2016~11-22', 'date', '"-22"'],
    ['*-*~5/5', 'day', '"~5/5"'],
    ['Monday.. 12:00', 'weekday range', '"Monday.."'],
    ['Monday..', 'weekday range', '"Monday.."'],
    ['-00:+00/-5', 'weekday, date, time', '"-00:+00/-5"'],
    ['00:+00/-5', 'minute', '"+00/-5"'],
    ['2016- 11- 24 12: 30: 00', 'day', '" 11- 24 12: 30: 00"'],
    ['*~29', 'day', '"~29"'],
    ['*~16..31', 'day', '"~16..31"'],
    ['12..1/2-*', 'month', '"12..1/2"'],
    ['20/4:00', 'hour', '"20/4"'],
    ['00:00/60', 'minute', '"00/60"'],
    ['00:00:2300', 'second', '"2300"'],
    ['00:00:18446744073709551615', 'second', '"18446744073709551615"'],
    ['@88588582097858858', 'timestamp', '"@88588582097858858"'],
    // refused by systemd-analyze 252, checked by hand
    ['Sun..Mon', 'weekday range', '"Mon"'],
    ['Thurs', 'weekday', '"Thurs"'],
    ['Mondays', 'weekday', '"Mondays"'],
    ['Mon,,Tue', 'weekdays', '",Tue"'],
    ['Mon-Wed-Fri', 'weekdays', '"-Fri"'],
    ['Mon, Tue', 'date or time', '"Tue"'],
    ['*-*-1,', 'day', '"1,"'],
    ['1..', 'hour', '"1.."'],
    ['*/2:00', 'hour', '"/2:00"'],
    ['@-1', 'timestamp', '"@-1"'],
    ['@7258118400', 'timestamp', '"@7258118400"'],
    ['@5 ', 'timestamp', '" "'],
    ['UTC', 'weekday, date, time', '"UTC"'],
    ['daily  UTC', 'weekday, date, time', '"daily "'],
    ['daily europe/berlin', 'time zone', '"europe/berlin"'],
    ['daily etc/utc', 'time zone', '"etc/utc"'],
    ['daily PST', 'time zone', '"PST"'],
    ['Mon *-*-* 12:00 Mars/Base', 'time zone', '"Mars/Base"'],
    ['00:00:01.', 'second', '"."'],
    ['00:00:59.9999995', 'second', '"59.9999995"'],
    ['*-*-* 00:00:00 ', 'time', '" "'],
    ['1969-12-31', 'year', '"1969"'],
    ['2200-01-01', 'year', '"2200"'],
    ['100-1-1', 'year', '"100"'],
    ['*-*-*~1', 'day', '"~1"'],
    ['*:01/59', 'minute', '"01/59"'],
    ['*-*~7..1', 'day', '"~7..1"'],
    ['*-*~01/28', 'day', '"~01/28"'],
    ['*-*-29/3', 'day', '"29/3"'],
    ['*-*-1/31', 'day', '"1/31"'],
    ['*-1/12-1', 'month', '"1/12"'],
    ['2000/200-1-1', 'year', '"2000/200"'],
    ['*:*:0/60', 'second', '"0/60"'],
    ['*:*:1..1.5', 'second', '"1..1.5"'],
    ['*:*:1.5..2', 'second', '"1.5..2"'],
    ['*:*:*.5', 'time', '".5"'],
    ['1.5:00', 'hour', '".5:00"'],
    ['*-13-01', 'month', '"13"'],
    ['*-02-32', 'day', '"32"'],
    ['25:00', 'hour', '"25"'],
    ['*:60', 'minute', '"60"'],
    ['*:*:60', 'second', '"60"'],
    ['1,2', 'time', '"1,2"'],
    [`*:${Array.from({ length: 242 }, (_, i) => i % 60).join(',')}`, 'minute', 'more than 241'],
  ])('%j (names the %s)', (input, part, quoted) => {
    const { message } = refusal(input);
    expect(message.startsWith(`calendar expression ${JSON.stringify(input).slice(0, 60)}`)).toBe(true);
    expect(message).toContain(part);
    expect(message.slice(message.indexOf(':'))).toContain(quoted);
  });
});

describe('next elapse (systemd test-calendarspec.c)', () => {
  // [expression, zone of the caller (systemd's TZ), after (µs), expected (µs) or undefined]
  it.each<[string, string, bigint, bigint | undefined]>([
    ['2016-03-27 03:17:00', 'UTC', 12345n, 1459048620000000n],
    ['2016-03-27 03:17:00', 'CET', 12345n, 1459041420000000n],
    ['2016-03-27 03:17:00', 'EET', 12345n, undefined], // 03:17 EET did not exist that day
    ['2016-03-27 03:17:00 UTC', 'UTC', 12345n, 1459048620000000n],
    ['2016-03-27 03:17:00 UTC', 'CET', 12345n, 1459048620000000n],
    ['2016-03-27 03:17:00 UTC', 'EET', 12345n, 1459048620000000n],
    ['2016-03-27 03:17:00.420000001 UTC', 'EET', 12345n, 1459048620420000n],
    ['2016-03-27 03:17:00.4200005 UTC', 'EET', 12345n, 1459048620420001n],
    ['2015-11-13 09:11:23.42', 'EET', 12345n, 1447398683420000n],
    ['2015-11-13 09:11:23.42/1.77', 'EET', 1447398683420000n, 1447398685190000n],
    ['2015-11-13 09:11:23.42/1.77', 'EET', 1447398683419999n, 1447398683420000n],
    ['Sun 16:00:00', 'CET', 1456041600123456n, 1456066800000000n],
    ['*-04-31', 'UTC', 12345n, undefined],
    ['2016-02~01 UTC', 'UTC', 12345n, 1456704000000000n],
    ['Mon 2017-05~01..07 UTC', 'UTC', 12345n, 1496016000000000n],
    ['Mon 2017-05~07/1 UTC', 'UTC', 12345n, 1496016000000000n],
    ['*-*-01/5 04:00:00 UTC', 'UTC', 1646010000000000n, 1646107200000000n],
    ['*-01/7-01 04:00:00 UTC', 'UTC', 1664607600000000n, 1672545600000000n],
    ['2017-08-06 9,11,13,15,17:00 UTC', 'UTC', 1502029800000000n, 1502031600000000n],
    ['2017-08-06 9..17/2:00 UTC', 'UTC', 1502029800000000n, 1502031600000000n],
    ['2016-12-* 3..21/6:00 UTC', 'UTC', 1482613200000001n, 1482634800000000n],
    ['2017-09-24 03:30:00 Pacific/Auckland', 'UTC', 12345n, 1506177000000000n],
    ['2017-09-24 02:30:00 Pacific/Auckland', 'UTC', 12345n, undefined], // in the gap
    ['2017-04-02 02:30:00 Pacific/Auckland', 'UTC', 12345n, 1491053400000000n],
    // "02:30 happens only once" (a fixed time of day is not run again in the repeated hour)
    ['2017-04-02 02:30:00 Pacific/Auckland', 'UTC', 1491053400000000n, undefined],
    ['2017-04-02 03:30:00 Pacific/Auckland', 'UTC', 12345n, 1491060600000000n],
    ['2017-09-09 20:42:00 Pacific/Auckland', 'UTC', 12345n, 1504946520000000n],
    ['2017-09-09 20:42:00 Pacific/Auckland', 'EET', 12345n, 1504946520000000n],
    ['Sun *-*-* 01:00:00 Europe/Dublin', 'UTC', 1616412478000000n, 1617494400000000n],
    ['Sun *-*-* 01:00:00 Europe/Dublin', 'Europe/Dublin', 1616412478000000n, 1617494400000000n],
  ])('%j in %s after %d µs', (input, zone, afterUs, expectedUs) => {
    const next = nextCalendar(parseCalendar(input), afterUs * US, zone);
    expect(next).toBe(expectedUs === undefined ? undefined : expectedUs * US);
  });
});

describe('next elapses across DST', () => {
  // [expression, after, expected elapses]; systemd-analyze 252 gives the same unless marked
  it.each<[string, string, string[]]>([
    // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST, 2026-10-25 03:00 CEST → 02:00 CET
    ['*-*-* 02:30 Europe/Berlin', '2026-03-28T12:00:00Z', ['2026-03-30T00:30:00Z', '2026-03-31T00:30:00Z']],
    ['*:0/15 Europe/Berlin', '2026-03-29T00:40:00Z', ['2026-03-29T00:45:00Z', '2026-03-29T01:00:00Z', '2026-03-29T01:15:00Z']],
    // systemd jumps 00:45Z → 02:00Z (systemd#8647); we run the repeated hour too
    ['*:0/15 Europe/Berlin', '2026-10-25T00:40:00Z', ['2026-10-25T00:45:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:15:00Z', '2026-10-25T01:30:00Z', '2026-10-25T01:45:00Z', '2026-10-25T02:00:00Z']],
    // a fixed time of day in the repeated hour: once, at 02:30 CEST (as systemd and cronie)
    ['*-*-* 02:30 Europe/Berlin', '2026-10-24T12:00:00Z', ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z', '2026-10-27T01:30:00Z']],
    // America/New_York: 2026-03-08 02:00 EST → 03:00 EDT, 2026-11-01 02:00 EDT → 01:00 EST
    ['*-*-* 02:30 America/New_York', '2026-03-07T12:00:00Z', ['2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z']],
    ['*-*-* 01:30 America/New_York', '2026-10-31T12:00:00Z', ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z', '2026-11-03T06:30:00Z']],
    ['hourly America/New_York', '2026-11-01T04:30:00Z', ['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']],
    // Australia/Lord_Howe: 2026-10-04 02:00 → 02:30 (+11), 2026-04-05 02:00 → 01:30 (+10:30)
    ['*:0/15 Australia/Lord_Howe', '2026-10-03T15:00:00Z', ['2026-10-03T15:15:00Z', '2026-10-03T15:30:00Z', '2026-10-03T15:45:00Z']],
    ['*-*-* 02:15 Australia/Lord_Howe', '2026-10-03T00:00:00Z', ['2026-10-04T15:15:00Z', '2026-10-05T15:15:00Z']],
    // systemd: 14:30Z, 14:45Z, 15:30Z; we also run 01:30 and 01:45 a second time
    ['*:0/15 Australia/Lord_Howe', '2026-04-04T14:20:00Z', ['2026-04-04T14:30:00Z', '2026-04-04T14:45:00Z', '2026-04-04T15:00:00Z', '2026-04-04T15:15:00Z', '2026-04-04T15:30:00Z']],
    // America/Santiago moves 24:00 → 01:00: midnight 2026-09-06 does not exist
    ['*-*-* 00:00 America/Santiago', '2026-09-05T12:00:00Z', ['2026-09-07T03:00:00Z', '2026-09-08T03:00:00Z']],
    ['2026-09-06 00:30 America/Santiago', '2026-09-01T00:00:00Z', []],
    // Asia/Kathmandu: +05:30 → +05:45 at 1986-01-01 00:00 local
    ['1986-01-01 00:05 Asia/Kathmandu', '1985-12-01T00:00:00Z', []],
    ['1986-01-01 00:15 Asia/Kathmandu', '1985-12-01T00:00:00Z', ['1985-12-31T18:30:00Z']],
  ])('%j after %s', (input, after, expected) => {
    const got = elapses(parseCalendar(input), ns(after), 'UTC', expected.length + 1).map(iso);
    expect(got.slice(0, expected.length)).toEqual(expected.map((e) => new Date(e).toISOString()));
  });
});

describe('leap days, month ends, the year limit', () => {
  it.each<[string, string, string, (string | undefined)[]]>([
    ['*-02-29 UTC', 'UTC', '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z']],
    ['Mon *-02-29 UTC', 'UTC', '2026-01-01T00:00:00Z', ['2044-02-29T00:00:00Z', '2072-02-29T00:00:00Z']],
    ['*-02-29 Europe/Berlin', 'UTC', '2026-01-01T00:00:00Z', ['2028-02-28T23:00:00Z']],
    ['*-*~01 UTC', 'UTC', '2026-01-01T00:00:00Z', ['2026-01-31T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z']],
    ['*-02~01 UTC', 'UTC', '2026-01-01T00:00:00Z', ['2026-02-28T00:00:00Z', '2027-02-28T00:00:00Z', '2028-02-29T00:00:00Z']],
    ['*-02~03 UTC', 'UTC', '2027-01-01T00:00:00Z', ['2027-02-26T00:00:00Z', '2028-02-27T00:00:00Z']],
    ['*-05~07/1 UTC', 'UTC', '2026-05-26T00:00:00Z', ['2026-05-27T00:00:00Z', '2026-05-28T00:00:00Z', '2026-05-29T00:00:00Z', '2026-05-30T00:00:00Z', '2026-05-31T00:00:00Z', '2027-05-25T00:00:00Z']],
    ['*-*~03 UTC', 'UTC', '2026-01-01T00:00:00Z', ['2026-01-29T00:00:00Z', '2026-02-26T00:00:00Z', '2026-03-29T00:00:00Z']],
    ['*-*~01..03/2', 'UTC', '2026-02-01T00:00:00Z', ['2026-02-26T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-29T00:00:00Z']],
    ['*-02-30', 'UTC', '2026-01-01T00:00:00Z', [undefined]],
    ['*-02-30 *:*:*', 'Europe/Berlin', '2026-01-01T00:00:00Z', [undefined]],
    ['*-04-31 Australia/Lord_Howe', 'UTC', '2026-01-01T00:00:00Z', [undefined]],
    ['2199-12-31 23:59:59 UTC', 'UTC', '2026-01-01T00:00:00Z', ['2199-12-31T23:59:59Z', undefined]],
    ['2199-12-31 23:59:59 Pacific/Kiritimati', 'UTC', '2026-01-01T00:00:00Z', ['2199-12-31T09:59:59Z', undefined]],
    ['daily', 'UTC', '2199-12-31T00:00:00Z', [undefined]],
    ['@1493187147', 'Europe/Berlin', '2017-01-01T00:00:00Z', ['2017-04-26T06:12:27Z', undefined]],
  ])('%j in %s after %s', (input, zone, after, expected) => {
    const got = elapses(parseCalendar(input), ns(after), zone, expected.length).map(iso);
    expect(got).toEqual(expected.map((e) => e && new Date(e).toISOString()));
  });

  it('answers "never" fast', () => {
    const impossible = ['*-02-30', '*-04-31 Europe/Berlin', 'Mon *-02-30 *:*:*', '2024-02-30 Asia/Kathmandu'].map(parseCalendar);
    const started = performance.now();
    for (const spec of impossible) expect(nextCalendar(spec, ns('2026-06-01T00:00:00Z'), 'UTC')).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('fractional seconds', () => {
  it.each<[string, string, string[]]>([
    ['*:*:0/0.25 UTC', '2026-01-01T00:00:00Z', ['2026-01-01T00:00:00.250Z', '2026-01-01T00:00:00.500Z', '2026-01-01T00:00:00.750Z', '2026-01-01T00:00:01Z']],
    ['*:*:1.5..3.5 UTC', '2026-01-01T00:00:00Z', ['2026-01-01T00:00:01.500Z', '2026-01-01T00:00:02.500Z', '2026-01-01T00:00:03.500Z', '2026-01-01T00:01:01.500Z']],
    ['*:*:0/1,3.5 UTC', '2026-01-01T00:00:02.2Z', ['2026-01-01T00:00:03Z', '2026-01-01T00:00:03.500Z', '2026-01-01T00:00:04Z']],
  ])('%j after %s', (input, after, expected) => {
    const got = elapses(parseCalendar(input), ns(after), 'UTC', expected.length).map(iso);
    expect(got).toEqual(expected.map((e) => new Date(e).toISOString()));
  });

  it('keeps microseconds and is strictly after a nanosecond base', () => {
    const spec = parseCalendar('*:*:00.000001 UTC');
    const base = ns('2026-01-01T00:00:00Z');
    expect(nextCalendar(spec, base, 'UTC')).toBe(base + 1000n);
    expect(nextCalendar(spec, base + 999n, 'UTC')).toBe(base + 1000n);
    expect(nextCalendar(spec, base + 1000n, 'UTC')).toBe(base + 60n * S + 1000n);
  });
});

describe('matchesCalendar', () => {
  it.each<[string, string, string, boolean]>([
    ['Mon..Fri *-*-* 09:00', 'Europe/Berlin', '2026-06-01T07:00:00Z', true], // Monday 09:00 CEST
    ['Mon..Fri *-*-* 09:00', 'Europe/Berlin', '2026-06-06T07:00:00Z', false], // Saturday
    ['Mon..Fri *-*-* 09:00', 'UTC', '2026-06-01T07:00:00Z', false],
    ['Mon..Fri *-*-* 09:00 UTC', 'Europe/Berlin', '2026-06-01T09:00:00Z', true], // the spec's zone wins
    ['*-*-* 02:30 Europe/Berlin', 'UTC', '2026-10-25T00:30:00Z', true], // first 02:30
    ['*-*-* 02:30 Europe/Berlin', 'UTC', '2026-10-25T01:30:00Z', false], // not the repeated one (a fixed time of day runs once)
    ['*:30 Europe/Berlin', 'UTC', '2026-10-25T01:30:00Z', true], // a frequent one runs in the repeated hour too
    ['*-*-* 02:30 Europe/Berlin', 'UTC', '2026-03-29T00:30:00Z', false], // 01:30 CET
    ['*-*~01', 'UTC', '2028-02-29T00:00:00Z', true],
    ['*-*~01', 'UTC', '2028-02-28T00:00:00Z', false],
    ['*:*:00.5 UTC', 'UTC', '2026-01-01T00:00:00.500Z', true],
    ['*-*-* *:*:* UTC', 'UTC', '2200-01-01T00:00:00Z', false], // after systemd's year limit
  ])('%j in %s at %s → %s', (input, zone, at, expected) => {
    expect(matchesCalendar(parseCalendar(input), ns(at), zone)).toBe(expected);
  });

  it('needs a whole microsecond', () => {
    expect(matchesCalendar(parseCalendar('*:*:* UTC'), ns('2026-01-01T00:00:00Z') + 1n, 'UTC')).toBe(false);
  });
});

describe('zones', () => {
  it('computes in the spec zone, else the caller zone', () => {
    const spec = parseCalendar('daily');
    expect(spec.zone).toBeUndefined();
    expect(nextCalendar(spec, ns('2026-06-01T12:00:00Z'), 'Asia/Kolkata')).toBe(ns('2026-06-01T18:30:00Z'));
    expect(nextCalendar(parseCalendar('daily Asia/Kathmandu'), ns('2026-06-01T12:00:00Z'), 'Asia/Kolkata')).toBe(
      ns('2026-06-01T18:15:00Z'),
    );
  });

  it('refuses an unknown caller zone as a usage error', () => {
    expect(() => nextCalendar(parseCalendar('daily'), 0n, 'Mars/Base')).toThrow(UsageError);
  });
});

describe('speed', () => {
  it('finds typical next elapses in well under a millisecond', () => {
    const specs = ['Mon..Fri *-*-* 09:00', '*:0/15', 'hourly', '*-*~01 03:00', 'Sat,Sun 10:00 Europe/Berlin', 'quarterly'].map(parseCalendar);
    for (const spec of specs) nextCalendar(spec, ns('2026-01-01T00:00:00Z'), 'America/New_York'); // warm the zone tables
    let at = ns('2026-01-01T00:00:00Z');
    // CPU time, not wall time: with other work competing for the cores, this process's share of
    // them is what varies, not what the calls cost.
    const started = process.cpuUsage();
    let calls = 0;
    for (let round = 0; round < 300; round++) {
      for (const spec of specs) {
        at = nextCalendar(spec, at, 'America/New_York') ?? at;
        calls++;
      }
    }
    const cpu = process.cpuUsage(started);
    const perCallUs = (cpu.user + cpu.system) / calls;
    expect(perCallUs).toBeLessThan(200);
  });
});

describe('properties', () => {
  // Instants near offset changes in the zones we care about, and some ordinary ones.
  const bases = [
    '2026-03-29T00:10:00Z', // Berlin spring forward at 01:00Z
    '2026-10-25T00:10:00Z', // Berlin fall back at 01:00Z
    '2026-03-08T06:10:00Z', // New York spring forward at 07:00Z
    '2026-11-01T05:10:00Z', // New York fall back at 06:00Z
    '2026-04-04T14:20:00Z', // Lord Howe fall back (30 min) at 15:00Z
    '2026-10-03T14:50:00Z', // Lord Howe spring forward (30 min) at 15:30Z
    '2026-06-15T11:00:00Z',
  ].map(ns);
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'];
  const values = (max: number) =>
    fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 6 }).map((list) => list.join(','));
  // "H:M:S zone" with small lists, so elapses come at most an hour or so apart.
  const frequent = fc
    .record({ minutes: values(59), seconds: values(59), zone: fc.constantFrom(...zones) })
    .map(({ minutes, seconds, zone }) => `*:${minutes}:${seconds} ${zone}`);
  const offset = fc.bigInt({ min: 0n, max: 3600n * S });

  it('next is strictly increasing and every elapse matches', () => {
    const sparse = fc
      .record({ hours: values(23), minutes: values(59), zone: fc.constantFrom(...zones), weekdays: fc.constantFrom('', 'Mon..Fri ', 'Sun ') })
      .map(({ hours, minutes, zone, weekdays }) => `${weekdays}*-*-* ${hours}:${minutes} ${zone}`);
    fc.assert(
      fc.property(fc.oneof(frequent, sparse), fc.constantFrom(...bases), offset, (text, base, delta) => {
        const spec = parseCalendar(text);
        let at = base + delta;
        for (let i = 0; i < 25; i++) {
          const next = nextCalendar(spec, at, 'UTC');
          expect(next).toBeDefined();
          expect(next! > at).toBe(true);
          expect(matchesCalendar(spec, next!, 'UTC')).toBe(true);
          at = next!;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('no matching whole second lies between two consecutive elapses', () => {
    fc.assert(
      fc.property(frequent, fc.constantFrom(...bases), offset, (text, base, delta) => {
        const spec = parseCalendar(text);
        let at = base + delta - (base + delta) % S;
        const end = at + 2n * 3600n * S;
        while (at < end) {
          const next = nextCalendar(spec, at, 'UTC');
          expect(next).toBeDefined();
          for (let t = at + S; t < next!; t += S) {
            if (matchesCalendar(spec, t, 'UTC')) expect.fail(`${text}: ${iso(t)} matches but next(${iso(at)}) = ${iso(next)}`);
          }
          at = next!;
        }
      }),
      { numRuns: 25 },
    );
  });
});
