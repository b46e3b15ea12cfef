// Wall-clock instants as exact bigint nanoseconds since the Unix epoch (CLOCK_REALTIME):
// "14:30" (next occurrence, local zone; or today's, when asked), "today 14:30", "tomorrow 09:00",
// ISO 8601 date-times, "@1700000000.5", and from now: "now", "+5m" (any duration).
// Pure: the current time is passed in, and the local zone is the process's TZ as Date sees it.
//
// Decisions worth knowing:
// - Fractions take at most 9 digits and are added as bigint, never through a float or Date.
// - A local wall time that does not exist (clocks jump forward) is refused. A wall time that
//   happens twice (clocks go back) means its first occurrence, as Date does; for "HH:MM" the
//   second one is used if the first has already passed today.
// - Results must lie in [0, MAX_NS] (a timer cannot hold more); whether a past instant is an
//   error is the caller's call.

import { UsageError } from '../errors.js';
import { MAX_NS, parseDuration } from './duration.js';
import { quote } from './quote.js';
import { civilFromDays, daysFromCivil } from './civil.js';
import { instantsAt, localZone, zonedTime } from './zone.js';

export interface ParsedTime {
  instantNs: bigint;
  // clock: HH:MM (today/tomorrow given or not); absolute: a date or @EPOCH; relative: now, +D.
  form: 'clock' | 'absolute' | 'relative';
}

export interface TimeOptions {
  // "HH:MM" means today's, even when already past (for --until: a past one is then refused),
  // instead of the next occurrence.
  clockToday?: boolean;
}

const NS_PER_SEC = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;
const MAX_LENGTH = 64;
const EXPECTED = 'expected HH:MM[:SS], today|tomorrow HH:MM, YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM], @SECONDS, now or +DURATION';

// Every pattern is anchored and the input is capped at MAX_LENGTH, so matching stays cheap.
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|(([+-])(\d{2})(?::?(\d{2}))?))?)?$/;
const EPOCH = /^@(-?)(\d*)(?:[.,](\d*))?$/;
const DAY_WORD = /^(today|tomorrow)\s+(.*)$/;

// Parse a time; `nowNs` is the current CLOCK_REALTIME time, for the clock and relative forms.
// Times without an offset are read in `zone` (an IANA name; default: the local zone).
export function parseTime(text: string, nowNs: bigint, zone?: string, options: TimeOptions = {}): ParsedTime {
  const where = zone ?? localZone();
  const label = zone === undefined ? 'the local time zone' : `the time zone ${zone}`;
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) throw new UsageError(`empty time: ${quote(text)}`);
  if (end - start > MAX_LENGTH) {
    throw new UsageError(`time too long (${end - start} characters): ${quote(text)}`);
  }
  const s = text.slice(start, end);

  if (s === 'now') return { instantNs: nowNs, form: 'relative' };
  if (s.startsWith('+')) {
    const ahead = inText(text, () => parseDuration(s.slice(1)));
    return { instantNs: inRange(text, nowNs + ahead), form: 'relative' };
  }
  const day = DAY_WORD.exec(s);
  const clock = CLOCK.exec(day ? day[2]! : s);
  if (clock) {
    const [, hh = '', mm = '', ss = '0', frac] = clock;
    const wall = checkWall(text, Number(hh), Number(mm), Number(ss), frac);
    const days = day?.[1] === 'tomorrow' ? 1 : 0;
    const ns = day || options.clockToday ? onDay(text, wall, nowNs, days, where, label) : nextClock(text, wall, nowNs, where, label);
    return { instantNs: inRange(text, ns), form: 'clock' };
  }
  if (day) throw new UsageError(`${quote(day[1]!)} needs a time of day after it (${day[1]} HH:MM[:SS]): ${quote(text)}`);

  const iso = ISO.exec(s);
  if (iso) return { instantNs: inRange(text, isoInstant(text, iso, where, label)), form: 'absolute' };

  const epoch = EPOCH.exec(s);
  if (epoch && (epoch[2] || epoch[3])) {
    const [, minus, whole = '', frac = ''] = epoch;
    const ns = BigInt(whole || '0') * NS_PER_SEC + fraction(text, frac);
    if (minus && ns !== 0n) throw new UsageError(`before the Unix epoch: ${quote(text)}`);
    return { instantNs: inRange(text, ns), form: 'absolute' };
  }

  throw new UsageError(`not a time (${EXPECTED}): ${quote(text)}`);
}

