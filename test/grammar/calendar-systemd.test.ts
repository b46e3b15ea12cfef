import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type CalendarSpec, matchesCalendar, nextCalendar, normalizeCalendar, parseCalendar } from '../../src/grammar/calendar.js';
import { instantsAt, zonedTime } from '../../src/grammar/zone.js';
import { generateExpressions } from './calendar-generate.js';

// Compares with the real `systemd-analyze calendar` (run in TZ=UTC, so it prints UTC): which
// expressions are accepted, their normalized forms, and every elapse (at second precision;
// fractions are checked in calendar.test.ts). Known, intended differences:
// - a wall-clock time that occurs twice at a fall-back elapses at both instants here for a
//   frequent expression (a fixed time of day runs once, as in systemd); systemd
//   252 runs one (systemd#8647). Our extra elapses must lie in such a repeated hour.
// - systemd 252 skips slots when an open repetition (a/r in day, hour, minute or second) runs
//   past the end of the next larger unit twice over (a carry bug: "*-*-02/13" skips 2 January).
//   For such specs every systemd elapse must still be one of ours.
// - systemd 252 sometimes gives up ("Failed to determine next elapse": its 1000-step valve);
//   we still answer, and every answer matches the expression.

const S = 1_000_000_000n;
const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const version = probe.error === undefined && probe.status === 0 ? /systemd (\d+)/.exec(probe.stdout)?.[1] : undefined;
const missing = version === undefined;
if (missing) console.log('calendar-systemd.test.ts: skipped, systemd-analyze is not on PATH');
const is252 = version === '252';
if (!missing && !is252) console.log(`calendar-systemd.test.ts: systemd ${version}, not 252: the 252 bug checks are skipped`);

interface Analyzed {
  normalized: string;
  elapses: number[]; // UTC seconds
  never: boolean; // it said "never" after the elapses listed
}
interface Run {
  accepted: Map<string, Analyzed>;
  refused: Set<string>;
  gaveUp: Set<string>;
}

