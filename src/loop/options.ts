// What a timer and a loop are given: the options, checked before anything is armed.
import { UsageError } from '../errors.js';
import { toNs, type Duration } from '../grammar/duration-input.js';
import { CLOCKS, type ClockName } from '../native/clocks.js';
import type { TimerNative } from '../native/timerfd.js';
import type { LoopNotice } from './source.js';
import type { Expiration } from './timer.js';
import { WARM, warmupMode } from './warmup-mode.js';

/** What `Loop.add` arms: when the first expiration comes, and what follows it. */
export interface TimerOptions {
  /** The timer's name, in its events (default `timer-ID`). */
  name?: string;
  /** The clock its deadlines are on (default `'monotonic'`). */
  clock?: ClockName;
  /** First expiration after this long (`0` or `0n`: at once). Without `delay` or `at`, a periodic timer first fires after one interval. */
  delay?: Duration;
  /** First expiration at this absolute time: nanoseconds on the timer's clock (since the epoch on a realtime clock). */
  at?: bigint;
  /** The period; absent or 0 for a one-shot timer. */
  interval?: Duration;
  /**
   * A computed schedule instead of a period: the deadline after `prev` (absolute, on the clock),
   * or undefined when the schedule ends. Called after each expiration with the deadline that
   * fired, never with "now".
   */
  next?: (prev: bigint) => bigint | undefined;
  /**
   * For absolute realtime timers: arm with TFD_TIMER_CANCEL_ON_SET and re-arm for the same
   * wall-clock deadline when the clock is stepped (default true).
   */
  cancelOnSet?: boolean;
  /** A warm-up wake before each deadline of this timer (default: the loop's `warmup`). */
  warmup?: boolean;
  /** Poll through the last microseconds before each deadline of this timer (default: the loop's `precise`). */
  precise?: boolean;
}

/** Options of a {@link Loop}. */
export interface LoopOptions {
  /** The timerfd operations to use (default: the kernel's). Tests pass a fake to inject faults the kernel cannot be made to produce, such as ECANCELED after a clock step. */
  native?: TimerNative;
  /**
   * How many timerfds this loop may hold before timers share a deadline queue (default: as many
   * as the process-wide budget allows: the open-file soft limit less a reserve).
   */
  maxFds?: number;
  /** Called with what the loop noticed outside any one expiration (a clock step). */
  onNotice?: (notice: LoopNotice) => void;
  /** Called after each wake-up's events were delivered (to flush buffered output once). */
  afterDispatch?: () => void;
  /** Gets what a handler threw; by default it is rethrown as an uncaught exception once the wake-up is over. */
  onError?: (error: unknown) => void;
  /**
   * A warm-up wake before each deadline (default true): when the next deadline is 2 ms or more
   * away, one extra timerfd fires 150 µs before it and runs the wake-up's code on a sample, so
   * the expiration is handled by warm code. One per wake-up of the loop, not one per timer;
   * `false` gives the least CPU.
   */
  warmup?: boolean;
  /**
   * The warm-up 300 µs ahead, then a spin on the clock to the deadline (default false): the
   * expiration is delivered at its deadline instead of one kernel wake-up after it, for
   * 130–300 µs more CPU per tick (measured on a 2-core VM). Needs the warm-up.
   */
  precise?: boolean;
  /** Runs on each warm-up wake with a sample expiration (of the timer due next; not a real one): warm up your own handler's code here, with no side effects. */
  onWarmup?: (sample: Expiration) => void;
}


// TimerOptions with its durations in nanoseconds.
export type ResolvedTimerOptions = Omit<TimerOptions, 'delay' | 'interval'> & { delay?: bigint; interval?: bigint };

// Refuses options that cannot be armed, with one line naming the option; durations given as
// strings are parsed (the same object comes back when there are none).
export function validate(options: TimerOptions): ResolvedTimerOptions {
  const resolved = resolveDurations(options);
  const { delay, at, interval } = resolved;
  for (const [what, v] of [['delay', delay], ['at', at], ['interval', interval]] as const) {
    if (v === undefined) continue;
    if (typeof v !== 'bigint') throw new UsageError(`${what} must be ${what === 'at' ? 'a bigint of nanoseconds' : 'a duration string or bigint nanoseconds'}`, 'EINVAL');
    if (v < 0n) throw new UsageError(`${what} must not be negative (got ${v} ns)`, 'EINVAL');
  }
  if (delay !== undefined && at !== undefined) throw new UsageError('give either delay or at, not both', 'EINVAL');
  if (options.next !== undefined && typeof options.next !== 'function') throw new UsageError('next must be a function', 'EINVAL');
  if (options.next !== undefined && (interval ?? 0n) > 0n) throw new UsageError('give either interval or next, not both', 'EINVAL');
  warmupMode(options, WARM);
  if (options.clock !== undefined && !Object.hasOwn(CLOCKS, options.clock)) {
    throw new UsageError(`unknown clock ${JSON.stringify(options.clock)} (use ${Object.keys(CLOCKS).join(', ')})`, 'EINVAL');
  }
  return resolved;
}

function resolveDurations(options: TimerOptions): ResolvedTimerOptions {
  const { delay, interval } = options;
  if (typeof delay !== 'string' && typeof interval !== 'string') return options as ResolvedTimerOptions;
  const resolved = { ...options } as ResolvedTimerOptions;
  if (typeof delay === 'string') resolved.delay = toNs(delay, 'delay');
  if (typeof interval === 'string') resolved.interval = toNs(interval, 'interval');
  return resolved;
}
