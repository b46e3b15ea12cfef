// What the loop offers the sources that back its timers (an fd of their own or a shared one, or
// a per-clock deadline queue), what they tell it, and the steps they share.
import { SyscallError } from '../errors.js';
import type { Epoll } from '../native/epoll.js';
import { TFD_CLOEXEC, TFD_NONBLOCK } from '../native/libc.js';
import type { ClockName } from '../native/clocks.js';
import type { TimerNative } from '../native/timerfd.js';
import type { LoopTimer, Slot, Source } from './timer.js';

export type { Source } from './timer.js';

/** Deadlines of a computed schedule that a clock step jumped over: counted, not delivered. */
export interface MissedDeadlines {
  /** How many. */
  readonly count: number;
  /** The first and the last of them, in nanoseconds on the timer's clock. */
  readonly first: bigint;
  /** {@inheritDoc MissedDeadlines.first} */
  readonly last: bigint;
}

/** What a loop noticed outside any one expiration, given to `LoopOptions.onNotice`. */
export interface LoopNotice {
  /** The realtime clock was set (or the machine resumed) while absolute timers were armed on it. */
  readonly kind: 'clock-step';
  /** The timer re-armed for the same wall-clock instant (absent when the step touched a shared deadline queue). */
  readonly timer?: LoopTimer;
  /** The clock that was stepped. */
  readonly clock: ClockName;
  /** Deadlines of a computed schedule that the step jumped over. */
  readonly missed?: MissedDeadlines;
}

export interface SourceHost {
  readonly native: TimerNative;
  // The clock as read for this wake-up (one reading per clock per batch), or read afresh.
  now(clockid: number): bigint;
  refresh(clockid: number): bigint;
  // Hands `count` expirations, the latest due at `last`, to the timer's handler; `final` when
  // no deadline follows.
  deliver(slot: Slot, count: number, last: bigint, final: boolean): void;
  // The timer has no further deadline: it leaves the loop.
  finish(slot: Slot): void;
  notice(notice: LoopNotice): void;
  // An fd source holds no timer any more: the loop forgets it and closes its fd.
  release(source: Source): void;
}

// A new non-blocking, close-on-exec timerfd, watched by `epoll`; closed again if that fails.
export function openTimerfd(native: TimerNative, epoll: Epoll, clockid: number, arm?: (fd: number) => void): number {
  const fd = native.create(clockid, TFD_CLOEXEC | TFD_NONBLOCK);
  try {
    arm?.(fd);
    epoll.add(fd);
  } catch (err) {
    native.close(fd);
    throw err;
  }
  return fd;
}

// An absolute deadline of 0 would disarm a timerfd: 1 ns is just as far in the past.
export function armable(deadline: bigint): bigint {
  return deadline > 0n ? deadline : 1n;
}

export function isCanceled(err: unknown): boolean {
  return err instanceof SyscallError && err.code === 'ECANCELED';
}
