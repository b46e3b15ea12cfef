import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../src/errors.js';
import { describeCron, matchesCron, nextCron, parseCron } from '../../src/grammar/cron.js';
import { refusalOf } from '../helpers/refusal.js';

// Instants as ISO 8601 text (with their offsets, worked by hand) ↔ bigint nanoseconds.
const ns = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

// The next n firings from `from`, as instants, each computed from the one before.
function runs(expr: string, from: string, n: number, zone = 'UTC'): (bigint | undefined)[] {
  const spec = parseCron(expr);
  const out: (bigint | undefined)[] = [];
  let t: bigint | undefined = ns(from);
  for (let i = 0; i < n && t !== undefined; i++) out.push((t = nextCron(spec, t, zone)));
  return out;
}

describe('parseCron: fields and values (crontab(5), cronie entry.c)', () => {
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  it.each([
    ['*/15 * * * *', 'minute', [0, 15, 30, 45]],
    ['0-59/20 * * * *', 'minute', [0, 20, 40]],
    ['*/90 * * * *', 'minute', [0]], // cronie warns that the step exceeds the range, and accepts
    ['1,5-7,3 * * * *', 'minute', [1, 3, 5, 6, 7]],
    ['  */5\t  * * * *  ', 'minute', [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]],
    ['* 0-23/6 * * *', 'hour', [0, 6, 12, 18]],
    ['0 0 1-31/10 * *', 'dom', [1, 11, 21, 31]],
    ['0 0 * JAN-MAR,oct *', 'month', [1, 2, 3, 10]],
    ['0 0 * Jan-dec/3 *', 'month', [1, 4, 7, 10]],
    ['0 0 * * FRI-SUN', 'dow', [0, 5, 6]], // cronie: 5-0 means 5-7
    ['0 0 * * fri-mon', 'dow', [0, 1, 5, 6]], // wraps through the week (cronie selects nothing here)
    ['0 0 * * 5-7', 'dow', [0, 5, 6]],
    ['0 0 * * 0,7', 'dow', [0]],
    ['0 0 * * 7', 'dow', [0]],
    ['0 0 * * */2', 'dow', [0, 2, 4, 6]],
    ['0 0 * * 1-7/2', 'dow', [0, 1, 3, 5]], // 1,3,5,7 and 7 is Sunday
    ['0 0 * * *', 'dow', range(0, 6)],
    ['0 30 9 * * Mon-Fri', 'dow', [1, 2, 3, 4, 5]],
    ['0 30 9 * * Mon-Fri', 'second', [0]],
    ['*/20 * * * * *', 'second', [0, 20, 40]],
    ['* * * * *', 'second', [0]],
  ])('%s → %s %j', (expr, field, values) => {
    const spec = parseCron(expr);
    const got = { minute: spec.minute, hour: spec.hour, dom: spec.days.dom, month: spec.month, dow: spec.days.dow, second: spec.second };
    expect(got[field as keyof typeof got]).toEqual(values);
  });

  it.each([
    ['@yearly', '0 0 1 1 *'],
    ['@annually', '0 0 1 1 *'],
    ['@monthly', '0 0 1 * *'],
    ['@weekly', '0 0 * * 0'],
    ['@daily', '0 0 * * *'],
    ['@midnight', '0 0 * * *'],
    ['@hourly', '0 * * * *'],
    ['@Daily', '0 0 * * *'],
  ])('nickname %s is %s', (nick, fields) => {
    const a = parseCron(nick);
    const b = parseCron(fields);
    expect({ ...a, source: '', nickname: undefined }).toEqual({ ...b, source: '', nickname: undefined });
  });

  it.each([
    // cronie: wild when the minute or the hour field starts with '*'; seconds never count
    ['30 2 * * *', true],
    ['15,45 2 * * *', true],
    ['0-59/20 2 * * *', true],
    ['0 2-4 * * *', true],
    ['*/20 2 * * *', false],
    ['*/15 * * * *', false],
    ['5 * * * *', false],
    ['* 5 * * *', false],
    ['*,5 5 * * *', false],
    ['@hourly', false],
    ['@daily', true],
    ['* 30 2 * * *', true],
    ['0 */5 2 * * *', false],
  ])('%s fixed-time: %s', (expr, fixed) => {
    expect(parseCron(expr).fixedTime).toBe(fixed);
  });

  it('reads the L, W and # extensions', () => {
    expect(parseCron('0 0 L * *').days).toMatchObject({ lastDay: true, dom: [] });
    expect(parseCron('0 0 lw * *').days).toMatchObject({ lastWeekday: true });
    expect(parseCron('0 0 15W,1w * *').days).toMatchObject({ nearestWeekday: [1, 15] });
    expect(parseCron('0 0 * * 5L,FRIL').days).toMatchObject({ lastOfMonth: [5], dow: [] });
    expect(parseCron('0 0 * * MON#2,0#1,7#5').days.nth).toEqual([[1, 2], [0, 1], [0, 5]]);
  });

  it('marks day fields starting with * (or ?) for the AND rule', () => {
    expect(parseCron('0 0 */2 * 1').days).toMatchObject({ domStar: true, dowStar: false });
    expect(parseCron('0 0 1 * ?').days).toMatchObject({ domStar: false, dowStar: true });
    expect(parseCron('0 0 1,15 * 5').days).toMatchObject({ domStar: false, dowStar: false });
  });
});

