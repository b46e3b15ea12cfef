// systemd.time(7) calendar events as systemd 252 reads them (OnCalendar=, systemd-analyze
// calendar): text → CalendarSpec, normalized and checked the way calendarspec.c does it, so
// what systemd accepts is accepted and what it refuses is refused.

import { UsageError } from '../errors.js';
import { quote } from '../spec/duration.js';
import { checkZone } from './zone.js';

// One element of a list: a value, a range start..stop, a repetition start/repeat or both.
export interface CalendarComponent {
  readonly start: number;
  readonly stop: number | undefined; // inclusive end of a range
  readonly repeat: number; // 0: no repetition
}

// undefined = '*' (any value); otherwise a sorted list without duplicates.
export type CalendarChain = readonly CalendarComponent[] | undefined;

export interface CalendarSpec {
  readonly source: string;
  // 'UTC' for a " UTC" suffix and for @EPOCH; otherwise the zone as written; undefined: the
  // caller's zone
  readonly zone: string | undefined;
  readonly weekdays: number | undefined; // bit 0 = Monday … bit 6 = Sunday; undefined: any day
  readonly endOfMonth: boolean; // '~': days count back from the month's last day (~01 = last)
  readonly year: CalendarChain;
  readonly month: CalendarChain;
  readonly day: CalendarChain;
  readonly hour: CalendarChain;
  readonly minute: CalendarChain;
  readonly second: CalendarChain; // in microseconds: 0 .. 59_999_999
}

export const USEC = 1_000_000;
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199; // systemd's limit: nothing elapses after 2199
const INT_MAX = 2_147_483_647;
const MAX_ELEMENTS = 241; // systemd's CALENDARSPEC_COMPONENTS_MAX (240) + 1
const ULONG_MAX = 2n ** 64n - 1n;

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';
interface RawElement {
  start: number;
  stop: number; // -1: none
  repeat: number;
  readonly text: string;
}
type RawChain = RawElement[] | undefined;

const WEEKDAY_NAMES: readonly [string, number][] = [
  ['monday', 0], ['mon', 0], ['tuesday', 1], ['tue', 1], ['wednesday', 2], ['wed', 2],
  ['thursday', 3], ['thu', 3], ['friday', 4], ['fri', 4], ['saturday', 5], ['sat', 5],
  ['sunday', 6], ['sun', 6],
];

// The shorthands: [months, day, weekdays, which of hour/minute/second are fixed at 0].
const SHORTHANDS = new Map<string, { months?: number[]; day?: number; weekdays?: number; zero: number }>(Object.entries({
  minutely: { zero: 1 },
  hourly: { zero: 2 },
  daily: { zero: 3 },
  monthly: { day: 1, zero: 3 },
  weekly: { weekdays: 1, zero: 3 },
  yearly: { months: [1], day: 1, zero: 3 },
  annually: { months: [1], day: 1, zero: 3 },
  anually: { months: [1], day: 1, zero: 3 },
  quarterly: { months: [1, 4, 7, 10], day: 1, zero: 3 },
  semiannually: { months: [1, 7], day: 1, zero: 3 },
  'semi-annually': { months: [1, 7], day: 1, zero: 3 },
  biannually: { months: [1, 7], day: 1, zero: 3 },
  'bi-annually': { months: [1, 7], day: 1, zero: 3 },
}));

// The spellings of UTC the tz database has as files (systemd checks the file exists).
const UTC_NAMES = new Set(
  'UTC UCT Universal Zulu GMT GMT0 GMT+0 GMT-0 Greenwich Etc/UTC Etc/UCT Etc/Universal Etc/Zulu Etc/GMT Etc/GMT0 Etc/GMT+0 Etc/GMT-0 Etc/Greenwich'.split(' '),
);

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly source: string,
  ) {}
  get char(): string {
    return this.text[this.pos] ?? '';
  }
  at(offset: number): string {
    return this.text[this.pos + offset] ?? '';
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  skipSpaces(): void {
    while (this.char === ' ') this.pos++;
  }
  fail(detail: string): UsageError {
    return new UsageError(`calendar expression ${quote(this.source)}: ${detail}`);
  }
  // An error quoting what is left of the text from `from` (or the end) in a named part.
  unexpected(part: string, from = this.pos): UsageError {
    const rest = this.text.slice(from);
    return this.fail(rest === '' ? `${part} is missing or cut short` : `unexpected ${quote(rest)} in the ${part}`);
  }
}

