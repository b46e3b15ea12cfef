// `every INTERVAL`: a periodic timer on the kernel's own interval, first after one interval (or
// --after, or the next wall-clock multiple with --align), with its limits. Aligned by whole days
// or weeks on a wall clock, it follows the zone's calendar instead (local midnight; weeks on
// Monday 00:00), so a DST change does not shift it by an hour.
import { UsageError } from '../errors.js';
import { AFTER, ALIGN, TZ } from '../grammar/options.js';
import { formatDuration, parseDuration } from '../grammar/duration.js';
import { quote } from '../grammar/quote.js';
import { optionValue, prefixed, type ParsedWords } from '../grammar/words.js';
import { localZone, offsetAt } from '../grammar/zone.js';
import { alignedDays } from './aligned-days.js';
import { alignedGrid, gridCron, gridOnCalendar } from './align-grid.js';
import { fixedPlan, fixedTimer, type Kind, type SpecContext, type TimerSpec } from './kind.js';
import { limits } from './limits.js';
import { applyRule, zoneOf } from './wall-clock.js';

const DAY = 86_400_000_000_000n;

// The next local wall-clock multiple of `interval` after now (strictly after), as a delay.
export function alignedDelay(nowNs: bigint, utcOffsetNs: bigint, intervalNs: bigint): bigint {
  const local = nowNs + utcOffsetNs;
  const rem = ((local % intervalNs) + intervalNs) % intervalNs;
  return intervalNs - rem;
}

export const every: Kind = {
  name: 'every',
  argName: 'INTERVAL',
  defaultClock: 'monotonic',
  single: false,
  build(words, raw, spec, ctx) {
    const interval = prefixed('INTERVAL', () => parseDuration(raw));
    if (interval === 0n) throw new UsageError(`INTERVAL: must be greater than 0 (got ${quote(raw)})`);
    spec.intervalNs = interval;
    if (words.options.has(TZ.name)) spec.zone = zoneOf(words);
    firstExpiration(words, spec, ctx);
    limits(words, spec, ctx);
  },
  timer: fixedTimer,
  plan: fixedPlan,
  // --align: the wall-clock grid (by days: midnight, weeks: Monday 00:00), in the timer's zone;
  // else first after the delay, then one interval after each run.
  systemd(spec) {
    if (spec.rule) return { onCalendar: [`${dayGrid(spec, 'systemd')} ${spec.rule.zone}`] };
    if (spec.align) return { onCalendar: gridOnCalendar(alignedGrid(spec.intervalNs), spec.zone ?? localZone()) };
    return { onActiveNs: spec.delayNs ?? spec.intervalNs, onUnitActiveNs: spec.intervalNs };
  },
  // Only the aligned grid is a wall-clock schedule; a CronJob has nothing else.
  cronSchedule(spec) {
    if (spec.rule) return { schedule: dayGrid(spec, 'cron'), timeZone: spec.rule.zone };
    if (!spec.align) {
      throw new UsageError(`every ${formatDuration(spec.intervalNs)} counts from when it starts; a CronJob runs at wall-clock times: add --align to run on the grid`);
    }
    if (spec.intervalNs < 60_000_000_000n) throw new UsageError(`every ${formatDuration(spec.intervalNs)}: a CronJob's resolution is one minute`);
    return { schedule: gridCron(alignedGrid(spec.intervalNs), spec.intervalNs), timeZone: spec.zone ?? localZone() };
  },
};

// every 1d / 1w --align as a calendar or cron schedule; longer periods count days from 1970,
// which neither calendar can say.
function dayGrid(spec: TimerSpec, form: 'systemd' | 'cron'): string {
  if (spec.intervalNs === DAY) return form === 'systemd' ? '*-*-* 00:00:00' : '0 0 * * *';
  if (spec.intervalNs === 7n * DAY) return form === 'systemd' ? 'Mon *-*-* 00:00:00' : '0 0 * * 1';
  throw new UsageError(`--align every ${formatDuration(spec.intervalNs)}: its days count from 1970-01-01, which a calendar expression cannot say (1d and 1w can be exported)`);
}

// After one interval, after --after, or aligned: on a wall clock (the default with --align) an
// absolute instant, on another clock the same delay.
function firstExpiration(words: ParsedWords, spec: TimerSpec, ctx: SpecContext): void {
  const after = optionValue(words, AFTER);
  if (!optionValue(words, ALIGN)) {
    spec.delayNs = after ?? spec.intervalNs;
    return;
  }
  if (after !== undefined) throw new UsageError('--align and --after cannot be combined');
  spec.align = true;
  if (!words.options.has('clock')) spec.clock = 'realtime';
  const wall = spec.clock === 'realtime' || spec.clock === 'realtime-alarm';
  if (wall && spec.intervalNs % DAY === 0n) {
    const zone = zoneOf(words);
    applyRule(spec, { ...alignedDays(spec.intervalNs / DAY, zone), normalized: `every ${formatDuration(spec.intervalNs)} aligned on ${spec.intervalNs % (7n * DAY) === 0n ? 'Monday 00:00' : 'midnight'}` }, ctx.nowNs);
    return;
  }
  const offset = spec.zone === undefined ? ctx.utcOffsetNs : BigInt(offsetAt(ctx.nowNs, spec.zone)) * 1_000_000_000n;
  const delay = alignedDelay(ctx.nowNs, offset, spec.intervalNs);
  if (wall) spec.atNs = ctx.nowNs + delay;
  else spec.delayNs = delay;
}