describe('parseCron: refusals name the field and quote the bad part', () => {
  it.each([
    ['60 * * * *', /^invalid cron minute "60": 60 is out of range 0-59$/],
    ['* 24 * * *', /^invalid cron hour "24": 24 is out of range 0-23$/],
    ['* * 0 * *', /^invalid cron day-of-month "0": 0 is out of range 1-31$/],
    ['* * * 13 *', /^invalid cron month "13"/],
    ['* * * foo *', /^invalid cron month "foo": "foo" is not a number or a three-letter month name$/],
    ['* * * JAN-FOO *', /^invalid cron month "JAN-FOO": "FOO" is not/],
    ['* * * * 8', /^invalid cron day-of-week "8": 8 is out of range 0-7$/],
    ['* * * * MONDAY', /^invalid cron day-of-week "MONDAY": "MONDAY" is not a number or a three-letter day name$/],
    ['* * * * JAN', /^invalid cron day-of-week "JAN"/],
    ['MON * * * *', /^invalid cron minute "MON": "MON" is not a number$/],
    ['-5 * * * *', /^invalid cron minute "-5"/],
    ['5/15 * * * *', /^invalid cron minute "5\/15": a step needs a range or "\*" before it .*"5-59\/15"/],
    ['1- * * * *', /^invalid cron minute "1-": a number is missing$/],
    ['* * W * *', /^invalid cron day-of-month "W": a number is missing$/],
    ['* * * * 5L/2', /^invalid cron day-of-week "5L\/2": "5L" is not a number or a three-letter day name$/],
    ['*/0 * * * *', /^invalid cron minute "\*\/0": step "0" is not a whole number of at least 1$/],
    ['*/x * * * *', /^invalid cron minute "\*\/x": step "x"/],
    ['1,,2 * * * *', /^invalid cron minute "1,,2": empty item in the list$/],
    ['* 22-2 * * *', /^invalid cron hour "22-2": range runs backwards; write two ranges, e.g. "22-23,0-2"$/],
    ['0~30 * * * *', /^invalid cron minute "0~30": random ranges/],
    ['? * * * *', /^invalid cron minute "\?"/],
    ['* * * * L', /^invalid cron day-of-week "L": write the weekday before L/],
    ['* * * * 1#6', /^invalid cron day-of-week "1#6": "6" after # is not 1-5$/],
    ['* * 32W * *', /^invalid cron day-of-month "32W": 32 is out of range 1-31$/],
    ['* * * *', /^cron expression "\* \* \* \*" has 4 fields; expected 5 \(minute hour day-of-month month day-of-week\) or 6 \(second first\)$/],
    ['0 0 0 * * * 2027', /has 7 fields/],
    ['', /^empty cron expression$/],
    ['   ', /^empty cron expression$/],
    ['@reboot', /^cron @reboot is not supported: timerstack is not started at boot/],
    ['@fortnightly', /^unknown cron nickname "@fortnightly": expected one of @yearly/],
    ['@daily 5', /^cron nickname "@daily" takes no fields after it, got "5"$/],
  ])('%j', (expr, message) => {
    const error = refusalOf(() => parseCron(expr));
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/\n|\.$/);
  });
});

