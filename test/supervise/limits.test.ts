// --until's cap on an expiration that carries deadlines past the --until instant (pure: the
// expirations are built by hand, as a late wake-up of the --until timer would leave them).
import { describe, expect, it } from 'vitest';
import type { TimerSpec } from '../../src/kinds/kind.js';
import type { Expiration } from '../../src/loop/loop.js';
import { untilTicks } from '../../src/supervise/limits.js';

const MS = 1_000_000n;
// Wall clock = timer's clock + OFFSET at the moment the expiration was read.
const OFFSET = 1_700_000_000_000n * MS;

function expiration(tick: number, expirations: number, scheduled: bigint, interval = 100n * MS, offset = OFFSET): Expiration {
  const time = scheduled + 3n * MS;
  return { timer: { interval } as Expiration['timer'], tick, expirations, scheduled, time, wallTime: time + offset, latenessUs: 3000, final: false };
}

const spec = (untilNs?: bigint) => ({ untilNs }) as TimerSpec;

describe('untilTicks', () => {
  const until = OFFSET + 1000n * MS;

  it('leaves an expiration due at or before --until alone', () => {
    expect(untilTicks(spec(until), expiration(10, 1, 1000n * MS))).toBeUndefined();
    expect(untilTicks(spec(until), expiration(9, 1, 900n * MS))).toBeUndefined();
  });

  it('caps the ticks at the last deadline before --until: one due 2 ms after it is left out', () => {
    // Deadlines every 100 ms; --until at 1000 ms; this wake-up carries the ones at 902 and 1002.
    expect(untilTicks(spec(until), expiration(11, 2, 1002n * MS))).toBe(10);
  });

  it('leaves out every deadline past --until, and no more than the wake-up carried', () => {
    expect(untilTicks(spec(until), expiration(14, 5, 1302n * MS))).toBe(10);
    expect(untilTicks(spec(until), expiration(14, 2, 1302n * MS))).toBe(12);
  });

  it('reads the due time with the offset read with the expiration (a clock step since arming)', () => {
    // The wall clock was set back 1 s: the deadline at 1002 ms on the timer's clock is 2 ms on
    // the wall clock, long before --until.
    expect(untilTicks(spec(until), expiration(11, 2, 1002n * MS, 100n * MS, OFFSET - 1000n * MS))).toBeUndefined();
  });

  it('has no cap without --until, or for a timer with no period', () => {
    expect(untilTicks(spec(), expiration(11, 2, 1002n * MS))).toBeUndefined();
    expect(untilTicks(spec(until), expiration(11, 2, 1002n * MS, 0n))).toBeUndefined();
  });
});
