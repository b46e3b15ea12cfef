// One batch of the loop's work (a wake-up, an addAll, a resumed timer's catch-up): clock readings
// shared by it, handlers guarded (what one throws goes to onError or is rethrown later, never
// inside the native callback), and the afterDispatch hook (output flushed once) at its end.
import { ClockReadings } from './clock-readings.js';
import { failureHandler } from './failure.js';
import type { Expiration, Slot } from './timer.js';

export class Batch {
  // True while a batch runs.
  active = false;
  readonly clocks = new ClockReadings();
  readonly fail: (error: unknown) => void;

  constructor(
    private readonly afterDispatch: (() => void) | undefined,
    onError: ((error: unknown) => void) | undefined,
  ) {
    this.fail = failureHandler(onError);
  }

  // Runs `fn` as a batch of its own, or as part of the one running.
  run(fn: () => void): void {
    if (this.active) return this.guard(fn);
    this.active = true;
    try {
      this.guard(fn);
    } finally {
      this.active = false;
      this.clocks.clear();
      if (this.afterDispatch) this.guard(this.afterDispatch);
    }
  }

  // Runs `fn`; what it throws goes to fail().
  guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(err);
    }
  }

  // Hands `count` expirations, the latest due at `last`, to the timer's handler.
  deliver(slot: Slot, count: number, last: bigint, final: boolean): void {
    slot.tick += count;
    const event = this.expiration(slot, slot.tick, count, last, this.clocks.now(slot.clockid), final);
    try {
      slot.handler(event);
    } catch (err) {
      this.fail(err);
    }
  }

  // The event of an expiration seen at `time` (also built, for a sample, by the warm-up).
  expiration(slot: Slot, tick: number, count: number, last: bigint, time: bigint, final: boolean): Expiration {
    return {
      timer: slot.timer,
      tick,
      expirations: count,
      scheduled: last,
      time,
      wallTime: this.clocks.wallTime(slot.clockid, time),
      latenessUs: Number(time - last) / 1000,
      final,
    };
  }

  // Outside a batch, the next clock reading is a new one.
  settle(): void {
    if (!this.active) this.clocks.clear();
  }
}
