import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daySelected } from '../../src/grammar/cron-days.js';
import { type CronSpec, matchesCron, nextCron, parseCron } from '../../src/grammar/cron.js';
import { offsetAt, zonedTime } from '../../src/grammar/zone.js';

// Transitions used below, as zdump -v prints them for 2027:
//   America/New_York     Mar 14 02:00 EST → 03:00 EDT (07:00Z)   Nov 7 02:00 EDT → 01:00 EST (06:00Z)
//   Europe/Berlin        Mar 28 02:00 CET → 03:00 CEST (01:00Z)  Oct 31 03:00 CEST → 02:00 CET (01:00Z)
//   Australia/Lord_Howe  Oct 3 02:00 → 02:30 +11 (15:30Z Oct 2)  Apr 4 02:00 +11 → 01:30 +10:30 (15:00Z Apr 3)
//   America/Havana       Mar 14 00:00 → 01:00 CDT (05:00Z)       Nov 7 01:00 CDT → 00:00 CST (05:00Z)
//   America/Santiago     Sep 5 00:00 → 01:00 -03 (04:00Z)        Apr 4 00:00 -03 → Apr 3 23:00 -04 (03:00Z)
// cronie (src/cron.c): a fixed-time job (minute and hour not starting with '*') due in a skipped
// interval runs once right after the jump; in a repeated interval it runs only the first time.
// A wildcard job runs on the real clock: no slots in the gap, every slot of the repeated hour.

const ns = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

function runs(expr: string, zone: string, from: string, n: number): (bigint | undefined)[] {
  const spec = parseCron(expr);
  const out: (bigint | undefined)[] = [];
  let t: bigint | undefined = ns(from);
  for (let i = 0; i < n && t !== undefined; i++) out.push((t = nextCron(spec, t, zone)));
  return out;
}

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const LHI = 'Australia/Lord_Howe';

describe('spring forward: fixed-time jobs run once after the jump, wildcard jobs skip the gap', () => {
  it.each<[string, string, string, string[]]>([
    ['30 2 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-14T03:00:00-04:00', '2027-03-15T02:30:00-04:00']],
    ['15,45 2 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-14T03:00:00-04:00', '2027-03-15T02:15:00-04:00', '2027-03-15T02:45:00-04:00']],
    ['0-59/20 2 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-14T03:00:00-04:00', '2027-03-15T02:00:00-04:00']],
    ['0 3 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-14T03:00:00-04:00', '2027-03-15T03:00:00-04:00']],
    ['30 2,3 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-14T03:00:00-04:00', '2027-03-14T03:30:00-04:00', '2027-03-15T02:30:00-04:00']],
    ['*/20 2 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-15T02:00:00-04:00', '2027-03-15T02:20:00-04:00', '2027-03-15T02:40:00-04:00']],
    ['*/30 * * * *', NY, '2027-03-14T01:00:00-05:00', ['2027-03-14T01:30:00-05:00', '2027-03-14T03:00:00-04:00', '2027-03-14T03:30:00-04:00']],
    // six fields: the seconds field does not make a job wild (cronie's rule looks at minute and hour)
    ['*/30 30 2 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-14T03:00:00-04:00', '2027-03-15T02:30:00-04:00', '2027-03-15T02:30:30-04:00']],
    ['0 */30 2 * * *', NY, '2027-03-13T12:00:00Z', ['2027-03-15T02:00:00-04:00']],
    ['30 2 * * *', BERLIN, '2027-03-27T12:00:00Z', ['2027-03-28T03:00:00+02:00', '2027-03-29T02:30:00+02:00']],
    ['*/15 2 * * *', BERLIN, '2027-03-27T12:00:00Z', ['2027-03-29T02:00:00+02:00']],
    ['15 2 * * *', LHI, '2027-10-01T12:00:00Z', ['2027-10-02T02:15:00+10:30', '2027-10-03T02:30:00+11:00', '2027-10-04T02:15:00+11:00']],
    ['45 2 * * *', LHI, '2027-10-02T12:00:00Z', ['2027-10-03T02:45:00+11:00']],
    ['0,15,45 2 * * *', LHI, '2027-10-02T12:00:00Z', ['2027-10-03T02:30:00+11:00', '2027-10-03T02:45:00+11:00', '2027-10-04T02:00:00+11:00']],
    ['*/15 2 * * *', LHI, '2027-10-02T12:00:00Z', ['2027-10-03T02:30:00+11:00', '2027-10-03T02:45:00+11:00', '2027-10-04T02:00:00+11:00']],
    // a jump at midnight: the whole start of the day is missing
    ['@daily', 'America/Havana', '2027-03-13T12:00:00Z', ['2027-03-14T01:00:00-04:00', '2027-03-15T00:00:00-04:00']],
    ['*/30 0 * * *', 'America/Havana', '2027-03-13T12:00:00Z', ['2027-03-15T00:00:00-04:00']],
    ['@daily', 'America/Santiago', '2027-09-04T12:00:00Z', ['2027-09-05T01:00:00-03:00', '2027-09-06T00:00:00-03:00']],
  ])('%s in %s after %s', (expr, zone, from, expected) => {
    expect(runs(expr, zone, from, expected.length)).toEqual(expected.map(ns));
  });
});

