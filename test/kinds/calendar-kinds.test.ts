// The cron and calendar kinds: spec from words (zone, clock, limits, persistent), the first
// elapse, the plan, what the loop arms; and `every --align` by days on the zone's calendar.
import { describe, expect, it } from 'vitest';
import { parseWords } from '../../src/grammar/words.js';
import { kindOf } from '../../src/kinds/index.js';
import { buildSpec, type TimerSpec } from '../../src/kinds/spec.js';
import { missedSince } from '../../src/kinds/wall-clock.js';
import { formatPlan } from '../../src/output/plan.js';
import { refusalOf } from '../helpers/refusal.js';

const MS = 1_000_000n;
const S = 1_000_000_000n;
const at = (iso: string): bigint => BigInt(Date.parse(iso)) * MS;
const NOW = at('2027-03-26T12:00:30Z'); // a Friday, two days before Berlin's spring change

function spec(words: string[], nowNs = NOW): TimerSpec {
  return buildSpec(parseWords(words, 'table'), { nowNs, utcOffsetNs: 0n, defaultName: 'timer' });
}

function refusal(words: string[]): string {
  return refusalOf(() => spec(words)).message;
}

// The first `n` elapses of a spec, as ISO strings.
function elapses(s: TimerSpec, n: number): string[] {
  const out: string[] = [];
  for (let t = s.atNs; t !== undefined && out.length < n; t = s.rule!.next(t)) out.push(new Date(Number(t / MS)).toISOString());
  return out;
}

describe('cron', () => {
  it('arms the first elapse after now on the realtime clock, in the zone given', () => {
    const s = spec(['cron', '0 9 * * 1-5', '--tz', 'Europe/Berlin']);
    expect(s).toMatchObject({ kind: 'cron', clock: 'realtime', zone: 'Europe/Berlin' });
    // Friday 12:00Z is past 09:00 Berlin: next is Monday 29 March, 09:00 CEST = 07:00Z
    expect(elapses(s, 3)).toEqual(['2027-03-29T07:00:00.000Z', '2027-03-30T07:00:00.000Z', '2027-03-31T07:00:00.000Z']);
    const options = kindOf('cron').timer(s)!;
    expect(options).toMatchObject({ clock: 'realtime', at: at('2027-03-29T07:00:00Z') });
    expect(options.next!(at('2027-03-29T07:00:00Z'))).toBe(at('2027-03-30T07:00:00Z'));
  });

  it('takes 6 fields (seconds first), nicknames, and the limits of every', () => {
    expect(elapses(spec(['cron', '*/20 * * * * *', '--tz', 'UTC']), 2)).toEqual(['2027-03-26T12:00:40.000Z', '2027-03-26T12:01:00.000Z']);
    expect(elapses(spec(['cron', '@daily', '--tz', 'UTC']), 1)).toEqual(['2027-03-27T00:00:00.000Z']);
    expect(spec(['cron', '* * * * *', '--count', '3', '--for', '1h'])).toMatchObject({ count: 3, forNs: 3600n * S });
    expect(spec(['cron', '* * * * *', '--clock', 'realtime-alarm']).clock).toBe('realtime-alarm');
  });

  it('a schedule that never elapses has no first elapse and arms nothing', () => {
    const s = spec(['cron', '0 0 30 2 *']);
    expect(s.atNs).toBeUndefined();
    expect(kindOf('cron').timer(s)).toBeUndefined();
    expect(formatPlan([s], false, 0n)[0]).toContain('never elapses');
  });

  it.each<[string[], RegExp]>([
    [['cron', '61 * * * *'], /minute "61"/],
    [['cron', '@reboot'], /@reboot is not supported/],
    [['cron', '* * *'], /3 fields/],
    [['cron', '* * * * *', '--clock', 'monotonic'], /^--clock: cron needs a wall clock/],
    [['cron', '* * * * *', '--tz', 'Mars/Base'], /^--tz: unknown time zone "Mars\/Base"/],
    [['cron', '* * * * *', '--after', '1s'], /--after does not apply to cron/],
  ])('refuses %j', (words, message) => {
    expect(refusal(words)).toMatch(message);
  });
});

