// When a calendar expression elapses. An instant matches when its wall-clock reading in the
// zone matches every field; the next elapse is the first matching instant strictly after a
// given one. Civil times inside a spring-forward gap never occur, so they are skipped (as
// systemd does). A civil time that occurs twice at a fall-back: a fixed-time expression (its
// hour and minute are given, without '*' or a repetition: "02:30") elapses once, at the first
// instant, as in systemd and cronie; a frequent one ("*:0/15", "hourly") elapses at both
// instants, because the repeated hour is real time that passes (systemd 252 skips those,
// systemd#8647; cronie runs them).

import { type CalendarChain, type CalendarSpec, MAX_YEAR, MIN_YEAR, USEC } from './calendar-spec.js';
import { civilFromDays, daysFromCivil, instantsAt, nextTransition, offsetAt, zonedTime } from './zone.js';

const US_PER_MINUTE = 60 * USEC;
const US_PER_HOUR = 60 * US_PER_MINUTE;
const US_PER_DAY = 24 * US_PER_HOUR;
const NS_PER_US = 1000n;
// No zone's offset is beyond ±16 h, so a wall clock never runs more than that from UTC.
const MAX_OFFSET_NS = 16n * 3600n * 1_000_000_000n;
// Guards that are never reached by a valid spec; each loop also ends at MAX_YEAR.
const SEARCH_GUARD = 20_000;
const SEGMENT_GUARD = 10_000;

// A spec turned into lookup tables: table[i - base] is the first allowed value >= i, or -1.
interface Compiled {
  readonly years: Int16Array; // index: year - MIN_YEAR
  readonly months: Int16Array;
  readonly days: Uint8Array; // 1 = allowed (plain day numbers)
  readonly endOfMonthDays: readonly Uint8Array[]; // by month length 28..31, for '~'
  readonly endOfMonth: boolean;
  readonly weekdays: number; // bit 0 = Monday; 127 = any
  readonly hours: Int16Array;
  readonly minutes: Int16Array;
  readonly second: CalendarChain;
}

const compiledSpecs = new WeakMap<CalendarSpec, Compiled>();

// Mark each value a list allows within lo..hi ('*' allows all).
function allowed(chain: CalendarChain, lo: number, hi: number): Uint8Array {
  const marks = new Uint8Array(hi + 1);
  if (chain === undefined) {
    marks.fill(1, lo);
    return marks;
  }
  for (const e of chain) {
    if (e.repeat === 0) {
      if (e.start >= lo && e.start <= hi) marks[e.start] = 1;
      continue;
    }
    const last = Math.min(e.stop ?? hi, hi);
    for (let v = e.start; v <= last; v += e.repeat) if (v >= lo) marks[v] = 1;
  }
  return marks;
}

// The next-allowed table of a set of marks, offset by `base`.
function nextTable(marks: Uint8Array, base: number): Int16Array {
  const table = new Int16Array(marks.length - base + 1).fill(-1);
  for (let i = marks.length - 1; i >= base; i--) {
    table[i - base] = marks[i] === 1 ? i : (table[i - base + 1] as number);
  }
  return table;
}

// The days a '~' list allows in a month of `length` days (~01 is the last day).
function endOfMonthDays(chain: CalendarChain, length: number): Uint8Array {
  const marks = new Uint8Array(32);
  for (const e of chain ?? []) {
    const fromEnd = (n: number): number => length + 1 - n;
    if (e.stop === undefined) {
      const first = fromEnd(e.start);
      if (e.repeat === 0) marks[first] = 1;
      else for (let d = first; d <= length; d += e.repeat) if (d >= 1) marks[d] = 1;
    } else {
      const step = Math.max(e.repeat, 1);
      for (let d = fromEnd(e.stop); d <= fromEnd(e.start); d += step) if (d >= 1) marks[d] = 1;
    }
  }
  return marks;
}

