// A timer on the loop: the public handle (LoopTimer), the loop's own record of it (Slot), and the
// Source that backs it. Users read a LoopTimer; only the loop and its sources write a Slot.
import type { HeapItem } from './heap.js';
import type { Recurrence } from './recurrence.js';
import type { ClockName } from '../native/clocks.js';
import { WARM, type WarmupMode } from './warmup-mode.js';

/**
 * One wake-up of a timer: what the loop hands to its handler, and what `once()` and `every()`
 * yield. The CLI's NDJSON `tick` event is a projection of it (docs/events.md).
 */
export interface Expiration {
  /** The timer that expired. */
  readonly timer: LoopTimer;
  /** Running total of expirations, this wake-up's included. */
  readonly tick: number;
  /** The kernel's count for this wake-up: more than 1 means ticks were missed (and counted in `tick`). */
  readonly expirations: number;
  /** When the latest of these expirations was due: nanoseconds on the timer's clock. */
  readonly scheduled: bigint;
  /** When the wake-up was seen: nanoseconds on the timer's clock. */
  readonly time: bigint;
  /** When the wake-up was seen on the wall clock (CLOCK_REALTIME): nanoseconds since the epoch. */
  readonly wallTime: bigint;
  /** `time - scheduled`, in microseconds. */
  readonly latenessUs: number;
  /** True when the timer has no further deadline: this is its last expiration. */
  readonly final: boolean;
}

/** What `Loop.add` calls on every expiration of a timer. */
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
  // The timer was paused or resumed (slot.paused says which): stop or start reading for it.
  pause(slot: Slot): void;
  resume(slot: Slot): void;
  // Reads now and delivers what has expired for this timer (a paused one's share is held).
  poll(slot: Slot): void;
  // Lets go of every timer without delivering (the loop is closing).
  detachAll(): void;
  // The timer due first on it (for the warm-up wake), if any.
  next(): Slot | undefined;
  // --precise, its deadline passed by the clock: deliver now what is due (false: cannot, wait
  // for the kernel's wake-up).
  expireEarly(): boolean;
}

// Expirations read for a paused timer, delivered as one when it resumes.
export interface HeldExpirations {
  count: number;
  last: bigint;
  final: boolean;
}

export class Slot implements HeapItem {
  tick = 0;
  // The next deadline not yet delivered (absolute, on the timer's clock).
  deadline: bigint;
  heapIndex = -1;
  source: Source | undefined;
  // Wall clock minus the timer's clock when it was armed (0n on a wall clock).
  wallOffset = 0n;
  // Paused: expirations are not delivered; what a shared read counted for it meanwhile is held.
  paused = false;
  held: HeldExpirations | undefined;
  // A computed schedule's deadline after `deadline`, worked out ahead of time so that an
  // expiration is delivered without waiting for the rule (undefined: not known yet; null: none).
  following: bigint | null | undefined = undefined;
  // What it asks of the wake-up before its deadline.
  mode: WarmupMode = WARM;
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
  pause(slot: Slot): void;
  resume(slot: Slot): void;
  flush(slot: Slot): void;
}

let nextTimerId = 1;

export function defaultTimerName(): string {
  return `timer-${nextTimerId}`;
}

/**
 * A timer on a {@link Loop}, as `Loop.add` returns it: read its state, ask for the time left,
 * cancel it. Only the loop creates and changes one; every property is read-only.
 */
export class LoopTimer {
  /** A number unique to this timer in the process. */
  readonly id = nextTimerId++;
  /** The timer's name (`timer-ID` unless `TimerOptions.name` gave one). */
  readonly name: string;
  /** The clock its deadlines are on. */
  readonly clock: ClockName;
  readonly #slot: Slot;
  readonly #control: TimerControl;

  private constructor(name: string, clock: ClockName, clockid: number, recurrence: Recurrence, handler: ExpirationHandler, control: TimerControl) {
    this.name = name;
    this.clock = clock;
    this.#slot = new Slot(this, recurrence, clockid, handler);
    this.#control = control;
  }

  /** The kernel's id of its clock (`CLOCK_MONOTONIC` …). */
  get clockid(): number {
    return this.#slot.clockid;
  }

  /** Absolute deadline of the first expiration, in nanoseconds on the timer's clock. */
  get first(): bigint {
    return this.#slot.recurrence.first;
  }

  /** The kernel's period in nanoseconds (0n for a one-shot or a computed schedule). */
  get interval(): bigint {
    return this.#slot.recurrence.interval;
  }

  /**
   * Wall clock minus the timer's clock, read once when it was armed: add it to a deadline to put
   * it on the wall clock, as an exact grid (0n for a timer on a wall clock).
   */
  get wallOffset(): bigint {
    return this.#slot.wallOffset;
  }

  /** Expirations so far (missed ones included). */
  get tick(): number {
    return this.#slot.tick;
  }

  /** Whether it is still on the loop (false once cancelled or finished). */
  get armed(): boolean {
    return this.#slot.source !== undefined;
  }

  /** Absolute deadline of the next expiration on the timer's clock (undefined once finished). */
  get next(): bigint | undefined {
    return this.armed ? this.#slot.deadline : undefined;
  }

  /** Nanoseconds until the next expiration: from timerfd_gettime for a timer with its own fd. */
  remaining(): bigint {
    return this.#control.remaining(this.#slot);
  }

  /** Disarms it and takes it off the loop; its handler is not called again. */
  cancel(): void {
    this.#control.cancel(this.#slot);
  }

  /** Whether pause() holds its expirations back. */
  get paused(): boolean {
    return this.#slot.paused;
  }

  /**
   * Stops delivering expirations until `resume()`: the kernel (or the deadline queue) keeps
   * counting them, and the first delivery after `resume()` carries them all. Other timers go on.
   */
  pause(): void {
    this.#control.pause(this.#slot);
  }

  /** Delivers what was held, and goes on. */
  resume(): void {
    this.#control.resume(this.#slot);
  }

  /**
   * Delivers now what has expired and not been delivered yet, even while paused (before a limit
   * ends the timer, so every expiration the kernel counted up to it is seen).
   */
  flush(): void {
    this.#control.flush(this.#slot);
  }

  // The two internal statics come last: API Extractor's trimming of @internal members drops the
  // members that follow them in a class with #private fields (seen with 7.60.1).

  /** @internal A new timer; the loop attaches it to a source. */
  static create(name: string, clock: ClockName, clockid: number, recurrence: Recurrence, handler: ExpirationHandler, control: TimerControl): LoopTimer {
    return new LoopTimer(name, clock, clockid, recurrence, handler, control);
  }

  /** @internal The loop's record of this timer (for the loop and its sources only). */
  static slotOf(timer: LoopTimer): Slot {
    return timer.#slot;
  }
}
