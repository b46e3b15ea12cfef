// When a cron job fires next, in an IANA zone, with cronie's DST rules (src/cron.c): a fixed-time
// job whose time falls in a spring-forward gap runs once, right after the jump, and a repeated
// (fall-back) time runs it once, at the first occurrence; a wildcard job runs on every real slot.
import { type CivilTime, civilFromDays, daysFromCivil, gapEnd, nextTransition, offsetAt, zonedTime } from './zone.js';
import { GREGORIAN_CYCLE_DAYS, nextSelectedDay } from './cron-days.js';
import type { CronSpec } from './cron-parse.js';

const NS = 1_000_000_000n;
const DAY = 86_400;

// For each field: the smallest selected value at or after v, -1 past the last (one slot spare).
interface TimeTables {
  readonly hour: Int8Array;
  readonly minute: Int8Array;
  readonly second: Int8Array;
}

const tablesOf = new WeakMap<CronSpec, TimeTables>();

// "Next selected value at or after v" for one field of 0..max.
function nextTable(values: readonly number[], max: number): Int8Array {
  const table = new Int8Array(max + 2).fill(-1);
  let next = -1;
  for (let v = max; v >= 0; v--) {
    if (values.includes(v)) next = v;
    table[v] = next;
  }
  return table;
}

// The spec's lookup tables, built once per spec.
function tables(spec: CronSpec): TimeTables {
  let t = tablesOf.get(spec);
  if (t === undefined) {
    t = { hour: nextTable(spec.hour, 23), minute: nextTable(spec.minute, 59), second: nextTable(spec.second, 59) };
    tablesOf.set(spec, t);
  }
  return t;
}

// The first selected time of day (seconds since local midnight) in [low, high), if any.
function timeOfDay(t: TimeTables, low: number, high: number): number | undefined {
  let h = Math.floor(low / 3600);
  let m = Math.floor((low % 3600) / 60);
  let s = low % 60;
  for (;;) {
    const hh = t.hour[h] ?? -1;
    if (hh < 0) return undefined;
    if (hh !== h) [h, m, s] = [hh, 0, 0];
    const mm = t.minute[m] ?? -1;
    if (mm < 0) {
      [h, m, s] = [h + 1, 0, 0];
      continue;
    }
    if (mm !== m) [m, s] = [mm, 0];
    const ss = t.second[s] ?? -1;
    if (ss < 0) {
      [m, s] = [m + 1, 0];
      continue;
    }
    const at = h * 3600 + m * 60 + ss;
    return at < high ? at : undefined;
  }
}

// One stretch of a local day with a constant UTC offset: instants [start, end) in Unix seconds.
interface Segment {
  readonly start: number;
  readonly end: number;
  readonly offset: number;
}

const windows = new Map<string, readonly Segment[]>();
const WINDOW_CACHE_MAX = 4096;

// Seconds of a bigint instant (the zone module's instants here are whole seconds).
function seconds(ns: bigint): number {
  return Number(ns / NS);
}

// Midnight of a day number, as a civil time for the zone module.
function midnight(day: number): CivilTime {
  return { ...civilFromDays(day), hour: 0, minute: 0, second: 0 };
}

// The real-time stretch of local day `day` (from its first instant to the next day's first),
// cut wherever the zone's offset changes; memoised per zone and day.
function dayWindow(day: number, zone: string): readonly Segment[] {
  const key = `${zone}\u0000${day}`;
  const hit = windows.get(key);
  if (hit !== undefined) return hit;
  const end = gapEnd(midnight(day + 1), zone);
  const segments: Segment[] = [];
  let from = gapEnd(midnight(day), zone);
  while (from < end) {
    const to = nextTransition(from, zone, end - 1n) ?? end;
    segments.push({ start: seconds(from), end: seconds(to), offset: offsetAt(from, zone) });
    from = to;
  }
  if (windows.size >= WINDOW_CACHE_MAX) windows.clear();
  windows.set(key, segments);
  return segments;
}

// The first firing instant (Unix seconds) >= minSec within local day `day`, or undefined.
function firstInDay(spec: CronSpec, day: number, minSec: number, zone: string): number | undefined {
  const segments = dayWindow(day, zone);
  const windowEnd = segments[segments.length - 1]?.end ?? 0;
  if (windowEnd <= minSec) return undefined;
  const t = tables(spec);
  const midnightCivil = day * DAY;
  let covered = midnightCivil; // local times of this day already passed, in civil seconds
  for (const seg of segments) {
    const civilStart = seg.start + seg.offset;
    const civilEnd = Math.min(seg.end + seg.offset, midnightCivil + DAY);
    if (spec.fixedTime && civilStart > covered && seg.start >= minSec) {
      // A gap (spring forward): a fixed-time job due inside it runs once, at the jump.
      if (timeOfDay(t, covered - midnightCivil, civilStart - midnightCivil) !== undefined) return seg.start;
    }
    let low = Math.max(civilStart, minSec + seg.offset, midnightCivil);
    if (spec.fixedTime) low = Math.max(low, covered); // a repeated time runs fixed-time jobs once
    if (low < civilEnd) {
      const at = timeOfDay(t, low - midnightCivil, civilEnd - midnightCivil);
      if (at !== undefined) return midnightCivil + at - seg.offset;
    }
    covered = Math.max(covered, civilEnd);
  }
  if (spec.fixedTime && covered < midnightCivil + DAY && windowEnd >= minSec) {
    // The day ends in a gap (a jump over midnight): due fixed-time jobs run at the jump.
    if (timeOfDay(t, covered - midnightCivil, DAY) !== undefined) return windowEnd;
  }
  return undefined;
}

// Floor division of a bigint instant to whole seconds.
function floorSeconds(ns: bigint): number {
  const q = ns / NS;
  return Number(ns < 0n && q * NS !== ns ? q - 1n : q);
}

// The first instant strictly after `afterNs` at which the job fires in `zone`; undefined if never.
export function nextCron(spec: CronSpec, afterNs: bigint, zone: string): bigint | undefined {
  if (!spec.possible) return undefined;
  const minSec = floorSeconds(afterNs) + 1;
  const local = zonedTime(BigInt(minSec) * NS, zone);
  const first = daysFromCivil(local.year, local.month, local.day);
  // A day whose slots all fall in DST gaps can repeat forever (`*/30 2 * 3 0#2` in New York):
  // one Gregorian cycle of days without a firing means none will come.
  const limit = first + GREGORIAN_CYCLE_DAYS;
  for (let day = first; day <= limit; day++) {
    const selected = nextSelectedDay(spec.days, spec.month, day, limit);
    if (selected === undefined) return undefined;
    day = selected;
    const at = firstInDay(spec, day, minSec, zone);
    if (at !== undefined) return BigInt(at) * NS;
  }
  return undefined;
}

// Whether the job fires exactly at this instant (whole seconds only), by nextCron's rules: a
// fixed-time job shifted out of a DST gap matches at the jump, not at its nominal local time.
export function matchesCron(spec: CronSpec, instantNs: bigint, zone: string): boolean {
  if (instantNs % NS !== 0n) return false;
  return nextCron(spec, instantNs - 1n, zone) === instantNs;
}