// Whether systemd 252 would take the last word as a time zone (a tz file it can open).
function isZoneWord(word: string): boolean {
  let canonical: string;
  try {
    canonical = checkZone(word);
  } catch {
    return false;
  }
  if (canonical === 'UTC') return UTC_NAMES.has(word);
  // tz file names are case-sensitive: a primary name in another case is not a file, and every
  // path segment of a tz name starts with a capital letter
  if (canonical !== word && canonical.toLowerCase() === word.toLowerCase()) return false;
  return word.split('/').every((segment) => /^[A-Z]/.test(segment));
}

// Weekday names, lists and ranges at the cursor: a bit set, 0 when none is given.
function parseWeekdays(cur: Cursor): number {
  let bits = 0;
  let rangeFrom = -1;
  let first = true;
  for (;;) {
    const wordStart = cur.pos;
    const lower = asciiLower(cur.text.slice(cur.pos, cur.pos + 9));
    const hit = WEEKDAY_NAMES.find(([name]) => lower.startsWith(name));
    if (hit === undefined) {
      if (first) return 0;
      throw cur.unexpected('weekdays');
    }
    const [name, nr] = hit;
    if (!['', '-', '.', ',', ' '].includes(cur.at(name.length))) {
      const word = /^[^\s,.-]*/.exec(cur.text.slice(wordStart))?.[0] ?? '';
      throw cur.fail(`weekday ${quote(word)} is not a weekday name`);
    }
    bits |= 1 << nr;
    if (rangeFrom >= 0) {
      if (rangeFrom > nr) throw cur.fail(`weekday range ending in ${quote(cur.text.slice(wordStart, wordStart + name.length))} runs backwards (ranges go Mon..Sun)`);
      for (let j = rangeFrom + 1; j < nr; j++) bits |= 1 << j;
    }
    cur.pos += name.length;
    if (cur.done) return bits;
    if (cur.char === ' ') {
      cur.skipSpaces();
      return bits;
    }
    const sep = cur.pos;
    if (cur.char === '.') {
      if (rangeFrom >= 0 || cur.at(1) !== '.') throw cur.unexpected('weekdays', sep);
      rangeFrom = nr;
      cur.pos += 2;
    } else if (cur.char === '-') {
      if (rangeFrom >= 0) throw cur.unexpected('weekdays', sep);
      rangeFrom = nr;
      cur.pos += 1;
    } else {
      rangeFrom = -1;
      cur.pos += 1;
    }
    if (cur.done || cur.char === ' ') {
      if (rangeFrom >= 0) throw cur.fail(`weekday range ${quote(cur.text.slice(wordStart, cur.pos))} has no end`);
      cur.skipSpaces();
      return bits;
    }
    first = false;
  }
}

// A decimal at the cursor (seconds: with up to 6 fraction digits, rounded on the 7th, in µs).
function parseDecimal(cur: Cursor, usec: boolean, field: Field, elementStart: number): number {
  const digits = /^[0-9]+/.exec(cur.text.slice(cur.pos))?.[0];
  if (digits === undefined) throw cur.unexpected(field);
  cur.pos += digits.length;
  const tooLarge = (): UsageError =>
    cur.fail(`${field} ${quote(cur.text.slice(elementStart, cur.pos))} is too large`);
  let value = BigInt(digits);
  if (value > ULONG_MAX) throw tooLarge();
  if (usec) {
    value *= BigInt(USEC);
    if (value > ULONG_MAX) throw tooLarge();
    if (cur.char === '.' && cur.at(1) !== '.') {
      cur.pos++;
      const fraction = /^[0-9]*/.exec(cur.text.slice(cur.pos))?.[0] ?? '';
      if (fraction === '') throw cur.unexpected(field, cur.pos - 1);
      let micros = Number(fraction.slice(0, 6).padEnd(6, '0'));
      if (fraction.length > 6 && fraction[6]! >= '5') micros++;
      cur.pos += fraction.length;
      value += BigInt(micros);
    }
  }
  if (value > BigInt(INT_MAX)) throw tooLarge();
  return Number(value);
}

