// `at TIME`: one expiration at a wall-clock instant, on an absolute realtime timer that is
// re-armed for the same instant when the clock is stepped.
import { UsageError } from '../errors.js';
import { LATE, TZ } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { formatInstant, parseTime } from '../grammar/time.js';
import { optionValue, prefixed } from '../grammar/words.js';
import { fixedPlan, fixedTimer, type Kind } from './kind.js';
import { requireWallClock, zoneOf } from './wall-clock.js';

export const at: Kind = {
  name: 'at',
  argName: 'TIME',
  defaultClock: 'realtime',
  single: true,
  build(words, raw, spec, ctx) {
    requireWallClock(spec, 'at');
    const late = optionValue(words, LATE) ?? 'error';
    if (words.options.has(TZ.name)) spec.zone = zoneOf(words);
    const t = prefixed('TIME', () => parseTime(raw, ctx.nowNs, spec.zone));
    if (t.instantNs > ctx.nowNs) {
      spec.atNs = t.instantNs;
      return;
    }
    if (late !== 'run') throw new UsageError(`TIME: ${quote(raw)} is in the past (use --late run to run now)`);
    spec.delayNs = 0n;
  },
  timer: fixedTimer,
  plan: fixedPlan,
  // The instant itself, in UTC (an OnCalendar= with a full date elapses once).
  systemd(spec) {
    if (spec.atNs === undefined) throw new UsageError('TIME is in the past: there is nothing to schedule');
    return { onCalendar: [calendarInstant(spec.atNs)] };
  },
  cronSchedule() {
    throw new UsageError('at fires once; a cron schedule has no year, so a CronJob would run every year');
  },
};

// systemd's calendar years end with 2199.
const LAST_CALENDAR_NS = BigInt(Date.UTC(2200, 0, 1)) * 1_000_000n;

// An instant as a systemd timestamp in UTC, to the microsecond: "2026-12-01 09:00:00.250000 UTC".
export function calendarInstant(ns: bigint): string {
  if (ns % 1000n !== 0n) throw new UsageError(`TIME ${formatInstant(ns)}: systemd counts in microseconds`);
  if (ns >= LAST_CALENDAR_NS) throw new UsageError(`TIME ${formatInstant(ns)}: systemd's calendar ends with the year 2199`);
  const iso = formatInstant(ns);
  const [date, rest] = iso.slice(0, -1).split('T') as [string, string];
  const [time, frac] = rest.split('.') as [string, string | undefined];
  return `${date} ${time}${frac === undefined ? '' : `.${frac.padEnd(6, '0')}`} UTC`;
}
