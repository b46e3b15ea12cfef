// A Timer: one timerfd, armed and read synchronously. For waiting, use the loop or once/every.
import { CLOCKS, isRealtimeClock, type ClockName } from '../native/clocks.js';
import { TFD_CLOEXEC, TFD_NONBLOCK, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET } from '../native/libc.js';
import { closeFd, timerfdCreate, timerfdDrain, timerfdGettime, timerfdSettime, type TimerValue } from '../native/timerfd.js';
import { toNs, type Duration } from '../grammar/duration-input.js';
import { UsageError } from '../errors.js';

/** Options of `Timer.arm`. */
export interface ArmOptions {
  /** Period after the first expiration; absent or 0 for a one-shot. */
  interval?: Duration;
  /** `value` is an absolute time (ns on the timer's clock) instead of a delay. */
  absolute?: boolean;
  /** Absolute realtime timers only: reads fail with ECANCELED when the clock is stepped. */
  cancelOnSet?: boolean;
}

/**
 * One timerfd (non-blocking, close-on-exec), armed and read synchronously. For waiting, use a
 * {@link Loop} or `once()`/`every()`. Close it, or declare it with `using`.
 */
export class Timer implements Disposable {
  /** The timerfd's number (meaningless once closed). */
  readonly fd: number;
  /** Its clock. */
  readonly clock: ClockName;
  private closed = false;

  /** A new timerfd on `clock` (default `'monotonic'`). */
  constructor(clock: ClockName = 'monotonic') {
    if (typeof clock !== 'string' || !Object.hasOwn(CLOCKS, clock)) {
      throw new UsageError(`unknown clock ${JSON.stringify(clock)} (use ${Object.keys(CLOCKS).join(', ')})`, 'EINVAL');
    }
    this.clock = clock;
    this.fd = timerfdCreate(CLOCKS[clock], TFD_CLOEXEC | TFD_NONBLOCK);
  }

  /** The same as `new Timer(clock)`. */
  static create(clock: ClockName = 'monotonic'): Timer {
    return new Timer(clock);
  }

  /**
   * Arms (or re-arms) the timer; returns the previous setting. A delay of 0 fires at once
   * (unlike timerfd_settime, where 0 disarms): use `disarm()` to stop.
   */
  arm(value: Duration, options: ArmOptions = {}): TimerValue {
    let valueNs = toNs(value, 'value');
    const intervalNs = options.interval === undefined ? 0n : toNs(options.interval, 'interval');
    let flags = 0;
    if (options.absolute) {
      flags |= TFD_TIMER_ABSTIME;
      if (options.cancelOnSet) {
        if (!isRealtimeClock(CLOCKS[this.clock])) throw new UsageError('cancelOnSet needs a realtime clock', 'EINVAL');
        flags |= TFD_TIMER_CANCEL_ON_SET;
      }
    }
    if (valueNs === 0n) valueNs = 1n; // 1 ns from now, or an absolute instant long past: at once
    return timerfdSettime(this.open(), flags, valueNs, intervalNs);
  }

  /** Stops the timer; returns the setting it had. */
  disarm(): TimerValue {
    return timerfdSettime(this.open(), 0, 0n, 0n);
  }

  /** Time left to the next expiration and the interval (both 0 when disarmed). */
  remaining(): TimerValue {
    return timerfdGettime(this.open());
  }

  /** Expirations since the last read; 0 when none yet (never blocks). */
  read(): number {
    return timerfdDrain(this.open());
  }

  // The fd, while open: once closed, its number may already belong to another file.
  private open(): number {
    if (this.closed) throw new UsageError('the timer is closed', 'ECLOSED');
    return this.fd;
  }

  /** Closes the timerfd (again: nothing). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeFd(this.fd);
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
