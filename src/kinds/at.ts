// `at TIME`: one expiration at a wall-clock instant, on an absolute realtime timer that is
// re-armed for the same instant when the clock is stepped.
import { UsageError } from '../errors.js';
import { LATE, TZ } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { formatInstant, parseTime, type ParsedTime } from '../grammar/time.js';
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
    const t = timeOf(words.positionals, raw, ctx.nowNs, spec.zone);
    if (t.instantNs > ctx.nowNs) {
      spec.atNs = t.instantNs;
      return;
    }
    // "now" (or "+0") is not late: it fires at once.
    if (late !== 'run' && t.form !== 'relative') throw new UsageError(`TIME: ${quote(raw)} is in the past (use --late run to run now)`);
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

// The time in one word or two ("tomorrow 09:00", "2026-12-01 09:00"); a second word after a
// time that stands alone was meant as a command.
function timeOf(words: readonly string[], raw: string, nowNs: bigint, zone: string | undefined): ParsedTime {
  try {
    return prefixed('TIME', () => parseTime(raw, nowNs, zone));
  } catch (err) {
    if (words.length < 2) throw err;
    try {
      parseTime(words[0]!, nowNs, zone);
    } catch {
      throw err;
    }
    throw new UsageError(`unexpected argument ${quote(words[1]!)} (put a command after --)`);
  }
}

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