function compile(spec: CalendarSpec): Compiled {
  let compiled = compiledSpecs.get(spec);
  if (compiled === undefined) {
    compiled = {
      years: nextTable(allowed(spec.year, MIN_YEAR, MAX_YEAR), MIN_YEAR),
      months: nextTable(allowed(spec.month, 1, 12), 0),
      days: allowed(spec.day, 1, 31),
      endOfMonthDays: [28, 29, 30, 31].map((n) => endOfMonthDays(spec.day, n)),
      endOfMonth: spec.endOfMonth && spec.day !== undefined,
      weekdays: spec.weekdays ?? 127,
      hours: nextTable(allowed(spec.hour, 0, 23), 0),
      minutes: nextTable(allowed(spec.minute, 0, 59), 0),
      second: spec.second,
    };
    compiledSpecs.set(spec, compiled);
  }
  return compiled;
}

// The first allowed value >= i in a next-table, or -1.
function next(table: Int16Array, i: number): number {
  return i < table.length ? (table[i] as number) : -1;
}

// The first second-of-minute (µs) >= us the seconds list allows, or -1 (no '*' here).
function nextSecond(chain: CalendarChain, us: number): number {
  if (chain === undefined) return us < US_PER_MINUTE ? us : -1;
  let best = -1;
  for (const e of chain) {
    let v = -1;
    if (e.start >= us) v = e.start;
    else if (e.repeat > 0) {
      const k = e.start + e.repeat * Math.ceil((us - e.start) / e.repeat);
      if (e.stop === undefined || k <= e.stop) v = k;
    }
    if (v >= 0 && v < US_PER_MINUTE && (best < 0 || v < best)) best = v;
  }
  return best;
}

// The number of days in a month (month 1-12).
function daysInMonth(year: number, month: number): number {
  const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
  return next - daysFromCivil(year, month, 1);
}