// An ISO 8601 date-time (matched by ISO) as ns since the epoch; without an offset, in `zone`.
function isoInstant(text: string, iso: RegExpExecArray, zone: string, label: string): bigint {
  const [, yyyy = '', mo = '', dd = '', hh = '0', mi = '0', ss = '0', frac, z, offset, sign, oh, om] = iso;
  const year = Number(yyyy);
  const month = Number(mo);
  const day = Number(dd);
  if (month < 1 || month > 12) throw outOfRange(text, 'month', month, '1-12');
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    throw new UsageError(`day ${day} out of range (1-${last}) for ${yyyy}-${mo} in ${quote(text)}`);
  }
  const wall = checkWall(text, Number(hh), Number(mi), Number(ss), frac);
  // Any year before 1969 is before the epoch whatever the offset; this also keeps Date away
  // from its two-digit-year rule.
  if (year < 1969) throw new UsageError(`before the Unix epoch: ${quote(text)}`);
  let ms: number;
  if (z !== undefined || offset !== undefined) {
    let offsetMin = 0;
    if (offset !== undefined) {
      const offH = Number(oh);
      const offM = Number(om ?? '0');
      if (offH > 23 || offM > 59) {
        throw new UsageError(`time zone offset ${quote(offset)} out of range in ${quote(text)}`);
      }
      offsetMin = (sign === '-' ? -1 : 1) * (offH * 60 + offM);
    }
    ms = Date.UTC(year, month - 1, day, wall.h, wall.m, wall.s) - offsetMin * 60_000;
  } else {
    const found = localInstants(year, month, day, wall, zone)[0];
    if (found === undefined) {
      throw new UsageError(`${quote(text)} does not exist in ${label}`);
    }
    return found + wall.fracNs;
  }
  return BigInt(ms) * NS_PER_MS + wall.fracNs;
}

// ISO 8601 in UTC, fraction trimmed of trailing zeros: "2026-12-01T09:00:00.25Z".
export function formatInstant(ns: bigint): string {
  // Events come many to a second: the date part is formatted once per second, and within that
  // second the fraction is one subtraction (a BigInt division, a runtime call in V8's baseline
  // code, only when the second changes).
  if (ns < secondStart || ns >= secondEnd) enterSecond(ns);
  let digits = Number(ns - secondStart);
  if (digits === 0) return `${secondBase}Z`;
  let width = 9;
  while (digits % 10 === 0) {
    digits /= 10;
    width--;
  }
  return `${secondBase}.${String(digits).padStart(width, '0')}Z`;
}

function enterSecond(ns: bigint): void {
  let sec = ns / NS_PER_SEC;
  if (sec * NS_PER_SEC > ns) sec -= 1n;
  secondStart = sec * NS_PER_SEC;
  secondEnd = secondStart + NS_PER_SEC;
  secondBase = new Date(Number(sec) * 1000).toISOString().slice(0, -5);
}

// The second formatInstant last entered: [secondStart, secondEnd) ns, and its text up to the seconds.
let secondStart = 0n;
let secondEnd = 0n;
let secondBase = '';

interface Wall {
  h: number;
  m: number;
  s: number;
  fracNs: bigint;
}

function checkWall(text: string, h: number, m: number, s: number, frac: string | undefined): Wall {
  if (h > 23) throw outOfRange(text, 'hour', h, '0-23');
  if (m > 59) throw outOfRange(text, 'minute', m, '0-59');
  if (s > 59) throw outOfRange(text, 'second', s, '0-59');
  return { h, m, s, fracNs: fraction(text, frac ?? '') };
}

// The wall time in `zone` on the day `days` after today (its first occurrence; the second one
// if the clocks go back that day and the first has passed).
function onDay(text: string, wall: Wall, nowNs: bigint, days: number, zone: string, label: string): bigint {
  const now = zonedTime(nowNs, zone);
  const day = civilFromDays(daysFromCivil(now.year, now.month, now.day) + days);
  const found = localInstants(day.year, day.month, day.day, wall, zone).map((at) => at + wall.fracNs);
  if (found.length === 0) throw new UsageError(`${quote(text)} does not exist in ${label} on ${ymd(day.year, day.month, day.day)}`);
  return found.find((ns) => ns > nowNs) ?? found[0]!;
}

