// One timer paused while the others go on, on each kind of source (own fd, shared fd, deadline
// queue); flush() before a limit; fds watched for errors; wall times that agree with lateness.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Loop, type Expiration, type LoopTimer } from '../../src/loop/loop.js';
import { EPOLLERR } from '../../src/native/libc.js';
import { MS, delay, hrNow, sleepSync, waitFor } from '../helpers/kernel.js';
import { loopsClosedAfterEach } from '../helpers/loops.js';

const newLoop = loopsClosedAfterEach();

function recorder() {
  const events: Expiration[] = [];
  return { events, handler: (e: Expiration) => void events.push(e), total: () => events.reduce((n, e) => n + e.expirations, 0) };
}

// Deadlines of a fixed timer that are due by `now` (its clock).
function dueBy(t: LoopTimer, now: bigint): number {
  return now < t.first ? 0 : Number((now - t.first) / t.interval) + 1;
}

describe.each([
  ['its own timerfd', {}],
  ['the deadline queue', { maxFds: 0 }],
])('pause() on %s', (_what, options) => {
  it('stops one timer while another goes on; resume() delivers every expiration since, in one event', async () => {
    const loop = newLoop(options);
    const interval = 5n * MS;
    const a = recorder();
    const b = recorder();
    const [ta, tb] = loop.addAll([
      { options: { interval }, handler: a.handler },
      { options: { interval: interval + 1n }, handler: b.handler },
    ]);
    await waitFor(() => a.events.length >= 2, 2000, 'two ticks of a');
    ta!.pause();
    expect(ta!.paused).toBe(true);
    const seen = a.events.length;
    const bBefore = b.total();
    const pausedAt = hrNow();
    await waitFor(() => b.total() >= bBefore + 6, 3000, 'b going on');
    // Nothing for the paused timer, however long it waited.
    expect(a.events.length).toBe(seen);
    const resumedAt = hrNow();
    ta!.resume();
    await waitFor(() => a.events.length > seen, 2000, 'the event after resume');
    const caught = a.events[seen]!;
    // The catch-up event carries every deadline that passed while paused: at least those due
    // by the resume, and no more than those due when it was delivered.
    expect(caught.tick).toBeGreaterThanOrEqual(dueBy(ta!, resumedAt));
    expect(caught.tick).toBeLessThanOrEqual(dueBy(ta!, caught.time));
    expect(caught.expirations).toBeGreaterThanOrEqual(dueBy(ta!, resumedAt) - dueBy(ta!, pausedAt));
    // Ticks still add up, and b was never held up.
    expect(a.total()).toBe(a.events.at(-1)!.tick);
    expect(b.total()).toBe(b.events.at(-1)!.tick);
    ta!.cancel();
    tb!.cancel();
  });

  it('flush() delivers what expired for a paused timer, and it stays paused', async () => {
    const loop = newLoop(options);
    const a = recorder();
    const t = loop.add({ interval: 2n * MS }, a.handler);
    t.pause();
    await delay(30);
    expect(a.events).toHaveLength(0);
    const before = hrNow();
    t.flush();
    expect(a.events).toHaveLength(1);
    expect(a.events[0]!.tick).toBeGreaterThanOrEqual(dueBy(t, before));
    expect(t.paused).toBe(true);
    await delay(20);
    expect(a.events).toHaveLength(1);
    t.cancel();
  });
});

