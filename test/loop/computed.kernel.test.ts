// Computed recurrences on real timerfds: each deadline from the one before (never from "now"),
// deadlines already past at a late wake-up counted as missed, and after a clock step (ECANCELED,
// through the fake native layer) the deadlines stepped over reported, not delivered. With an fd
// of its own and in the deadline queue.
import { describe, expect, it } from 'vitest';
import { Loop, LoopTimer, type Expiration, type LoopNotice } from '../../src/loop/loop.js';
import { clockNow } from '../../src/native/clocks.js';
import { CLOCK_REALTIME } from '../../src/native/libc.js';
import { MS, sleepSync, waitFor } from '../helpers/kernel.js';
import { CancelOnceNative } from '../native/fake-native.js';
import { loopsClosedAfterEach } from '../helpers/loops.js';

const newLoop = loopsClosedAfterEach();

// A rule of `count` deadlines `stepNs` apart from `first`.
function grid(first: bigint, stepNs: bigint, count: number) {
  const last = first + BigInt(count - 1) * stepNs;
  return { first, next: (prev: bigint) => (prev + stepNs <= last ? prev + stepNs : undefined) };
}

describe.each([
  ['its own fd', {}],
  ['the deadline queue', { maxFds: 0 }],
])('a computed recurrence on %s', (_where, extra) => {
  it('fires on each deadline of the rule, the last marked final, then leaves the loop', async () => {
    const loop = newLoop(extra);
    const first = clockNow(CLOCK_REALTIME) + 20n * MS;
    const rule = grid(first, 15n * MS, 4);
    const events: Expiration[] = [];
    const t = loop.add({ clock: 'realtime', at: first, next: rule.next }, (e) => events.push(e));
    expect(t.next).toBe(first);
    expect(t.interval).toBe(0n);
    await waitFor(() => events.some((e) => e.final), 5000, 'the last deadline');
    const total = events.reduce((n, e) => n + e.expirations, 0);
    expect(total).toBe(4);
    expect(events.at(-1)!.scheduled).toBe(first + 45n * MS);
    for (const e of events) {
      expect(e.time >= e.scheduled).toBe(true);
      expect((e.scheduled - first) % (15n * MS)).toBe(0n);
    }
    expect(t.armed).toBe(false);
    expect(loop.size).toBe(0);
  });

  it('a late wake-up delivers the deadlines already past as one expiration, and the next stays on the grid', async () => {
    const loop = newLoop(extra);
    const first = clockNow(CLOCK_REALTIME) + 10n * MS;
    const rule = grid(first, 10n * MS, 1000);
    const events: Expiration[] = [];
    // The deadline armed next, as it stands when each expiration is delivered.
    const nextAt: Array<bigint | undefined> = [];
    const t = loop.add({ clock: 'realtime', at: first, next: rule.next }, (e) => {
      events.push(e);
      nextAt.push(e.timer.next);
    });
    const before = clockNow(CLOCK_REALTIME);
    sleepSync(60);
    const blockedUntil = clockNow(CLOCK_REALTIME);
    await waitFor(() => events.length >= 1, 5000, 'the late wake-up');
    const [late] = events;
    // At least every deadline that was due while the thread was blocked came in this one.
    const dueWhileBlocked = Number((blockedUntil - first) / (10n * MS)) + 1;
    expect(late!.expirations).toBeGreaterThanOrEqual(Math.max(1, dueWhileBlocked));
    expect(late!.scheduled).toBe(first + BigInt(late!.expirations - 1) * 10n * MS);
    expect(nextAt[0]).toBe(late!.scheduled + 10n * MS);
    expect(before).toBeLessThanOrEqual(blockedUntil);
    t.cancel();
  });
});

describe('a computed recurrence after a clock step (ECANCELED through the fake native layer)', () => {
  it('counts the deadlines stepped over as missed, delivers none of them, and arms the next ahead', async () => {
    const native = new CancelOnceNative();
    const events: Expiration[] = [];
    const notices: LoopNotice[] = [];
    // The timer as it stands when the notice comes: its next deadline, its tick, what was delivered.
    const atNotice: Array<{ next: bigint | undefined; tick: number; delivered: number }> = [];
    const loop = newLoop({
      native,
      onNotice: (n) => {
        notices.push(n);
        atNotice.push({ next: n.timer?.next, tick: n.timer?.tick ?? 0, delivered: events.reduce((k, e) => k + e.expirations, 0) });
      },
    });
    const first = clockNow(CLOCK_REALTIME) + 10n * MS;
    const rule = grid(first, 10n * MS, 1000);
    const t = loop.add({ clock: 'realtime', at: first, next: rule.next }, (e) => events.push(e));
    await waitFor(() => events.length >= 1, 5000, 'the first deadline');
    const delivered = events.reduce((n, e) => n + e.expirations, 0);
    const pending = t.next!;
    // The next read of the timer's fd says the clock was set; meanwhile deadlines pass.
    native.cancelNextDrain(LoopTimer.slotOf(t).source!.fd);
    sleepSync(50);
    await waitFor(() => notices.length >= 1, 5000, 'the clock-step notice');
    const [notice] = notices;
    expect(notice).toMatchObject({ kind: 'clock-step', timer: t, clock: 'realtime' });
    expect(notice!.missed!.first).toBe(pending);
    expect(notice!.missed!.count).toBeGreaterThanOrEqual(4);
    expect(notice!.missed!.last).toBe(pending + BigInt(notice!.missed!.count - 1) * 10n * MS);
    // None of them was delivered; the timer goes on from the first deadline still ahead.
    expect(atNotice[0]).toEqual({ next: notice!.missed!.last + 10n * MS, tick: delivered + notice!.missed!.count, delivered });
    await waitFor(() => events.length >= 2, 5000, 'the next deadline');
    expect(events.at(-1)!.scheduled > notice!.missed!.last).toBe(true);
    t.cancel();
  });
});
