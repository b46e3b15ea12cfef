// The lists inside a calendar expression (values, ranges a..b, repetitions a/r, '*'): read,
// normalized and checked as systemd 252's calendarspec.c does.

import { UsageError } from '../errors.js';
import { quote } from './quote.js';
import { type CalendarChain, MAX_YEAR, MIN_YEAR, USEC } from './calendar-spec.js';

const INT_MAX = 2_147_483_647;
const MAX_ELEMENTS = 241; // systemd's CALENDARSPEC_COMPONENTS_MAX (240) + 1
export const ULONG_MAX = 2n ** 64n - 1n;

export type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';
export interface RawElement {
  start: number;
  stop: number; // -1: none
  repeat: number;
  readonly text: string;
}
export type RawChain = RawElement[] | undefined;

// ASCII-only lower case, as C's strcasecmp compares.
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

// A position in the text being parsed; `mark` is where the current part began.
export class Cursor {
  pos = 0;
  mark = 0;
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
  // The usage error for this expression, with a detail that names the part and quotes it.
  fail(detail: string): UsageError {
    return new UsageError(`calendar expression ${quote(this.source)}: ${detail}`);
  }
  // An error quoting what is left of the text from `from` (or the end) in a named part.
  unexpected(part: string, from = this.pos): UsageError {
    const rest = this.text.slice(from);
    if (rest !== '') return this.fail(`unexpected ${quote(rest)} in the ${part}`);
    const hint = part === 'time' ? ' (hour:minute[:second])' : '';
    return this.fail(`the ${part} ${quote(this.text.slice(this.mark))} is incomplete${hint}`);
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
export function parseChain(cur: Cursor, field: Field): RawChain {
  const usec = field === 'second';
  cur.mark = cur.pos;
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

// Two-digit years as systemd maps them: 0..69 → 2000..2069, 70..99 → 1970..1999.
export function fixYear(value: number): number {
  if (value >= 0 && value < 70) return value + 2000;
  if (value >= 70 && value < 100) return value + 1900;
  return value;
}

// systemd's normalization: ranges cut to a whole number of steps, empty repeats dropped,
// sorted by (start, stop, repeat) and deduplicated.
export function normalizeChain(chain: RawChain): RawChain {
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
export function checkChain(cur: Cursor, field: Field, chain: RawChain, endOfMonth: boolean): void {
  if (chain === undefined) return;
  const [from, full] = RANGES[field];
  const to = endOfMonth ? full - 3 : full;
  const show = (v: number): string => (field === 'second' ? String(v / USEC) : String(v));
  for (const e of chain) {
    const what = `${field} ${quote((endOfMonth ? '~' : '') + e.text)}`;
    if (e.start < from || e.start > to || (e.stop >= 0 && (e.stop < from || e.stop > to))) {
      const top = field === 'second' ? '59.999999' : show(to);
      const range = endOfMonth ? `~${from}..~${to} (days from the end of the month)` : `${show(from)}..${top}`;
      throw cur.fail(`${what} is out of range ${range}`);
    }
    if (e.repeat > to - from) throw cur.fail(`${what} repeats more rarely than the ${field} range allows`);
    if (e.stop >= 0 && e.start + e.repeat > e.stop) throw cur.fail(`${what} ends before it starts`);
    if (e.stop < 0 && endOfMonth && e.start - e.repeat < from) {
      throw cur.fail(`${what} repeats past the last day of the month`);
    }
    if (e.stop < 0 && !endOfMonth && e.start + e.repeat > to) {
      throw cur.fail(`${what} cannot repeat within ${show(from)}..${show(to)}`);
    }
  }
}

// A checked list as the spec carries it (no source text; no stop is undefined, not -1).
export function publicChain(chain: RawChain): CalendarChain {
  return chain?.map((e) => ({ start: e.start, stop: e.stop < 0 ? undefined : e.stop, repeat: e.repeat }));
}

