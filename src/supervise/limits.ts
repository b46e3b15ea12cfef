// A timer's limits: --for and --until as timers of their own, armed with it against the same
// clock reading, and the number of ticks --count and --for allow. A --for of D after arming at T
// allows exactly the deadlines at or before T + D, so its count is known when it is armed: a late
// wake-up past the end cannot add a tick, and ticks past --count or --for are never reported.
import type { TimerSpec } from '../kinds/kind.js';
import type { Expiration, ExpirationHandler, Loop, LoopTimer, TimerOptions } from '../loop/loop.js';
import type { Entry } from './entry.js';

export interface LimitTimer {
  limit: 'for' | 'until';
  options: TimerOptions;
}

// What the loop arms for the spec's --for and --until (in that order).
export function limitTimers(spec: TimerSpec): LimitTimer[] {
  const limits: LimitTimer[] = [];
  if (spec.forNs !== undefined) limits.push({ limit: 'for', options: { clock: spec.clock, delay: spec.forNs } });
  if (spec.untilNs !== undefined) {
    const clock = spec.clock.startsWith('realtime') ? spec.clock : 'realtime';
    limits.push({ limit: 'until', options: { clock, at: spec.untilNs } });
  }
  return limits;
}

// How many ticks the timer may have: --count, and for a periodic timer with --for, the
// deadlines up to the --for timer's own (both read the clock once, when armed together).
export function maxTicks(spec: TimerSpec, timer: LoopTimer, forTimer: LoopTimer | undefined): number | undefined {
  let max = spec.count;
  if (forTimer && timer.interval > 0n && timer.clock === forTimer.clock) {
    const end = forTimer.first;
    const fits = end < timer.first ? 0 : Number((end - timer.first) / timer.interval) + 1;
    max = max === undefined ? fits : Math.min(max, fits);
  }
  return max;
}

// --until: the ticks an expiration may bring, when the latest it carries was due after the
// --until instant (the --until timer's own wake-up can come after the timer's next deadline on a
// loaded machine, and both be read in one wake-up). Its wall-clock due time uses the clocks'
// offset read with it (ev.wallTime - ev.time), so a clock step since arming does not shift it.
// Undefined: no cap (no --until, or not a periodic timer).
export function untilTicks(spec: TimerSpec, ev: Expiration): number | undefined {
  // --until first: the usual tick has none, and the interval is a getter away.
  if (spec.untilNs === undefined) return undefined;
  const interval = ev.timer.interval;
  if (interval === 0n) return undefined;
  const dueWall = ev.scheduled + (ev.wallTime - ev.time);
  if (dueWall <= spec.untilNs) return undefined;
  const late = (dueWall - spec.untilNs + interval - 1n) / interval;
  return ev.tick - Math.min(ev.expirations, Number(late));
}

// Arms each entry's timer (those whose kind gives one) with its limits, all against one clock
// reading, so --for counts exactly the deadlines up to its end; returns the entries armed.
export function armWithLimits(
  loop: Loop,
  entries: readonly Entry[],
  timerOf: (entry: Entry) => TimerOptions | undefined,
  onTick: (entry: Entry) => ExpirationHandler,
  onLimit: (entry: Entry) => () => void,
): Entry[] {
  const armed: Array<{ entry: Entry; limits: LimitTimer[] }> = [];
  const list: Array<{ options: TimerOptions; handler: ExpirationHandler }> = [];
  for (const entry of entries) {
    const options = timerOf(entry);
    if (!options) continue;
    const limits = limitTimers(entry.spec);
    armed.push({ entry, limits });
    list.push({ options, handler: onTick(entry) });
    for (const limit of limits) list.push({ options: limit.options, handler: onLimit(entry) });
  }
  const timers = loop.addAll(list);
  let at = 0;
  for (const { entry, limits } of armed) {
    const timer = timers[at++]!;
    entry.timer = timer;
    entry.limits = timers.slice(at, (at += limits.length));
    entry.maxTicks = maxTicks(entry.spec, timer, entry.limits[limits.findIndex((l) => l.limit === 'for')]);
  }
  return armed.map((a) => a.entry);
}
