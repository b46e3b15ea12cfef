// systemd.time(7) calendar events as systemd 252 reads them (OnCalendar=, systemd-analyze
// calendar): text → CalendarSpec, normalized and checked the way calendarspec.c does it, so
// what systemd accepts is accepted and what it refuses is refused.

import { UsageError } from '../errors.js';
import { quote } from './quote.js';
import {
  Cursor,
  type Field,
  type RawChain,
  type RawElement,
  ULONG_MAX,
  asciiLower,
  checkChain,
  fixYear,
  normalizeChain,
  parseChain,
  publicChain,
} from './calendar-chain.js';
import { type CalendarSpec, MAX_YEAR, USEC } from './calendar-spec.js';
import { parseWeekdays } from './calendar-weekdays.js';
import { checkZone } from './zone.js';

export type { CalendarChain, CalendarComponent, CalendarSpec } from './calendar-spec.js';

// The shorthands: [months, day, weekdays, which of hour/minute/second are fixed at 0].
interface Shorthand {
  months?: number[];
  day?: number;
  weekdays?: number;
  zero: number;
}
const SHORTHANDS = new Map<string, Shorthand>(Object.entries({
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
  ('UTC UCT Universal Zulu GMT GMT0 GMT+0 GMT-0 Greenwich Etc/UTC Etc/UCT Etc/Universal Etc/Zulu ' +
    'Etc/GMT Etc/GMT0 Etc/GMT+0 Etc/GMT-0 Etc/Greenwich').split(' '),
);

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
  if (!endOfMonth && cur.char !== '-') throw cur.unexpected(name);
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
  const begin = cur.pos;
  const hour = parseChain(cur, 'hour');
  cur.mark = begin;
  if (cur.char !== ':') throw cur.unexpected('time');
  cur.pos++;
  const minute = parseChain(cur, 'minute');
  cur.mark = begin;
  if (cur.done) return { hour, minute, second: ZERO() };
  if (cur.char !== ':') throw cur.unexpected('time');
  cur.pos++;
  const second = parseChain(cur, 'second');
  cur.mark = begin;
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
  const list = (values: number[]): RawChain =>
    values.map((v) => ({ start: v, stop: -1, repeat: 0, text: String(v) }));
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
  if (split.body === '') {
    const detail =
      split.zone === undefined ? 'empty calendar expression' : `nothing before the time zone ${quote(split.zone)}`;
    throw new Cursor('', text).fail(detail);
  }
  try {
    return parseBody(split.body, split.zone, text);
  } catch (error) {
    // "daily Mars/Base": the words before the last are fine, so the zone is what is wrong
    const space = text.lastIndexOf(' ');
    const word = text.slice(space + 1);
    const zoneLike = word.includes('/') || /^[A-Z][A-Z0-9+-]*$/.test(word);
    if (split.zone !== undefined || space <= 0 || !zoneLike || !(error instanceof UsageError)) throw error;
    try {
      parseBody(text.slice(0, space), undefined, text);
    } catch {
      throw error;
    }
    throw new Cursor('', text).fail(`unknown time zone ${quote(word)} (zone names are case-sensitive)`);
  }
}

// The expression without its zone: a shorthand, or [weekdays] [date] [time], or @EPOCH.
function parseBody(body: string, givenZone: string | undefined, text: string): CalendarSpec {
  let zone = givenZone;
  const cur = new Cursor(body, text);
  let chains: Record<Field, RawChain>;
  let weekdays: number;
  let endOfMonth = false;
  const shorthand = shorthandChains(asciiLower(body));
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
