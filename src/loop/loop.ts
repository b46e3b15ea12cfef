// The loop: one epoll set watched on Node's own event loop (uv_poll), many timers, one event per
// expiration. Deadlines come in (a recurrence per timer), expirations go out; the loop knows no
// kind of schedule. Each timer is backed, when it is added, by
//  - its own timerfd (while the fd budget lasts),
//  - a timerfd shared with timers of identical fixed schedule, or
//  - past the budget, its clock's deadline queue (one absolute timerfd over a heap).
// Handlers run outside the native callback's reach: one that throws cannot stop the batch or
// leave a source half-read; its error is rethrown afterwards as an ordinary uncaught exception
// (or given to `onError`).
import { UsageError } from '../errors.js';
import { CLOCKS, clockNow, isRealtimeClock } from '../native/clocks.js';
import { Epoll } from '../native/epoll.js';
import { CLOCK_REALTIME, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET } from '../native/libc.js';
import { kernelTimers, type TimerNative } from '../native/timerfd.js';
import { watchReadable, type FdWatch } from '../native/watch.js';
import { validate, type LoopOptions, type ResolvedTimerOptions, type TimerOptions } from './options.js';
import { Placement } from './placement.js';
import { computedRecurrence, fixedRecurrence, lookAhead, type Recurrence } from './recurrence.js';
import type { LoopNotice, Source, SourceHost } from './source.js';
import { LoopTimer, defaultTimerName, type Expiration, type ExpirationHandler, type Slot } from './timer.js';

export type { Expiration, ExpirationHandler } from './timer.js';
export type { LoopNotice, MissedDeadlines } from './source.js';
export { LoopTimer } from './timer.js';
export type { LoopOptions, TimerOptions } from './options.js';
export type { TimerNative, TimerValue } from '../native/timerfd.js';

/**
 * One epoll set on Node's own event loop and any number of timers on it, each a kernel timerfd
 * (or, past the fd budget, a slot in a per-clock deadline queue). Waiting never blocks Node;
 * when nothing is armed, nothing keeps the process alive.
 */
export class Loop {
  private readonly native: TimerNative;
  private readonly onNotice: ((notice: LoopNotice) => void) | undefined;
  private readonly afterDispatch: (() => void) | undefined;
  private readonly onError: ((error: unknown) => void) | undefined;
  private epoll: Epoll | undefined;
  private watch: FdWatch | undefined;
  private readonly placement: Placement;
  private timerCount = 0;
  private state: 'open' | 'paused' | 'closed' = 'open';
  private inDispatch = false;
  // Clock readings cached for the duration of one batch (one wake-up or one addAll call).
  private readonly clockCache = new Map<number, bigint>();
  private readonly readyBatch: Source[] = [];
  private readonly host: SourceHost;

  /** A loop with no timers yet (the epoll set is made when the first is added). */
  constructor(options: LoopOptions = {}) {
    this.native = options.native ?? kernelTimers;
    this.onNotice = options.onNotice;
    this.afterDispatch = options.afterDispatch;
    this.onError = options.onError;
    this.host = {
      native: this.native,
      now: (clockid) => this.now(clockid),
      refresh: (clockid) => this.refresh(clockid),
      deliver: (slot, count, last, final) => this.deliver(slot, count, last, final),
      finish: (slot) => this.detach(slot),
      notice: (notice) => this.guard(() => this.onNotice?.(notice)),
      release: (source) => this.placement.release(source),
    };
    this.placement = new Placement(this.native, () => this.epoll!, this.host, options.maxFds ?? Infinity);
  }

  /** How many timers are armed. */
  get size(): number {
    return this.timerCount;
  }

  /** True while a wake-up's events are being delivered. */
  get dispatching(): boolean {
    return this.inDispatch;
  }

  /** How many timerfds this loop holds (own, shared and queue fds). */
  get fdCount(): number {
    return this.placement.fdCount;
  }

  /**
   * Arms one timer; `handler` gets every expiration. A one-shot timer leaves the loop after its
   * expiration. Durations are strings (`'5s'`) or bigint nanoseconds, as for `once()`/`every()`.
   * Throws a UsageError (nothing armed) for options that cannot be armed.
   */
  add(options: TimerOptions, handler: ExpirationHandler): LoopTimer {
    try {
      return this.addOne(validate(options), handler);
    } finally {
      if (!this.inDispatch) this.clockCache.clear();
    }
  }

  /**
   * Arms many timers against one reading of each clock, so timers with the same options get the
   * same deadlines (and may share a timerfd). All or nothing: every entry is validated before any
   * is armed, and if arming one fails, those already armed are cancelled again.
   */
  addAll(list: ReadonlyArray<{ readonly options: TimerOptions; readonly handler: ExpirationHandler }>): LoopTimer[] {
    const resolved = list.map(({ options }) => validate(options));
    const armed: LoopTimer[] = [];
    try {
      for (let i = 0; i < list.length; i++) armed.push(this.addOne(resolved[i]!, list[i]!.handler));
      return armed;
    } catch (err) {
      for (const timer of armed) timer.cancel();
      throw err;
    } finally {
      if (!this.inDispatch) this.clockCache.clear();
    }
  }

