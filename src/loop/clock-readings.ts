// Clock readings shared by one batch (one wake-up, or one addAll call): each clock read once,
// unless a source asks for a fresh reading right after its read; and the wall clock's offset
// from each other clock, read once per batch, so an event's wall time is its own clock reading
// moved onto the wall clock (its time and its lateness then agree, however long the batch).
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from '../native/libc.js';
import { clockNow, isRealtimeClock } from '../native/clocks.js';

export class ClockReadings {
  // The monotonic clock (nearly every timer's) in fields of its own: an element store and two
  // loops to clear them cost more, each wake-up, than the readings themselves (perf, --lean).
  private mono: bigint | undefined;
  private monoWallOffset: bigint | undefined;
  // Other clocks by id (the kernel's are small numbers). Arrays, not Maps: a Map's clear() makes
  // a new table, and a batch is cleared at every wake-up (305 bytes a tick of every 5ms --lean,
  // in V8's sampling heap profile, of ~3,000).
  private readonly readings: Array<bigint | undefined> = [];
  private readonly wallOffsets: Array<bigint | undefined> = [];
  private others = false;

  // The clock as read for this batch.
  now(clockid: number): bigint {
    const kept = clockid === CLOCK_MONOTONIC ? this.mono : this.readings[clockid];
    return kept ?? this.refresh(clockid);
  }

  // The clock read afresh (kept for the rest of the batch).
  refresh(clockid: number): bigint {
    const t = clockNow(clockid);
    if (clockid === CLOCK_MONOTONIC) this.mono = t;
    else {
      this.readings[clockid] = t;
      this.others = true;
    }
    return t;
  }

  // `time` on `clockid` as wall-clock ns since the epoch.
  wallTime(clockid: number, time: bigint): bigint {
    if (clockid === CLOCK_MONOTONIC) return time + (this.monoWallOffset ??= readWallOffset(clockid));
    if (isRealtimeClock(clockid)) return time;
    let offset = this.wallOffsets[clockid];
    if (offset === undefined) {
      offset = readWallOffset(clockid);
      this.wallOffsets[clockid] = offset;
      this.others = true;
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
    this.mono = undefined;
    this.monoWallOffset = undefined;
    if (!this.others) return;
    this.others = false;
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
  let best = offsetTry(clockid);
  let bestGap = tryGap;
  // The usual first try is tight: no loop entered, no comparison made for it.
  for (let i = 1; i < 3 && bestGap > TIGHT_NS; i++) {
    const offset = offsetTry(clockid);
    if (tryGap < bestGap) {
      bestGap = tryGap;
      best = offset;
    }
  }
  return best;
}

// The gap between the two readings of offsetTry's last call.
let tryGap = 0n;

// Wall clock minus `clockid`, read once between two readings of it (from their midpoint).
function offsetTry(clockid: number): bigint {
  const before = clockNow(clockid);
  const wall = clockNow(CLOCK_REALTIME);
  const after = clockNow(clockid);
  tryGap = after - before;
  return wall - (before + tryGap / 2n);
}
