// A CalendarSpec back to text, exactly as systemd 252 prints it as "Normalized form:".

import { type CalendarChain, type CalendarSpec, USEC } from './calendar-spec.js';

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

// Weekdays as runs: one day alone, two as a list, three or more as a range (Mon..Wed,Fri).
function formatWeekdays(bits: number): string {
  const parts: string[] = [];
  let day = 0;
  while (day < 7) {
    if ((bits & (1 << day)) === 0) {
      day++;
      continue;
    }
    let end = day;
    while (end + 1 < 7 && (bits & (1 << (end + 1))) !== 0) end++;
    const first = DAY_NAMES[day] as string;
    const last = DAY_NAMES[end] as string;
    if (end === day) parts.push(first);
    else if (end === day + 1) parts.push(`${first},${last}`);
    else parts.push(`${first}..${last}`);
    day = end + 1;
  }
  return parts.join(',');
}

// A number with systemd's zero padding, and a µs fraction (six digits) when it has one.
function formatValue(value: number, width: number, unit: number): string {
  const whole = String(Math.floor(value / unit)).padStart(width, '0');
  const fraction = value % unit;
  return fraction > 0 ? `${whole}.${String(fraction).padStart(6, '0')}` : whole;
}

// One list; seconds print as '*' when any element is 0/1 (systemd 252 does, even when the
// list has other elements, such as fractional seconds, that 0/1 does not cover).
function formatChain(chain: CalendarChain, width: number, usec: boolean): string {
  if (chain === undefined) return '*';
  const unit = usec ? USEC : 1;
  if (usec && chain.some((e) => e.start === 0 && e.stop === undefined && e.repeat === USEC)) return '*';
  return chain
    .map((e) => {
      let out = formatValue(e.start, width, unit);
      const stop = e.stop ?? -1;
      if (stop > 0) out += `..${formatValue(stop, width, unit)}`;
      if (e.repeat > 0 && !(stop > 0 && e.repeat === unit)) out += `/${formatValue(e.repeat, 0, unit)}`;
      return out;
    })
    .join(',');
}

// systemd's normalized form: "[weekdays ]year-month-day hour:minute:second[ zone]".
export function normalizeCalendar(spec: CalendarSpec): string {
  const weekdays = spec.weekdays === undefined ? '' : `${formatWeekdays(spec.weekdays)} `;
  const year = formatChain(spec.year, 4, false);
  const month = formatChain(spec.month, 2, false);
  const date = `${year}-${month}${spec.endOfMonth ? '~' : '-'}${formatChain(spec.day, 2, false)}`;
  const hour = formatChain(spec.hour, 2, false);
  const time = `${hour}:${formatChain(spec.minute, 2, false)}:${formatChain(spec.second, 2, true)}`;
  const zone = spec.zone === undefined ? '' : ` ${spec.zone}`;
  return `${weekdays}${date} ${time}${zone}`;
}
