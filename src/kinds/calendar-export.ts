// The cron and calendar kinds' schedules written for the other schedulers: a cron expression as
// systemd OnCalendar= expressions, and either as the five fields of a Kubernetes CronJob (whose
// parser, robfig/cron, reads days as Vixie cron does, except that a stepped star like `*/2` counts
// as restricted). What has no exact form is refused with the reason. Pure.
import { UsageError } from '../errors.js';
import type { CalendarChain, CalendarSpec } from '../grammar/calendar-spec.js';
import type { CronSpec } from '../grammar/cron.js';
import { field } from './align-grid.js';

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// cron's L, LW, nW, nL and n#k.
function cronExtras(spec: CronSpec): string | undefined {
  const d = spec.days;
  if (d.lastDay) return 'L';
  if (d.lastWeekday) return 'LW';
  if (d.nearestWeekday.length > 0) return `${d.nearestWeekday[0]}W`;
  if (d.lastOfMonth.length > 0) return `${d.lastOfMonth[0]}L`;
  if (d.nth.length > 0) return `${d.nth[0]![0]}#${d.nth[0]![1]}`;
  return undefined;
}

// A cron expression as OnCalendar= expressions in `zone`. Vixie's rule that a day matches when
// either restricted day field does becomes two expressions (the timer elapses when either does).
export function cronOnCalendar(spec: CronSpec, zone: string): string[] {
  const extra = cronExtras(spec);
  if (extra !== undefined) throw new UsageError(`cron ${JSON.stringify(spec.source)}: ${extra} has no OnCalendar= form`);
  const d = spec.days;
  const time = `${field(spec.hour, 0, 23, true, false)}:${field(spec.minute, 0, 59, true, false)}:${field(spec.second, 0, 59, true, false)}`;
  const month = field(spec.month, 1, 12, true, false);
  const days = field(d.dom, 1, 31, true, false);
  const weekdays = d.dow.length === 7 ? '' : `${weekdayList(d.dow)} `;
  if (d.domStar || d.dowStar) return [`${weekdays}*-${month}-${days} ${time} ${zone}`];
  return [`*-${month}-${days} ${time} ${zone}`, `${weekdays}*-${month}-* ${time} ${zone}`];
}

// Weekdays 0-6 (Sunday first) as systemd names, runs as ranges ("Mon..Fri").
function weekdayList(days: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    if (j - i >= 2) out.push(`${WEEKDAY_NAMES[days[i]!]}..${WEEKDAY_NAMES[days[j]!]}`);
    else for (let k = i; k <= j; k++) out.push(WEEKDAY_NAMES[days[k]!]!);
    i = j + 1;
  }
  return out.join(',');
}

// A cron expression in the five fields a CronJob reads the same way.
export function cronForKubernetes(spec: CronSpec): string {
  const extra = cronExtras(spec);
  if (extra !== undefined) throw new UsageError(`cron ${JSON.stringify(spec.source)}: a CronJob's cron has no ${extra}`);
  if (spec.second.length !== 1 || spec.second[0] !== 0) throw new UsageError(`cron ${JSON.stringify(spec.source)}: a CronJob's resolution is one minute (no seconds field)`);
  const d = spec.days;
  const domFull = d.dom.length === 31;
  const dowFull = d.dow.length === 7;
  // cronie ANDs the day fields when one starts with `*` (even `*/2`); the CronJob's parser ORs
  // them unless one is a plain `*`.
  if ((d.domStar && !domFull && !d.dowStar) || (d.dowStar && !dowFull && !d.domStar)) {
    throw new UsageError(`cron ${JSON.stringify(spec.source)}: a stepped "*/N" day field with the other day field set is read differently by a CronJob (it would OR the days)`);
  }
  // A full day field that was not a star is a restriction to cronie ("1-31"): keep it one.
  const dom = domFull && !d.domStar ? '1-31' : field(d.dom, 1, 31, false, true);
  const dow = dowFull && !d.dowStar ? '0-6' : field(d.dow, 0, 6, false, true);
  return [field(spec.minute, 0, 59, false, true), field(spec.hour, 0, 23, false, true), dom, field(spec.month, 1, 12, false, true), dow].join(' ');
}

// The values of a calendar chain in min..max (undefined: all of them).
function chainValues(chain: CalendarChain, min: number, max: number): number[] | undefined {
  if (chain === undefined) return undefined;
  const out = new Set<number>();
  for (const c of chain) {
    const stop = c.stop ?? (c.repeat > 0 ? max : c.start);
    for (let v = c.start; v <= Math.min(stop, max); v += c.repeat > 0 ? c.repeat : 1) if (v >= min) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

// A calendar expression as a CronJob's five fields, when it is one exactly: any year, no `~`, at
// second 0, and not both weekdays and days of the month (systemd ANDs them, cron ORs them).
export function calendarForKubernetes(spec: CalendarSpec): string {
  const what = `calendar ${JSON.stringify(spec.source)}`;
  if (spec.year !== undefined) throw new UsageError(`${what}: a cron schedule has no year`);
  if (spec.endOfMonth) throw new UsageError(`${what}: a cron schedule has no "~" (days from the month's end)`);
  const seconds = chainValues(spec.second, 0, 59_999_999);
  if (seconds === undefined || seconds.length !== 1 || seconds[0] !== 0) throw new UsageError(`${what}: a CronJob's resolution is one minute (it runs at second 0)`);
  const days = chainValues(spec.day, 1, 31);
  if (spec.weekdays !== undefined && days !== undefined) throw new UsageError(`${what}: with both weekdays and days of the month, cron would run on either, systemd on both`);
  const weekdays = spec.weekdays === undefined ? undefined : [0, 1, 2, 3, 4, 5, 6].filter((w) => spec.weekdays! & (1 << ((w + 6) % 7)));
  const part = (values: number[] | undefined, min: number, max: number) => (values === undefined ? '*' : field(values, min, max, false, true));
  return [
    part(chainValues(spec.minute, 0, 59), 0, 59),
    part(chainValues(spec.hour, 0, 23), 0, 23),
    part(days, 1, 31),
    part(chainValues(spec.month, 1, 12), 1, 12),
    part(weekdays, 0, 6),
  ].join(' ');
}
