// A timer's limits: --for and --until as timers of their own, armed with it against the same
// clock reading, and the number of ticks --count and --for allow. A --for of D after arming at T
// allows exactly the deadlines at or before T + D, so its count is known when it is armed: a late
// wake-up past the end cannot add a tick, and ticks past --count or --for are never reported.
import type { TimerSpec } from '../kinds/kind.js';
import type { Expiration, LoopTimer, TimerOptions } from '../loop/loop.js';
import type { TickEvent } from './events.js';

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

// The tick as reported: on the wall clock, and with a limit of N ticks, expirations past the Nth
// (a late wake-up can carry several) left out, so the ticks reported add up to exactly N.
export function tickEvent(spec: TimerSpec, max: number | undefined, ev: Expiration): TickEvent {
  const over = max !== undefined && ev.tick > max ? ev.tick - max : 0;
  return {
    timer: spec.name,
    tick: ev.tick - over,
    expirations: ev.expirations - over,
    timeNs: ev.wallTime,
    scheduledNs: ev.scheduled - BigInt(over) * spec.intervalNs + ev.timer.wallOffset,
    latenessUs: ev.latenessUs + (over * Number(spec.intervalNs)) / 1000,
  };
}
