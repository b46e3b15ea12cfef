// The Python-compatible API: the seed extension's create / settime / gettime / read, kept and
// fixed: seconds as JS numbers, exact to the nanosecond where a double allows, plus bigint variants.
import { SyscallError, UsageError } from '../errors.js';
import { TFD_CLOEXEC } from '../native/libc.js';
import {
  NS_PER_SEC,
  closeFd,
  timerfdCreate,
  timerfdGettime,
  timerfdRead,
  timerfdSettime,
} from '../native/timerfd.js';

/**
 * Seconds (a double) to nanoseconds without going through `x * 1e9` on the whole value: the
 * fraction is split off first, so 0.1 is 100000000 ns and 1.7e9 + 0.5 keeps its half second.
 */
export function secondsToNs(seconds: number, what = 'value'): bigint {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new UsageError(`${what} must be a finite number of seconds (got ${String(seconds)})`, 'EINVAL');
  }
  if (seconds < 0) throw new UsageError(`${what} must not be negative (got ${seconds})`, 'EINVAL');
  const whole = Math.trunc(seconds);
  const ns = Math.round((seconds - whole) * 1e9);
  return BigInt(whole) * NS_PER_SEC + BigInt(ns);
}

/** Nanoseconds to seconds, the whole seconds and the fraction converted apart. */
export function nsToSeconds(ns: bigint): number {
  return Number(ns / NS_PER_SEC) + Number(ns % NS_PER_SEC) / 1e9;
}

// An fd or flags argument as the C int it becomes: koffi would truncate 3.5 to 3 and NaN to 0
// (another fd, no flags), so anything but an integer in range is refused before any call.
function cInt(value: number, what: string, code: string): number {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new UsageError(`${what} must be an integer (got ${typeof value === 'number' ? String(value) : typeof value})`, code);
  }
  return value;
}

// Seconds that are not 0 but round to 0 ns: armed as 0, they would disarm the timer (a value)
// or make it a one-shot (an interval) without a word.
function nonZeroNs(seconds: number, what: string): bigint {
  const ns = secondsToNs(seconds, what);
  if (ns === 0n && seconds !== 0) {
    throw new UsageError(`${what} ${seconds} s is under half a nanosecond and rounds to 0, which ${what === 'value' ? 'disarms the timer' : 'makes it a one-shot'}: pass 0 for that, or at least 1e-9`, 'EINVAL');
  }
  return ns;
}

function toNs(value: bigint, what: string): bigint {
  if (typeof value !== 'bigint') throw new UsageError(`${what} must be a bigint of nanoseconds (got ${typeof value})`, 'EINVAL');
  return value;
}

/**
 * timerfd_create: a new timerfd on `clockid` (CLOCK_MONOTONIC …) with `flags` (TFD_NONBLOCK).
 * Close-on-exec is always added, so an armed timer never leaks into a spawned command.
 */
export function create(clockid: number, flags = 0): number {
  return timerfdCreate(cInt(clockid, 'clockid', 'EINVAL'), cInt(flags, 'flags', 'EINVAL') | TFD_CLOEXEC);
}

/** timerfd_settime in seconds: arms the timer (value 0 disarms); returns the previous [value, interval]. */
export function settime(fd: number, flags: number, value: number, interval = 0): [number, number] {
  const [v, i] = settimeNs(fd, flags, nonZeroNs(value, 'value'), nonZeroNs(interval, 'interval'));
  return [nsToSeconds(v), nsToSeconds(i)];
}

/** timerfd_settime in bigint nanoseconds; returns the previous [value, interval]. */
export function settimeNs(fd: number, flags: number, valueNs: bigint, intervalNs = 0n): [bigint, bigint] {
  const old = timerfdSettime(cInt(fd, 'fd', 'EBADF'), cInt(flags, 'flags', 'EINVAL'), toNs(valueNs, 'value'), toNs(intervalNs, 'interval'));
  return [old.valueNs, old.intervalNs];
}

/** timerfd_gettime in seconds: [time left until the next expiration (relative, also for absolute timers), interval]. */
export function gettime(fd: number): [number, number] {
  const [v, i] = gettimeNs(fd);
  return [nsToSeconds(v), nsToSeconds(i)];
}

/** timerfd_gettime in bigint nanoseconds: [time left, interval]. */
export function gettimeNs(fd: number): [bigint, bigint] {
  const cur = timerfdGettime(cInt(fd, 'fd', 'EBADF'));
  return [cur.valueNs, cur.intervalNs];
}

/**
 * Expirations since the last read; blocks on a blocking fd, throws a SyscallError with code
 * EAGAIN on a non-blocking one. An fd that is not a timerfd is refused with EINVAL (as the
 * kernel's timerfd calls do) and nothing is read from it.
 */
export function read(fd: number): number {
  assertTimerfd(cInt(fd, 'fd', 'EBADF'));
  return timerfdRead(fd);
}

// timerfd_gettime reads nothing and fails with EINVAL on any other kind of fd: the check that
// keeps read() from consuming a pipe's or a socket's data.
function assertTimerfd(fd: number): void {
  try {
    timerfdGettime(fd);
  } catch (err) {
    if (!(err instanceof SyscallError)) throw err;
    const what = err.code === 'EINVAL' ? `fd ${fd} is not a timerfd (nothing was read from it)` : err.message.replace(/^timerfd_gettime: \S+: /, '');
    throw new SyscallError('read', err.code, err.errno, `read: ${err.code}: ${what}`);
  }
}

/** Closes the timerfd. */
export function close(fd: number): void {
  closeFd(cInt(fd, 'fd', 'EBADF'));
}
