// The seed API (create / settime / gettime / read, seconds and bigint ns) against the real kernel,
// in the spirit of LTP's timerfd01..04 and the errors listed in timerfd_create(2).
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { constants as osConstants, tmpdir } from 'node:os';
import { closeSync, mkdtempSync, openSync, readSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as seed from '../../src/lib/python-api.js';
import * as index from '../../src/index.js';
import { CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM, EPOLLIN, EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD, EPOLL_DATA_OFFSET, EPOLL_EVENT_SIZE, ITIMERSPEC_SIZE, TFD_CLOEXEC, TFD_NONBLOCK, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { isCloseOnExec } from '../../src/native/fd-limit.js';
import { MAX_TIMER_NS, timerfdCreate } from '../../src/native/timerfd.js';
import { Epoll } from '../../src/native/epoll.js';
import { SyscallError, UsageError } from '../../src/errors.js';
import { MS, distDir, fdinfo, hrNow, sleepSync, which } from '../helpers/kernel.js';

const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;

let open: number[] = [];

// Every fd a test opens goes through here and is closed afterwards (EBADF ignored: some tests
// close their own).
function track(fd: number): number {
  open.push(fd);
  return fd;
}
function newTimer(clock = CLOCK_MONOTONIC, flags = TFD_NONBLOCK): number {
  return track(seed.create(clock, flags));
}

afterEach(() => {
  for (const fd of open) {
    try {
      seed.close(fd);
    } catch {
      // already closed by the test
    }
  }
  open = [];
});

// Calls fn and returns what it threw (failing the test if it did not throw).
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}

function expectSyscallError(fn: () => unknown, code: string, syscall: string): SyscallError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SyscallError);
  const e = err as SyscallError;
  expect(e.code).toBe(code);
  expect(e.syscall).toBe(syscall);
  expect(e.errno).toBe(osConstants.errno[code as keyof typeof osConstants.errno]);
  expect(e.exitCode).toBe(125);
  expect(e.message).toContain(code);
  return e;
}

function expectUsageError(fn: () => unknown): UsageError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(125);
  return err as UsageError;
}

// Reads a timer that should not have fired yet: 0 for EAGAIN; a count only if `due()` says its
// time has come meanwhile (a loaded machine can stall a test for longer than the delay).
function readEarly(fd: number, due: () => boolean): number {
  try {
    const n = seed.read(fd);
    expect(due()).toBe(true);
    return n;
  } catch (err) {
    expect((err as SyscallError).code).toBe('EAGAIN');
    return 0;
  }
}

// Polls a non-blocking timerfd for up to `ms`; returns the count, or 0 if it never fired.
function readWithin(fd: number, ms: number): number {
  const end = hrNow() + BigInt(ms) * MS;
  for (;;) {
    try {
      return seed.read(fd);
    } catch (err) {
      if ((err as SyscallError).code !== 'EAGAIN') throw err;
      if (hrNow() > end) return 0;
      sleepSync(0.2);
    }
  }
}