// A comma-separated list of values, ranges (a..b) and repetitions (a/r, a..b/r), or '*'.
function parseChain(cur: Cursor, field: Field): RawChain {
  const usec = field === 'second';
  if (cur.char === '*') {
    cur.pos++;
    return usec ? [{ start: 0, stop: -1, repeat: USEC, text: '*' }] : undefined;
  }
  const chain: RawElement[] = [];
  for (;;) {
    if (chain.length >= MAX_ELEMENTS) throw cur.fail(`${field} has more than ${MAX_ELEMENTS} values`);
    const from = cur.pos;
    const start = parseDecimal(cur, usec, field, from);
    let stop = -1;
    let repeat = 0;
    if (cur.char === '.' && cur.at(1) === '.') {
      cur.pos += 2;
      stop = parseDecimal(cur, usec, field, from);
      repeat = usec ? USEC : 1;
    }
    if (cur.char === '/') {
      cur.pos++;
      repeat = parseDecimal(cur, usec, field, from);
      if (repeat === 0) throw cur.fail(`${field} ${quote(cur.text.slice(from, cur.pos))} repeats every 0`);
    } else if (usec && stop >= 0 && start + repeat > stop) {
      throw cur.fail(`second range ${quote(cur.text.slice(from, cur.pos))} is shorter than its 1 s step`);
    }
    if (!['', ' ', ',', '-', '~', ':'].includes(cur.char)) throw cur.unexpected(field);
    chain.push({ start, stop, repeat, text: cur.text.slice(from, cur.pos) });
    if (cur.char !== ',') return chain;
    cur.pos++;
  }
}

// What the first list at the cursor will turn out to be, to name it in errors.
function firstField(cur: Cursor): Field {
  const word = /^[^ ]*/.exec(cur.text.slice(cur.pos))?.[0] ?? '';
  const head = /^[0-9*.,/]*(.?)/.exec(word)?.[1] ?? '';
  if (head === '' || head === ':') return 'hour';
  return (word.match(/[-~]/g) ?? []).length >= 2 ? 'year' : 'month';
}

interface DatePart {
  year?: RawChain;
  month?: RawChain;
  day?: RawChain;
  endOfMonth: boolean;
  epoch?: number;
}

// @EPOCH: seconds since the epoch, read as C's strtoul reads them.
function parseEpoch(cur: Cursor): number {
  const m = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)/.exec(cur.text.slice(cur.pos));
  if (m === null) throw cur.unexpected('timestamp');
  cur.pos += m[0].length;
  let value = BigInt(m[2]!);
  if (value > ULONG_MAX) throw cur.fail(`timestamp ${quote(m[0])} is too large`);
  if (m[1] === '-' && value !== 0n) value = 2n ** 64n - value; // as unsigned, then as time_t: negative
  const limit = BigInt(Date.UTC(MAX_YEAR + 1, 0, 1) / 1000);
  if (value >= limit) throw cur.fail(`timestamp ${quote('@' + m[0])} is not between 1970 and ${MAX_YEAR}`);
  return Number(value);
}