// Run systemd-analyze once over many expressions and read its answers back per expression.
function analyze(expressions: string[], baseSec: number, iterations: number): Run {
  const result = spawnSync(
    'systemd-analyze',
    ['calendar', `--iterations=${iterations}`, `--base-time=@${baseSec}`, '--', ...expressions],
    { env: { ...process.env, TZ: 'UTC', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: 'cat' }, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (result.error) throw result.error;
  const refused = new Set<string>();
  const gaveUp = new Set<string>();
  for (const line of result.stderr.split('\n')) {
    const bad = /^Failed to parse calendar specification '(.*)': /.exec(line);
    const stuck = /^Failed to determine next elapse for '(.*)': /.exec(line);
    if (bad) refused.add(bad[1]!);
    else if (stuck) gaveUp.add(stuck[1]!);
  }
  const blocks: (Analyzed & { original: string })[] = [];
  let original: string | undefined;
  for (const line of result.stdout.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^\s*Original form: (.*)$/.exec(line))) original = m[1]!;
    else if ((m = /^\s*Normalized form: (.*)$/.exec(line))) {
      blocks.push({ original: original ?? m[1]!, normalized: m[1]!, elapses: [], never: false });
      original = undefined;
    } else if ((m = /^\s*(?:Next elapse|Iter\. #\d+): (.*)$/.exec(line))) {
      const block = blocks.at(-1)!;
      const d = /^\w{3} (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC$/.exec(m[1]!);
      if (m[1] === 'never') block.never = true;
      else if (d === null) throw new Error(`unexpected systemd-analyze line ${JSON.stringify(line)}`);
      else block.elapses.push(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +d[4]!, +d[5]!, +d[6]!) / 1000);
    }
  }
  const accepted = new Map<string, Analyzed>();
  const answered = expressions.filter((e) => !refused.has(e) && !gaveUp.has(e));
  expect(blocks.map((b) => b.original)).toEqual(answered); // the blocks line up with the input
  answered.forEach((e, i) => accepted.set(e, blocks[i]!));
  return { accepted, refused, gaveUp };
}

// Whether an open repetition in day, hour, minute or second can trip systemd's carry bug.
function carryProne(spec: CalendarSpec): boolean {
  return (['day', 'hour', 'minute', 'second'] as const).some((f) => spec[f]?.some((e) => e.repeat > 0 && e.stop === undefined));
}

// Whether an instant's wall-clock reading occurs twice (a fall-back's repeated hour).
function repeated(at: bigint, spec: CalendarSpec): boolean {
  const zone = spec.zone ?? 'UTC';
  return instantsAt(zonedTime(at, zone), zone).length === 2;
}

// Compare our elapses after `baseSec` with systemd's; returns how many extra (repeated) we ran.
function compareElapses(text: string, spec: CalendarSpec, theirs: Analyzed, baseSec: number, iterations: number): number {
  const prone = carryProne(spec);
  let at = BigInt(baseSec) * S;
  let matched = 0;
  let extras = 0;
  const describe = (): string => `${text}: systemd ${JSON.stringify(theirs.elapses.map((e) => new Date(e * 1000).toISOString()))}`;
  for (let step = 0; step < iterations * 20 + 200; step++) {
    const next = nextCalendar(spec, at, 'UTC');
    if (matched === theirs.elapses.length && (!theirs.never || next === undefined)) return extras;
    if (next === undefined) throw new Error(`${describe()}; we found no elapse after ${new Date(Number(at / 1_000_000n)).toISOString()}`);
    if (!matchesCalendar(spec, next, 'UTC')) throw new Error(`${describe()}; our ${next} does not match`);
    const sec = Number(next / S);
    if (matched < theirs.elapses.length && sec === theirs.elapses[matched]) matched++;
    else if (repeated(next, spec)) extras++;
    else if (!prone) throw new Error(`${describe()}; we elapse at ${new Date(sec * 1000).toISOString()}, systemd does not`);
    if (matched === theirs.elapses.length && !theirs.never) return extras;
    at = next;
  }
  throw new Error(`${describe()}; no agreement after many steps`);
}

const ITERATIONS = 15;
// Three minutes before an offset change, so frequent timers run across it.
const BASES = [
  Date.parse('2026-10-25T00:57:00Z') / 1000, // Europe/Berlin, Europe/Dublin fall back
  Date.parse('2026-11-01T05:57:00Z') / 1000, // America/New_York falls back
  Date.parse('2027-04-03T13:57:00Z') / 1000, // Pacific/Auckland, then Australia/Lord_Howe fall back
  Date.parse('2026-03-29T00:57:00Z') / 1000, // Europe/Berlin springs forward
];

describe.skipIf(missing)('systemd-analyze agrees', () => {
  it('on acceptance, normalized forms and elapses of generated expressions', () => {
    let compared = 0;
    let refusedBoth = 0;
    let extras = 0;
    BASES.forEach((base, group) => {
      const expressions = generateExpressions(90, 1000 + group);
      const run = analyze(expressions, base, ITERATIONS);
      for (const text of expressions) {
        let spec: CalendarSpec | undefined;
        let error: unknown;
        try {
          spec = parseCalendar(text);
        } catch (caught) {
          error = caught;
        }
        if (run.refused.has(text)) {
          expect(spec, `${JSON.stringify(text)}: systemd refuses it, we accept it`).toBeUndefined();
          refusedBoth++;
          continue;
        }
        expect(error, `${JSON.stringify(text)}: systemd accepts it, we refuse it`).toBeUndefined();
        if (run.gaveUp.has(text)) continue; // systemd gave up; calendar.test.ts covers such specs
        const theirs = run.accepted.get(text)!;
        expect(normalizeCalendar(spec!), JSON.stringify(text)).toBe(theirs.normalized);
        extras += compareElapses(text, spec!, theirs, base, ITERATIONS);
        compared++;
      }
    });
    console.log(`calendar-systemd: ${compared} expressions compared, ${refusedBoth} refused by both, ${extras} repeated-hour extras`);
    expect(compared).toBeGreaterThan(250);
    expect(refusedBoth).toBeGreaterThan(20);
  });

  it.skipIf(!is252)('except where we depart on purpose', () => {
    const repeatedHour = '*:0/15 Europe/Berlin';
    const carry = '*-*-02/13 UTC';
    const carryAsList = '*-*-02,15,28 UTC';
    const fallBack = analyze([repeatedHour], Date.parse('2026-10-25T00:40:00Z') / 1000, 3);
    const newYear = analyze([carry, carryAsList], Date.parse('2026-12-28T00:00:01Z') / 1000, 1);
    const stuck = 'Thu *-13,14/14,26 America/New_York';
    const giveUp = analyze([stuck], 1792886000, 40);
    // systemd runs 02:45 CEST, then 03:00 CET: 02:00..02:45 CET never run (systemd#8647)
    expect(fallBack.accepted.get(repeatedHour)!.elapses.map((e) => new Date(e * 1000).toISOString())).toEqual([
      '2026-10-25T00:45:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:15:00.000Z',
    ]);
    const ours: string[] = [];
    let at = BigInt(Date.parse('2026-10-25T00:40:00Z')) * 1_000_000n;
    for (let i = 0; i < 6; i++) {
      at = nextCalendar(parseCalendar(repeatedHour), at, 'UTC')!;
      ours.push(new Date(Number(at / 1_000_000n)).toISOString());
    }
    expect(ours).toEqual(['00:45', '01:00', '01:15', '01:30', '01:45', '02:00'].map((t) => `2026-10-25T${t}:00.000Z`));
    // systemd skips 2 January for "*-*-02/13" but not for the same days written as a list
    expect(newYear.accepted.get(carry)!.elapses).toEqual([Date.parse('2027-01-15T00:00:00Z') / 1000]);
    expect(newYear.accepted.get(carryAsList)!.elapses).toEqual([Date.parse('2027-01-02T00:00:00Z') / 1000]);
    const base = BigInt(Date.parse('2026-12-28T00:00:01Z')) * 1_000_000n;
    expect(nextCalendar(parseCalendar(carry), base, 'UTC')).toBe(BigInt(Date.parse('2027-01-02T00:00:00Z')) * 1_000_000n);
    // systemd gives up on this one; we go on, and every answer matches
    expect(giveUp.gaveUp.has(stuck)).toBe(true);
    const spec = parseCalendar(stuck);
    let t: bigint | undefined = 1792886000n * S;
    for (let i = 0; i < 40; i++) {
      t = nextCalendar(spec, t!, 'UTC');
      expect(t !== undefined && matchesCalendar(spec, t, 'UTC')).toBe(true);
    }
  });
});