describe('fall back: fixed-time jobs run at the first occurrence only, wildcard jobs on every slot', () => {
  it.each<[string, string, string, string[]]>([
    ['30 1 * * *', NY, '2027-11-06T12:00:00Z', ['2027-11-07T01:30:00-04:00', '2027-11-08T01:30:00-05:00']],
    ['15,45 1 * * *', NY, '2027-11-06T12:00:00Z', ['2027-11-07T01:15:00-04:00', '2027-11-07T01:45:00-04:00', '2027-11-08T01:15:00-05:00']],
    ['*/30 1 * * *', NY, '2027-11-06T12:00:00Z', ['2027-11-07T01:00:00-04:00', '2027-11-07T01:30:00-04:00', '2027-11-07T01:00:00-05:00', '2027-11-07T01:30:00-05:00', '2027-11-08T01:00:00-05:00']],
    ['@hourly', NY, '2027-11-07T00:30:00-04:00', ['2027-11-07T01:00:00-04:00', '2027-11-07T01:00:00-05:00', '2027-11-07T02:00:00-05:00']],
    ['0 2 * * *', NY, '2027-11-06T12:00:00Z', ['2027-11-07T02:00:00-05:00', '2027-11-08T02:00:00-05:00']],
    // from inside the repeat: the fixed-time job already ran in the first pass
    ['45 1 * * *', NY, '2027-11-07T01:10:00-05:00', ['2027-11-08T01:45:00-05:00']],
    ['45 1 * * *', NY, '2027-11-07T01:50:00-04:00', ['2027-11-08T01:45:00-05:00']],
    ['*/30 1 * * *', NY, '2027-11-07T01:50:00-04:00', ['2027-11-07T01:00:00-05:00']],
    ['30 2 * * *', BERLIN, '2027-10-30T12:00:00Z', ['2027-10-31T02:30:00+02:00', '2027-11-01T02:30:00+01:00']],
    ['*/30 2 * * *', BERLIN, '2027-10-30T12:00:00Z', ['2027-10-31T02:00:00+02:00', '2027-10-31T02:30:00+02:00', '2027-10-31T02:00:00+01:00', '2027-10-31T02:30:00+01:00', '2027-11-01T02:00:00+01:00']],
    ['45 1 * * *', LHI, '2027-04-03T12:00:00Z', ['2027-04-04T01:45:00+11:00', '2027-04-05T01:45:00+10:30']],
    ['15 1 * * *', LHI, '2027-04-03T12:00:00Z', ['2027-04-04T01:15:00+11:00', '2027-04-05T01:15:00+10:30']],
    ['*/15 1 * * *', LHI, '2027-04-04T00:50:00+11:00', ['2027-04-04T01:00:00+11:00', '2027-04-04T01:15:00+11:00', '2027-04-04T01:30:00+11:00', '2027-04-04T01:45:00+11:00', '2027-04-04T01:30:00+10:30', '2027-04-04T01:45:00+10:30', '2027-04-05T01:00:00+10:30']],
    // midnight repeated (Havana) and 23:00 repeated (Santiago)
    ['@daily', 'America/Havana', '2027-11-06T12:00:00Z', ['2027-11-07T00:00:00-04:00', '2027-11-08T00:00:00-05:00']],
    ['*/30 0 * * *', 'America/Havana', '2027-11-06T12:00:00Z', ['2027-11-07T00:00:00-04:00', '2027-11-07T00:30:00-04:00', '2027-11-07T00:00:00-05:00', '2027-11-07T00:30:00-05:00']],
    ['30 23 * * *', 'America/Santiago', '2027-04-03T12:00:00Z', ['2027-04-03T23:30:00-03:00', '2027-04-04T23:30:00-04:00']],
    ['*/30 23 * * *', 'America/Santiago', '2027-04-03T12:00:00Z', ['2027-04-03T23:00:00-03:00', '2027-04-03T23:30:00-03:00', '2027-04-03T23:00:00-04:00', '2027-04-03T23:30:00-04:00']],
    ['@daily', 'America/Santiago', '2027-04-03T22:00:00-03:00', ['2027-04-04T00:00:00-04:00']],
  ])('%s in %s after %s', (expr, zone, from, expected) => {
    expect(runs(expr, zone, from, expected.length)).toEqual(expected.map(ns));
  });

  it('a wildcard job whose every slot is in a gap never fires (second Sunday of March, 02:xx, New York)', () => {
    const started = performance.now();
    expect(nextCron(parseCron('*/30 2 * 3 0#2'), ns('2027-01-01T00:00:00Z'), NY)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('matchesCron is true where nextCron fires, including a shifted fixed-time run', () => {
    const spec = parseCron('30 2 * * *');
    expect(matchesCron(spec, ns('2027-03-14T03:00:00-04:00'), NY)).toBe(true);
    expect(matchesCron(spec, ns('2027-03-15T02:30:00-04:00'), NY)).toBe(true);
    expect(matchesCron(parseCron('30 1 * * *'), ns('2027-11-07T01:30:00-05:00'), NY)).toBe(false);
    expect(matchesCron(parseCron('*/30 1 * * *'), ns('2027-11-07T01:30:00-05:00'), NY)).toBe(true);
  });
});

// Random expressions: every field drawn from its own small grammar.
function field(min: number, max: number, extra: fc.Arbitrary<string>[] = []): fc.Arbitrary<string> {
  const v = fc.integer({ min, max });
  const item = fc.oneof(
    fc.constant('*'),
    fc.integer({ min: 2, max: 9 }).map((n) => `*/${n}`),
    v.map(String),
    fc.tuple(v, v).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.tuple(v, v, fc.integer({ min: 1, max: 7 })).map(([a, b, s]) => `${Math.min(a, b)}-${Math.max(a, b)}/${s}`),
    ...extra,
  );
  return fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
}

const expression = fc
  .tuple(
    fc.boolean(),
    field(0, 59),
    field(0, 59),
    field(0, 23),
    field(1, 31, [fc.constant('L'), fc.constant('LW'), fc.integer({ min: 1, max: 31 }).map((n) => `${n}W`)]),
    field(1, 12),
    field(0, 7, [fc.integer({ min: 0, max: 7 }).map((n) => `${n}L`), fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 })).map(([w, k]) => `${w}#${k}`)]),
  )
  .map(([sec, s, m, h, dom, mon, dow]) => (sec ? [s, m, h, dom, mon, dow] : [m, h, dom, mon, dow]).join(' '));

