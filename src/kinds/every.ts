// `every INTERVAL`: a periodic timer on the kernel's own interval, first after one interval (or
// --after, or the next local wall-clock multiple with --align), with its limits.
import { UsageError } from '../errors.js';
import { AFTER, ALIGN, COUNT, FOR, UNTIL } from '../grammar/options.js';
import { formatDuration, parseDuration } from '../grammar/duration.js';
import { quote } from '../grammar/quote.js';
import { parseTime } from '../grammar/time.js';
import { optionValue, prefixed, type ParsedWords } from '../grammar/words.js';
import { alignedGrid, gridCron, gridOnCalendar } from './align-grid.js';
import { fixedPlan, fixedTimer, type Kind, type SpecContext, type TimerSpec } from './kind.js';

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
    firstExpiration(words, spec, ctx);
    limits(words, spec, ctx);
  },
  timer: fixedTimer,
  plan: fixedPlan,
  // --align: the wall-clock grid; else first after the delay, then one interval after each run.
  systemd(spec) {
    if (spec.align) return { onCalendar: gridOnCalendar(alignedGrid(spec.intervalNs)) };
    return { onActiveNs: spec.delayNs ?? spec.intervalNs, onUnitActiveNs: spec.intervalNs };
  },
  // Only the aligned grid is a wall-clock schedule; a CronJob has nothing else.
  cronSchedule(spec) {
    if (!spec.align) {
      throw new UsageError(`every ${formatDuration(spec.intervalNs)} counts from when it starts; a CronJob runs at wall-clock times: add --align to run on the grid`);
    }
    if (spec.intervalNs < 60_000_000_000n) {
      throw new UsageError(`every ${formatDuration(spec.intervalNs)}: a CronJob's resolution is one minute`);
    }
    return { schedule: gridCron(alignedGrid(spec.intervalNs), spec.intervalNs) };
  },
};

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
  const delay = alignedDelay(ctx.nowNs, ctx.utcOffsetNs, spec.intervalNs);
  if (!words.options.has('clock')) spec.clock = 'realtime';
  if (spec.clock === 'realtime' || spec.clock === 'realtime-alarm') spec.atNs = ctx.nowNs + delay;
  else spec.delayNs = delay;
}

function limits(words: ParsedWords, spec: TimerSpec, ctx: SpecContext): void {
  const count = optionValue(words, COUNT);
  if (count !== undefined) spec.count = count;
  const forNs = optionValue(words, FOR);
  if (forNs !== undefined) {
    if (forNs === 0n) throw new UsageError('--for: must be greater than 0');
    spec.forNs = forNs;
  }
  const until = optionValue(words, UNTIL);
  if (until !== undefined) {
    const t = prefixed('--until', () => parseTime(until, ctx.nowNs));
    if (t.instantNs <= ctx.nowNs) throw new UsageError(`--until: ${quote(until)} is in the past`);
    spec.untilNs = t.instantNs;
  }
}
