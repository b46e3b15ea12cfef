// ClockReadings on the kernel's real clocks: one reading per clock per batch (the monotonic clock
// kept in fields of its own, the others by id), wall times moved onto the wall clock by an offset
// read once per batch, and a cleared batch reading afresh.
import { describe, expect, it } from 'vitest';
import { ClockReadings } from '../../src/loop/clock-readings.js';
import { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';

const MS = 1_000_000n;

describe('ClockReadings', () => {
  it('reads each clock once per batch, the monotonic clock and the others apart', () => {
    const r = new ClockReadings();
    const mono = r.now(CLOCK_MONOTONIC);
    const boot = r.now(CLOCK_BOOTTIME);
    const later = clockNow(CLOCK_MONOTONIC);
    expect(r.now(CLOCK_MONOTONIC)).toBe(mono);
    expect(r.now(CLOCK_BOOTTIME)).toBe(boot);
    // Boot time counts suspend too: never behind the monotonic clock.
    expect(boot).toBeGreaterThanOrEqual(mono);
    expect(later).toBeGreaterThanOrEqual(mono);
  });

  it('refresh() reads afresh and keeps the new reading for the batch', () => {
    const r = new ClockReadings();
    const first = r.now(CLOCK_MONOTONIC);
    const boot = r.now(CLOCK_BOOTTIME);
    const fresh = r.refresh(CLOCK_MONOTONIC);
    expect(fresh).toBeGreaterThan(first);
    expect(r.now(CLOCK_MONOTONIC)).toBe(fresh);
    // Another clock's reading is not touched by it.
    expect(r.now(CLOCK_BOOTTIME)).toBe(boot);
  });

  it('clear() forgets every reading and offset: the next batch reads again', () => {
    const r = new ClockReadings();
    const mono = r.now(CLOCK_MONOTONIC);
    const boot = r.now(CLOCK_BOOTTIME);
    const offset = r.wallOffset(CLOCK_MONOTONIC);
    r.clear();
    expect(r.now(CLOCK_MONOTONIC)).toBeGreaterThan(mono);
    expect(r.now(CLOCK_BOOTTIME)).toBeGreaterThan(boot);
    // The offset is read again; the clocks have not been stepped, so it is the same within 1 ms.
    const again = r.wallOffset(CLOCK_MONOTONIC);
    const diff = again > offset ? again - offset : offset - again;
    expect(diff).toBeLessThan(MS);
  });

  it('puts a monotonic or boot-time reading on the wall clock, and leaves a wall-clock one as it is', () => {
    const r = new ClockReadings();
    const before = clockNow(CLOCK_REALTIME);
    const monoWall = r.wallTime(CLOCK_MONOTONIC, r.now(CLOCK_MONOTONIC));
    const bootWall = r.wallTime(CLOCK_BOOTTIME, r.now(CLOCK_BOOTTIME));
    const after = clockNow(CLOCK_REALTIME);
    // Each reading was taken between `before` and `after`, so its wall time is too (the offset
    // is bracketed to within 20 µs; 1 ms of slack for a preemption between the readings).
    for (const wall of [monoWall, bootWall]) {
      expect(wall).toBeGreaterThanOrEqual(before - MS);
      expect(wall).toBeLessThanOrEqual(after + MS);
    }
    const real = r.now(CLOCK_REALTIME);
    expect(r.wallTime(CLOCK_REALTIME, real)).toBe(real);
    expect(r.wallOffset(CLOCK_REALTIME)).toBe(0n);
  });

  it('one offset for the whole batch: two times of one clock stay as far apart on the wall clock', () => {
    const r = new ClockReadings();
    const t = r.now(CLOCK_MONOTONIC);
    expect(r.wallTime(CLOCK_MONOTONIC, t + 5n * MS) - r.wallTime(CLOCK_MONOTONIC, t)).toBe(5n * MS);
    const b = r.now(CLOCK_BOOTTIME);
    expect(r.wallTime(CLOCK_BOOTTIME, b + 7n) - r.wallTime(CLOCK_BOOTTIME, b)).toBe(7n);
  });
});
