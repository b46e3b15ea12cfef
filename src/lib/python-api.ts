// The Python-compatible API: the seed extension's create / settime / gettime / read, kept and
// fixed: seconds as JS numbers, exact to the nanosecond where a double allows, plus bigint variants.
import { UsageError } from '../errors.js';
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

function toNs(value: bigint, what: string): bigint {
  if (typeof value !== 'bigint') throw new UsageError(`${what} must be a bigint of nanoseconds (got ${typeof value})`, 'EINVAL');
  return value;
}

/**
 * timerfd_create: a new timerfd on `clockid` (CLOCK_MONOTONIC …) with `flags` (TFD_NONBLOCK).
 * Close-on-exec is always added, so an armed timer never leaks into a spawned command.
 */
export function create(clockid: number, flags = 0): number {
  return timerfdCreate(clockid, flags | TFD_CLOEXEC);
}

/** timerfd_settime in seconds: arms the timer (value 0 disarms); returns the previous [value, interval]. */
export function settime(fd: number, flags: number, value: number, interval = 0): [number, number] {
  const [v, i] = settimeNs(fd, flags, secondsToNs(value, 'value'), secondsToNs(interval, 'interval'));
  return [nsToSeconds(v), nsToSeconds(i)];
}

/** timerfd_settime in bigint nanoseconds; returns the previous [value, interval]. */
export function settimeNs(fd: number, flags: number, valueNs: bigint, intervalNs = 0n): [bigint, bigint] {
  const old = timerfdSettime(fd, flags, toNs(valueNs, 'value'), toNs(intervalNs, 'interval'));
  return [old.valueNs, old.intervalNs];
}

/** timerfd_gettime in seconds: [time left until the next expiration (relative, also for absolute timers), interval]. */
export function gettime(fd: number): [number, number] {
  const [v, i] = gettimeNs(fd);
  return [nsToSeconds(v), nsToSeconds(i)];
}

/** timerfd_gettime in bigint nanoseconds: [time left, interval]. */
export function gettimeNs(fd: number): [bigint, bigint] {
  const cur = timerfdGettime(fd);
  return [cur.valueNs, cur.intervalNs];
}

/** Expirations since the last read; blocks on a blocking fd, throws a SyscallError with code EAGAIN on a non-blocking one. */
export function read(fd: number): number {
  return timerfdRead(fd);
}

/** Closes the timerfd. */
export function close(fd: number): void {
  closeFd(fd);
}