describe('constants', () => {
  it('index exports the kernel values', () => {
    expect(index.CLOCK_REALTIME).toBe(0);
    expect(index.CLOCK_MONOTONIC).toBe(1);
    expect(index.CLOCK_BOOTTIME).toBe(7);
    expect(index.CLOCK_REALTIME_ALARM).toBe(8);
    expect(index.CLOCK_BOOTTIME_ALARM).toBe(9);
    expect(index.TFD_CLOEXEC).toBe(0o2000000);
    expect(index.TFD_CLOEXEC).toBe(0x80000);
    expect(index.TFD_CLOEXEC).not.toBe(0x8000);
    expect(index.TFD_NONBLOCK).toBe(0o4000);
    expect(index.TFD_TIMER_ABSTIME).toBe(1);
    expect(index.TFD_TIMER_CANCEL_ON_SET).toBe(2);
  });

  it('match what gcc and the C headers say on this machine', () => {
    const cc = which('gcc') ?? which('cc');
    if (!cc) console.warn('no C compiler on PATH: cannot compare constants with the C headers');
    expect(cc, 'gcc is expected on this machine').toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-consts-'));
    try {
      const src = path.join(dir, 'consts.c');
      const exe = path.join(dir, 'consts');
      writeFileSync(
        src,
        `#include <stdio.h>
#include <stddef.h>
#include <time.h>
#include <sys/timerfd.h>
#include <sys/epoll.h>
int main(void) {
  printf("{\\"TFD_CLOEXEC\\":%d,\\"TFD_NONBLOCK\\":%d,", TFD_CLOEXEC, TFD_NONBLOCK);
  printf("\\"TFD_TIMER_ABSTIME\\":%d,\\"TFD_TIMER_CANCEL_ON_SET\\":%d,", TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET);
  printf("\\"CLOCK_REALTIME\\":%d,\\"CLOCK_MONOTONIC\\":%d,\\"CLOCK_BOOTTIME\\":%d,", CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME);
  printf("\\"CLOCK_REALTIME_ALARM\\":%d,\\"CLOCK_BOOTTIME_ALARM\\":%d,", CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM);
  printf("\\"EPOLLIN\\":%d,\\"EPOLL_CLOEXEC\\":%d,", EPOLLIN, EPOLL_CLOEXEC);
  printf("\\"EPOLL_CTL_ADD\\":%d,\\"EPOLL_CTL_DEL\\":%d,\\"EPOLL_CTL_MOD\\":%d,", EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD);
  printf("\\"EPOLL_EVENT_SIZE\\":%zu,\\"EPOLL_DATA_OFFSET\\":%zu,", sizeof(struct epoll_event), offsetof(struct epoll_event, data));
  printf("\\"ITIMERSPEC_SIZE\\":%zu}\\n", sizeof(struct itimerspec));
  return 0;
}
`,
      );
      const build = spawnSync(cc!, ['-O0', '-o', exe, src], { encoding: 'utf8' });
      expect(build.stderr).toBe('');
      expect(build.status).toBe(0);
      const run = spawnSync(exe, { encoding: 'utf8' });
      expect(run.status).toBe(0);
      const c = JSON.parse(run.stdout) as Record<string, number>;
      expect({
        TFD_CLOEXEC,
        TFD_NONBLOCK,
        TFD_TIMER_ABSTIME,
        TFD_TIMER_CANCEL_ON_SET,
        CLOCK_REALTIME,
        CLOCK_MONOTONIC,
        CLOCK_BOOTTIME,
        CLOCK_REALTIME_ALARM,
        CLOCK_BOOTTIME_ALARM,
        EPOLLIN,
        EPOLL_CLOEXEC,
        EPOLL_CTL_ADD,
        EPOLL_CTL_DEL,
        EPOLL_CTL_MOD,
        EPOLL_EVENT_SIZE,
        EPOLL_DATA_OFFSET,
        ITIMERSPEC_SIZE,
      }).toEqual(c);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each([
  ['CLOCK_MONOTONIC', CLOCK_MONOTONIC],
  ['CLOCK_REALTIME', CLOCK_REALTIME],
  ['CLOCK_BOOTTIME', CLOCK_BOOTTIME],
])('%s', (_name, clock) => {
  it('creates a timerfd on that clock', () => {
    const fd = newTimer(clock);
    expect(fdinfo(fd).clockid).toBe(clock);
    expect(seed.gettimeNs(fd)).toEqual([0n, 0n]);
  });

  it('one-shot: arms, reports the time left, fires exactly once', () => {
    const fd = newTimer(clock);
    const t0 = hrNow();
    expect(seed.settime(fd, 0, 0.02)).toEqual([0, 0]);
    const [value, interval] = seed.gettime(fd);
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(0.02);
    expect(interval).toBe(0);
    const early = readEarly(fd, () => hrNow() - t0 >= 20n * MS); // not yet: EAGAIN
    sleepSync(30);
    expect(early || seed.read(fd)).toBe(1);
    // A fired one-shot is disarmed and does not fire again.
    expect(seed.gettimeNs(fd)).toEqual([0n, 0n]);
    sleepSync(5);
    expectSyscallError(() => seed.read(fd), 'EAGAIN', 'read');
  });

  it('periodic: the count follows the clock', () => {
    const fd = newTimer(clock);
    const t0 = hrNow();
    seed.settime(fd, 0, 0.01, 0.005);
    const t1 = hrNow();
    const [valueNs, intervalNs] = seed.gettimeNs(fd);
    expect(valueNs).toBeGreaterThan(0n);
    expect(valueNs).toBeLessThanOrEqual(10n * MS);
    expect(intervalNs).toBe(5n * MS);
    expect(seed.gettime(fd)[1]).toBe(0.005);
    sleepSync(32);
    const t2 = hrNow();
    const n = seed.read(fd);
    const t3 = hrNow();
    expect(n).toBeGreaterThanOrEqual(1);
    // Deadlines at 10, 15, 20 … ms after arming: no more than fit in the longest span, no
    // fewer than fit in the shortest (less one for hrtimer latency at the boundary).
    const most = Number((t3 - t0 - 10n * MS) / (5n * MS)) + 1;
    const least = Number((t2 - t1 - 10n * MS) / (5n * MS)) + 1 - 1;
    expect(n).toBeLessThanOrEqual(most);
    expect(n).toBeGreaterThanOrEqual(least);
    // Still armed, with the same interval.
    expect(seed.gettimeNs(fd)[1]).toBe(5n * MS);
  });

  it('absolute (TFD_TIMER_ABSTIME) in the future fires at that time', () => {
    const fd = newTimer(clock);
    const at = clockNow(clock) + 300n * MS;
    seed.settimeNs(fd, TFD_TIMER_ABSTIME, at);
    expect(fdinfo(fd).settimeFlags).toBe(TFD_TIMER_ABSTIME);
    const [left] = seed.gettimeNs(fd); // gettime is relative even for absolute timers
    expect(left).toBeLessThanOrEqual(300n * MS);
    if (clockNow(clock) < at) expect(left).toBeGreaterThan(0n);
    const early = readEarly(fd, () => clockNow(clock) >= at);
    expect(early || readWithin(fd, 10_000)).toBe(1);
    expect(clockNow(clock)).toBeGreaterThanOrEqual(at);
  });

  it('absolute in the past fires at once', () => {
    const fd = newTimer(clock);
    const t0 = hrNow();
    seed.settimeNs(fd, TFD_TIMER_ABSTIME, clockNow(clock) - 1_000_000_000n);
    expect(readWithin(fd, 10_000)).toBe(1);
    // Disarmed at once: a one-shot whose time had passed, not one waiting 1 s for some reason.
    expect(seed.gettimeNs(fd)).toEqual([0n, 0n]);
    expect(hrNow() - t0).toBeLessThan(1000n * MS);
  });
});

describe('expiration counts (overruns)', () => {
  it('a periodic 10 ms timer left unread for ~55 ms reports every period that passed', () => {
    const fd = newTimer();
    const t0 = hrNow();
    seed.settime(fd, 0, 0.01, 0.01);
    const t1 = hrNow();
    sleepSync(55);
    const t2 = hrNow();
    const n = seed.read(fd);
    const t3 = hrNow();
    // Deadlines at 10, 20, … ms after arming: no more than fit in the longest span measured
    // around it, no fewer than in the shortest (less one for the hrtimer at the boundary).
    expect(n).toBeLessThanOrEqual(Number((t3 - t0) / (10n * MS)));
    expect(n).toBeGreaterThanOrEqual(Math.max(1, Number((t2 - t1) / (10n * MS)) - 1));
    // Reading resets the count (unless the next period passed meanwhile).
    let again = 0;
    try {
      again = seed.read(fd);
    } catch (err) {
      expect((err as SyscallError).code).toBe('EAGAIN');
    }
    expect(again).toBeLessThanOrEqual(Number((hrNow() - t2) / (10n * MS)) + 1);
  });

  it('a periodic absolute timer started 100 ms in the past counts the missed ticks at once', () => {
    const fd = newTimer();
    const at = clockNow(CLOCK_MONOTONIC) - 100n * MS;
    seed.settimeNs(fd, TFD_TIMER_ABSTIME, at, 10n * MS);
    const n = readWithin(fd, 10_000);
    const after = clockNow(CLOCK_MONOTONIC);
    // Deadlines at -100, -90, … 0 ms: all 11 had passed when it was armed; no more than those
    // up to the moment after the read.
    expect(n).toBeGreaterThanOrEqual(11);
    expect(n).toBeLessThanOrEqual(Number((after - at) / (10n * MS)) + 1);
  });
});

describe('errors', () => {
  it('EAGAIN on a non-blocking fd not yet expired (armed or disarmed)', () => {
    const fd = newTimer();
    expectSyscallError(() => seed.read(fd), 'EAGAIN', 'read');
    seed.settime(fd, 0, 1);
    const e = expectSyscallError(() => seed.read(fd), 'EAGAIN', 'read');
    expect(e.message).toMatch(/not expired/);
  });

  it('EBADF for settime / gettime / read / close on a closed fd', () => {
    const fd = seed.create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    seed.close(fd);
    expectSyscallError(() => seed.settime(fd, 0, 1), 'EBADF', 'timerfd_settime');
    expectSyscallError(() => seed.gettime(fd), 'EBADF', 'timerfd_gettime');
    expectSyscallError(() => seed.read(fd), 'EBADF', 'read');
    expectSyscallError(() => seed.close(fd), 'EBADF', 'close');
  });

  it('EBADF for a bogus fd', () => {
    const bogus = 987654;
    expectSyscallError(() => seed.settime(bogus, 0, 1), 'EBADF', 'timerfd_settime');
    expectSyscallError(() => seed.settimeNs(bogus, 0, 1n), 'EBADF', 'timerfd_settime');
    expectSyscallError(() => seed.gettime(bogus), 'EBADF', 'timerfd_gettime');
    expectSyscallError(() => seed.read(bogus), 'EBADF', 'read');
    expectSyscallError(() => seed.settime(-1, 0, 1), 'EBADF', 'timerfd_settime');
  });

  it('EINVAL for a bad clock id and bad flags to create', () => {
    expectSyscallError(() => seed.create(12345), 'EINVAL', 'timerfd_create');
    expectSyscallError(() => seed.create(-1), 'EINVAL', 'timerfd_create');
    // CLOCK_PROCESS_CPUTIME_ID (2) is a real clock, but not one timerfd accepts.
    expectSyscallError(() => seed.create(2), 'EINVAL', 'timerfd_create');
    expectSyscallError(() => seed.create(CLOCK_MONOTONIC, 0x1234), 'EINVAL', 'timerfd_create');
  });

  it('EINVAL for bad flags to settime', () => {
    const fd = newTimer();
    expectSyscallError(() => seed.settime(fd, 0x100, 1), 'EINVAL', 'timerfd_settime');
    expect(seed.gettimeNs(fd)).toEqual([0n, 0n]);
  });

  it('EINVAL for settime / gettime on an fd that is not a timerfd', () => {
    const devnull = openSync('/dev/null', 'r');
    const ep = new Epoll();
    try {
      expectSyscallError(() => seed.settime(devnull, 0, 1), 'EINVAL', 'timerfd_settime');
      expectSyscallError(() => seed.gettime(devnull), 'EINVAL', 'timerfd_gettime');
      expectSyscallError(() => seed.settime(ep.fd, 0, 1), 'EINVAL', 'timerfd_settime');
      expectSyscallError(() => seed.gettime(ep.fd), 'EINVAL', 'timerfd_gettime');
      // Reading 8 bytes from an epoll fd is EINVAL too.
      expectSyscallError(() => seed.read(ep.fd), 'EINVAL', 'read');
    } finally {
      closeSync(devnull);
      ep.close();
    }
  });
});

describe('arguments a C int cannot hold, and a non-timerfd given to read()', () => {
  it.each([NaN, 1.5, Infinity, 2 ** 31, '0' as unknown as number])('settime refuses flags %s before any call: nothing armed', (flags) => {
    const fd = newTimer();
    const err = expectUsageError(() => seed.settime(fd, flags, 1));
    expect(err.code).toBe('EINVAL');
    expect(err.message).toMatch(/^flags must be an integer/);
    expect(seed.gettimeNs(fd)).toEqual([0n, 0n]);
    expectUsageError(() => seed.settimeNs(fd, flags, 1n));
    expectUsageError(() => seed.create(CLOCK_MONOTONIC, flags));
  });

  it('an fd of 3.5 (or NaN) is refused by settime / gettime / read / close: the timer at the whole number is not touched', () => {
    const fd = newTimer();
    seed.settime(fd, 0, 5);
    for (const bad of [fd + 0.5, NaN]) {
      for (const call of [() => seed.settime(bad, 0, 0), () => seed.settimeNs(bad, 0, 0n), () => seed.gettime(bad), () => seed.read(bad), () => seed.close(bad)]) {
        const err = expectUsageError(call);
        expect(err.code).toBe('EBADF');
        expect(err.message).toBe(`fd must be an integer (got ${String(bad)})`);
      }
    }
    const [value] = seed.gettime(fd); // still armed, still open
    expect(value).toBeGreaterThan(4);
    expectUsageError(() => seed.create(1.5));
  });

  it('a value that rounds to 0 ns is refused (it would disarm), and so is such an interval (a one-shot)', () => {
    const fd = newTimer();
    seed.settime(fd, 0, 5, 1);
    const v = expectUsageError(() => seed.settime(fd, 0, 1e-12));
    expect(v.code).toBe('EINVAL');
    expect(v.message).toMatch(/^value 1e-12 s is under half a nanosecond and rounds to 0, which disarms the timer/);
    const i = expectUsageError(() => seed.settime(fd, 0, 1, 4e-10));
    expect(i.message).toMatch(/^interval 4e-10 s .* rounds to 0, which makes it a one-shot/);
    // The setting before is untouched; 0 still disarms, and 1e-9 is 1 ns.
    const [value, interval] = seed.gettime(fd);
    expect(value).toBeGreaterThan(4);
    expect(interval).toBe(1);
    expect(seed.settime(fd, 0, 0)[0]).toBeGreaterThan(4);
    seed.settime(fd, 0, 10, 1e-9);
    expect(seed.gettimeNs(fd)[1]).toBe(1n);
  });

  it('read() on a file that is not a timerfd: EINVAL, and its data is still there to read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-notimer-'));
    const file = path.join(dir, 'data');
    writeFileSync(file, 'ABCDEFGHIJKLMNOP');
    const fd = openSync(file, 'r');
    try {
      expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe(file);
      const err = expectSyscallError(() => seed.read(fd), 'EINVAL', 'read');
      expect(err.message).toBe(`read: EINVAL: fd ${fd} is not a timerfd (nothing was read from it)`);
      // The file offset did not move: the first 8 bytes are still the next ones.
      const buf = Buffer.alloc(8);
      expect(readSync(fd, buf, 0, 8, null)).toBe(8);
      expect(buf.toString()).toBe('ABCDEFGH');
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
    // A timerfd is one (the kernel's name for it), and reads as before.
    const timer = newTimer();
    expect(readlinkSync(`/proc/self/fd/${timer}`)).toBe('anon_inode:[timerfd]');
    seed.settime(timer, 0, 1e-6);
    expect(readWithin(timer, 10_000)).toBe(1);
  });
});

describe('arming', () => {
  it('settime(fd, 0, 0, 0) disarms and returns what was armed', () => {
    const fd = newTimer();
    const t0 = hrNow();
    seed.settime(fd, 0, 1, 0.5);
    const [oldValue, oldInterval] = seed.settime(fd, 0, 0, 0);
    expect(oldValue).toBeGreaterThanOrEqual(1 - Number(hrNow() - t0) / 1e9);
    expect(oldValue).toBeLessThanOrEqual(1);
    expect(oldInterval).toBe(0.5);
    expect(seed.gettime(fd)).toEqual([0, 0]);
    expectSyscallError(() => seed.read(fd), 'EAGAIN', 'read');
  });

  it('re-arming an armed timer returns the old setting; the new one holds', () => {
    const fd = newTimer();
    const t0 = hrNow();
    seed.settime(fd, 0, 2, 0.5);
    const [v, i] = seed.settime(fd, 0, 3, 0.25);
    const t1 = hrNow();
    expect(v).toBeGreaterThanOrEqual(2 - Number(t1 - t0) / 1e9);
    expect(v).toBeLessThanOrEqual(2);
    expect(i).toBe(0.5);
    const [v2, i2] = seed.gettime(fd);
    // Armed for 3 s at some instant after t0 (not after t1: the second settime ran before t1).
    expect(v2).toBeGreaterThanOrEqual(3 - Number(hrNow() - t0) / 1e9);
    expect(v2).toBeLessThanOrEqual(3);
    expect(i2).toBe(0.25);
  });

  it('one-shot → periodic and back', () => {
    const fd = newTimer();
    seed.settime(fd, 0, 1);
    const [, wasInterval] = seed.settime(fd, 0, 0.005, 0.005);
    expect(wasInterval).toBe(0);
    sleepSync(23);
    expect(seed.read(fd)).toBeGreaterThanOrEqual(2); // periodic now
    const [, periodicInterval] = seed.settime(fd, 0, 0.005, 0);
    expect(periodicInterval).toBe(0.005);
    expect(seed.gettimeNs(fd)[1]).toBe(0n);
    sleepSync(20);
    expect(seed.read(fd)).toBe(1); // one-shot again: once, however long we wait
    sleepSync(15);
    expectSyscallError(() => seed.read(fd), 'EAGAIN', 'read');
    expect(seed.gettimeNs(fd)).toEqual([0n, 0n]);
  });

  it('re-arming discards unread expirations', () => {
    const control = newTimer();
    const fd = newTimer();
    seed.settime(control, 0, 0.005, 0.005);
    seed.settime(fd, 0, 0.005, 0.005);
    sleepSync(30);
    // The twin shows what was pending: several expirations.
    expect(seed.read(control)).toBeGreaterThanOrEqual(3);
    // Re-armed for 10 s from now: the old count is gone, and nothing new can have expired.
    seed.settime(fd, 0, 10, 0.005);
    expectSyscallError(() => seed.read(fd), 'EAGAIN', 'read');
    // Re-armed again at 5 ms: it counts from the new arming only.
    const t0 = hrNow();
    seed.settime(fd, 0, 0.005, 0.005);
    const n = readWithin(fd, 10_000);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(Number((hrNow() - t0) / (5n * MS)));
  });

  it('settimeNs / gettimeNs keep nanoseconds exact', () => {
    const fd = newTimer();
    const t0 = hrNow();
    seed.settimeNs(fd, 0, 5_000_000_000n, 1_000_000_001n);
    const [value, interval] = seed.gettimeNs(fd);
    expect(interval).toBe(1_000_000_001n);
    expect(value).toBeGreaterThanOrEqual(5_000_000_000n - (hrNow() - t0));
    expect(value).toBeLessThanOrEqual(5_000_000_000n);
    const [, oldInterval] = seed.settimeNs(fd, 0, 7n, 999_999_999n);
    expect(oldInterval).toBe(1_000_000_001n);
    expect(seed.gettimeNs(fd)[1]).toBe(999_999_999n);
  });

  it('seconds as doubles keep their nanoseconds through the kernel', () => {
    const fd = newTimer();
    seed.settime(fd, 0, 100, 0.1);
    expect(seed.gettimeNs(fd)[1]).toBe(100_000_000n);
    seed.settime(fd, 0, 100, 1.5);
    expect(seed.gettimeNs(fd)[1]).toBe(1_500_000_000n);
    seed.settime(fd, 0, 100, 1e-9);
    expect(seed.gettimeNs(fd)[1]).toBe(1n);
  });

  it('CANCEL_ON_SET: an absolute realtime timer arms and fires normally', () => {
    const fd = newTimer(CLOCK_REALTIME);
    const at = clockNow(CLOCK_REALTIME) + 20n * MS;
    seed.settimeNs(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, at);
    expect(fdinfo(fd).settimeFlags).toBe(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET);
    const early = readEarly(fd, () => clockNow(CLOCK_REALTIME) >= at);
    expect(early || readWithin(fd, 10_000)).toBe(1);
    expect(clockNow(CLOCK_REALTIME)).toBeGreaterThanOrEqual(at);
  });
});

describe('secondsToNs and input checks', () => {
  it.each([
    [0, 0n],
    [0.1, 100_000_000n],
    [1.5, 1_500_000_000n],
    [1e-9, 1n],
    [0.3, 300_000_000n],
    [1700000000.5, 1_700_000_000_500_000_000n],
    [9.999999999, 9_999_999_999n],
  ])('secondsToNs(%d) === %sn', (s, ns) => {
    expect(seed.secondsToNs(s)).toBe(ns);
  });

  it('nsToSeconds inverts it for representable values', () => {
    expect(seed.nsToSeconds(1_500_000_000n)).toBe(1.5);
    expect(seed.nsToSeconds(100_000_000n)).toBe(0.1);
    expect(seed.nsToSeconds(1n)).toBe(1e-9);
  });

  it.each([-1, -1e-9, NaN, Infinity, -Infinity])('refuses %d before any syscall', (bad) => {
    const fd = newTimer();
    seed.settimeNs(fd, 0, 10_000_000_000n, 3_000_000_000n);
    expectUsageError(() => seed.secondsToNs(bad));
    expectUsageError(() => seed.settime(fd, 0, bad));
    expectUsageError(() => seed.settime(fd, 0, 1, bad));
    // Nothing reached the kernel: the fd keeps its setting…
    const [v, i] = seed.gettimeNs(fd);
    expect(i).toBe(3_000_000_000n);
    expect(v).toBeGreaterThan(9_000_000_000n);
    // …and a bogus fd gets the usage error, not EBADF.
    expectUsageError(() => seed.settime(987654, 0, bad));
  });

  it('refuses values past 2^63-1 ns before any syscall', () => {
    const fd = newTimer();
    seed.settimeNs(fd, 0, 10_000_000_000n, 3_000_000_000n);
    expectUsageError(() => seed.settimeNs(fd, 0, MAX_TIMER_NS + 1n));
    expectUsageError(() => seed.settimeNs(fd, 0, 1n, 2n ** 64n));
    expectUsageError(() => seed.settimeNs(fd, 0, -1n));
    expectUsageError(() => seed.settime(fd, 0, 1e10)); // 1e19 ns
    expectUsageError(() => seed.settimeNs(987654, 0, 2n ** 63n));
    expect(seed.gettimeNs(fd)[1]).toBe(3_000_000_000n);
    // The largest value is accepted; the kernel clamps the deadline now + value to KTIME_MAX,
    // so what is left is KTIME_MAX - now.
    seed.settimeNs(fd, 0, MAX_TIMER_NS);
    const left = seed.gettimeNs(fd)[0];
    expect(left).toBeLessThanOrEqual(MAX_TIMER_NS - clockNow(CLOCK_MONOTONIC) + 1_000_000_000n);
    expect(left).toBeGreaterThan(MAX_TIMER_NS - clockNow(CLOCK_MONOTONIC) - 1_000_000_000n);
  });

  it('settimeNs refuses numbers (seconds would be taken for nanoseconds)', () => {
    const fd = newTimer();
    expectUsageError(() => seed.settimeNs(fd, 0, 5 as unknown as bigint));
    expectUsageError(() => seed.settimeNs(fd, 0, 5n, 5 as unknown as bigint));
    expect(seed.gettimeNs(fd)).toEqual([0n, 0n]);
  });
});

describe('fd flags', () => {
  it('close-on-exec is always set, even for create(clock, 0)', () => {
    const plain = newTimer(CLOCK_MONOTONIC, 0);
    expect(isCloseOnExec(plain)).toBe(true);
    expect(fdinfo(plain).flags & O_CLOEXEC).toBe(O_CLOEXEC);
    expect(fdinfo(plain).flags & O_NONBLOCK).toBe(0);
    const explicit = newTimer(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    expect(isCloseOnExec(explicit)).toBe(true);
  });

  it('a spawned command does not inherit the timerfd (and would without CLOEXEC)', () => {
    const safe = newTimer(CLOCK_MONOTONIC, 0);
    seed.settime(safe, 0, 10);
    // A control made below the seed API, without TFD_CLOEXEC, shows the check can see a leak.
    const leaky = track(timerfdCreate(CLOCK_MONOTONIC, 0));
    expect(isCloseOnExec(leaky)).toBe(false);
    const r = spawnSync('sh', ['-c', 'ls -l /proc/$$/fd'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const timerfds = [...r.stdout.matchAll(/ (\d+) -> anon_inode:\[timerfd\]/g)].map((m) => Number(m[1]));
    expect(timerfds).toContain(leaky);
    expect(timerfds).not.toContain(safe);
  });

  it('TFD_NONBLOCK is respected: EAGAIN with it, a blocking read without it', () => {
    const nb = newTimer(CLOCK_MONOTONIC, TFD_NONBLOCK);
    expect(fdinfo(nb).flags & O_NONBLOCK).toBe(O_NONBLOCK);
    seed.settime(nb, 0, 10);
    const t0 = hrNow();
    expectSyscallError(() => seed.read(nb), 'EAGAIN', 'read');
    // A blocking read would have waited the 10 s.
    expect(hrNow() - t0).toBeLessThan(5000n * MS);

    const blocking = newTimer(CLOCK_MONOTONIC, 0);
    const t1 = hrNow();
    seed.settime(blocking, 0, 0.02);
    expect(seed.read(blocking)).toBe(1); // waits for the expiry
    expect(hrNow() - t1).toBeGreaterThanOrEqual(20n * MS);
  });
});

describe('ALARM clocks', () => {
  it('CLOCK_REALTIME_ALARM: works here, or fails with a reason that says what to do', () => {
    let fd: number | undefined;
    try {
      fd = newTimer(CLOCK_REALTIME_ALARM);
    } catch (err) {
      const e = err as SyscallError;
      console.warn(`CLOCK_REALTIME_ALARM refused here: ${e.message}`);
      expect(e).toBeInstanceOf(SyscallError);
      expect(['EPERM', 'EINVAL', 'ENODEV']).toContain(e.code);
      if (e.code === 'EPERM') expect(e.message).toContain('CAP_WAKE_ALARM');
      if (e.code === 'ENODEV') expect(e.message).toMatch(/not supported/);
      return;
    }
    expect(fdinfo(fd).clockid).toBe(CLOCK_REALTIME_ALARM);
    seed.settimeNs(fd, TFD_TIMER_ABSTIME, clockNow(CLOCK_REALTIME) + 10n * MS);
    expect(readWithin(fd, 10_000)).toBe(1);
  });

  const setpriv = which('setpriv');
  const capsh = which('capsh');
  const canDrop = process.getuid?.() === 0 && (setpriv !== undefined || capsh !== undefined);
  if (!canDrop) console.warn('skipping the EPERM test: needs root plus setpriv or capsh to drop CAP_WAKE_ALARM');

  // Without CAP_WAKE_ALARM the kernel answers EPERM (timerfd_create(2)).
  it.skipIf(!canDrop)('EPERM without CAP_WAKE_ALARM, with a message that names it', () => {
    const program = `
      const seed = await import(${JSON.stringify(path.join(distDir, 'lib', 'python-api.js'))});
      const out = {};
      try { seed.close(seed.create(${CLOCK_MONOTONIC})); out.monotonic = 'ok'; } catch (e) { out.monotonic = e.code; }
      for (const [name, id] of [['boottimeAlarm', ${CLOCK_BOOTTIME_ALARM}], ['realtimeAlarm', ${CLOCK_REALTIME_ALARM}]]) {
        try { seed.close(seed.create(id)); out[name] = { code: 'ok' }; }
        catch (e) { out[name] = { code: e.code, syscall: e.syscall, message: e.message }; }
      }
      console.log(JSON.stringify(out));`;
    const node = process.execPath;
    const r = setpriv
      ? spawnSync(setpriv, ['--inh-caps=-all', '--bounding-set=-all', '--reuid=65534', '--regid=65534', '--clear-groups',
          node, '--input-type=module', '-e', program], { encoding: 'utf8', timeout: 10_000 })
      : spawnSync(capsh!, ['--drop=cap_wake_alarm', '--', '-c', '"$0" --input-type=module -e "$1"', node, program],
          { encoding: 'utf8', timeout: 10_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, { code: string; syscall: string; message: string } | string>;
    expect(out.monotonic).toBe('ok'); // the child can make timerfds at all
    for (const key of ['boottimeAlarm', 'realtimeAlarm']) {
      const e = out[key] as { code: string; syscall: string; message: string };
      expect(e.code).toBe('EPERM');
      expect(e.syscall).toBe('timerfd_create');
      expect(e.message).toContain('CAP_WAKE_ALARM');
    }
  });
});