// The date part: [[year-]month-]day with '~' before the day, @EPOCH, or nothing (a time).
function parseDate(cur: Cursor): DatePart {
  if (cur.done) return { endOfMonth: false };
  if (cur.char === '@') {
    cur.pos++;
    return { endOfMonth: false, epoch: parseEpoch(cur) };
  }
  const begin = cur.pos;
  if (cur.char !== '*' && !/[0-9]/.test(cur.char)) {
    const expected = begin === 0 ? 'a weekday, date, time or shorthand such as daily' : 'a date or time';
    throw cur.fail(`unexpected ${quote(cur.text.slice(begin))}: expected ${expected}`);
  }
  const name = firstField(cur);
  const first = parseChain(cur, name === 'hour' ? 'hour' : name);
  if (cur.done || cur.char === ':') {
    cur.pos = begin;
    return { endOfMonth: false };
  }
  let endOfMonth = cur.char === '~';
  if (!endOfMonth && cur.char !== '-') throw cur.unexpected('date');
  cur.pos++;
  const second = parseChain(cur, name === 'year' ? 'month' : 'day');
  if (cur.done || cur.char === ' ') {
    cur.skipSpaces();
    return { month: first, day: second, endOfMonth };
  }
  if (endOfMonth) throw cur.unexpected('date');
  endOfMonth = cur.char === '~';
  if (!endOfMonth && cur.char !== '-') throw cur.unexpected('date');
  cur.pos++;
  const third = parseChain(cur, 'day');
  if (!cur.done && cur.char !== ' ') throw cur.unexpected('day');
  cur.skipSpaces();
  return { year: first, month: second, day: third, endOfMonth };
}

const ZERO = (): RawElement[] => [{ start: 0, stop: -1, repeat: 0, text: '0' }];

// The time part hour:minute[:second]; nothing means 00:00:00.
function parseTime(cur: Cursor): { hour: RawChain; minute: RawChain; second: RawChain } {
  if (cur.done) return { hour: ZERO(), minute: ZERO(), second: ZERO() };
  const hour = parseChain(cur, 'hour');
  if (cur.char !== ':') throw cur.unexpected('time');
  cur.pos++;
  const minute = parseChain(cur, 'minute');
  if (cur.done) return { hour, minute, second: ZERO() };
  if (cur.char !== ':') throw cur.unexpected('time');
  cur.pos++;
  const second = parseChain(cur, 'second');
  if (!cur.done) throw cur.unexpected('time');
  return { hour, minute, second };
}

// The fields of an instant given as @EPOCH (always UTC).
function epochChains(epoch: number): Record<Field, RawChain> {
  const d = new Date(epoch * 1000);
  const one = (value: number): RawChain => [{ start: value, stop: -1, repeat: 0, text: String(value) }];
  return {
    year: one(d.getUTCFullYear()),
    month: one(d.getUTCMonth() + 1),
    day: one(d.getUTCDate()),
    hour: one(d.getUTCHours()),
    minute: one(d.getUTCMinutes()),
    second: one(d.getUTCSeconds() * USEC),
  };
}

// A shorthand such as "daily" as raw chains.
function shorthandChains(name: string): { chains: Record<Field, RawChain>; weekdays: number } | undefined {
  const s = SHORTHANDS.get(name);
  if (s === undefined) return undefined;
  const list = (values: number[]): RawChain => values.map((v) => ({ start: v, stop: -1, repeat: 0, text: String(v) }));
  return {
    weekdays: s.weekdays ?? 0,
    chains: {
      year: undefined,
      month: s.months && list(s.months),
      day: s.day === undefined ? undefined : list([s.day]),
      hour: s.zero >= 3 ? ZERO() : undefined,
      minute: s.zero >= 2 ? ZERO() : undefined,
      second: ZERO(),
    },
  };
}

// Two-digit years as systemd maps them: 0..69 → 2000..2069, 70..99 → 1970..1999.
function fixYear(value: number): number {
  if (value >= 0 && value < 70) return value + 2000;
  if (value >= 70 && value < 100) return value + 1900;
  return value;
}

// systemd's normalization: ranges cut to a whole number of steps, empty repeats dropped,
// sorted by (start, stop, repeat) and deduplicated.
function normalizeChain(chain: RawChain): RawChain {
  if (chain === undefined) return undefined;
  for (const e of chain) {
    if (e.stop > e.start && e.repeat > 0) e.stop -= (e.stop - e.start) % e.repeat;
    if (e.start === e.stop) {
      e.repeat = 0;
      e.stop = -1;
    }
  }
  const sorted = [...chain].sort((a, b) => a.start - b.start || a.stop - b.stop || a.repeat - b.repeat);
  return sorted.filter((e, i) => {
    const p = sorted[i - 1];
    return p === undefined || p.start !== e.start || p.stop !== e.stop || p.repeat !== e.repeat;
  });
}

