// The Loop on real timerfds: own fds, shared fds, the deadline queue, missed ticks, lifetimes,
// and (through a fake native layer) ECANCELED after a clock step.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Loop, LoopTimer, type Expiration, type LoopNotice } from '../../src/loop/loop.js';
import { CLOCK_MONOTONIC, CLOCK_REALTIME, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { UsageError } from '../../src/errors.js';
import { CancelOnceNative } from '../native/fake-native.js';
import { MS, delay, distDir, median, runNode, sleepSync, waitFor } from '../helpers/kernel.js';
import { loopsClosedAfterEach } from '../helpers/loops.js';

// These tests count fds and settime calls: the warm-up wake's own fd is left out of them
// (warmup.kernel.test.ts tests it).
const newLoop = loopsClosedAfterEach({ warmup: false });

// Records every event per timer.
class Recorder {
  readonly events = new Map<LoopTimer, Expiration[]>();
  readonly all: Expiration[] = [];
  handler = (e: Expiration): void => {
    this.all.push(e);
    let list = this.events.get(e.timer);
    if (!list) this.events.set(e.timer, (list = []));
    list.push(e);
  };
  of(t: LoopTimer): Expiration[] {
    return this.events.get(t) ?? [];
  }
}

// The invariants every event sequence of one timer must keep. Checked in plain code and
// asserted once: thousands of events would make one expect() each slow.
function sequenceProblems(t: LoopTimer, events: Expiration[]): string[] {
  const problems: string[] = [];
  let total = 0;
  for (const e of events) {
    const at = `${t.name} tick ${e.tick}`;
    if (e.timer !== t) problems.push(`${at}: event of another timer`);
    if (e.expirations < 1) problems.push(`${at}: expirations ${e.expirations}`);
    total += e.expirations;
    // Ticks add up: none lost, none counted twice.
    if (e.tick !== total) problems.push(`${at}: expected tick ${total}`);
    // No drift: deadlines are first + k*interval.
    if (e.scheduled !== t.first + BigInt(e.tick - 1) * t.interval) problems.push(`${at}: scheduled ${e.scheduled}`);
    // Never early.
    if (e.time < e.scheduled) problems.push(`${at}: time ${e.time} before scheduled ${e.scheduled}`);
    if (e.latenessUs !== Number(e.time - e.scheduled) / 1000) problems.push(`${at}: latenessUs ${e.latenessUs}`);
  }
  return problems;
}

function checkSequence(t: LoopTimer, events: Expiration[]): void {
  expect(sequenceProblems(t, events)).toEqual([]);
}

// How many deadlines first + k*interval are <= time.
function deadlinesBy(t: LoopTimer, time: bigint): number {
  return Number((time - t.first) / t.interval) + 1;
}

describe('Loop with its own timerfds', () => {
  it('a one-shot fires once and releases its fd', async () => {
    const native = new CancelOnceNative(); // pass-through, to see creates and closes
    const loop = newLoop({ native });
    const rec = new Recorder();
    const before = clockNow(CLOCK_MONOTONIC);
    const t = loop.add({ delay: 10n * MS }, rec.handler);
    const after = clockNow(CLOCK_MONOTONIC);
    expect(t.first).toBeGreaterThanOrEqual(before + 10n * MS);
    expect(t.first).toBeLessThanOrEqual(after + 10n * MS);
    expect(loop.fdCount).toBe(1);
    expect(loop.size).toBe(1);
    expect(t.armed).toBe(true);
    expect(t.next).toBe(t.first);
    // The kernel's time left, read between two clock readings (0 once the deadline has passed:
    // a loaded machine can hold the test past it, as it did once under two busy loops).
    const asked = clockNow(CLOCK_MONOTONIC);
    const left = t.remaining();
    const answered = clockNow(CLOCK_MONOTONIC);
    const untilDeadline = (at: bigint) => (t.first > at ? t.first - at : 0n);
    expect(left).toBeLessThanOrEqual(untilDeadline(asked));
    expect(left).toBeGreaterThanOrEqual(untilDeadline(answered));
    await waitFor(() => rec.all.length > 0, 2000, 'the one-shot');
    await delay(25);
    expect(rec.all).toHaveLength(1);
    const [e] = rec.all;
    expect(e!.tick).toBe(1);
    expect(e!.expirations).toBe(1);
    expect(e!.scheduled).toBe(t.first);
    checkSequence(t, rec.all);
    expect(loop.fdCount).toBe(0);
    expect(loop.size).toBe(0);
    expect(t.armed).toBe(false);
    expect(t.next).toBeUndefined();
    expect(native.created).toHaveLength(1);
    expect(native.closed).toEqual(native.created);
  });

  it('delay 0n and at 0n fire at once', async () => {
    const loop = newLoop();
    const rec = new Recorder();
    const t0 = clockNow(CLOCK_MONOTONIC);
    const a = loop.add({ delay: 0n }, rec.handler);
    const b = loop.add({ at: 0n }, rec.handler); // absolute 0 must not disarm the timerfd
    await waitFor(() => rec.all.length === 2, 1000, 'both timers');
    for (const t of [a, b]) expect(rec.of(t)[0]!.time - t0).toBeLessThan(500n * MS);
    expect(loop.size).toBe(0);
  });

  it('periodic 5 ms × 20: ticks in order, no drift, small lateness', async () => {
    const loop = newLoop();
    const interval = 5n * MS;
    const rec = new Recorder();
    const before = clockNow(CLOCK_MONOTONIC);
    const t: LoopTimer = loop.add({ interval }, (e) => {
      rec.handler(e);
      if (e.tick >= 20) t.cancel();
    });
    const after = clockNow(CLOCK_MONOTONIC);
    // Without delay or at, the first expiration is one interval away.
    expect(t.first).toBeGreaterThanOrEqual(before + interval);
    expect(t.first).toBeLessThanOrEqual(after + interval);
    expect(t.remaining()).toBeLessThanOrEqual(interval);
    await waitFor(() => !t.armed, 3000, '20 ticks');
    const events = rec.of(t);
    checkSequence(t, events);
    const ticks = events.map((e) => e.tick);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(20);
    expect(ticks.at(-2)).toBeLessThan(20);
    // With no wake-up missed the ticks are exactly 1..20.
    if (events.every((e) => e.expirations === 1)) expect(ticks).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // No drift: deadlines are the kernel's, first + k*interval, whatever the lateness.
    for (const e of events) expect(e.scheduled - events[0]!.scheduled).toBe(BigInt(e.tick - events[0]!.tick) * interval);
    // The count is the kernel's: never a deadline still in the future.
    for (const e of events) {
      expect(e.tick).toBeLessThanOrEqual(deadlinesBy(t, e.time));
      expect(e.tick).toBeGreaterThanOrEqual(deadlinesBy(t, e.time) - 1);
    }
    expect(median(events.map((e) => e.latenessUs))).toBeLessThan(5000);
    expect(loop.fdCount).toBe(0);
    expect(loop.size).toBe(0);
  });

  it('missed ticks are counted when the event loop is blocked', async () => {
    const loop = newLoop();
    const interval = 5n * MS;
    const rec = new Recorder();
    let blockedAt = 0;
    const t: LoopTimer = loop.add({ interval }, (e) => {
      rec.handler(e);
      if (blockedAt === 0 && e.tick >= 3) {
        blockedAt = e.tick;
        sleepSync(50);
      } else if (blockedAt > 0 && rec.of(t).length >= 5) {
        t.cancel();
      }
    });
    await waitFor(() => !t.armed, 3000, 'ticks after the block');
    const events = rec.of(t);
    checkSequence(t, events);
    const i = events.findIndex((e) => e.tick === blockedAt);
    const next = events[i + 1]!;
    // ~10 deadlines passed during 50 ms; one read reports them all.
    expect(next.expirations).toBeGreaterThanOrEqual(5);
    expect(next.tick).toBe(blockedAt + next.expirations);
    expect(next.tick).toBeLessThanOrEqual(deadlinesBy(t, next.time));
  });

  it('cancel() from inside the handler stops it at once', async () => {
    const loop = newLoop();
    const rec = new Recorder();
    const t: LoopTimer = loop.add({ interval: 5n * MS, delay: 0n }, (e) => {
      rec.handler(e);
      t.cancel();
      t.cancel(); // twice is harmless
    });
    await waitFor(() => rec.all.length > 0, 1000, 'the first tick');
    await delay(40);
    expect(rec.all).toHaveLength(1);
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
    expect(t.remaining()).toBe(0n);
  });

  it('pause() holds events back; resume() delivers one event carrying every expiration', async () => {
    const loop = newLoop();
    const rec = new Recorder();
    const interval = 5n * MS;
    const t = loop.add({ interval }, rec.handler);
    await waitFor(() => rec.all.length >= 2, 2000, 'two ticks');
    loop.pause();
    const seen = rec.all.length;
    await delay(40);
    expect(rec.all.length).toBe(seen);
    loop.resume();
    await waitFor(() => rec.all.length > seen, 2000, 'the event after resume');
    t.cancel();
    checkSequence(t, rec.all);
    expect(rec.all[seen]!.expirations).toBeGreaterThanOrEqual(5); // ~8 deadlines in 40 ms
  });

  it('validates before arming anything', () => {
    const loop = newLoop();
    const bad = [
      { delay: -1n },
      { interval: -5n },
      { at: -1n },
      { delay: 5 as unknown as bigint },
      { delay: 1n, at: 1n },
      { clock: 'tai' as 'monotonic' },
    ];
    for (const options of bad) expect(() => loop.add(options, () => {})).toThrow(UsageError);
    // addAll checks every entry first: one bad entry arms none.
    expect(() =>
      loop.addAll([
        { options: { delay: 10n * MS }, handler: () => {} },
        { options: { delay: -1n }, handler: () => {} },
      ]),
    ).toThrow(UsageError);
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
  });

  it('refuses new timers once closed, and close() disarms everything', () => {
    const loop = newLoop();
    const t = loop.add({ delay: 10_000_000_000n }, () => {});
    loop.close();
    expect(t.armed).toBe(false);
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
    expect(() => loop.add({ delay: 1n }, () => {})).toThrow(UsageError);
    loop.close(); // twice is safe
  });
});

describe('Loop: shared timerfds', () => {
  it('50 identical timers added together share one fd and get identical, exact counts', async () => {
    const native = new CancelOnceNative();
    const loop = newLoop({ native });
    const rec = new Recorder();
    const interval = 5n * MS;
    const timers = loop.addAll(
      Array.from({ length: 50 }, () => ({
        options: { interval },
        handler: (e: Expiration) => {
          rec.handler(e);
          if (e.tick >= 10) e.timer.cancel();
        },
      })),
    );
    expect(loop.fdCount).toBe(1);
    expect(native.created).toHaveLength(1);
    expect(loop.size).toBe(50);
    expect(new Set(timers.map((t) => t.first)).size).toBe(1);
    await waitFor(() => timers.every((t) => !t.armed), 3000, 'all 50 timers');
    const reference = rec.of(timers[0]!).map((e) => [e.tick, e.expirations, e.scheduled, e.time]);
    expect(reference.length).toBeGreaterThanOrEqual(1);
    for (const t of timers) {
      checkSequence(t, rec.of(t));
      expect(rec.of(t).map((e) => [e.tick, e.expirations, e.scheduled, e.time])).toEqual(reference);
      expect(rec.of(t).at(-1)!.tick).toBeGreaterThanOrEqual(10);
    }
    expect(loop.fdCount).toBe(0);
    expect(native.closed).toEqual(native.created);
  });

  it('a handler cancelling a sibling on the same fd keeps the sibling from firing', async () => {
    const loop = newLoop();
    const rec = new Recorder();
    const [a, b, c] = loop.addAll([
      { options: { delay: 5n * MS }, handler: (e: Expiration) => (rec.handler(e), b!.cancel()) },
      { options: { delay: 5n * MS }, handler: rec.handler },
      { options: { delay: 5n * MS }, handler: rec.handler },
    ]);
    expect(loop.fdCount).toBe(1);
    await waitFor(() => loop.size === 0, 1000, 'the shared one-shot');
    await delay(10);
    expect(rec.of(a!)).toHaveLength(1);
    expect(rec.of(b!)).toHaveLength(0);
    expect(rec.of(c!)).toHaveLength(1);
    expect(loop.fdCount).toBe(0);
  });

  it('a timer added with the schedule of one that already fired gets its own fd and its missed expirations', async () => {
    const loop = newLoop();
    const rec = new Recorder();
    const at = clockNow(CLOCK_MONOTONIC) + 5n * MS;
    const first = loop.add({ at, interval: 5n * MS }, rec.handler);
    await waitFor(() => rec.of(first).length > 0, 1000, 'the first timer');
    sleepSync(12);
    const late = loop.add({ at, interval: 5n * MS }, rec.handler);
    expect(loop.fdCount).toBe(2);
    await waitFor(() => rec.of(late).length > 0, 1000, 'the late timer');
    // its own timerfd counted every period since `at`, as the kernel does
    expect(rec.of(late)[0]!.tick).toBeGreaterThanOrEqual(3);
    checkSequence(late, rec.of(late));
    first.cancel();
    late.cancel();
    expect(loop.fdCount).toBe(0);
  });

  it('cancelling one member keeps the shared fd for the others', async () => {
    const loop = newLoop();
    const rec = new Recorder();
    const [a, b] = loop.addAll([
      { options: { delay: 10n * MS }, handler: rec.handler },
      { options: { delay: 10n * MS }, handler: rec.handler },
    ]);
    a!.cancel();
    expect(loop.fdCount).toBe(1);
    expect(loop.size).toBe(1);
    await waitFor(() => rec.all.length > 0, 1000, 'b');
    expect(rec.of(a!)).toHaveLength(0);
    expect(rec.of(b!)).toHaveLength(1);
    expect(loop.fdCount).toBe(0);
  });
});

describe('Loop: the deadline queue (past maxFds)', () => {
  // Adds n periodic timers of slightly different periods to a loop allowed 2 fds.
  function queueLoop(n: number, stepNs: bigint) {
    const native = new CancelOnceNative();
    const loop = newLoop({ native, maxFds: 2 });
    const rec = new Recorder();
    const timers: LoopTimer[] = [];
    for (let i = 0; i < n; i++) timers.push(loop.add({ interval: 3n * MS + BigInt(i) * stepNs }, rec.handler));
    const fdOf = new Map(timers.map((t) => [t, LoopTimer.slotOf(t).source!.fd]));
    return { native, loop, rec, timers, fdOf };
  }

  function checkExact(timers: LoopTimer[], rec: Recorder, fdOf: Map<LoopTimer, number>, queueFd: number) {
    const problems: string[] = [];
    for (const t of timers) {
      const events = rec.of(t);
      if (events.length === 0) problems.push(`${t.name}: no events`);
      problems.push(...sequenceProblems(t, events));
      for (const e of events) {
        const due = deadlinesBy(t, e.time);
        if (fdOf.get(t) === queueFd) {
          // Counted by the loop, from the same clock reading as `time`: exact.
          if (e.tick !== due) problems.push(`${t.name}: queue tick ${e.tick}, ${due} deadlines by its time`);
        } else if (e.tick > due || e.tick < due - 1) {
          // Counted by the kernel at read(), just before `time` was read.
          problems.push(`${t.name}: fd tick ${e.tick}, ${due} deadlines by its time`);
        }
      }
    }
    expect(problems).toEqual([]);
  }

  it('200 timers on at most 3 fds, each with exact counts', async () => {
    const { native, loop, rec, timers, fdOf } = queueLoop(200, 1000n);
    expect(loop.fdCount).toBeLessThanOrEqual(3);
    expect(native.created).toHaveLength(3);
    const queueFd = native.created[2]!;
    expect(timers.filter((t) => fdOf.get(t) === queueFd)).toHaveLength(198);
    await delay(150);
    expect(loop.fdCount).toBeLessThanOrEqual(3);
    for (const t of timers) t.cancel();
    expect(loop.size).toBe(0);
    checkExact(timers, rec, fdOf, queueFd);
    // Every timer kept ticking for the whole run, not only at the start.
    for (const t of timers) expect(rec.of(t).at(-1)!.tick).toBeGreaterThanOrEqual(10);
    expect(rec.all.length).toBeGreaterThan(200 * 10);
  });

  it('missed ticks in the queue are counted when the event loop is blocked', async () => {
    const { native, loop, rec, timers, fdOf } = queueLoop(50, 7000n);
    const queueFd = native.created[2]!;
    await delay(30);
    const blockedFrom = clockNow(CLOCK_MONOTONIC);
    sleepSync(30);
    await delay(40);
    for (const t of timers) t.cancel();
    expect(loop.size).toBe(0);
    checkExact(timers, rec, fdOf, queueFd);
    // The first event of each queue timer after the block carries the ticks it missed.
    let counted = 0;
    for (const t of timers) {
      if (fdOf.get(t) !== queueFd) continue;
      const after = rec.of(t).find((e) => e.time >= blockedFrom + 30n * MS);
      expect(after, `an event of ${t.name} after the block`).toBeDefined();
      if (after!.expirations >= 5) counted++;
    }
    // 30 ms at 3–3.35 ms periods is ~9 deadlines per timer; allow for noise on a few.
    expect(counted).toBeGreaterThanOrEqual(40);
  });

  it('a queued timer cancelled by a handler earlier in the same batch is neither delivered nor re-queued', async () => {
    const loop = newLoop({ maxFds: 0 });
    const rec = new Recorder();
    const at = clockNow(CLOCK_MONOTONIC) + 5n * MS;
    let victim: LoopTimer | undefined;
    const killer = loop.add({ at, interval: 5n * MS }, (e) => {
      rec.handler(e);
      victim?.cancel();
    });
    victim = loop.add({ at: at + 1n, interval: 5n * MS }, rec.handler);
    expect(loop.fdCount).toBe(1);
    sleepSync(8); // both due by the first wake-up: one batch
    await waitFor(() => rec.of(killer).length >= 3, 2000, 'three killer ticks');
    expect(rec.of(victim)).toHaveLength(0);
    expect(victim.armed).toBe(false);
    expect(loop.size).toBe(1);
    killer.cancel();
    expect(loop.size).toBe(0);
  });

  it('one-shots in the queue fire once each, in deadline order; a cancelled one never fires', async () => {
    const native = new CancelOnceNative();
    const loop = newLoop({ native, maxFds: 0 });
    const rec = new Recorder();
    const timers = Array.from({ length: 20 }, (_, i) =>
      loop.add({ delay: 5n * MS + BigInt(19 - i) * MS }, rec.handler),
    );
    expect(loop.fdCount).toBe(1);
    timers[7]!.cancel();
    expect(loop.size).toBe(19);
    await waitFor(() => loop.size === 0, 2000, 'all queued one-shots');
    await delay(10);
    expect(rec.of(timers[7]!)).toHaveLength(0);
    for (const [i, t] of timers.entries()) {
      if (i === 7) continue;
      expect(rec.of(t)).toHaveLength(1);
      checkSequence(t, rec.of(t));
      expect(rec.of(t)[0]!.tick).toBe(1);
    }
    const scheduled = rec.all.map((e) => e.scheduled);
    expect(scheduled).toEqual([...scheduled].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // The queue fd stays (disarmed) for later timers; nothing was created beyond it.
    expect(native.created).toHaveLength(1);
    expect(loop.fdCount).toBe(1);
  });
});

describe('Loop and the process', () => {
  const loopJs = JSON.stringify(path.join(distDir, 'loop', 'loop.js'));

  it('does not keep the process alive when nothing is armed', () => {
    const r = runNode(
      `import { Loop } from ${loopJs};
       const l = new Loop();
       const t = l.add({ delay: 10_000_000_000n }, () => {});
       t.cancel();`,
      { timeoutMs: 5000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.ms).toBeLessThan(2000);
  });

  it('keeps it alive while a timer is armed, and lets it end after the last event', () => {
    const r = runNode(
      `import { Loop } from ${loopJs};
       const l = new Loop();
       const t0 = process.hrtime.bigint();
       l.add({ delay: 50_000_000n }, (e) => {
         console.log(JSON.stringify({ tick: e.tick, waitedNs: String(process.hrtime.bigint() - t0) }));
       });`,
      { timeoutMs: 5000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { tick: number; waitedNs: string };
    expect(out.tick).toBe(1);
    expect(BigInt(out.waitedNs)).toBeGreaterThanOrEqual(50n * MS);
    expect(r.ms).toBeGreaterThanOrEqual(50);
    expect(r.ms).toBeLessThan(2000);
  });

  it('an armed 10 s timer holds the process', () => {
    const r = runNode(
      `import { Loop } from ${loopJs};
       new Loop().add({ delay: 10_000_000_000n }, () => console.log('fired'));`,
      { timeoutMs: 500 },
    );
    expect(r.signal).toBe('SIGTERM'); // killed by the timeout: still waiting
    expect(r.stdout).toBe('');
  });

  it('the event loop stays free while a timer is pending', async () => {
    const loop = newLoop();
    let intervals = 0;
    const iv = setInterval(() => intervals++, 10);
    let childOut: string | undefined;
    execFile('sh', ['-c', 'echo hi'], (err, stdout) => {
      childOut = err ? `error: ${err.message}` : stdout;
    });
    try {
      const event = await new Promise<Expiration>((resolve) => loop.add({ delay: 300n * MS }, resolve));
      expect(event.tick).toBe(1);
      expect(event.time).toBeGreaterThanOrEqual(event.scheduled);
      expect(intervals).toBeGreaterThanOrEqual(20);
      expect(childOut).toBe('hi\n');
    } finally {
      clearInterval(iv);
    }
  });

  // Epoll.drain used to loop while epoll_wait returned a full batch of 1024 while the loop read
  // the timerfds only after drain returned: with 1024+ ready at once it spun forever (fixed in
  // 18bde35, one batch per wake-up). Run in a child with a timeout so a hang cannot take the
  // suite down.
  it('more than 1024 timerfds ready at once are all delivered (no spin)', () => {
    const r = runNode(
      `import { Loop } from ${loopJs};
       const l = new Loop(); const N = 1100; let got = 0;
       for (let i = 0; i < N; i++) l.add({ delay: 20_000_000n + BigInt(i) }, () => { if (++got === N) console.log('all ' + got); });
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60); // let all of them expire`,
      { timeoutMs: 2000 },
    );
    expect(r.signal).toBeNull();
    expect(r.stdout.trim()).toBe('all 1100');
  });
});

describe('Loop: ECANCELED after a clock step (fake native layer)', () => {
  const flags = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;

  it('re-arms a one-shot for the same absolute deadline, notices, and still fires', async () => {
    const fake = new CancelOnceNative();
    const notices: LoopNotice[] = [];
    const loop = newLoop({ native: fake, onNotice: (n) => notices.push(n) });
    const rec = new Recorder();
    const at = clockNow(CLOCK_REALTIME) + 20n * MS;
    const t = loop.add({ clock: 'realtime', at }, rec.handler);
    const fd = fake.created[0]!;
    fake.cancelNextDrain(fd);
    await waitFor(() => rec.all.length > 0, 2000, 'the re-armed timer');
    expect(fake.cancels).toBe(1);
    expect(fake.settimeCalls.filter((c) => c.fd === fd)).toEqual([
      { fd, flags, valueNs: at, intervalNs: 0n },
      { fd, flags, valueNs: at, intervalNs: 0n },
    ]);
    expect(notices).toEqual([{ kind: 'clock-step', timer: t, clock: 'realtime' }]);
    expect(rec.all).toHaveLength(1);
    expect(rec.all[0]!.scheduled).toBe(at);
    expect(rec.all[0]!.wallTime).toBe(rec.all[0]!.time); // realtime: the same reading
    checkSequence(t, rec.all);
    expect(loop.size).toBe(0);
  });

  it('re-arms a periodic timer at its next undelivered deadline; no tick is lost', async () => {
    const fake = new CancelOnceNative();
    const notices: LoopNotice[] = [];
    const loop = newLoop({ native: fake, onNotice: (n) => notices.push(n) });
    const rec = new Recorder();
    const interval = 10n * MS;
    const at = clockNow(CLOCK_REALTIME) + interval;
    let stepAfterTick = 0;
    const t: LoopTimer = loop.add({ clock: 'realtime', at, interval }, (e) => {
      rec.handler(e);
      if (stepAfterTick === 0 && e.tick >= 2) {
        stepAfterTick = e.tick;
        fake.cancelNextDrain(fd);
      }
      if (e.tick >= stepAfterTick + 3 && stepAfterTick > 0) t.cancel();
    });
    const fd = fake.created[0]!;
    await waitFor(() => !t.armed, 3000, 'ticks after the step');
    expect(fake.cancels).toBe(1);
    const calls = fake.settimeCalls.filter((c) => c.fd === fd);
    expect(calls[0]).toEqual({ fd, flags, valueNs: at, intervalNs: interval });
    expect(calls[1]).toEqual({ fd, flags, valueNs: at + BigInt(stepAfterTick) * interval, intervalNs: interval });
    expect(notices).toEqual([{ kind: 'clock-step', timer: t, clock: 'realtime' }]);
    checkSequence(t, rec.of(t));
    expect(rec.of(t).at(-1)!.tick).toBeGreaterThanOrEqual(stepAfterTick + 3);
  });

  it('a queue-backed timer survives ECANCELED on the queue fd, with a notice', async () => {
    const fake = new CancelOnceNative();
    const notices: LoopNotice[] = [];
    const loop = newLoop({ native: fake, maxFds: 0, onNotice: (n) => notices.push(n) });
    const rec = new Recorder();
    const at = clockNow(CLOCK_REALTIME) + 15n * MS;
    const t = loop.add({ clock: 'realtime', at }, rec.handler);
    const queueFd = fake.created[0]!;
    expect(fake.settimeCalls).toEqual([{ fd: queueFd, flags, valueNs: at, intervalNs: 0n }]);
    fake.cancelNextDrain(queueFd);
    await waitFor(() => rec.all.length > 0, 2000, 'the queued timer');
    expect(fake.cancels).toBe(1);
    expect(notices).toEqual([{ kind: 'clock-step', clock: 'realtime' }]);
    expect(rec.all).toHaveLength(1);
    checkSequence(t, rec.all);
    expect(loop.size).toBe(0);
  });

  it('a monotonic timer is armed without CANCEL_ON_SET', () => {
    const fake = new CancelOnceNative();
    const loop = newLoop({ native: fake });
    loop.add({ at: clockNow(CLOCK_MONOTONIC) + 10_000_000_000n }, () => {});
    loop.add({ clock: 'realtime', at: clockNow(CLOCK_REALTIME) + 10_000_000_000n, cancelOnSet: false }, () => {});
    loop.add({ clock: 'realtime', delay: 10_000_000_000n }, () => {});
    expect(fake.settimeCalls.map((c) => c.flags)).toEqual([TFD_TIMER_ABSTIME, TFD_TIMER_ABSTIME, TFD_TIMER_ABSTIME]);
  });
});