// The first day >= day in the month that the day list and the weekdays allow, or -1.
function nextDay(c: Compiled, year: number, month: number, day: number): number {
  const length = daysInMonth(year, month);
  const marks = c.endOfMonth ? (c.endOfMonthDays[length - 28] as Uint8Array) : c.days;
  const first = daysFromCivil(year, month, 1);
  for (let d = day; d <= length; d++) {
    if (marks[d] !== 1) continue;
    const monday0 = (((first + d - 1 + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    if ((c.weekdays & (1 << monday0)) !== 0) return d;
  }
  return -1;
}

// The first matching wall-clock reading >= fromUs (µs on the zone's clock), up to MAX_YEAR.
function civilSearch(c: Compiled, fromUs: number): number | undefined {
  const days = Math.floor(fromUs / US_PER_DAY);
  let { year, month, day } = civilFromDays(days);
  let rest = fromUs - days * US_PER_DAY;
  let hour = Math.floor(rest / US_PER_HOUR);
  rest -= hour * US_PER_HOUR;
  let minute = Math.floor(rest / US_PER_MINUTE);
  let us = rest - minute * US_PER_MINUTE;
  if (year < MIN_YEAR) [year, month, day, hour, minute, us] = [MIN_YEAR, 1, 1, 0, 0, 0];
  for (let guard = 0; guard < SEARCH_GUARD; guard++) {
    const y = next(c.years, year - MIN_YEAR);
    if (y < 0) return undefined;
    if (y !== year) [year, month, day, hour, minute, us] = [y, 1, 1, 0, 0, 0];
    const m = next(c.months, month);
    if (m < 0) {
      [year, month, day, hour, minute, us] = [year + 1, 1, 1, 0, 0, 0];
      continue;
    }
    if (m !== month) [month, day, hour, minute, us] = [m, 1, 0, 0, 0];
    const d = nextDay(c, year, month, day);
    if (d < 0) {
      [month, day, hour, minute, us] = [month + 1, 1, 0, 0, 0];
      continue;
    }
    if (d !== day) [day, hour, minute, us] = [d, 0, 0, 0];
    const h = next(c.hours, hour);
    if (h < 0) {
      [day, hour, minute, us] = [day + 1, 0, 0, 0];
      continue;
    }
    if (h !== hour) [hour, minute, us] = [h, 0, 0];
    const mi = next(c.minutes, minute);
    if (mi < 0) {
      [hour, minute, us] = [hour + 1, 0, 0];
      continue;
    }
    if (mi !== minute) [minute, us] = [mi, 0];
    const s = nextSecond(c.second, us);
    if (s < 0) {
      [minute, us] = [minute + 1, 0];
      continue;
    }
    return daysFromCivil(year, month, day) * US_PER_DAY + hour * US_PER_HOUR + minute * US_PER_MINUTE + s;
  }
  return undefined;
}

// Integer division rounding towards +infinity.
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b < a ? q + 1n : q;
}

// The zone a spec is computed in.
function zoneFor(spec: CalendarSpec, zone: string): string {
  return spec.zone ?? zone;
}

// The next elapse strictly after `afterNs`, computed in spec.zone ?? zone; undefined when the
// expression never elapses again (nothing after MAX_YEAR, as in systemd).
export function nextCalendar(spec: CalendarSpec, afterNs: bigint, zone: string): bigint | undefined {
  const c = compile(spec);
  const z = zoneFor(spec, zone);
  let t = afterNs;
  // Walk stretches of constant offset: in each, the first matching reading at or after its
  // start is an elapse if it falls before the stretch ends.
  for (let guard = 0; guard < SEGMENT_GUARD; guard++) {
    const start = t + 1n;
    const offset = BigInt(offsetAt(start, z)) * 1_000_000_000n;
    const horizon = start + 2n * MAX_OFFSET_NS;
    const change = nextTransition(start, z, horizon);
    const found = civilSearch(c, Number(ceilDiv(start + offset, NS_PER_US)));
    const instant = found === undefined ? undefined : BigInt(found) * NS_PER_US - offset;
    if (instant !== undefined && instant < (change ?? horizon)) {
      if (!(isFixedTime(spec) && isSecondOccurrence(instant, z))) return instant;
      t = instant;
      continue;
    }
    if (change !== undefined) {
      t = change - 1n;
      continue;
    }
    // No offset change up to the horizon: from there on the clock reads later than it does
    // now, so only readings >= `found` can match, at instants >= found - MAX_OFFSET.
    if (found === undefined) return undefined;
    const jump = BigInt(found) * NS_PER_US - MAX_OFFSET_NS;
    t = (jump > horizon ? jump : horizon) - 1n;
  }
  return undefined;
}

// Whether the wall-clock reading of an instant (in spec.zone ?? zone) matches the spec.
export function matchesCalendar(spec: CalendarSpec, instantNs: bigint, zone: string): boolean {
  if (instantNs % NS_PER_US !== 0n) return false;
  const z = zoneFor(spec, zone);
  const local = (instantNs + BigInt(offsetAt(instantNs, z)) * 1_000_000_000n) / NS_PER_US;
  if (civilSearch(compile(spec), Number(local)) !== Number(local)) return false;
  return !(isFixedTime(spec) && isSecondOccurrence(instantNs, z));
}

// Whether the hour and the minute are fixed values (no '*', no repetition): such an expression
// names a time of day, which a fall-back must not run twice.
export function isFixedTime(spec: CalendarSpec): boolean {
  const fixed = (chain: CalendarChain) => chain !== undefined && chain.every((e) => e.repeat === 0);
  return fixed(spec.hour) && fixed(spec.minute);
}

// Whether the wall-clock reading of `instantNs` occurred once already (the repeated hour of a
// fall-back, second pass).
function isSecondOccurrence(instantNs: bigint, zone: string): boolean {
  const t = zonedTime(instantNs, zone);
  const both = instantsAt(t, zone);
  return both.length === 2 && instantNs - BigInt(t.nanos) === both[1];
}
