// Durations as exact bigint nanoseconds: "90", "1h30m", "1min 30s", "250ms", "PT1M30S".
// Pure: no OS access, no clocks. Every refusal is a one-line UsageError quoting the bad part.
//
// Decisions worth knowing:
// - A bare number means seconds, but only when it is the whole input: "1h30" is refused.
// - Units are lowercase (systemd's list plus ns/nsec); months and years are refused by name
//   because their length is not fixed.
// - Fractions are read as decimal digits, never through a float. A fraction that does not land
//   on a whole nanosecond ("0.0000000001s", "0.3ns") is refused rather than truncated: silently
//   dropping digits the user typed would be surprising. Trailing zeros are fine ("1.50000000000s").
// - Repeated units sum, as in systemd ("1s 1s" is 2s).
// - The scanner is linear in the input, and no bigint is built from more than 19 integer or
//   18 fractional digits, so 100,000 characters of anything are answered quickly.

import { UsageError } from '../errors.js';
import { quote } from './quote.js';

// The kernel holds timers as signed 64-bit nanoseconds: about 292 years.
export const MAX_NS = 2n ** 63n - 1n;

const NS = 1n;
const US = 1_000n;
const MS = 1_000_000n;
const SEC = 1_000_000_000n;
const MIN = 60n * SEC;
const HOUR = 60n * MIN;
const DAY = 24n * HOUR;
const WEEK = 7n * DAY;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', NS], ['nsec', NS], ['nsecs', NS], ['nanosecond', NS], ['nanoseconds', NS],
  ['us', US], ['µs', US], ['μs', US], ['usec', US], ['usecs', US], ['µsec', US], ['μsec', US],
  ['microsecond', US], ['microseconds', US],
  ['ms', MS], ['msec', MS], ['msecs', MS], ['millisecond', MS], ['milliseconds', MS],
  ['s', SEC], ['sec', SEC], ['secs', SEC], ['second', SEC], ['seconds', SEC],
  ['m', MIN], ['min', MIN], ['mins', MIN], ['minute', MIN], ['minutes', MIN],
  ['h', HOUR], ['hr', HOUR], ['hrs', HOUR], ['hour', HOUR], ['hours', HOUR],
  ['d', DAY], ['day', DAY], ['days', DAY],
  ['w', WEEK], ['week', WEEK], ['weeks', WEEK],
]);

// Calendar units systemd knows; refused by name so the message can say why.
const UNFIXED: ReadonlySet<string> = new Set([
  'M', 'mo', 'mon', 'month', 'months', 'y', 'Y', 'yr', 'yrs', 'year', 'years',
]);

const TOO_LARGE = 'duration too large (max about 292 years)';
const UNFIXED_MSG = 'months and years have no fixed length';

/**
 * Reads a duration exactly into nanoseconds: a bare number of seconds (`'90'`, `'.5'`), numbers
 * with units ns us µs ms s m h d w or systemd's long forms, compound (`'1h30m'`, `'1h 30min'`), or
 * ISO 8601 (`'PT1M30S'`). Months, years, negative values and anything past about 292 years are
 * refused with a UsageError that quotes the bad part.
 */
export function parseDuration(text: string): bigint {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) throw new UsageError(`empty duration: ${quote(text)}`);
  const first = text[start];
  if (first === '-') throw new UsageError(`negative durations are not allowed: ${quote(text)}`);
  if (first === 'P' || first === 'p') return parseIso(text, start, end);
  return parseUnits(text, start, end);
}