describe('pause() on a shared timerfd', () => {
  it('holds the paused member\'s share while the others are delivered, and hands it over on resume', async () => {
    const loop = newLoop();
    const interval = 4n * MS;
    const a = recorder();
    const b = recorder();
    // One reading of the clock: the same schedule, one timerfd for both.
    const [ta, tb] = loop.addAll([
      { options: { interval }, handler: a.handler },
      { options: { interval }, handler: b.handler },
    ]);
    expect(loop.fdCount).toBe(1);
    await waitFor(() => a.events.length >= 1, 2000, 'a first tick');
    ta!.pause();
    const seen = a.events.length;
    await waitFor(() => b.total() >= a.total() + 5, 3000, 'b going on');
    expect(a.events.length).toBe(seen);
    ta!.resume();
    // Handed over at once, not at the next expiration.
    expect(a.events.length).toBe(seen + 1);
    expect(a.events.at(-1)!.tick).toBe(b.events.at(-1)!.tick);
    await waitFor(() => a.events.length > seen + 1, 2000, 'a after resume');
    expect(a.total()).toBe(a.events.at(-1)!.tick);
    ta!.cancel();
    tb!.cancel();
  });

  it('all members paused: the fd no longer wakes the loop; a one-shot held for a paused member ends on resume', async () => {
    const loop = newLoop();
    const a = recorder();
    const b = recorder();
    const [ta, tb] = loop.addAll([
      { options: { delay: 20n * MS }, handler: a.handler },
      { options: { delay: 20n * MS }, handler: b.handler },
    ]);
    ta!.pause();
    await waitFor(() => b.events.length === 1, 2000, 'b fired');
    expect(a.events).toHaveLength(0);
    expect(ta!.armed).toBe(true);
    ta!.resume();
    expect(a.events).toHaveLength(1);
    expect(a.events[0]!.final).toBe(true);
    expect(ta!.armed).toBe(false);
    expect(tb!.armed).toBe(false);
    expect(loop.size).toBe(0);
  });
});

describe('watchErrors', () => {
  it('reports the write end of a pipe once its reader has gone, once', async () => {
    const loop = newLoop();
    const { readFd, writeFd } = fifoEnds();
    const seen: number[] = [];
    loop.watchErrors(writeFd, (events) => seen.push(events));
    // A timer keeps the loop waking, so a missed report would show.
    const tick = recorder();
    const t = loop.add({ interval: 5n * MS }, tick.handler);
    await waitFor(() => tick.events.length >= 3, 2000, 'ticks');
    expect(seen).toEqual([]);
    closeSync(readFd);
    await waitFor(() => seen.length > 0, 2000, 'the error report');
    expect(seen[0]! & EPOLLERR).toBe(EPOLLERR);
    const after = tick.events.length;
    await waitFor(() => tick.events.length >= after + 3, 2000, 'more ticks');
    expect(seen).toHaveLength(1);
    t.cancel();
    closeSync(writeFd);
  });

  it('refuses an fd epoll cannot watch (a regular file)', () => {
    const loop = newLoop();
    const file = path.join(tmpdir(), `timerstack-watch-${process.pid}`);
    writeFileSync(file, 'x');
    const fd = openSync(file, 'r');
    try {
      expect(() => loop.watchErrors(fd, () => {})).toThrow(/EPERM/);
    } finally {
      closeSync(fd);
      unlinkSync(file);
    }
  });
});

describe('wall time', () => {
  it('agrees with lateness when a handler earlier in the same wake-up takes long', async () => {
    const loop = newLoop();
    const events: Expiration[] = [];
    // Two own timerfds due at the same instant: one wake-up; the first handler is slow.
    loop.addAll([
      { options: { delay: 20n * MS }, handler: (e) => (events.push(e), sleepSync(30)) },
      { options: { delay: 20n * MS + 1n }, handler: (e) => void events.push(e) },
    ]);
    await waitFor(() => events.length === 2, 2000, 'both timers');
    for (const e of events) {
      const wallScheduled = e.scheduled + e.timer.wallOffset;
      const wallLatenessUs = Number(e.wallTime - wallScheduled) / 1000;
      // The same instant on both clocks, give or take the clocks' own slew (well under 2 ms).
      expect(Math.abs(wallLatenessUs - e.latenessUs)).toBeLessThan(2000);
    }
  });
});

// Both ends of a named pipe, opened without blocking (the reader first, so the writer can open).
function fifoEnds(): { readFd: number; writeFd: number } {
  const fifo = path.join(tmpdir(), `timerstack-fifo-${process.pid}-${Math.random().toString(36).slice(2)}`);
  execFileSync('mkfifo', [fifo]);
  try {
    const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    return { readFd, writeFd: openSync(fifo, constants.O_WRONLY) };
  } finally {
    unlinkSync(fifo);
  }
}
