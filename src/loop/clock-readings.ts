// Clock readings shared by one batch (one wake-up, or one addAll call): each clock read once,
// unless a source asks for a fresh reading right after its read; and the wall clock's offset
// from each other clock, read once per batch, so an event's wall time is its own clock reading
// moved onto the wall clock (its time and its lateness then agree, however long the batch).
import { CLOCK_REALTIME } from '../native/libc.js';
import { clockNow, isRealtimeClock } from '../native/clocks.js';

export class ClockReadings {
  // By clock id (the kernel's are small numbers). Arrays, not Maps: a Map's clear() makes a new
  // table, and a batch is cleared at every wake-up (305 bytes a tick of every 5ms --lean, in V8's
  // sampling heap profile, of ~3,000).
  private readonly readings: Array<bigint | undefined> = [];
  private readonly wallOffsets: Array<bigint | undefined> = [];

  // The clock as read for this batch.
  now(clockid: number): bigint {
    return this.readings[clockid] ?? this.refresh(clockid);
  }

  // The clock read afresh (kept for the rest of the batch).
  refresh(clockid: number): bigint {
    const t = clockNow(clockid);
    this.readings[clockid] = t;
    return t;
  }

  // `time` on `clockid` as wall-clock ns since the epoch.
  wallTime(clockid: number, time: bigint): bigint {
    if (isRealtimeClock(clockid)) return time;
    let offset = this.wallOffsets[clockid];
    if (offset === undefined) {
      offset = readWallOffset(clockid);
      this.wallOffsets[clockid] = offset;
    }
    return time + offset;
  }

  // Wall clock minus `clockid`, as read for this batch (0n on a wall clock).
  wallOffset(clockid: number): bigint {
    const now = this.now(clockid);
    return this.wallTime(clockid, now) - now;
  }

  // The batch is over: the next reading is a new one.
  clear(): void {
    forget(this.readings);
    forget(this.wallOffsets);
  }
}

// Empties `list` in place, keeping its store.
function forget(list: Array<bigint | undefined>): void {
  for (let i = 0; i < list.length; i++) list[i] = undefined;
}

// Readings of `clockid` this close together bracket the wall-clock reading well enough.
const TIGHT_NS = 20_000n;

// Wall clock minus `clockid`: the wall clock read between two readings of the other, the pair
// closest together of up to three tries. Read as two calls only, a preemption between them (4 ms
// seen on a loaded machine) would shift every wall time of the batch by its length.
function readWallOffset(clockid: number): bigint {
  let best = 0n;
  let gap = -1n;
  for (let i = 0; i < 3 && (gap < 0n || gap > TIGHT_NS); i++) {
    const before = clockNow(clockid);
    const wall = clockNow(CLOCK_REALTIME);
    const after = clockNow(clockid);
    if (gap < 0n || after - before < gap) {
      gap = after - before;
      best = wall - (before + gap / 2n);
    }
  }
  return best;
}
