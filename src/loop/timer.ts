// A timer on the loop: the public handle (LoopTimer), the loop's own record of it (Slot), and the
// Source that backs it. Users read a LoopTimer; only the loop and its sources write a Slot.
import type { HeapItem } from './heap.js';
import type { Recurrence } from './recurrence.js';
import type { ClockName } from '../native/clocks.js';

export interface Expiration {
  readonly timer: LoopTimer;
  // Running total of expirations, this wake-up's included.
  readonly tick: number;
  // The kernel's count for this wake-up: more than 1 means ticks were missed (and counted).
  readonly expirations: number;
  // When the latest of them was due, and when it was seen: ns on the timer's clock.
  readonly scheduled: bigint;
  readonly time: bigint;
  // Wall-clock (CLOCK_REALTIME) ns when it was seen, for reports.
  readonly wallTime: bigint;
  readonly latenessUs: number;
  // True when the timer has no further deadline: this is its last expiration.
  readonly final: boolean;
}

export type ExpirationHandler = (event: Expiration) => void;

// What backs a timer on the loop: its own or a shared timerfd, or a per-clock deadline queue.
export interface Source {
  readonly fd: number;
  readonly clockid: number;
  // Whether its fd counts against the fd budget (a queue's does not: it is what the budget
  // falls back on), and the key under which timers share it (undefined: never shared).
  readonly budgeted: boolean;
  readonly key: string | undefined;
  // Reads the fd and delivers what expired.
  onReady(): void;
  // Nanoseconds until this timer's next deadline.
  remaining(slot: Slot): bigint;
  // Takes the timer out (the source releases itself once it holds none).
  remove(slot: Slot): void;
  // Lets go of every timer without delivering (the loop is closing).
  detachAll(): void;
}

export class Slot implements HeapItem {
  tick = 0;
  // The next deadline not yet delivered (absolute, on the timer's clock).
  deadline: bigint;
  heapIndex = -1;
  source: Source | undefined;
  // Wall clock minus the timer's clock when it was armed (0n on a wall clock).
  wallOffset = 0n;
  // A computed schedule's deadline after `deadline`, worked out ahead of time so that an
  // expiration is delivered without waiting for the rule (undefined: not known yet; null: none).
  following: bigint | null | undefined = undefined;
  constructor(
    readonly timer: LoopTimer,
    readonly recurrence: Recurrence,
    readonly clockid: number,
    readonly handler: ExpirationHandler,
  ) {
    this.deadline = recurrence.first;
  }
}

export interface TimerControl {
  remaining(slot: Slot): bigint;
  cancel(slot: Slot): void;
}

let nextTimerId = 1;

export function defaultTimerName(): string {
  return `timer-${nextTimerId}`;
}

export class LoopTimer {
  readonly id = nextTimerId++;
  readonly #slot: Slot;
  readonly #control: TimerControl;

  constructor(
    readonly name: string,
    readonly clock: ClockName,
    clockid: number,
    recurrence: Recurrence,
    handler: ExpirationHandler,
    control: TimerControl,
  ) {
    this.#slot = new Slot(this, recurrence, clockid, handler);
    this.#control = control;
  }

  // The loop's record of this timer (for the loop and its sources only).
  static slotOf(timer: LoopTimer): Slot {
    return timer.#slot;
  }

  get clockid(): number {
    return this.#slot.clockid;
  }

  // Absolute deadline of the first expiration, on the timer's clock.
  get first(): bigint {
    return this.#slot.recurrence.first;
  }

  // The kernel's period (0n for a one-shot or a computed schedule).
  get interval(): bigint {
    return this.#slot.recurrence.interval;
  }

  // Wall clock minus the timer's clock, read once when it was armed: its deadlines on the wall
  // clock, as an exact grid (0n for a timer on a wall clock).
  get wallOffset(): bigint {
    return this.#slot.wallOffset;
  }

  // Expirations so far.
  get tick(): number {
    return this.#slot.tick;
  }

  get armed(): boolean {
    return this.#slot.source !== undefined;
  }

  // Absolute deadline of the next expiration on the timer's clock (undefined once finished).
  get next(): bigint | undefined {
    return this.armed ? this.#slot.deadline : undefined;
  }

  // Nanoseconds until the next expiration: from timerfd_gettime for a timer with its own fd.
  remaining(): bigint {
    return this.#control.remaining(this.#slot);
  }

  cancel(): void {
    this.#control.cancel(this.#slot);
  }
}
