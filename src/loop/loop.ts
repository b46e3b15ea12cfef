// The loop: one epoll set watched on Node's own event loop (uv_poll), many timers, one event per
// expiration. Deadlines come in (a recurrence per timer), expirations go out; the loop knows no
// kind of schedule. Each timer is backed, when it is added, by
//  - its own timerfd (while the fd budget lasts),
//  - a timerfd shared with timers of identical fixed schedule, or
//  - past the budget, its clock's deadline queue (one absolute timerfd over a heap).
// Handlers run outside the native callback's reach: one that throws cannot stop the batch or
// leave a source half-read (failure.ts). Other fds may be watched for errors (error-watches.ts).
// Before a deadline far enough away, one warm-up wake runs the wake-up's code warm (warmup.ts).
import { UsageError } from '../errors.js';
import { CLOCKS, isRealtimeClock } from '../native/clocks.js';
import { Epoll } from '../native/epoll.js';
import { EPOLLIN, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET } from '../native/libc.js';
import { kernelTimers, type TimerNative } from '../native/timerfd.js';
import { watchReadable, type FdWatch } from '../native/watch.js';
import { Batch } from './batch.js';
import { ErrorWatches } from './error-watches.js';
import { validate, type LoopOptions, type ResolvedTimerOptions, type TimerOptions } from './options.js';
import { Placement } from './placement.js';
import { lookAhead, recurrenceFor } from './recurrence.js';
import type { LoopNotice, Source, SourceHost } from './source.js';
import { slotControl } from './slot-control.js';
import { LoopTimer, defaultTimerName, type Expiration, type ExpirationHandler, type Slot, type TimerControl } from './timer.js';
import { Warmup } from './warmup.js';
import { LEAN, WARM, warmupMode, type WarmupMode } from './warmup-mode.js';

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
  private epoll: Epoll | undefined;
  private watch: FdWatch | undefined;
  private readonly placement: Placement;
  private timerCount = 0;
  private state: 'open' | 'paused' | 'closed' = 'open';
  // Clock readings, guards and the after-dispatch hook of one batch of work.
  private readonly batch: Batch;
  // A wake-up's ready sources, the first readyCount (kept: `length = 0` frees the store).
  private readonly readyBatch: Array<Source | undefined> = [];
  private readyCount = 0;
  private readonly errorWatches = new ErrorWatches(() => this.epoll!);
  private readonly host: SourceHost;
  private readonly warmup: Warmup;
  // The warm-up mode of timers that do not choose one, and how many timers want a warm-up.
  private readonly mode: WarmupMode;
  private warmTimers = 0;
  private readonly onWarmup: ((sample: Expiration) => void) | undefined;
  private readonly control: TimerControl;

  /** A loop with no timers yet (the epoll set is made when the first is added). */
  constructor(options: LoopOptions = {}) {
    this.mode = warmupMode(options, WARM);
    this.onWarmup = options.onWarmup;
    this.native = options.native ?? kernelTimers;
    this.onNotice = options.onNotice;
    this.batch = new Batch(options.afterDispatch, options.onError);
    const { batch, batch: { clocks } } = this;
    // Bound, not wrapped in closures: the sources call these each wake-up (a frame less each).
    this.host = {
      native: this.native,
      now: clocks.now.bind(clocks),
      refresh: clocks.refresh.bind(clocks),
      deliver: batch.deliver.bind(batch),
      finish: (slot) => this.detach(slot),
      notice: (notice) => this.batch.guard(() => this.onNotice?.(notice)),
      release: (source) => this.placement.release(source),
      watch: (fd, on) => this.epoll!.modify(fd, on ? EPOLLIN : 0),
    };
    this.placement = new Placement(this.native, () => this.epoll!, this.host, options.maxFds ?? Infinity);
    this.warmup = new Warmup(this.native, () => this.epoll!);
    this.control = slotControl(this.batch, (slot) => this.detach(slot), () => this.planWarmup());
  }

  /** @internal The warm-up wake: how many times it was armed (at most once per wake-up), its timerfd (-1: none). */
  get warmupState(): { arms: number; fd: number } {
    return { arms: this.warmup.arms, fd: this.warmup.fd };
  }

  /** How many timers are armed. */
  get size(): number {
    return this.timerCount;
  }

  /** True while a wake-up's events are being delivered. */
  get dispatching(): boolean {
    return this.batch.active;
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
      this.settle();
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
      this.settle();
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

  /**
   * Watches `fd` (a pipe, a socket: anything epoll can watch) for an error or hang-up, such as a
   * pipe whose reader has gone: `onError(events)` runs once, after that wake-up's expirations,
   * and the watch ends. It does not keep the process alive. Returns what ends it early.
   */
  watchErrors(fd: number, onError: (events: number) => void): () => void {
    if (this.state === 'closed') throw new UsageError('the loop is closed', 'ECLOSED');
    if (this.placement.sources.has(fd)) throw new UsageError(`fd ${fd} is already watched`, 'EEXIST');
    this.start();
    return this.errorWatches.add(fd, onError);
  }

  /** Disarms and closes every timer and the epoll set; adding to a closed loop throws. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.errorWatches.clear();
    this.warmup.close(false);
    this.placement.closeAll();
    this.timerCount = 0;
    this.watch?.stop();
    this.epoll?.close();
  }

  /**
   * Stops reading expirations of every timer until `resume()`: the kernel keeps counting them, so
   * the next wake-up reports every expiration since (`LoopTimer.pause()` stops one timer).
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
    this.planWarmup();
  }

  private addOne(options: ResolvedTimerOptions, handler: ExpirationHandler): LoopTimer {
    if (this.state === 'closed') throw new UsageError('the loop is closed', 'ECLOSED');
    // The epoll set first: its first use loads libc, and that must not eat into the delay.
    this.start();
    const clock = options.clock ?? 'monotonic';
    const clockid = CLOCKS[clock];
    // Reads the clock: one that cannot be read (an alarm clock without an RTC) is refused here.
    const recurrence = recurrenceFor(options, this.batch.clocks.now(clockid));
    const timer = LoopTimer.create(options.name ?? defaultTimerName(), clock, clockid, recurrence, handler, this.control);
    const cancelOnSet = options.at !== undefined && isRealtimeClock(clockid) && options.cancelOnSet !== false;
    const flags = TFD_TIMER_ABSTIME | (cancelOnSet ? TFD_TIMER_CANCEL_ON_SET : 0);
    const slot = LoopTimer.slotOf(timer);
    slot.mode = warmupMode(options, this.mode);
    slot.wallOffset = this.batch.clocks.wallOffset(clockid);
    this.placement.attach(slot, flags);
    lookAhead(slot);
    if (this.timerCount++ === 0) this.watch!.ref();
    if (slot.mode !== LEAN) this.warmTimers++;
    return timer;
  }

  // Takes a timer off the loop (cancelled, or its schedule ended).
  private detach(slot: Slot): void {
    const source = slot.source;
    if (!source) return;
    slot.source = undefined;
    slot.held = undefined;
    source.remove(slot);
    if (slot.mode !== LEAN) this.warmTimers--;
    if (--this.timerCount > 0) return;
    this.watch?.unref();
    this.warmup.close(true);
  }

  // Outside a batch, the clock readings go; the warm-up is armed for the new next deadline.
  private settle(): void {
    this.batch.settle();
    if (!this.batch.active) this.planWarmup();
  }

  private planWarmup(): void {
    if (this.warmTimers > 0 && this.state === 'open') this.warmup.plan(this.placement.sources);
    else this.warmup.disarm();
  }

  private start(): void {
    if (this.epoll) return;
    this.epoll = new Epoll();
    this.watch = watchReadable(this.epoll.fd, this.onReadable.bind(this));
    this.watch.unref();
    if (this.state === 'paused') this.watch.pause();
  }

  // One wake-up; true when it delivered something (or noted an error).
  private onReadable(): boolean {
    if (this.state === 'closed') return false;
    this.warmSeen = false;
    // One batch per wake-up: the fds are read only when dispatched, and uv_poll calls again
    // while the epoll fd stays readable (with 1024+ ready, draining all would loop forever).
    const n = this.epoll!.waitOnce(this.noteReady);
    if (this.warmSeen) {
      this.warmup.fired();
      // Late: the deadline itself is here, no time to warm up.
      if (n === 1) return this.warmup.wake(this.batch, this.onWarmup, this.early, this.poll);
    }
    if (n === 0) return false;
    this.batch.run(this.dispatchReady);
    // (No timer wants a warm-up and no warm-up fd is open, as under --lean: nothing to plan or disarm.)
    if (this.warmTimers > 0 || this.warmup.fd >= 0) this.planWarmup();
    return true;
  }

  // The steps of a wake-up, made once (no closure per wake-up).
  private warmSeen = false;
  private readonly noteReady = (fd: number, events: number): void => {
    const source = this.placement.sources.get(fd);
    if (source) this.readyBatch[this.readyCount++] = source;
    else if (fd === this.warmup.fd) this.warmSeen = true;
    else this.errorWatches.note(fd, events);
  };
  private readonly dispatchReady = (): void => {
    try {
      for (let i = 0; i < this.readyCount; i++) {
        const source = this.readyBatch[i]!;
        // A handler earlier in the batch may have cancelled this source's timers.
        if (i > 0 && this.placement.sources.get(source.fd) !== source) continue;
        try {
          source.onReady();
        } catch (err) {
          this.batch.fail(err);
        }
      }
      this.errorWatches.deliver(this.guard);
    } finally {
      // A loop, not fill(): Array.prototype.fill is C++ (measured in perf, every wake-up).
      for (let i = 0; i < this.readyCount; i++) this.readyBatch[i] = undefined;
      this.readyCount = 0;
    }
  };
  private readonly guard = (fn: () => void): void => this.batch.guard(fn);
  private readonly poll = (): boolean => this.state === 'open' && this.onReadable();

  // --precise: the deadline passed by the clock; its source delivers what is due now.
  private readonly early = (slot: Slot): boolean => {
    const source = slot.source;
    if (this.state !== 'open' || !source || this.placement.sources.get(source.fd) !== source) return false;
    let done = false;
    this.batch.run(() => (done = source.expireEarly()));
    if (done) this.planWarmup();
    return done;
  };
}
