// An async iterator over a timer's expirations, one per wake-up: the shape every(), cron() and
// calendar() return. Breaking out of the loop, return(), disposal or aborting the signal disarms
// and closes the timer; with `count`, it ends after that many expirations (missed ones count).
import type { Expiration, Loop, LoopTimer, TimerOptions } from '../loop/loop.js';

/** What `every()` returns: an async iterator of expirations, one per wake-up, that disarms its timer when it ends or is disposed. */
export type TickIterator = AsyncIterableIterator<Expiration> & AsyncDisposable;

export interface TickLimits {
  count?: number | undefined;
  signal?: AbortSignal | undefined;
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('the operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: reason });
}

type Waiter = { resolve: (r: IteratorResult<Expiration>) => void; reject: (e: unknown) => void };

export function tickIterator(loop: Loop, options: TimerOptions, { count, signal }: TickLimits): TickIterator {
  const pending: Expiration[] = [];
  let waiting: Waiter | undefined;
  let failure: unknown;
  let done = false;
  let timer: LoopTimer | undefined;

  const finish = () => {
    if (done) return;
    done = true;
    timer?.cancel();
    signal?.removeEventListener('abort', onAbort);
  };
  const settle = (w: Waiter | undefined, fn: (w: Waiter) => void) => {
    waiting = undefined;
    if (w) fn(w);
  };
  const onAbort = () => {
    failure = abortError(signal!);
    finish();
    settle(waiting, (w) => w.reject(failure));
  };
  const onExpiration = (expiration: Expiration) => {
    if (done) return;
    const event = count !== undefined && expiration.tick > count ? clipped(expiration, count) : expiration;
    if ((count !== undefined && event.tick >= count) || event.final) finish();
    if (waiting) settle(waiting, (w) => w.resolve({ value: event, done: false }));
    else pending.push(event);
  };

  if (signal?.aborted) {
    failure = abortError(signal);
    done = true;
  } else {
    timer = loop.add(options, onExpiration);
    signal?.addEventListener('abort', onAbort, { once: true });
  }

  const iterator: TickIterator = {
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
      settle(waiting, (w) => w.resolve({ value: undefined, done: true }));
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

// The last expiration with `count`, when a late wake-up carried more than were left: those past
// the count left out, so the expirations yielded add up to exactly `count` (as the CLI's ticks do,
// supervise/tick-event.ts); it was due and late as the count-th one was.
function clipped(ev: Expiration, count: number): Expiration {
  const over = ev.tick - count;
  const interval = ev.timer.interval;
  return {
    ...ev,
    tick: count,
    expirations: ev.expirations - over,
    scheduled: ev.scheduled - BigInt(over) * interval,
    latenessUs: ev.latenessUs + (over * Number(interval)) / 1000,
  };
}
