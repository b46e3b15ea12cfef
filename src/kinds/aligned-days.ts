// `every Nd --align` and `every Nw --align` on the zone's calendar: the next local midnight whose
// day number (days since 1970-01-01) is a multiple of N, or for weeks the next Monday 00:00 whose
// week number is. A midnight that a spring-forward skips is the first instant after the gap; one
// that a fall-back repeats, its first instant.
import { civilFromDays, daysFromCivil } from '../grammar/civil.js';
import { gapEnd, instantsAt, zonedTime } from '../grammar/zone.js';
import type { ScheduleRule } from './kind.js';

// 1970-01-05, day 4, was the first Monday after the epoch.
const FIRST_MONDAY = 4;

export function alignedDays(days: bigint, zone: string): Omit<ScheduleRule, 'normalized'> {
  const weeks = days % 7n === 0n;
  const period = Number(days);
  const anchor = weeks ? FIRST_MONDAY : 0;
  return {
    kind: 'align',
    source: `${days}d`,
    zone,
    next(afterNs) {
      const t = zonedTime(afterNs, zone);
      let day = daysFromCivil(t.year, t.month, t.day);
      day += (((anchor - day) % period) + period) % period;
      for (;;) {
        const at = midnight(day, zone);
        if (at > afterNs) return at;
        day += period;
      }
    },
  };
}

// The first instant of a local day (its midnight, or the end of a gap that swallowed it).
function midnight(day: number, zone: string): bigint {
  const { year, month, day: d } = civilFromDays(day);
  const civil = { year, month, day: d, hour: 0, minute: 0, second: 0 };
  return instantsAt(civil, zone)[0] ?? gapEnd(civil, zone);
}