  /** Disarms `timer` and takes it off the loop (as `timer.cancel()` does). */
  cancel(timer: LoopTimer): void {
    this.detach(LoopTimer.slotOf(timer));
  }

  /** Nanoseconds until `timer`'s next expiration (as `timer.remaining()`). */
  remaining(timer: LoopTimer): bigint {
    return timer.remaining();
  }

  /** Disarms and closes every timer and the epoll set; adding to a closed loop throws. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.placement.closeAll();
    this.timerCount = 0;
    this.watch?.stop();
    this.epoll?.close();
  }

  /**
   * Stops reading expirations until `resume()`: the kernel keeps counting them, so nothing is
   * lost — the next wake-up reports every expiration since. For backpressure, when whoever
   * consumes the events is slower than the timers.
   */
  pause(): void {
    if (this.state !== 'open') return;
    this.state = 'paused';
    this.watch?.pause();
  }

  /** Reads expirations again after `pause()`. */
  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'open';
    this.watch?.resume();
  }

  private addOne(options: ResolvedTimerOptions, handler: ExpirationHandler): LoopTimer {
    if (this.state === 'closed') throw new UsageError('the loop is closed', 'ECLOSED');
    // The epoll set first: its first use loads libc, and that must not eat into the delay.
    this.start();
    const clock = options.clock ?? 'monotonic';
    const clockid = CLOCKS[clock];
    const recurrence = this.recurrenceOf(options, clockid);
    const control = { remaining: (slot: Slot) => slot.source?.remaining(slot) ?? 0n, cancel: (slot: Slot) => this.detach(slot) };
    const timer = LoopTimer.create(options.name ?? defaultTimerName(), clock, clockid, recurrence, handler, control);
    const cancelOnSet = options.at !== undefined && isRealtimeClock(clockid) && options.cancelOnSet !== false;
    const flags = TFD_TIMER_ABSTIME | (cancelOnSet ? TFD_TIMER_CANCEL_ON_SET : 0);
    const slot = LoopTimer.slotOf(timer);
    if (!isRealtimeClock(clockid)) slot.wallOffset = this.now(CLOCK_REALTIME) - this.now(clockid);
    this.placement.attach(slot, flags);
    lookAhead(slot);
    if (this.timerCount++ === 0) this.watch!.ref();
    return timer;
  }

  private recurrenceOf(options: ResolvedTimerOptions, clockid: number): Recurrence {
    const interval = options.interval ?? 0n;
    const first = options.at ?? this.now(clockid) + (options.delay ?? interval);
    return options.next ? computedRecurrence(first, options.next) : fixedRecurrence(first, interval);
  }

  // Takes a timer off the loop (cancelled, or its schedule ended).
  private detach(slot: Slot): void {
    const source = slot.source;
    if (!source) return;
    slot.source = undefined;
    source.remove(slot);
    if (--this.timerCount === 0) this.watch?.unref();
  }

  private start(): void {
    if (this.epoll) return;
    this.epoll = new Epoll();
    this.watch = watchReadable(this.epoll.fd, () => this.onReadable());
    this.watch.unref();
    if (this.state === 'paused') this.watch.pause();
  }

  private onReadable(): void {
    if (this.state === 'closed') return;
    const batch = this.readyBatch;
    // One batch per wake-up: the fds are read only when dispatched, and uv_poll calls again
    // while the epoll fd stays readable (with 1024+ ready, draining all would loop forever).
    this.epoll!.waitOnce((fd) => {
      const source = this.placement.sources.get(fd);
      if (source) batch.push(source);
    });
    this.inDispatch = true;
    try {
      for (let i = 0; i < batch.length; i++) {
        const source = batch[i]!;
        // A handler earlier in the batch may have cancelled this source's timers.
        if (this.placement.sources.get(source.fd) !== source) continue;
        try {
          source.onReady();
        } catch (err) {
          this.fail(err);
        }
      }
    } finally {
      this.inDispatch = false;
      batch.length = 0;
      this.clockCache.clear();
      if (this.afterDispatch) this.guard(this.afterDispatch);
    }
  }

  private now(clockid: number): bigint {
    let t = this.clockCache.get(clockid);
    if (t === undefined) {
      t = clockNow(clockid);
      this.clockCache.set(clockid, t);
    }
    return t;
  }

  private refresh(clockid: number): bigint {
    const t = clockNow(clockid);
    this.clockCache.set(clockid, t);
    return t;
  }

  private deliver(slot: Slot, count: number, last: bigint, final: boolean): void {
    slot.tick += count;
    const time = this.now(slot.clockid);
    const event: Expiration = {
      timer: slot.timer,
      tick: slot.tick,
      expirations: count,
      scheduled: last,
      time,
      wallTime: slot.clockid === CLOCK_REALTIME ? time : this.now(CLOCK_REALTIME),
      latenessUs: Number(time - last) / 1000,
      final,
    };
    try {
      slot.handler(event);
    } catch (err) {
      this.fail(err);
    }
  }

  // Runs `fn`; what it throws goes to onError, or is rethrown once Node's stack is its own again.
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (this.onError) {
      try {
        this.onError(err);
        return;
      } catch (again) {
        err = again;
      }
    }
    setImmediate(() => {
      throw err;
    });
  }
}
