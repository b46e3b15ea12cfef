// Epoll add / modify / remove / drain with real timerfds.
import { afterEach, describe, expect, it } from 'vitest';
import { openSync, closeSync, readdirSync } from 'node:fs';
import { Epoll } from '../../src/native/epoll.js';
import { CLOCK_MONOTONIC, TFD_CLOEXEC, TFD_NONBLOCK, TFD_TIMER_ABSTIME } from '../../src/native/libc.js';
import { getFdLimit, isCloseOnExec } from '../../src/native/fd-limit.js';
import { closeFd, timerfdCreate, timerfdDrain, timerfdSettime } from '../../src/native/timerfd.js';
import { SyscallError } from '../../src/errors.js';
import { MS, hrNow } from '../helpers/kernel.js';

let fds: number[] = [];
let epolls: Epoll[] = [];

function epoll(): Epoll {
  const ep = new Epoll();
  epolls.push(ep);
  return ep;
}

function timerfd(): number {
  const fd = timerfdCreate(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  fds.push(fd);
  return fd;
}

// A timerfd that is already expired (absolute deadline long past).
function readyTimerfd(): number {
  const fd = timerfd();
  timerfdSettime(fd, TFD_TIMER_ABSTIME, 1n, 0n);
  return fd;
}

function drained(ep: Epoll, onReady?: (fd: number) => void): number[] {
  const seen: number[] = [];
  const n = ep.drain((fd) => {
    seen.push(fd);
    onReady?.(fd);
  });
  expect(n).toBe(seen.length);
  return seen;
}

function syscallCode(fn: () => unknown): { code: string; syscall: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SyscallError);
    return { code: (err as SyscallError).code, syscall: (err as SyscallError).syscall };
  }
  throw new Error('expected a SyscallError');
}

afterEach(() => {
  for (const ep of epolls) ep.close();
  for (const fd of fds) closeFd(fd);
  fds = [];
  epolls = [];
});