const RANGES: Record<Field, [number, number]> = {
  year: [MIN_YEAR, MAX_YEAR],
  month: [1, 12],
  day: [1, 31],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 60 * USEC - 1],
};

// systemd's validity rules for one list; throws naming the field and quoting the element.
function checkChain(cur: Cursor, field: Field, chain: RawChain, endOfMonth: boolean): void {
  if (chain === undefined) return;
  const [from, full] = RANGES[field];
  const to = endOfMonth ? full - 3 : full;
  const show = (v: number): string => (field === 'second' ? String(v / USEC) : String(v));
  for (const e of chain) {
    const what = `${field} ${quote((endOfMonth ? '~' : '') + e.text)}`;
    if (e.start < from || e.start > to || (e.stop >= 0 && (e.stop < from || e.stop > to))) {
      const range = endOfMonth ? `~${from}..~${to} (days from the end of the month)` : `${show(from)}..${field === 'second' ? '59.999999' : show(to)}`;
      throw cur.fail(`${what} is out of range ${range}`);
    }
    if (e.repeat > to - from) throw cur.fail(`${what} repeats more rarely than the ${field} range allows`);
    if (e.stop >= 0 && e.start + e.repeat > e.stop) throw cur.fail(`${what} ends before it starts`);
    if (e.stop < 0 && endOfMonth && e.start - e.repeat < from) throw cur.fail(`${what} repeats past the last day of the month`);
    if (e.stop < 0 && !endOfMonth && e.start + e.repeat > to) throw cur.fail(`${what} cannot repeat within ${show(from)}..${show(to)}`);
  }
}

function publicChain(chain: RawChain): CalendarChain {
  return chain?.map((e) => ({ start: e.start, stop: e.stop < 0 ? undefined : e.stop, repeat: e.repeat }));
}

// Split off the time zone: a " UTC" suffix (any case) or a last word naming a tz zone.
function splitZone(text: string): { body: string; zone: string | undefined } {
  if (asciiLower(text.slice(-4)) === ' utc') return { body: text.slice(0, -4), zone: 'UTC' };
  const space = text.lastIndexOf(' ');
  if (space >= 0 && isZoneWord(text.slice(space + 1))) {
    return { body: text.slice(0, space), zone: text.slice(space + 1) };
  }
  return { body: text, zone: undefined };
}

// Parse a calendar expression; throws UsageError naming the part that is wrong.
export function parseCalendar(text: string): CalendarSpec {
  const split = splitZone(text);
  let zone = split.zone;
  const cur = new Cursor(split.body, text);
  if (split.body === '') throw cur.fail('empty calendar expression');
  let chains: Record<Field, RawChain>;
  let weekdays: number;
  let endOfMonth = false;
  const shorthand = shorthandChains(asciiLower(split.body));
  if (shorthand !== undefined) {
    ({ chains, weekdays } = shorthand);
  } else {
    weekdays = parseWeekdays(cur);
    const date = parseDate(cur);
    if (date.epoch !== undefined) {
      if (!cur.done) throw cur.unexpected('timestamp');
      chains = epochChains(date.epoch);
      zone = 'UTC';
    } else {
      const time = parseTime(cur);
      chains = { year: date.year, month: date.month, day: date.day, ...time };
      endOfMonth = date.endOfMonth;
    }
  }
  if (endOfMonth && chains.day === undefined) endOfMonth = false;
  chains.year?.forEach((e) => {
    e.start = fixYear(e.start);
    if (e.stop >= 0) e.stop = fixYear(e.stop);
  });
  const fields: Field[] = ['year', 'month', 'day', 'hour', 'minute', 'second'];
  for (const field of fields) {
    chains[field] = normalizeChain(chains[field]);
    checkChain(cur, field, chains[field], field === 'day' && endOfMonth);
  }
  return {
    source: text,
    zone,
    weekdays: weekdays <= 0 || weekdays >= 127 ? undefined : weekdays,
    endOfMonth,
    year: publicChain(chains.year),
    month: publicChain(chains.month),
    day: publicChain(chains.day),
    hour: publicChain(chains.hour),
    minute: publicChain(chains.minute),
    second: publicChain(chains.second),
  };
}