const zone = fc.constantFrom('UTC', BERLIN, NY, LHI, 'Asia/Kolkata', 'America/Havana', 'America/Santiago');
const base = fc.bigInt({ min: ns('2026-01-01T00:00:00Z'), max: ns('2031-01-01T00:00:00Z') });

// Does the local time of an instant satisfy every field (no DST shift involved)?
function civilMatch(spec: CronSpec, t: bigint, z: string): boolean {
  const c = zonedTime(t, z);
  return (
    spec.second.includes(c.second) &&
    spec.minute.includes(c.minute) &&
    spec.hour.includes(c.hour) &&
    spec.month.includes(c.month) &&
    daySelected(spec.days, c.year, c.month, c.day, c.weekday)
  );
}

const isTransition = (t: bigint, z: string) => offsetAt(t - 1_000_000_000n, z) !== offsetAt(t, z);

describe('properties (fast-check)', () => {
  it('next is strictly increasing, and every instant returned matches', () => {
    fc.assert(
      fc.property(expression, zone, base, (expr, z, from) => {
        const spec = parseCron(expr);
        let t = from;
        for (let i = 0; i < 4; i++) {
          const next = nextCron(spec, t, z);
          if (next === undefined) return;
          expect(next > t).toBe(true);
          expect(next % 1_000_000_000n).toBe(0n);
          expect(matchesCron(spec, next, z)).toBe(true);
          // a wildcard job only fires at matching local times; a fixed-time one also right after a jump
          if (!civilMatch(spec, next, z)) expect(spec.fixedTime && isTransition(next, z)).toBe(true);
          t = next;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a wildcard job skips no matching real minute (checked minute by minute)', () => {
    const frequent = fc.tuple(field(0, 59), field(0, 23), zone, base);
    fc.assert(
      fc.property(frequent, ([m, h, z, from]) => {
        const spec = parseCron(`${m} ${h} * * *`);
        fc.pre(!spec.fixedTime);
        const next = nextCron(spec, from, z);
        expect(next).toBeDefined();
        const minute = 60_000_000_000n;
        const end = next ?? from;
        for (let t = (from / minute + 1n) * minute; t < end; t += minute) expect(civilMatch(spec, t, z)).toBe(false);
        expect(civilMatch(spec, end, z)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

// A model of cronie's main loop (src/cron.c): wake every real minute, compare the local clock
// (in minutes) with the virtual clock, and run jobs as its four cases say: +1 normal; 6..180
// ahead (spring forward) wildcard jobs for the current minute, fixed-time jobs for every skipped
// minute; 0 or behind (fall back) wildcard jobs only; otherwise a clock jump. Only the time of
// day is modelled (day fields '*'), for a job in the daemon's own zone.
function cronieRuns(spec: CronSpec, z: string, fromSec: number, toSec: number): bigint[] {
  const clock = (t: number) => Math.floor((t + offsetAt(BigInt(t) * 1_000_000_000n, z)) / 60);
  const due = (vt: number) => {
    const d = new Date(vt * 60_000);
    return spec.minute.includes(d.getUTCMinutes()) && spec.hour.includes(d.getUTCHours());
  };
  let virtual = clock(fromSec);
  const out: bigint[] = [];
  for (let t = fromSec + 60; t <= toSec; t += 60) {
    const running = clock(t);
    const diff = running - virtual;
    let ran = false; // cronie's job queue holds a job once per wake-up
    const find = (vt: number, wild: boolean, fixed: boolean) => {
      if ((spec.fixedTime ? fixed : wild) && due(vt)) ran = true;
    };
    if (diff === 1) find((virtual = running), true, true);
    else if (diff > 180 || diff < -180) find((virtual = running), true, true);
    else if (diff > 5) {
      find(running, true, false);
      while (virtual < running) find(++virtual, false, true);
    } else if (diff > 0) while (virtual < running) find(++virtual, true, true);
    else find(running, true, false);
    if (ran) out.push(BigInt(t) * 1_000_000_000n);
  }
  return out;
}

// Transitions from the table at the top, with the local hours around them.
const TRANSITIONS: [string, string, number[]][] = [
  [NY, '2027-03-14T07:00:00Z', [0, 1, 2, 3, 4]],
  [NY, '2027-11-07T06:00:00Z', [0, 1, 2, 3]],
  [BERLIN, '2027-03-28T01:00:00Z', [1, 2, 3, 4]],
  [BERLIN, '2027-10-31T01:00:00Z', [1, 2, 3, 4]],
  [LHI, '2027-10-02T15:30:00Z', [1, 2, 3]],
  [LHI, '2027-04-03T15:00:00Z', [0, 1, 2]],
  ['America/Havana', '2027-03-14T05:00:00Z', [22, 23, 0, 1, 2]],
  ['America/Havana', '2027-11-07T05:00:00Z', [22, 23, 0, 1]],
  ['America/Santiago', '2027-04-04T03:00:00Z', [22, 23, 0, 1]],
  ['America/Santiago', '2027-09-05T04:00:00Z', [22, 23, 0, 1, 2]],
];

describe('nextCron agrees with a model of cronie’s minute loop around real transitions', () => {
  it('for random minute and hour fields (fast-check)', () => {
    const hourField = (hours: number[]) =>
      fc.oneof(
        fc.constant('*'),
        fc.constant('*/2'),
        fc.subarray(hours, { minLength: 1 }).map((hs) => hs.join(',')),
        fc.constantFrom(...hours).map((h) => `${h}-${Math.min(23, h + 1)}`),
      );
    const job = fc.constantFrom(...TRANSITIONS).chain(([z, at, hours]) => fc.tuple(fc.constant(z), fc.constant(at), field(0, 59), hourField(hours)));
    fc.assert(
      fc.property(job, ([z, at, minute, hour]) => {
        const spec = parseCron(`${minute} ${hour} * * *`);
        const center = Date.parse(at) / 1000;
        const [from, to] = [center - 5 * 3600, center + 5 * 3600];
        const ours: bigint[] = [];
        for (let t = nextCron(spec, BigInt(from) * 1_000_000_000n, z); t !== undefined && t <= BigInt(to) * 1_000_000_000n; t = nextCron(spec, t, z)) ours.push(t);
        expect(ours).toEqual(cronieRuns(spec, z, from, to));
      }),
      { numRuns: 250 },
    );
  });
});