describe('calendar', () => {
  it('uses the zone written in the expression, else --tz, else TZ', () => {
    expect(spec(['calendar', '*-*-* 09:00 America/New_York']).zone).toBe('America/New_York');
    expect(spec(['calendar', '*-*-* 09:00', '--tz', 'Asia/Tokyo']).zone).toBe('Asia/Tokyo');
    expect(spec(['calendar', '*-*-* 09:00 UTC', '--tz', 'UTC']).zone).toBe('UTC');
    expect(refusal(['calendar', '*-*-* 09:00 UTC', '--tz', 'Asia/Tokyo'])).toMatch(/names its own zone \(UTC\)/);
  });

  it('plans show systemd\'s normalized form and the first elapse with its offset', () => {
    const s = spec(['calendar', 'Mon..Fri 9:00', '--tz', 'Europe/Berlin']);
    expect(formatPlan([s], false, 0n)[0]).toBe('timer: calendar on realtime, calendar "Mon..Fri *-*-* 09:00:00" in Europe/Berlin, first at 2027-03-29T09:00:00+02:00, prints events');
    expect(JSON.parse(formatPlan([s], true, 0n)[0]!)).toMatchObject({ kind: 'calendar', normalized: 'Mon..Fri *-*-* 09:00:00', zone: 'Europe/Berlin', first_time: '2027-03-29T07:00:00Z', first_local: '2027-03-29T09:00:00+02:00' });
  });
});

describe('every --align by whole days follows the zone\'s calendar', () => {
  it('every 1d: local midnight in Berlin through the spring change (not an hour off)', () => {
    const s = spec(['every', '1d', '--align', '--tz', 'Europe/Berlin']);
    expect(s).toMatchObject({ clock: 'realtime', zone: 'Europe/Berlin' });
    // midnight CET is 23:00Z; after 28 March 02:00 it is CEST: 22:00Z
    expect(elapses(s, 4)).toEqual(['2027-03-26T23:00:00.000Z', '2027-03-27T23:00:00.000Z', '2027-03-28T22:00:00.000Z', '2027-03-29T22:00:00.000Z']);
  });

  it('every 1w: Monday 00:00, whatever the epoch\'s weekday', () => {
    expect(elapses(spec(['every', '1w', '--align', '--tz', 'UTC']), 2)).toEqual(['2027-03-29T00:00:00.000Z', '2027-04-05T00:00:00.000Z']);
    expect(new Date(Number(spec(['every', '2w', '--align', '--tz', 'UTC']).atNs! / MS)).getUTCDay()).toBe(1);
  });

  it('every 2d: days whose number since 1970-01-01 is even', () => {
    const [first] = elapses(spec(['every', '2d', '--align', '--tz', 'UTC']), 1);
    expect((Date.parse(first!) / 86_400_000) % 2).toBe(0);
  });

  it('a midnight a spring-forward swallows is the end of the gap (Santiago, 2027-09-05)', () => {
    // America/Santiago moves 00:00 → 01:00 on the first Sunday of September
    const s = spec(['every', '1d', '--align', '--tz', 'America/Santiago'], at('2027-09-04T12:00:00Z'));
    expect(elapses(s, 2)).toEqual(['2027-09-05T04:00:00.000Z', '2027-09-06T03:00:00.000Z']);
  });
});

describe('missedSince (what --persistent catches up on)', () => {
  it('counts the elapses after the stamp up to now, with the first and the last', () => {
    const s = spec(['cron', '0 * * * *', '--tz', 'UTC']);
    expect(missedSince(s.rule!, at('2027-03-26T08:30:00Z'), NOW)).toEqual({ count: 4, firstNs: at('2027-03-26T09:00:00Z'), lastNs: at('2027-03-26T12:00:00Z') });
    expect(missedSince(s.rule!, at('2027-03-26T12:00:00Z'), NOW)).toBeUndefined();
  });
});
