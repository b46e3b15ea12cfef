// `timerstack next` through the real binary: the next expirations of every kind, ISO 8601 with
// the zone's offset or NDJSON, options before or after the spec, nothing for a schedule that
// never elapses, one line for bad input.
import { describe, expect, it } from 'vitest';
import { baseEnv, lines, ndjson, timerstack } from '../helpers/binary.js';

const env = baseEnv({ TZ: 'Europe/Berlin' });

describe('timerstack next', () => {
  it.each<[string[], string[]]>([
    [['next', 'cron', '0 9 * * 1-5', '--from', '2027-03-26T12:00:00Z', '-n', '3'], ['2027-03-29T09:00:00+02:00', '2027-03-30T09:00:00+02:00', '2027-03-31T09:00:00+02:00']],
    // options before the spec, and --tz for the kind
    [['next', '-n', '2', '--tz', 'UTC', '--from', '@1800000000', 'cron', '0 9 * * *'], ['2027-01-15T09:00:00+00:00', '2027-01-16T09:00:00+00:00']],
    [['next', 'calendar', 'quarterly', '--from', '2027-01-15T10:20:30Z', '--tz', 'Asia/Kolkata', '-n', '3'], ['2027-04-01T00:00:00+05:30', '2027-07-01T00:00:00+05:30', '2027-10-01T00:00:00+05:30']],
    // a calendar expression's own zone
    [['next', 'calendar', '*-*-* 02:30 America/New_York', '--from', '2027-03-13T12:00:00Z', '-n', '2'], ['2027-03-15T02:30:00-04:00', '2027-03-16T02:30:00-04:00']],
    // fractions in --from, fractional seconds in the expression
    [['next', 'calendar', '*:*:0/15.5', '--tz', 'UTC', '--from', '2027-01-15T10:20:37.5Z', '-n', '2'], ['2027-01-15T10:20:46.5+00:00', '2027-01-15T10:21:00+00:00']],
    // the fixed kinds, from --from
    [['next', 'every', '1h', '--align', '--from', '2027-01-15T10:20:30Z', '-n2'], ['2027-01-15T12:00:00+01:00', '2027-01-15T13:00:00+01:00']],
    [['next', 'every', '1d', '--align', '--from', '2027-03-27T12:00:00Z', '-n', '2'], ['2027-03-28T00:00:00+01:00', '2027-03-29T00:00:00+02:00']],
    [['next', 'every', '90m', '--count', '2', '--from', '2027-01-15T10:00:00Z'], ['2027-01-15T12:30:00+01:00', '2027-01-15T14:00:00+01:00']],
    [['next', 'once', '5m', '--from', '2027-01-15T10:00:00Z'], ['2027-01-15T11:05:00+01:00']],
    [['next', 'at', '18:00', '--from', '2027-01-15T10:00:00Z'], ['2027-01-15T18:00:00+01:00']],
  ])('%j', async (args, expected) => {
    const r = await timerstack(args, { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(expected);
  });

  it('--json: one elapse object a line, UTC and local', async () => {
    const r = await timerstack(['next', 'cron', '30 1 * * *', '--tz', 'America/New_York', '--from', '2027-11-06T12:00:00Z', '-n', '2', '--json'], { env });
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toEqual([
      { event: 'elapse', timer: 'timer', n: 1, time: '2027-11-07T05:30:00Z', local: '2027-11-07T01:30:00-04:00' },
      // a fixed-time job runs once in the repeated hour: the next is the following day, EST
      { event: 'elapse', timer: 'timer', n: 2, time: '2027-11-08T06:30:00Z', local: '2027-11-08T01:30:00-05:00' },
    ]);
  });

  it('a schedule with no elapse prints nothing and exits 0', async () => {
    const r = await timerstack(['next', 'cron', '0 0 30 2 *'], { env });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it.each<[string[], RegExp]>([
    [['next'], /^timerstack: next: missing the timer/],
    [['next', '-n', '0', 'cron', '* * * * *'], /^timerstack: --iterations: must be a positive integer/],
    [['next', 'cron', '61 * * * *'], /^timerstack: invalid cron minute "61"/],
    [['next', 'calendar', 'daily', '--from', 'yesterday-ish'], /^timerstack: --from: not a time/],
    [['next', 'cron', '* * * * *', '--tz', 'Nowhere/Land'], /^timerstack: --tz: unknown time zone "Nowhere\/Land"/],
    [['next', 'soon'], /^timerstack: next: expected a timer/],
  ])('refuses %j in one line', async (args, message) => {
    const r = await timerstack(args, { env });
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