// Runs `fn`, adding "in TEXT" to its refusal (a duration inside a time).
function inText<T>(text: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${err.message} (in ${quote(text)})`);
    throw err;
  }
}

// Today's occurrence of a wall time in `zone` if it is still ahead of now, else tomorrow's.
function nextClock(text: string, wall: Wall, nowNs: bigint, zone: string, label: string): bigint {
  const now = zonedTime(nowNs, zone);
  const [y, mo, d] = [now.year, now.month, now.day];
  const today = localInstants(y, mo, d, wall, zone);
  for (const at of today) {
    const ns = at + wall.fracNs;
    if (ns > nowNs) return ns;
  }
  if (today.length === 0) {
    // Skipped today by a clock change: refuse if that wall time is still ahead of now.
    const wallNs = BigInt((wall.h * 60 + wall.m) * 60 + wall.s) * NS_PER_SEC + wall.fracNs;
    const nowWallNs = BigInt((now.hour * 60 + now.minute) * 60 + now.second) * NS_PER_SEC + BigInt(now.nanos);
    if (wallNs > nowWallNs) throw new UsageError(`${quote(text)} does not exist in ${label} on ${ymd(y, mo, d)}`);
  }
  const next = civilFromDays(daysFromCivil(y, mo, d) + 1);
  const tomorrow = localInstants(next.year, next.month, next.day, wall, zone)[0];
  if (tomorrow === undefined) {
    throw new UsageError(`${quote(text)} does not exist in ${label} on ${ymd(next.year, next.month, next.day)}`);
  }
  return tomorrow + wall.fracNs;
}

// Every instant (ns, ascending) at which the clock of `zone` reads this date and whole-second
// time: none in a gap, two when clocks go back.
function localInstants(y: number, mo: number, d: number, wall: Wall, zone: string): bigint[] {
  return instantsAt({ year: y, month: mo, day: d, hour: wall.h, minute: wall.m, second: wall.s }, zone);
}

// Up to nine decimal digits as nanoseconds.
function fraction(text: string, digits: string): bigint {
  if (digits.length > 9) throw new UsageError(`more than 9 fractional digits in ${quote(text)}`);
  return digits === '' ? 0n : BigInt(digits.padEnd(9, '0'));
}

function inRange(text: string, ns: bigint): bigint {
  if (ns < 0n) throw new UsageError(`before the Unix epoch: ${quote(text)}`);
  if (ns > MAX_NS) {
    throw new UsageError(`after the latest time a timer can hold (${formatInstant(MAX_NS)}): ${quote(text)}`);
  }
  return ns;
}

function outOfRange(text: string, what: string, value: number, range: string): UsageError {
  return new UsageError(`${what} ${value} out of range (${range}) in ${quote(text)}`);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function ymd(y: number, mo: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function pad2(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

// ISO 8601 with the zone's numeric offset (+00:00 for UTC, never Z); fraction only when non-zero.
export function formatZoned(instantNs: bigint, zone: string): string {
  const t = zonedTime(instantNs, zone);
  const fraction = t.nanos === 0 ? '' : `.${pad2(t.nanos, 9).replace(/0+$/, '')}`;
  const abs = Math.abs(t.offsetSec);
  const sign = t.offsetSec < 0 ? '-' : '+';
  const extra = abs % 60 === 0 ? '' : `:${pad2(abs % 60)}`;
  const offset = `${sign}${pad2(Math.floor(abs / 3600))}:${pad2(Math.floor(abs / 60) % 60)}${extra}`;
  return (
    `${pad2(t.year, 4)}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}` +
    `${fraction}${offset}`
  );
}

// Local wall time with its UTC offset: "2026-12-01 10:00:00.25+01:00" (for plans read by
// people; events and JSON stay in UTC).
export function formatLocalInstant(ns: bigint, zone: string = localZone()): string {
  return formatZoned(ns, zone).replace('T', ' ');
}