describe('nextCron in UTC (worked by hand from crontab(5) and a calendar)', () => {
  it.each<[string, string, string[]]>([
    ['*/15 * * * *', '2027-03-01T00:00:00Z', ['00:15', '00:30', '00:45', '01:00'].map((t) => `2027-03-01T${t}:00Z`)],
    // strictly after: a base exactly on a slot gives the following one; nanoseconds count
    ['0 * * * *', '2027-03-01T00:00:00Z', ['2027-03-01T01:00:00Z']],
    ['*/15 * * * *', '2027-03-01T00:14:59.999Z', ['2027-03-01T00:15:00Z']],
    ['*/10 * * * * *', '2027-03-01T23:59:45Z', ['2027-03-01T23:59:50Z', '2027-03-02T00:00:00Z', '2027-03-02T00:00:10Z']],
    ['0 30 9 * * Mon-Fri', '2027-03-01T00:00:00Z', ['01', '02', '03', '04', '05', '08'].map((d) => `2027-03-${d}T09:30:00Z`)],
    // Vixie's rule: a day field starting with * (even */2) ANDs: odd days that are Mondays
    ['0 0 */2 * 1', '2027-03-01T00:00:00Z', ['2027-03-15', '2027-03-29', '2027-04-05', '2027-04-19', '2027-05-03', '2027-05-17', '2027-05-31'].map((d) => `${d}T00:00:00Z`)],
    // both restricted: either matches (crontab(5): "30 4 1,15 * 5")
    ['30 4 1,15 * 5', '2027-03-01T00:00:00Z', ['03-01', '03-05', '03-12', '03-15', '03-19', '03-26', '04-01', '04-02'].map((d) => `2027-${d}T04:30:00Z`)],
    ['0 0 29 2 1', '2027-03-01T00:00:00Z', ['07', '14', '21', '28', '29'].map((d) => `2028-02-${d}T00:00:00Z`)],
    ['0 0 * * FRI-SUN', '2027-03-01T00:00:00Z', ['05', '06', '07', '12'].map((d) => `2027-03-${d}T00:00:00Z`)],
    ['0 0 * * FRI-MON', '2027-03-01T00:00:00Z', ['05', '06', '07', '08', '12'].map((d) => `2027-03-${d}T00:00:00Z`)],
    ['@yearly', '2027-03-01T00:00:00Z', ['2028-01-01T00:00:00Z', '2029-01-01T00:00:00Z']],
    ['@weekly', '2027-03-01T00:00:00Z', ['2027-03-07T00:00:00Z', '2027-03-14T00:00:00Z']],
    // leap days: 2100 is not a leap year
    ['0 0 29 2 *', '2027-03-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']],
    ['0 0 29 2 *', '2096-03-01T00:00:00Z', ['2104-02-29T00:00:00Z']],
    // month ends
    ['0 0 31 * *', '2027-03-31T00:00:00Z', ['2027-05-31T00:00:00Z', '2027-07-31T00:00:00Z', '2027-08-31T00:00:00Z']],
    ['0 0 L * *', '2027-01-15T00:00:00Z', ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30'].map((d) => `${d}T00:00:00Z`)],
    ['0 0 L 2 *', '2027-03-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2029-02-28T00:00:00Z']],
    // LW: Jan 31 2027 is a Sunday, Feb 28 a Sunday, Jul 31 a Saturday
    ['0 0 LW * *', '2027-01-01T00:00:00Z', ['2027-01-29', '2027-02-26', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-30'].map((d) => `${d}T00:00:00Z`)],
    // W never leaves the month: May 1 2027 (Sat) → Mon 3rd; Oct 31 (Sun) → Fri 29th; April has no 31st
    ['0 0 1W * *', '2027-04-02T00:00:00Z', ['2027-05-03T00:00:00Z', '2027-06-01T00:00:00Z', '2027-07-01T00:00:00Z', '2027-08-02T00:00:00Z']],
    ['0 0 15W 5,8 *', '2027-01-01T00:00:00Z', ['2027-05-14T00:00:00Z', '2027-08-16T00:00:00Z']],
    ['0 0 31W * *', '2027-04-01T00:00:00Z', ['2027-05-31', '2027-07-30', '2027-08-31', '2027-10-29', '2027-12-31'].map((d) => `${d}T00:00:00Z`)],
    // nL and n#k at month edges
    ['0 0 * * 5L', '2027-01-01T00:00:00Z', ['2027-01-29', '2027-02-26', '2027-03-26', '2027-04-30'].map((d) => `${d}T00:00:00Z`)],
    ['0 0 * * 1#2', '2027-03-01T00:00:00Z', ['2027-03-08', '2027-04-12', '2027-05-10'].map((d) => `${d}T00:00:00Z`)],
    ['0 0 * * 5#5', '2027-01-01T00:00:00Z', ['2027-01-29', '2027-04-30', '2027-07-30', '2027-10-29', '2027-12-31'].map((d) => `${d}T00:00:00Z`)],
    ['0 0 * 2 0#5', '2027-01-01T00:00:00Z', ['2032-02-29T00:00:00Z', '2060-02-29T00:00:00Z']],
  ])('%s after %s', (expr, from, expected) => {
    expect(runs(expr, from, expected.length)).toEqual(expected.map(ns));
  });

  it.each(['0 0 30 2 *', '0 0 31 4,6,9,11 *', '0 0 30W 2 *', '0 0 30,31 2 *'])(
    'impossible %s is accepted and never fires, quickly',
    (expr) => {
      const spec = parseCron(expr);
      expect(spec.possible).toBe(false);
      const started = performance.now();
      expect(nextCron(spec, ns('2027-01-01T00:00:00Z'), 'Europe/Berlin')).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(50);
    },
  );

  it('a 30th of February still fires through day-of-week when both fields are restricted', () => {
    expect(runs('0 0 30 2 1', '2027-01-01T00:00:00Z', 1)).toEqual([ns('2027-02-01T00:00:00Z')]);
  });

  it('matchesCron agrees with nextCron, to the second', () => {
    const spec = parseCron('0 30 9 * * Mon-Fri');
    expect(matchesCron(spec, ns('2027-03-01T09:30:00Z'), 'UTC')).toBe(true);
    expect(matchesCron(spec, ns('2027-03-01T09:30:00.5Z'), 'UTC')).toBe(false);
    expect(matchesCron(spec, ns('2027-03-01T09:31:00Z'), 'UTC')).toBe(false);
    expect(matchesCron(spec, ns('2027-03-06T09:30:00Z'), 'UTC')).toBe(false);
    expect(matchesCron(spec, ns('2027-03-01T10:30:00+01:00'), 'Europe/Berlin')).toBe(false);
    expect(matchesCron(spec, ns('2027-03-01T09:30:00+01:00'), 'Europe/Berlin')).toBe(true);
  });

  it('works in zones with odd offsets', () => {
    expect(runs('0 9 * * *', '2027-03-01T00:00:00Z', 2, 'Asia/Kathmandu')).toEqual(
      ['2027-03-01T09:00:00+05:45', '2027-03-02T09:00:00+05:45'].map(ns),
    );
    expect(runs('30 */12 * * *', '2027-03-01T00:00:00Z', 2, 'Asia/Kolkata')).toEqual(
      ['2027-03-01T12:30:00+05:30', '2027-03-02T00:30:00+05:30'].map(ns),
    );
  });
});

describe('describeCron: a normal form that parses back to the same schedule', () => {
  it.each([
    ['*/15 * * * *', '*/15 * * * *'],
    ['0 30 9 * * Mon-Fri', '0 30 9 * * 1-5'],
    ['@daily', '0 0 * * *'],
    ['@hourly', '0 * * * *'],
    ['5,1,2,3 0-23/6 * jan,FEB,Mar SUN,7', '1-3,5 0,6,12,18 * 1-3 0'],
    ['0 0 */2 * 1', '0 0 */2 * 1'],
    ['0 0 1-31 * 0-7', '0 0 1-31 * 0-6'], // restricted and full: stays a range (the OR rule)
    ['0-59 0-23 * * *', '0-59 0-23 * * *'], // fixed-time though full
    ['0 0 * * FRI-MON', '0 0 * * 0,1,5,6'],
    ['0 0 L,15W,LW * *', '0 0 L,LW,15W * *'],
    ['0 0 1,L * 5L,MON#2', '0 0 1,L * 5L,1#2'],
    ['*/20,5 * * * *', '*/20,5 * * * *'],
    ['0 0 * * */2', '0 0 * * */2'],
  ])('%s → %s', (expr, normal) => {
    const spec = parseCron(expr);
    expect(describeCron(spec)).toBe(normal);
    const again = parseCron(describeCron(spec));
    expect({ ...again, source: '', nickname: undefined, fieldText: [] }).toEqual({ ...spec, source: '', nickname: undefined, fieldText: [] });
  });
});

// systemd-analyze as an independent reference for day and time rules it can express (UTC, so
// its different DST handling never enters). Several OnCalendar expressions are merged (the OR rule).
const systemdAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;
if (!systemdAnalyze) console.log('cron.test: systemd-analyze not found; the cross-check against it is skipped');

function systemdRuns(calendars: string[], baseSec: number, n: number): bigint[] {
  const out = spawnSync('systemd-analyze', ['calendar', `--iterations=${n}`, `--base-time=@${baseSec}`, ...calendars], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  const found = [...out.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g)];
  const all = [...new Set(found.map((m) => ns(`${(m[1] ?? '').replace(' ', 'T')}Z`)))];
  return all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, n);
}

