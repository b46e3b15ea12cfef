// Cron expressions read with cronie's rules (crontab(5), cronie src/entry.c), plus the L, W and #
// day extensions and an optional leading seconds field. Pure: text in, a CronSpec out.
import { UsageError } from '../errors.js';
import { quote } from './quote.js';
import { type CronDays, someDaySelected } from './cron-days.js';

export type CronFieldName = 'second' | 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

export interface CronSpec {
  /** The expression as given, trimmed. */
  readonly source: string;
  /** cronie's DST class: true unless the minute or the hour field starts with `*` (seconds never count). */
  readonly fixedTime: boolean;
  /** Six fields were given (seconds first); five-field expressions fire at second 0. */
  readonly hasSeconds: boolean;
  /** The nickname given (`@daily`), without the `@`, else undefined. */
  readonly nickname: string | undefined;
  readonly second: readonly number[];
  readonly minute: readonly number[];
  readonly hour: readonly number[];
  /** Months 1-12, ascending. */
  readonly month: readonly number[];
  readonly days: CronDays;
  /** Which fields started with `*` (or `?` in the day fields): cronie's MIN_STAR, HR_STAR, DOM_STAR, DOW_STAR. */
  readonly star: Readonly<Record<CronFieldName, boolean>>;
  /** The fields' text as given (nickname expanded), in order second..day-of-week; second is '0' for 5 fields. */
  readonly fieldText: readonly string[];
  /** Some date can match at all (false for `0 0 30 2 *`: such a job never fires). */
  readonly possible: boolean;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldDef {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldDef[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES },
];

/** The nicknames crontab(5) lists, as the five fields they stand for. */
export const CRON_NICKNAMES: Readonly<Record<string, string>> = {
  yearly: '0 0 1 1 *',
  annually: '0 0 1 1 *',
  monthly: '0 0 1 * *',
  weekly: '0 0 * * 0',
  daily: '0 0 * * *',
  midnight: '0 0 * * *',
  hourly: '0 * * * *',
};

// A one-line usage error naming the field and quoting the bad part.
function fieldError(field: CronFieldName, part: string, why: string): UsageError {
  return new UsageError(`invalid cron ${field} ${quote(part)}: ${why}`);
}

// One number or (month, day-of-week) three-letter name, range-checked.
function readValue(def: FieldDef, token: string, item: string): number {
  let value: number;
  if (token === '') throw fieldError(def.name, item, 'a number is missing');
  if (/^\d+$/.test(token)) value = Number(token);
  else {
    const index = def.names?.indexOf(token.toLowerCase()) ?? -1;
    if (index < 0) {
      const kind = def.names ? `a number or a three-letter ${def.name === 'month' ? 'month' : 'day'} name` : 'a number';
      throw fieldError(def.name, item, `${quote(token)} is not ${kind}`);
    }
    value = index + def.min;
  }
  if (value < def.min || value > def.max) {
    throw fieldError(def.name, item, `${token} is out of range ${def.min}-${def.max}`);
  }
  return value;
}

// The `/N` of an item: a positive whole number.
function readStep(def: FieldDef, step: string | undefined, item: string): number {
  if (step === undefined) return 1;
  if (!/^\d+$/.test(step) || Number(step) === 0) {
    throw fieldError(def.name, item, `step ${quote(step)} is not a whole number of at least 1`);
  }
  return Number(step);
}

// `*`, `A`, `A-B`, each with an optional `/N`: the values it selects (day-of-week ranges wrap).
function readRange(def: FieldDef, item: string, into: Set<number>): void {
  const slash = item.indexOf('/');
  const body = slash < 0 ? item : item.slice(0, slash);
  const step = readStep(def, slash < 0 ? undefined : item.slice(slash + 1), item);
  let low: number;
  let high: number;
  if (body === '*' || (body === '?' && def.name.startsWith('day'))) {
    [low, high] = [def.min, def.max];
  } else {
    const dash = body.indexOf('-', 1);
    if (dash < 0 && slash >= 0) {
      readValue(def, body, item);
      throw fieldError(def.name, item, `a step needs a range or "*" before it (cronie has no "A/N"; write ${quote(`${body}-${def.max}/${step}`)})`);
    }
    low = readValue(def, dash < 0 ? body : body.slice(0, dash), item);
    high = dash < 0 ? low : readValue(def, body.slice(dash + 1), item);
  }
  if (def.name === 'day-of-week') {
    if (low > high) high += 7; // FRI-SUN, FRI-MON: through the end of the week (7 is Sunday too)
    for (let v = low; v <= high; v += step) into.add(v % 7);
    return;
  }
  if (low > high) {
    throw fieldError(def.name, item, `range runs backwards; write two ranges, e.g. ${quote(`${low}-${def.max},${def.min}-${high}`)}`);
  }
  for (let v = low; v <= high; v += step) into.add(v);
}

interface DayExtras {
  lastDay: boolean;
  lastWeekday: boolean;
  nearestWeekday: number[];
  lastOfMonth: number[];
  nth: (readonly [number, number])[];
}

// The L / LW / nW (day-of-month) and nL / n#k (day-of-week) items; false for an ordinary item.
function readDayExtra(def: FieldDef, item: string, extras: DayExtras): boolean {
  const upper = item.toUpperCase();
  if (def.name === 'day-of-month') {
    if (upper === 'L') return (extras.lastDay = true);
    if (upper === 'LW') return (extras.lastWeekday = true);
    if (upper.endsWith('W')) {
      extras.nearestWeekday.push(readValue(def, item.slice(0, -1), item));
      return true;
    }
    return false;
  }
  if (def.name !== 'day-of-week') return false;
  if (upper === 'L') throw fieldError(def.name, item, 'write the weekday before L, e.g. "5L" for the last Friday');
  const hash = item.indexOf('#');
  if (hash >= 0) {
    const n = item.slice(hash + 1);
    if (!/^[1-5]$/.test(n)) throw fieldError(def.name, item, `${quote(n)} after # is not 1-5`);
    extras.nth.push([readValue(def, item.slice(0, hash), item) % 7, Number(n)]);
    return true;
  }
  if (upper.endsWith('L') && item.length > 1) {
    extras.lastOfMonth.push(readValue(def, item.slice(0, -1), item) % 7);
    return true;
  }
  return false;
}

// One field: a comma list of items, each checked; the selected values ascending.
function readField(def: FieldDef, text: string, extras: DayExtras): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw fieldError(def.name, text, 'empty item in the list');
    if (item.includes('~')) throw fieldError(def.name, item, 'random ranges ("~") are not supported');
    if (item === '?' && !def.name.startsWith('day')) throw fieldError(def.name, item, '"?" is allowed only in the day fields');
    if (!readDayExtra(def, item, extras)) readRange(def, item, values);
  }
  return [...values].sort((a, b) => a - b);
}

