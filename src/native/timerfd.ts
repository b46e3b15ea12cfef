// timerfd_create / settime / gettime / read / close, in nanoseconds (bigint), on libc.ts.
import {
  ITIMERSPEC_SIZE,
  check,
  lastErrno,
  libc,
  libcLoaded,
  syscallError,
} from './libc.js';
import { UsageError } from '../errors.js';

export const NS_PER_SEC = 1_000_000_000n;
export const MAX_TIMER_NS = 2n ** 63n - 1n;

/** A timerfd's setting, as timerfd_gettime reports it. */
export interface TimerValue {
  /** Nanoseconds until the next expiration (0n when disarmed). */
  readonly valueNs: bigint;
  /** Period of a periodic timer in nanoseconds (0n for a one-shot). */
  readonly intervalNs: bigint;
}

function checkNs(what: string, ns: bigint): void {
  if (ns < 0n) throw new UsageError(`${what} must not be negative (got ${ns} ns)`, 'EINVAL');
  if (ns > MAX_TIMER_NS) throw new UsageError(`${what} is past what a timerfd holds (max ${MAX_TIMER_NS} ns, about 292 years)`, 'EINVAL');
}

// An itimerspec as four native 64-bit integers (interval s, ns; value s, ns): typed-array stores
// and loads, where Buffer's write/readBigInt64LE are JavaScript (byte by byte, in baseline code
// 0.3-0.6 µs a field on the path of every wake-up, measured with perf).
function writeSpec(spec: BigInt64Array, valueNs: bigint, intervalNs: bigint): void {
  spec[0] = intervalNs / NS_PER_SEC;
  spec[1] = intervalNs % NS_PER_SEC;
  spec[2] = valueNs / NS_PER_SEC;
  spec[3] = valueNs % NS_PER_SEC;
}

function readSpec(spec: BigInt64Array): TimerValue {
  return {
    intervalNs: spec[0]! * NS_PER_SEC + spec[1]!,
    valueNs: spec[2]! * NS_PER_SEC + spec[3]!,
  };
}

const newSpec = new BigInt64Array(ITIMERSPEC_SIZE / 8);
const oldSpec = new BigInt64Array(ITIMERSPEC_SIZE / 8);
// The expiration count, a native uint64, as two 32-bit halves (low first on a little-endian CPU).
const count = new Uint32Array(2);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

// The count just read, as a number (exact up to 2^53; no BigInt on every tick).
function countRead(): number {
  return count[LOW]! + count[1 - LOW]! * 4294967296;
}

export function timerfdCreate(clockid: number, flags: number): number {
  return check('timerfd_create', libc().timerfd_create(clockid, flags));
}

// Arms (or, with value 0, disarms) a timer; returns the setting it replaced.
export function timerfdSettime(fd: number, flags: number, valueNs: bigint, intervalNs: bigint): TimerValue {
  checkNs('value', valueNs);
  checkNs('interval', intervalNs);
  writeSpec(newSpec, valueNs, intervalNs);
  check('timerfd_settime', libc().timerfd_settime(fd, flags, newSpec, oldSpec));
  return readSpec(oldSpec);
}

export function timerfdGettime(fd: number): TimerValue {
  check('timerfd_gettime', libc().timerfd_gettime(fd, oldSpec));
  return readSpec(oldSpec);
}

// Reads the expiration count (exactly 8 bytes, as the kernel requires). Throws EAGAIN on a
// non-blocking fd that has not expired, ECANCELED after a clock step under CANCEL_ON_SET.
export function timerfdRead(fd: number): number {
  const n = libc().read(fd, count, 8);
  if (n < 0) throw syscallError('read', lastErrno());
  // After a clock step backwards without CANCEL_ON_SET a read may return 0 expirations.
  if (n === 0) return 0;
  return countRead();
}

// Like timerfdRead, but "nothing yet" (EAGAIN) is 0 instead of an error: for draining after
// epoll said the fd was ready (another reader or a re-arm may have raced us).
export function timerfdDrain(fd: number): number {
  const n = (libcLoaded ?? libc()).read(fd, count, 8);
  if (n === 8) return countRead();
  if (n === 0) return 0;
  const errno = lastErrno();
  const err = syscallError('read', errno);
  if (err.code === 'EAGAIN' || err.code === 'EINTR') return 0;
  throw err;
}

export function closeFd(fd: number): void {
  check('close', libc().close(fd));
}

/**
 * The timerfd operations a {@link Loop} uses, as one swappable object (`LoopOptions.native`):
 * tests pass a fake to inject faults the kernel cannot be made to produce on demand, such as
 * ECANCELED after a clock step. Failures are thrown as SyscallError with the errno name as code.
 */
export interface TimerNative {
  /** timerfd_create: a new timerfd on `clockid`. */
  create(clockid: number, flags: number): number;
  /** timerfd_settime: arms (value 0: disarms) and returns the setting it replaced. */
  settime(fd: number, flags: number, valueNs: bigint, intervalNs: bigint): TimerValue;
  /** timerfd_gettime: the time left and the interval. */
  gettime(fd: number): TimerValue;
  /** read(): the expirations since the last read, 0 for none yet (EAGAIN). */
  drain(fd: number): number;
  /** close(). */
  close(fd: number): void;
}

export const kernelTimers: TimerNative = {
  create: timerfdCreate,
  settime: timerfdSettime,
  gettime: timerfdGettime,
  drain: timerfdDrain,
  close: closeFd,
};