/** Writes nanoseconds compactly and exactly (`'1h30m'`, `'250ms'`, `'0s'`); `parseDuration` reads it back. */
export function formatDuration(ns: bigint): string {
  if (ns < 0n || ns > MAX_NS) throw new RangeError(`duration out of range: ${ns}ns`);
  if (ns === 0n) return '0s';
  let out = '';
  let rest = ns;
  for (const [size, unit] of FORMAT_PARTS) {
    const count = rest / size;
    if (count !== 0n) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

const FORMAT_PARTS: ReadonlyArray<readonly [bigint, string]> = [
  [WEEK, 'w'], [DAY, 'd'], [HOUR, 'h'], [MIN, 'm'], [SEC, 's'], [MS, 'ms'], [US, 'us'], [NS, 'ns'],
];

interface NumberSpan {
  intStart: number;
  intEnd: number;
  fracStart: number;
  fracEnd: number;
  next: number;
}

// systemd-style: components "<number> [spaces] <unit>" separated by optional spaces.
function parseUnits(text: string, start: number, end: number): bigint {
  let total = 0n;
  let i = start;
  let components = 0;
  while (i < end) {
    const num = scanNumber(text, i, end, false);
    if (!num) throw new UsageError(unexpectedAt(text, i, end));
    let j = num.next;
    while (j < end && isSpace(text.charCodeAt(j))) j++;
    const unitStart = j;
    while (j < end && isUnitChar(text.charCodeAt(j))) j++;
    const numberText = text.slice(i, num.next);
    if (unitStart === j) {
      // A "." right after a number is a second one ("1..5s", "1.5.5s"): scanNumber took the first.
      if (j < end && (!isNumberStart(text.charCodeAt(j)) || j === num.next)) {
        throw new UsageError(`unexpected ${quote(charAt(text, j))} in ${quote(text)}`);
      }
      if (components === 0 && j === end) return componentNs(text, num, SEC, numberText);
      throw new UsageError(`missing unit after ${quote(numberText)} in ${quote(text)}`);
    }
    const unit = text.slice(unitStart, j);
    total += componentNs(text, num, unitValue(text, unit), text.slice(i, j));
    if (total > MAX_NS) throw new UsageError(`${TOO_LARGE}: ${quote(text)}`);
    components++;
    while (j < end && isSpace(text.charCodeAt(j))) j++;
    i = j;
  }
  return total;
}

function unitValue(text: string, unit: string): bigint {
  const size = UNITS.get(unit);
  if (size !== undefined) return size;
  if (UNFIXED.has(unit)) throw new UsageError(`${UNFIXED_MSG}: ${quote(unit)} in ${quote(text)}`);
  const hint = UNITS.has(unit.toLowerCase()) ? ' (units are lowercase)' : '';
  throw new UsageError(`unknown unit ${quote(unit)} in ${quote(text)}${hint}`);
}

// ISO 8601: P[nW][nD][T[nH][nM][nS]]; any component may carry a fraction ("." or ",").
interface IsoDesignator {
  rank: number;
  size: bigint;
}
const ISO_DATE: ReadonlyMap<string, IsoDesignator> = new Map([
  ['W', { rank: 2, size: WEEK }],
  ['D', { rank: 3, size: DAY }],
]);
const ISO_TIME: ReadonlyMap<string, IsoDesignator> = new Map([
  ['H', { rank: 4, size: HOUR }],
  ['M', { rank: 5, size: MIN }],
  ['S', { rank: 6, size: SEC }],
]);

function parseIso(text: string, start: number, end: number): bigint {
  let total = 0n;
  let i = start + 1;
  let inTime = false;
  let lastRank = -1;
  let components = 0;
  let timeComponents = 0;
  while (i < end) {
    const c = text[i];
    if ((c === 'T' || c === 't') && !inTime) {
      inTime = true;
      i++;
      continue;
    }
    const num = scanNumber(text, i, end, true);
    if (!num) throw new UsageError(unexpectedAt(text, i, end));
    const numberText = text.slice(i, num.next);
    if (num.next === end) {
      throw new UsageError(`missing designator after ${quote(numberText)} in ${quote(text)}`);
    }
    const designator = (text[num.next] ?? '').toUpperCase();
    const part = text.slice(i, num.next + 1);
    const spec = (inTime ? ISO_TIME : ISO_DATE).get(designator);
    if (!spec) {
      if (!inTime && (designator === 'Y' || designator === 'M')) {
        throw new UsageError(`${UNFIXED_MSG}: ${quote(part)} in ${quote(text)}`);
      }
      if (!inTime && ISO_TIME.has(designator)) {
        throw new UsageError(`${quote(part)} must come after "T" in ${quote(text)}`);
      }
      if (inTime && ISO_DATE.has(designator)) {
        throw new UsageError(`${quote(part)} must come before "T" in ${quote(text)}`);
      }
      throw new UsageError(`unexpected ${quote(charAt(text, num.next))} in ${quote(text)}`);
    }
    if (spec.rank <= lastRank) {
      throw new UsageError(`${quote(part)} is repeated or out of order in ${quote(text)}`);
    }
    lastRank = spec.rank;
    total += componentNs(text, num, spec.size, part);
    if (total > MAX_NS) throw new UsageError(`${TOO_LARGE}: ${quote(text)}`);
    components++;
    if (inTime) timeComponents++;
    i = num.next + 1;
  }
  if (inTime && timeComponents === 0) throw new UsageError(`nothing after "T" in ${quote(text)}`);
  if (components === 0) throw new UsageError(`empty ISO 8601 duration: ${quote(text)}`);
  return total;
}

// Digits, optionally "." (or "," in ISO) and more digits; at least one digit. Undefined if none.
function scanNumber(text: string, i: number, end: number, comma: boolean): NumberSpan | undefined {
  const intStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  const c = text[i];
  if (i < end && (c === '.' || (comma && c === ','))) {
    i++;
    fracStart = i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return undefined;
  return { intStart, intEnd, fracStart, fracEnd, next: i };
}

// number × unit, exactly; `part` is the text quoted in errors.
function componentNs(text: string, num: NumberSpan, size: bigint, part: string): bigint {
  let s = num.intStart;
  while (s < num.intEnd && text.charCodeAt(s) === 48) s++;
  // MAX_NS has 19 digits and every unit is at least 1ns: more significant digits cannot fit.
  if (num.intEnd - s > 19) throw new UsageError(`${TOO_LARGE}: ${quote(text)}`);
  let fe = num.fracEnd;
  while (fe > num.fracStart && text.charCodeAt(fe - 1) === 48) fe--;
  const fracDigits = fe - num.fracStart;
  // The largest unit (a week) is 2^16·5^11·189 ns, so a fraction of more than 16 significant
  // digits can never be a whole number of nanoseconds.
  if (fracDigits > 18) throw new UsageError(`finer than a nanosecond: ${quote(part)} in ${quote(text)}`);
  let value = s < num.intEnd ? BigInt(text.slice(s, num.intEnd)) * size : 0n;
  if (fracDigits > 0) {
    const scaled = BigInt(text.slice(num.fracStart, fe)) * size;
    const denominator = 10n ** BigInt(fracDigits);
    if (scaled % denominator !== 0n) {
      throw new UsageError(`finer than a nanosecond: ${quote(part)} in ${quote(text)}`);
    }
    value += scaled / denominator;
  }
  return value;
}

// Error text for a component that does not start with a number.
function unexpectedAt(text: string, i: number, end: number): string {
  const c = text.charCodeAt(i);
  if (isUnitChar(c)) {
    let j = i;
    while (j < end && isUnitChar(text.charCodeAt(j))) j++;
    return `missing number before ${quote(text.slice(i, j))} in ${quote(text)}`;
  }
  return `unexpected ${quote(charAt(text, i))} in ${quote(text)}`;
}

// One whole code point at i (a surrogate pair stays together).
function charAt(text: string, i: number): string {
  const cp = text.codePointAt(i) ?? 0;
  return String.fromCodePoint(cp);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNumberStart(c: number): boolean {
  return isDigit(c) || c === 46;
}

// ASCII letters plus µ (U+00B5) and μ (U+03BC).
function isUnitChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 0xb5 || c === 0x3bc;
}