describe('Epoll', () => {
  it('the epoll fd is close-on-exec; close() twice is safe and really closes', () => {
    const ep = new Epoll();
    expect(isCloseOnExec(ep.fd)).toBe(true);
    ep.close();
    ep.close();
    expect(syscallCode(() => isCloseOnExec(ep.fd)).code).toBe('EBADF');
  });

  it('reports a ready timerfd with its own fd number, and only the ready one', () => {
    const ep = epoll();
    const idle = timerfd();
    timerfdSettime(idle, 0, 10_000_000_000n, 0n);
    const ready = readyTimerfd();
    ep.add(idle);
    ep.add(ready);
    expect(drained(ep)).toEqual([ready]);
  });

  it('nothing ready: drain returns 0 without blocking', () => {
    const ep = epoll();
    ep.add(timerfd());
    const t0 = hrNow();
    expect(drained(ep)).toEqual([]);
    expect(hrNow() - t0).toBeLessThan(20n * MS);
  });

  it('is level-triggered: unread stays ready, reading clears it', () => {
    const ep = epoll();
    const fd = readyTimerfd();
    ep.add(fd);
    expect(drained(ep)).toEqual([fd]);
    expect(drained(ep)).toEqual([fd]);
    expect(timerfdDrain(fd)).toBe(1);
    expect(drained(ep)).toEqual([]);
  });

  it('drain with a timeout waits for a timer to become ready', () => {
    const ep = epoll();
    const fd = timerfd();
    ep.add(fd);
    const t0 = hrNow();
    timerfdSettime(fd, 0, 20n * MS, 0n);
    expect(ep.drain(() => {}, 1000)).toBe(1);
    const waited = hrNow() - t0;
    expect(waited).toBeGreaterThanOrEqual(20n * MS);
    expect(waited).toBeLessThan(500n * MS);
  });

  it('a periodic timer becomes ready again after each read', () => {
    const ep = epoll();
    const fd = timerfd();
    ep.add(fd);
    timerfdSettime(fd, 0, 5n * MS, 5n * MS);
    let reads = 0;
    for (let i = 0; i < 3; i++) {
      expect(ep.drain((ready) => (reads += timerfdDrain(ready)), 1000)).toBe(1);
    }
    expect(reads).toBeGreaterThanOrEqual(3);
  });

  it('modify changes the events: without EPOLLIN a ready fd is not reported', () => {
    const ep = epoll();
    const fd = readyTimerfd();
    ep.add(fd);
    ep.modify(fd, 0);
    expect(drained(ep)).toEqual([]);
    ep.modify(fd);
    expect(drained(ep)).toEqual([fd]);
  });

  it('remove stops reports', () => {
    const ep = epoll();
    const a = readyTimerfd();
    const b = readyTimerfd();
    ep.add(a);
    ep.add(b);
    expect(drained(ep).sort()).toEqual([a, b].sort());
    ep.remove(a);
    expect(drained(ep)).toEqual([b]);
    ep.remove(b);
    expect(drained(ep)).toEqual([]);
  });

  it('EEXIST on a double add, ENOENT on modify or remove of an unknown fd', () => {
    const ep = epoll();
    const fd = timerfd();
    ep.add(fd);
    expect(syscallCode(() => ep.add(fd))).toEqual({ code: 'EEXIST', syscall: 'epoll_ctl(ADD)' });
    const other = timerfd();
    expect(syscallCode(() => ep.remove(other))).toEqual({ code: 'ENOENT', syscall: 'epoll_ctl(DEL)' });
    expect(syscallCode(() => ep.modify(other))).toEqual({ code: 'ENOENT', syscall: 'epoll_ctl(MOD)' });
    ep.remove(fd);
    expect(syscallCode(() => ep.remove(fd))).toEqual({ code: 'ENOENT', syscall: 'epoll_ctl(DEL)' });
  });

  it('EBADF for a bogus fd, EPERM for a regular file (epoll cannot watch one)', () => {
    const ep = epoll();
    expect(syscallCode(() => ep.add(987654))).toEqual({ code: 'EBADF', syscall: 'epoll_ctl(ADD)' });
    const file = openSync(new URL(import.meta.url).pathname, 'r');
    try {
      expect(syscallCode(() => ep.add(file))).toEqual({ code: 'EPERM', syscall: 'epoll_ctl(ADD)' });
    } finally {
      closeSync(file);
    }
  });

  // The advice for an errno depends on the call: EPERM means CAP_WAKE_ALARM only for timerfd_create.
  it('EPERM from epoll_ctl does not blame CAP_WAKE_ALARM', () => {
    const ep = epoll();
    const file = openSync(new URL(import.meta.url).pathname, 'r');
    let err: unknown;
    try {
      ep.add(file);
    } catch (e) {
      err = e;
    } finally {
      closeSync(file);
    }
    expect(err).toBeInstanceOf(SyscallError); // holds today
    expect((err as SyscallError).code).toBe('EPERM'); // holds today
    expect((err as Error).message).not.toContain('CAP_WAKE_ALARM'); // the bug
  });

  it('a closed timerfd drops out of the set', () => {
    const ep = epoll();
    const fd = readyTimerfd();
    ep.add(fd);
    closeFd(fd);
    fds = fds.filter((f) => f !== fd); // its number may be reused: never close it again
    expect(drained(ep)).toEqual([]);
  });

  it('more than one batch (1024) ready: waitOnce round-robins, drain returns them all', () => {
    const { soft } = getFdLimit();
    const inUse = readdirSync('/proc/self/fd').length;
    const want = 1500;
    if (soft - inUse - 64 < want) console.warn(`fd soft limit ${soft} is too low for ${want} timerfds`);
    expect(soft - inUse - 64).toBeGreaterThanOrEqual(want);
    const ep = epoll();
    const mine: number[] = [];
    for (let i = 0; i < want; i++) {
      const fd = readyTimerfd();
      ep.add(fd);
      mine.push(fd);
    }
    // waitOnce gives one batch and reads nothing: a second call gets 1024 again, and the two
    // cover every ready fd, since "successive epoll_wait() calls will round robin through the
    // set of ready file descriptors" (epoll_wait(2)).
    const first: number[] = [];
    const second: number[] = [];
    expect(ep.waitOnce((fd) => first.push(fd))).toBe(1024);
    expect(ep.waitOnce((fd) => second.push(fd))).toBe(1024);
    expect(new Set(first).size).toBe(1024);
    expect(new Set([...first, ...second]).size).toBe(want);
    // Reading each fd as it is reported (as a drain() caller must) empties the ready list.
    let expirations = 0;
    const seen = drained(ep, (fd) => (expirations += timerfdDrain(fd)));
    expect(seen.length).toBe(want);
    expect(new Set(seen).size).toBe(want);
    expect([...seen].sort((a, b) => a - b)).toEqual([...mine].sort((a, b) => a - b));
    expect(expirations).toBe(want);
    expect(drained(ep)).toEqual([]);
  });
});
