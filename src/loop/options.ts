// What a timer and a loop are given: the options, checked before anything is armed.
import { UsageError } from '../errors.js';
import { CLOCKS, type ClockName } from '../native/clocks.js';
import type { TimerNative } from '../native/timerfd.js';
import type { LoopNotice } from './source.js';

export interface TimerOptions {
  name?: string;
  clock?: ClockName;
  // First expiration: `delay` ns from now (0n = at once), or `at`, an absolute time on the clock.
  // Without either, a periodic timer first fires after one interval.
  delay?: bigint;
  at?: bigint;
  // Period in ns; 0n or absent for a one-shot timer.
  interval?: bigint;
  // A computed schedule instead of a period: the deadline after `prev` (absolute, on the clock),
  // or undefined when the schedule ends. Called after each expiration with the deadline that
  // fired, never with "now".
  next?: (prev: bigint) => bigint | undefined;
  // For absolute realtime timers: arm with TFD_TIMER_CANCEL_ON_SET and re-arm for the same
  // wall-clock deadline when the clock is stepped (default true).
  cancelOnSet?: boolean;
}

export interface LoopOptions {
  native?: TimerNative;
  // How many timerfds this loop may hold before timers share a deadline queue (default: as many
  // as the process-wide budget allows: the open-file soft limit less a reserve).
  maxFds?: number;
  onNotice?: (notice: LoopNotice) => void;
  // Called after each wake-up's events were delivered (to flush buffered output once).
  afterDispatch?: () => void;
  // Gets what a handler threw; by default it is rethrown as an uncaught exception once the
  // wake-up is over.
  onError?: (error: unknown) => void;
}

// Refuses options that cannot be armed, with one line naming the option.
export function validate(options: TimerOptions): void {
  const { delay, at, interval } = options;
  for (const [what, v] of [['delay', delay], ['at', at], ['interval', interval]] as const) {
    if (v === undefined) continue;
    if (typeof v !== 'bigint') throw new UsageError(`${what} must be a bigint of nanoseconds`, 'EINVAL');
    if (v < 0n) throw new UsageError(`${what} must not be negative (got ${v} ns)`, 'EINVAL');
  }
  if (delay !== undefined && at !== undefined) throw new UsageError('give either delay or at, not both', 'EINVAL');
  if (options.next !== undefined && typeof options.next !== 'function') throw new UsageError('next must be a function', 'EINVAL');
  if (options.next !== undefined && (interval ?? 0n) > 0n) throw new UsageError('give either interval or next, not both', 'EINVAL');
  if (options.clock !== undefined && !Object.hasOwn(CLOCKS, options.clock)) {
    throw new UsageError(`unknown clock ${JSON.stringify(options.clock)} (use ${Object.keys(CLOCKS).join(', ')})`, 'EINVAL');
  }
}
