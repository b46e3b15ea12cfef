// once() and every(): promise and async-iterator forms over the thread's default loop.
import { UsageError } from '../errors.js';
import { toNs, type Duration } from '../grammar/duration-input.js';
import { defaultLoop } from './default-loop.js';
import type { Expiration, Loop } from '../loop/loop.js';
import { abortError, tickIterator, type TickIterator } from './tick-iterator.js';
import type { ClockName } from '../native/clocks.js';
import { validate, type TimerOptions } from '../loop/options.js';

/** Options of `once()`. */
export interface OnceOptions {
  /** The timer's clock (default `'monotonic'`; `'boottime'` counts time while suspended). */
  clock?: ClockName;
  /** Aborting it disarms the timer and rejects (or ends the iteration) with its reason. */
  signal?: AbortSignal;
  /** The loop to arm on (default: this thread's `defaultLoop()`). */
  loop?: Loop;
  /** `false`: no warm-up wake before its deadlines (the least CPU; default: the loop's, on). */
  warmup?: boolean;
  /** `true`: after the warm-up wake, poll to the deadline (delivered at it, for 130–300 µs more CPU per tick; default: the loop's, off). */
  precise?: boolean;
}

// The warm-up options given, for loop.add (checked there, with the rest: see armable).
function wakeOptions(options: OnceOptions): { warmup?: boolean; precise?: boolean } {
  return {
    ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
    ...(options.precise !== undefined ? { precise: options.precise } : {}),
  };
}

// `timer`, checked as loop.add will check it, now: a bad clock or option is thrown by the call
// itself (not a rejected promise), and nothing is armed.
function armable<T extends TimerOptions>(timer: T): T {
  validate(timer);
  return timer;
}

/** Options of `every()`. */
export interface EveryOptions extends OnceOptions {
  /** Stop after this many expirations (missed ones count). */
  count?: number;
  /** First expiration after this long (default: one interval; 0 = at once). */
  after?: Duration;
}

/** Resolves with the expiration after `delay` (0: at once), from a kernel timerfd. */
export function once(delay: Duration, options: OnceOptions = {}): Promise<Expiration> {
  const timerOptions = armable({ clock: options.clock ?? 'monotonic', delay: toNs(delay, 'delay'), ...wakeOptions(options) });
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const loop = options.loop ?? defaultLoop();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal!));
    };
    const timer = loop.add(timerOptions, (event) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(event);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Yields one event per wake-up of a drift-free periodic timer (the kernel keeps the grid).
 * Breaking out of `for await`, `return()`, disposal or aborting the signal disarms and closes it.
 */
export function every(interval: Duration, options: EveryOptions = {}): TickIterator {
  const intervalNs = toNs(interval, 'interval');
  if (intervalNs === 0n) throw new UsageError('interval must be greater than 0', 'EINVAL');
  const { count } = options;
  if (count !== undefined && !(Number.isSafeInteger(count) && count > 0)) {
    throw new UsageError(`count must be a positive integer (got ${count})`, 'EINVAL');
  }
  const delay = options.after === undefined ? intervalNs : toNs(options.after, 'after');
  const timer = armable({ clock: options.clock ?? 'monotonic', delay, interval: intervalNs, ...wakeOptions(options) } as const);
  return tickIterator(options.loop ?? defaultLoop(), timer, { count, signal: options.signal });
}