// cronie's *_STAR flags: the field's first character is `*` (`?`, its day-field synonym, counts too).
function startsWithStar(def: FieldDef, text: string): boolean {
  return text.startsWith('*') || (def.name.startsWith('day') && text.startsWith('?'));
}

// The five or six whitespace-separated fields of an expression (a nickname expanded).
function splitFields(text: string): { fields: string[]; nickname: string | undefined } {
  if (text === '') throw new UsageError('empty cron expression');
  if (text.startsWith('@')) {
    const [word = '', ...rest] = text.split(/[ \t]+/);
    const name = word.slice(1).toLowerCase();
    if (name === 'reboot') {
      throw new UsageError('cron @reboot is not supported: timerstack is not started at boot (start the command from your boot scripts or a systemd unit)');
    }
    const fields = CRON_NICKNAMES[name];
    if (fields === undefined) {
      throw new UsageError(`unknown cron nickname ${quote(word)}: expected one of ${Object.keys(CRON_NICKNAMES).map((n) => `@${n}`).join(' ')}`);
    }
    if (rest.length > 0) throw new UsageError(`cron nickname ${quote(word)} takes no fields after it, got ${quote(rest.join(' '))}`);
    return { fields: fields.split(' '), nickname: name };
  }
  const fields = text.split(/[ \t]+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new UsageError(
      `cron expression ${quote(text)} has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)`,
    );
  }
  return { fields, nickname: undefined };
}

// Parse a cron expression (5 fields, 6 with seconds first, or an @nickname); UsageError when malformed.
export function parseCron(text: string): CronSpec {
  const source = text.trim();
  const split = splitFields(source);
  const fieldText = split.fields.length === 5 ? ['0', ...split.fields] : split.fields;
  const extras: DayExtras = { lastDay: false, lastWeekday: false, nearestWeekday: [], lastOfMonth: [], nth: [] };
  const sets = FIELDS.map((def, i) => readField(def, fieldText[i] ?? '', extras));
  const star = Object.fromEntries(
    FIELDS.map((def, i) => [def.name, startsWithStar(def, fieldText[i] ?? '')]),
  ) as Record<CronFieldName, boolean>;
  const [second = [], minute = [], hour = [], dom = [], month = [], dow = []] = sets;
  const days: CronDays = {
    domStar: star['day-of-month'],
    dowStar: star['day-of-week'],
    dom,
    lastDay: extras.lastDay,
    lastWeekday: extras.lastWeekday,
    nearestWeekday: [...new Set(extras.nearestWeekday)].sort((a, b) => a - b),
    dow,
    lastOfMonth: [...new Set(extras.lastOfMonth)].sort((a, b) => a - b),
    nth: extras.nth,
  };
  return {
    source,
    fixedTime: !star.minute && !star.hour,
    hasSeconds: split.fields.length === 6,
    nickname: split.nickname,
    second,
    minute,
    hour,
    month,
    days,
    star,
    fieldText,
    possible: someDaySelected(days, month),
  };
}