describe('nextCron agrees with systemd-analyze calendar (UTC)', () => {
  it.skipIf(!systemdAnalyze).each<[string, string[]]>([
    ['*/15 * * * *', ['*-*-* *:00/15:00']],
    ['0 30 9 * * Mon-Fri', ['Mon..Fri *-*-* 09:30:00']],
    ['0 0 */2 * 1', ['Mon *-*-01/2 00:00:00']],
    ['30 4 1,15 * 5', ['*-*-01,15 04:30:00', 'Fri *-*-* 04:30:00']],
    ['0 0 * * 1#2', ['Mon *-*-08..14 00:00:00']],
    ['0 0 * * 5L', ['Fri *-*~01..07 00:00:00']],
    ['0 0 L * *', ['*-*~01 00:00:00']],
    ['0 0 29 2 *', ['*-02-29 00:00:00']],
    ['0 12 * JAN-MAR,OCT SAT,SUN', ['Sat,Sun *-01..03,10-* 12:00:00']],
    ['*/7 */5 1-10 * *', ['*-*-01..10 00/5:00/7:00']],
    ['0 0 * * FRI-MON', ['Fri,Sat,Sun,Mon *-*-* 00:00:00']],
    ['15 10 1,L * *', ['*-*-01 10:15:00', '*-*~01 10:15:00']],
    ['0 0 13 * 5', ['*-*-13 00:00:00', 'Fri *-*-* 00:00:00']],
  ])('%s ≡ %j', (expr, calendars) => {
    const base = Date.parse('2027-03-01T00:00:00Z') / 1000;
    const expected = systemdRuns(calendars, base, 25);
    expect(expected).toHaveLength(25);
    expect(runs(expr, '2027-03-01T00:00:00Z', 25)).toEqual(expected);
  });
});
