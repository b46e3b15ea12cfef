// cron's day rule (proleptic Gregorian, no zones): which local dates a cron expression's
// day-of-month, month and day-of-week fields select.
import { civilFromDays, daysFromCivil } from './civil.js';

export interface CronDays {
  /** The day-of-month field starts with `*` (or `?`): the two day fields are ANDed (Vixie). */
  readonly domStar: boolean;
  /** The day-of-week field starts with `*` (or `?`). */
  readonly dowStar: boolean;
  /** Plain days of the month, 1-31, ascending. */
  readonly dom: readonly number[];
  /** `L`: the last day of the month. */
  readonly lastDay: boolean;
  /** `LW`: the last weekday (Monday-Friday) of the month. */
  readonly lastWeekday: boolean;
  /** `15W`: the weekday nearest the 15th, never leaving the month; a day the month lacks never fires. */
  readonly nearestWeekday: readonly number[];
  /** Plain days of the week, 0-6 (0 = Sunday), ascending. */
  readonly dow: readonly number[];
  /** `5L`: the last Friday of the month (weekday numbers). */
  readonly lastOfMonth: readonly number[];
  /** `1#2`: the second Monday of the month, as [weekday, n] with n 1-5. */
  readonly nth: readonly (readonly [weekday: number, n: number])[];
}

// Whether a Gregorian year has a 29 February.
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Length of a month (1-12) in a given year.
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}

// Day of the week of a day number, 0 = Sunday (1970-01-01 was a Thursday).
export function weekdayOf(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

// The weekday nearest to day n of a month (Quartz's `nW`), or undefined when the month is shorter.
function nearestWeekdayTo(n: number, length: number, weekdayOfFirst: number): number | undefined {
  if (n > length) return undefined;
  const wd = (weekdayOfFirst + n - 1) % 7;
  if (wd === 6) return n === 1 ? 3 : n - 1;
  if (wd === 0) return n === length ? n - 2 : n + 1;
  return n;
}

// The last Monday-Friday of a month.
function lastWeekdayOf(length: number, weekdayOfFirst: number): number {
  const wd = (weekdayOfFirst + length - 1) % 7;
  return wd === 6 ? length - 1 : wd === 0 ? length - 2 : length;
}

// Does the day-of-month field select this day?
function domSelects(rule: CronDays, day: number, length: number, weekdayOfFirst: number): boolean {
  if (rule.dom.includes(day)) return true;
  if (rule.lastDay && day === length) return true;
  if (rule.lastWeekday && day === lastWeekdayOf(length, weekdayOfFirst)) return true;
  return rule.nearestWeekday.some((n) => nearestWeekdayTo(n, length, weekdayOfFirst) === day);
}

// Does the day-of-week field select this day?
function dowSelects(rule: CronDays, day: number, length: number, weekday: number): boolean {
  if (rule.dow.includes(weekday)) return true;
  if (day + 7 > length && rule.lastOfMonth.includes(weekday)) return true;
  const n = Math.floor((day - 1) / 7) + 1;
  return rule.nth.some(([w, k]) => w === weekday && k === n);
}

// cron's day rule: both day fields restricted → either may match; either starting with `*` → both must.
export function daySelected(rule: CronDays, year: number, month: number, day: number, weekday: number): boolean {
  const length = daysInMonth(year, month);
  const weekdayOfFirst = (((weekday - (day - 1)) % 7) + 7) % 7;
  const dom = domSelects(rule, day, length, weekdayOfFirst);
  if (rule.domStar || rule.dowStar) return dom && dowSelects(rule, day, length, weekday);
  return dom || dowSelects(rule, day, length, weekday);
}

// The first selected day number at or after `from` in the given months, or undefined past `limit`.
export function nextSelectedDay(
  rule: CronDays,
  months: readonly number[],
  from: number,
  limit: number,
): number | undefined {
  let { year, month, day } = civilFromDays(from);
  let days = from;
  while (days <= limit) {
    const length = daysInMonth(year, month);
    if (months.includes(month)) {
      for (let weekday = weekdayOf(days); day <= length; day++, days++, weekday = (weekday + 1) % 7) {
        if (daySelected(rule, year, month, day, weekday)) return days <= limit ? days : undefined;
      }
    } else {
      days += length - day + 1;
    }
    day = 1;
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
  return undefined;
}

/** One full Gregorian cycle: dates and weekdays repeat every 400 years (146097 days). */
export const GREGORIAN_CYCLE_DAYS = 146097;

// Whether any date at all can be selected (`0 0 30 2 *` cannot): one 400-year cycle decides it.
export function someDaySelected(rule: CronDays, months: readonly number[]): boolean {
  const from = daysFromCivil(2000, 1, 1);
  return nextSelectedDay(rule, months, from, from + GREGORIAN_CYCLE_DAYS - 1) !== undefined;
}
