// once() and every(): promise and async-iterator forms over the shared loop.
import { UsageError } from './errors.js';
import { toNs, type Duration } from './duration-input.js';
import { defaultLoop, type Expiration, type Loop, type LoopTimer } from './loop.js';
import type { ClockName } from './native/libc.js';

export interface OnceOptions {
  clock?: ClockName;
  signal?: AbortSignal;
  loop?: Loop;
}

export interface EveryOptions extends OnceOptions {
  // Stop after this many expirations (missed ones count).
  count?: number;
  // First expiration after this long (default: one interval; 0 = at once).
  after?: Duration;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('the operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: reason });
}

// Resolves with the expiration after `delay` (0 = at once).
export function once(delay: Duration, options: OnceOptions = {}): Promise<Expiration> {
  const delayNs = toNs(delay, 'delay');
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const loop = options.loop ?? defaultLoop();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal!));
    };
    const timer = loop.add({ clock: options.clock ?? 'monotonic', delay: delayNs }, (event) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(event);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Yields one event per wake-up of a periodic timer. Breaking out of the loop, return(), or
// aborting the signal disarms and closes the timer.
export function every(interval: Duration, options: EveryOptions = {}): AsyncIterableIterator<Expiration> & AsyncDisposable {
  const intervalNs = toNs(interval, 'interval');
  if (intervalNs === 0n) throw new UsageError('interval must be greater than 0', 'EINVAL');
  const { count, signal } = options;
  if (count !== undefined && !(Number.isSafeInteger(count) && count > 0)) {
    throw new UsageError(`count must be a positive integer (got ${count})`, 'EINVAL');
  }
  const delay = options.after === undefined ? intervalNs : toNs(options.after, 'after');
  const loop = options.loop ?? defaultLoop();
  const pending: Expiration[] = [];
  let waiting: { resolve: (r: IteratorResult<Expiration>) => void; reject: (e: unknown) => void } | undefined;
  let failure: unknown;
  let done = false;
  let timer: LoopTimer | undefined;

  const finish = () => {
    if (done) return;
    done = true;
    timer?.cancel();
    signal?.removeEventListener('abort', onAbort);
  };
  const onAbort = () => {
    failure = abortError(signal!);
    finish();
    if (waiting) {
      waiting.reject(failure);
      waiting = undefined;
    }
  };

  if (signal?.aborted) {
    failure = abortError(signal);
    done = true;
  } else {
    timer = loop.add({ clock: options.clock ?? 'monotonic', delay, interval: intervalNs }, (event) => {
      if (done) return;
      if (count !== undefined && event.tick >= count) finish();
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w.resolve({ value: event, done: false });
      } else {
        pending.push(event);
      }
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  }

  const iterator: AsyncIterableIterator<Expiration> & AsyncDisposable = {
    next() {
      const event = pending.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      if (failure) return Promise.reject(failure);
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      finish();
      pending.length = 0;
      if (waiting) {
        waiting.resolve({ value: undefined, done: true });
        waiting = undefined;
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      await iterator.return!();
    },
  };
  return iterator;
}
