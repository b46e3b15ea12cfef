// The loop: one epoll set watched on Node's own event loop (uv_poll), many timers, one event per
// expiration. Timers keep the kernel's schedule: every timer is armed with an absolute first
// deadline and, if periodic, the kernel's own interval — nothing is re-armed from "now".
//
// Each timer is backed in one of three ways, chosen when it is added:
//  - its own timerfd (the default, while the fd budget lasts);
//  - a timerfd shared with timers of identical schedule (same clock, first deadline, interval);
//  - past the fd budget, a deadline queue per clock: one absolute timerfd armed for the earliest
//    deadline in a heap. Expiration counts are computed exactly as the kernel does:
//    1 + floor((now - deadline) / interval).
import { readdirSync } from 'node:fs';
import { DeadlineHeap, type HeapItem } from './heap.js';
import { Epoll } from './native/epoll.js';
import {
  CLOCKS,
  TFD_CLOEXEC,
  TFD_NONBLOCK,
  TFD_TIMER_ABSTIME,
  TFD_TIMER_CANCEL_ON_SET,
  type ClockName,
  type FdWatch,
  clockNow,
  getFdLimit,
  isRealtimeClock,
  watchReadable,
  CLOCK_REALTIME,
} from './native/libc.js';
import { kernelTimers, type TimerNative } from './native/timerfd.js';
import { SyscallError, UsageError } from './errors.js';

export interface TimerOptions {
  name?: string;
  clock?: ClockName;
  // First expiration: `delay` ns from now (0n = at once), or `at`, an absolute time on the clock.
  // Without either, a periodic timer first fires after one interval.
  delay?: bigint;
  at?: bigint;
  // Period in ns; 0n or absent for a one-shot timer.
  interval?: bigint;
  // For absolute realtime timers: arm with TFD_TIMER_CANCEL_ON_SET and re-arm for the same
  // wall-clock deadline when the clock is stepped (default true).
  cancelOnSet?: boolean;
}

export interface Expiration {
  timer: LoopTimer;
  // Running total of expirations, this wake-up's included.
  tick: number;
  // The kernel's count for this wake-up: more than 1 means ticks were missed (and counted).
  expirations: number;
  // When the latest of them was due, and when it was seen: ns on the timer's clock.
  scheduled: bigint;
  time: bigint;
  // Wall-clock (CLOCK_REALTIME) ns when it was seen, for reports.
  wallTime: bigint;
  latenessUs: number;
}

export type ExpirationHandler = (event: Expiration) => void;

export interface LoopNotice {
  kind: 'clock-step';
  timer?: LoopTimer;
  clock: ClockName;
}

export interface LoopOptions {
  native?: TimerNative;
  // How many timerfds this loop may hold before timers share a deadline queue. Default: the
  // open-file soft limit less the fds already open and a reserve of 256 for everything else.
  maxFds?: number;
  onNotice?: (notice: LoopNotice) => void;
  // Called after each wake-up's events were delivered (to flush buffered output once).
  afterDispatch?: () => void;
}

interface Source {
  fd: number;
  clockid: number;
  onReady(): void;
}

let nextTimerId = 1;
const QUEUE_BATCH = 4096;

export class LoopTimer implements HeapItem {
  readonly id = nextTimerId++;
  readonly name: string;
  readonly clock: ClockName;
  readonly clockid: number;
  readonly interval: bigint;
  // Absolute deadline of the first expiration, on the timer's clock.
  readonly first: bigint;
  tick = 0;
  // Next deadline (queue-backed timers and heap bookkeeping).
  deadline: bigint;
  heapIndex = -1;
  source: Source | undefined;
  readonly handler: ExpirationHandler;
  private readonly loop: Loop;

  constructor(loop: Loop, name: string, clock: ClockName, first: bigint, interval: bigint, handler: ExpirationHandler) {
    this.loop = loop;
    this.name = name;
    this.clock = clock;
    this.clockid = CLOCKS[clock];
    this.first = first;
    this.deadline = first;
    this.interval = interval;
    this.handler = handler;
  }

  get armed(): boolean {
    return this.source !== undefined;
  }

  // Absolute deadline of the next expiration on the timer's clock (undefined once finished).
  get next(): bigint | undefined {
    if (!this.armed) return undefined;
    return this.first + BigInt(this.tick) * this.interval;
  }

  // Nanoseconds until the next expiration: from timerfd_gettime for a timer with its own fd.
  remaining(): bigint {
    return this.loop.remaining(this);
  }

  cancel(): void {
    this.loop.cancel(this);
  }
}

class FdSource implements Source {
  readonly members = new Set<LoopTimer>();
  fired = false;
  constructor(
    private readonly loop: Loop,
    readonly fd: number,
    readonly clockid: number,
    readonly key: string,
    readonly flags: number,
  ) {}

  onReady(): void {
    this.loop.drainFd(this);
  }
}

class QueueSource implements Source {
  readonly heap = new DeadlineHeap<LoopTimer>();
  armedFor: bigint | undefined;
  constructor(
    private readonly loop: Loop,
    readonly fd: number,
    readonly clockid: number,
    readonly flags: number,
  ) {}

  onReady(): void {
    this.loop.drainQueue(this);
  }
}

export class Loop {
  private readonly native: TimerNative;
  private readonly onNotice: ((notice: LoopNotice) => void) | undefined;
  private readonly afterDispatch: (() => void) | undefined;
  // True while a wake-up's events are being delivered.
  dispatching = false;
  private epoll: Epoll | undefined;
  private watch: FdWatch | undefined;
  private readonly sources = new Map<number, Source>();
  private readonly shared = new Map<string, FdSource>();
  private readonly queues = new Map<string, QueueSource>();
  private readonly maxFds: number;
  private fdsInUse = 0;
  private timerCount = 0;
  private closed = false;
  private paused = false;
  // Clock readings cached for the duration of one batch (one wake-up or one addAll call).
  private clockCache = new Map<number, bigint>();

  constructor(options: LoopOptions = {}) {
    this.native = options.native ?? kernelTimers;
    this.onNotice = options.onNotice;
    this.afterDispatch = options.afterDispatch;
    this.maxFds = options.maxFds ?? defaultFdBudget();
  }

  get size(): number {
    return this.timerCount;
  }

  // Arms one timer; `handler` gets every expiration. One-shot timers end after theirs.
  add(options: TimerOptions, handler: ExpirationHandler): LoopTimer {
    const timer = this.addOne(options, handler);
    this.clockCache.clear();
    return timer;
  }

  // Arms many timers against one reading of each clock, so timers with the same spec get the
  // same deadlines (and may share a timerfd). Validates all before arming any.
  addAll(list: ReadonlyArray<{ options: TimerOptions; handler: ExpirationHandler }>): LoopTimer[] {
    for (const { options } of list) validate(options);
    try {
      return list.map(({ options, handler }) => this.addOne(options, handler));
    } finally {
      this.clockCache.clear();
    }
  }

  private addOne(options: TimerOptions, handler: ExpirationHandler): LoopTimer {
    if (this.closed) throw new UsageError('the loop is closed', 'ECLOSED');
    validate(options);
    const clock = options.clock ?? 'monotonic';
    const clockid = CLOCKS[clock];
    const interval = options.interval ?? 0n;
    const first = options.at ?? this.now(clockid) + (options.delay ?? interval);
    const timer = new LoopTimer(this, options.name ?? `timer-${nextTimerId}`, clock, first, interval, handler);
    const cancelOnSet = options.at !== undefined && isRealtimeClock(clockid) && options.cancelOnSet !== false;
    const flags = TFD_TIMER_ABSTIME | (cancelOnSet ? TFD_TIMER_CANCEL_ON_SET : 0);
    this.start();
    const key = `${clockid}:${flags}:${first}:${interval}`;
    const group = this.shared.get(key);
    // Only a schedule that has not fired yet is shared: a newcomer must not lose the
    // expirations its own timerfd would have counted.
    if (group && !group.fired) {
      group.members.add(timer);
      timer.source = group;
    } else if (this.fdsInUse < this.maxFds) {
      const fd = this.native.create(clockid, TFD_CLOEXEC | TFD_NONBLOCK);
      const source = new FdSource(this, fd, clockid, key, flags);
      try {
        this.native.settime(fd, flags, first > 0n ? first : 1n, interval); // absolute 0 would disarm
        this.epoll!.add(fd);
      } catch (err) {
        this.native.close(fd);
        throw err;
      }
      this.fdsInUse++;
      this.sources.set(fd, source);
      this.shared.set(key, source);
      source.members.add(timer);
      timer.source = source;
    } else {
      const queue = this.queueFor(clockid, flags);
      queue.heap.push(timer);
      timer.source = queue;
      this.armQueue(queue);
    }
    if (this.timerCount++ === 0) this.watch!.ref();
    return timer;
  }

  remaining(timer: LoopTimer): bigint {
    const source = timer.source;
    if (!source) return 0n;
    if (source instanceof FdSource) return this.native.gettime(source.fd).valueNs;
    const left = timer.deadline - clockNow(timer.clockid);
    return left > 0n ? left : 0n;
  }

  cancel(timer: LoopTimer): void {
    const source = timer.source;
    if (!source) return;
    timer.source = undefined;
    if (source instanceof FdSource) {
      source.members.delete(timer);
      if (source.members.size === 0) this.closeSource(source);
    } else if (source instanceof QueueSource) {
      source.heap.remove(timer);
      if (source.heap.size === 0) this.armQueue(source);
    }
    if (--this.timerCount === 0) this.watch?.unref();
  }

  // Disarms and closes every timer and the epoll set.
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const source of this.sources.values()) {
      if (source instanceof FdSource) for (const t of source.members) t.source = undefined;
      if (source instanceof QueueSource) for (let t = source.heap.pop(); t; t = source.heap.pop()) t.source = undefined;
      this.native.close(source.fd);
    }
    this.sources.clear();
    this.shared.clear();
    this.queues.clear();
    this.timerCount = 0;
    this.watch?.stop();
    this.epoll?.close();
  }

  // Stops reading expirations until resume(): the kernel keeps counting them, so nothing is
  // lost — the next wake-up reports every expiration since. Used for backpressure when the
  // reader of our output is slower than the timers.
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.watch?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.closed) this.watch?.resume();
  }

  // Number of timerfds this loop holds (own, shared and queue fds).
  get fdCount(): number {
    return this.sources.size;
  }

  private start(): void {
    if (this.epoll) return;
    this.epoll = new Epoll();
    this.watch = watchReadable(this.epoll.fd, () => this.onReadable());
    this.watch.unref();
    if (this.paused) this.watch.pause();
  }

  private readonly readyBatch: Source[] = [];

  private onReadable(): void {
    if (this.closed) return;
    const batch = this.readyBatch;
    // One batch per wake-up: the fds are read only when dispatched, and uv_poll calls again
    // while the epoll fd stays readable (with 1024+ ready, drain() would loop forever).
    this.epoll!.waitOnce((fd) => {
      const source = this.sources.get(fd);
      if (source) batch.push(source);
    });
    this.dispatching = true;
    try {
      for (let i = 0; i < batch.length; i++) {
        const source = batch[i]!;
        // A handler earlier in the batch may have cancelled this source's timers.
        if (this.sources.get(source.fd) === source) source.onReady();
      }
    } finally {
      this.dispatching = false;
      batch.length = 0;
      this.clockCache.clear();
      this.afterDispatch?.();
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

  drainFd(source: FdSource): void {
    let n: number;
    try {
      n = this.native.drain(source.fd);
    } catch (err) {
      if (err instanceof SyscallError && err.code === 'ECANCELED') return this.rearmAfterStep(source);
      throw err;
    }
    if (n === 0) return;
    source.fired = true;
    this.clockCache.delete(source.clockid); // `time` must not predate the read that counted n (drainQueue refreshes too)
    // Copied: a handler may cancel members (or add timers that join this schedule).
    for (const timer of [...source.members]) {
      if (timer.source !== source) continue;
      this.deliver(timer, n);
      if (timer.interval === 0n) this.cancel(timer);
    }
  }

  drainQueue(queue: QueueSource): void {
    try {
      this.native.drain(queue.fd);
    } catch (err) {
      if (!(err instanceof SyscallError && err.code === 'ECANCELED')) throw err;
      this.notice({ kind: 'clock-step', clock: clockName(queue.clockid) });
    }
    queue.armedFor = undefined;
    const now = clockNow(queue.clockid);
    this.clockCache.set(queue.clockid, now);
    const heap = queue.heap;
    const due: LoopTimer[] = [];
    // At most a batch per wake-up: the rest stay due, and the queue's timerfd, re-armed for a
    // past deadline, fires again at once — after output was flushed (and backpressure applied).
    for (let top = heap.peek(); top && top.deadline <= now && due.length < QUEUE_BATCH; top = heap.peek()) {
      heap.pop();
      due.push(top);
    }
    for (const timer of due) {
      // A handler earlier in this batch may have cancelled it: not delivered, not re-queued.
      if (timer.source !== queue) continue;
      const n = timer.interval === 0n ? 1 : Number((now - timer.deadline) / timer.interval) + 1;
      if (timer.interval > 0n) {
        timer.deadline += BigInt(n) * timer.interval;
        heap.push(timer);
      }
      this.deliver(timer, n);
      if (timer.interval === 0n && timer.source === queue) {
        timer.source = undefined;
        if (--this.timerCount === 0) this.watch?.unref();
      }
    }
    this.armQueue(queue);
  }

  private deliver(timer: LoopTimer, n: number): void {
    timer.tick += n;
    const scheduled = timer.first + BigInt(timer.tick - 1) * timer.interval;
    const time = this.now(timer.clockid);
    const wallTime = timer.clockid === CLOCK_REALTIME ? time : this.now(CLOCK_REALTIME);
    timer.handler({
      timer,
      tick: timer.tick,
      expirations: n,
      scheduled,
      time,
      wallTime,
      latenessUs: Number(time - scheduled) / 1000,
    });
  }

  // After a clock step (ECANCELED), arm again for the same absolute deadline: the next tick
  // not yet delivered. A deadline now in the past fires at once.
  private rearmAfterStep(source: FdSource): void {
    const [timer] = source.members;
    if (!timer) return;
    const next = timer.first + BigInt(timer.tick) * timer.interval;
    this.native.settime(source.fd, source.flags, next > 0n ? next : 1n, timer.interval);
    this.notice({ kind: 'clock-step', timer, clock: timer.clock });
  }

  private notice(notice: LoopNotice): void {
    this.onNotice?.(notice);
  }

  private queueFor(clockid: number, flags: number): QueueSource {
    const key = `${clockid}:${flags}`;
    let queue = this.queues.get(key);
    if (!queue) {
      const fd = this.native.create(clockid, TFD_CLOEXEC | TFD_NONBLOCK);
      try {
        this.epoll!.add(fd);
      } catch (err) {
        this.native.close(fd);
        throw err;
      }
      queue = new QueueSource(this, fd, clockid, flags);
      this.queues.set(key, queue);
      this.sources.set(fd, queue);
    }
    return queue;
  }

  // Arms a queue's timerfd for its earliest deadline (or disarms it when empty).
  private armQueue(queue: QueueSource): void {
    const top = queue.heap.peek();
    if (!top) {
      if (queue.armedFor !== undefined) this.native.settime(queue.fd, 0, 0n, 0n);
      queue.armedFor = undefined;
      return;
    }
    if (queue.armedFor === top.deadline) return;
    // An absolute deadline of 0 would disarm: clamp to 1 ns (long past, so it fires at once).
    this.native.settime(queue.fd, queue.flags, top.deadline > 0n ? top.deadline : 1n, 0n);
    queue.armedFor = top.deadline;
  }

  private closeSource(source: FdSource): void {
    this.sources.delete(source.fd);
    if (this.shared.get(source.key) === source) this.shared.delete(source.key);
    this.epoll!.remove(source.fd);
    this.native.close(source.fd);
    this.fdsInUse--;
  }
}

function clockName(clockid: number): ClockName {
  for (const [name, id] of Object.entries(CLOCKS)) if (id === clockid) return name as ClockName;
  return 'monotonic';
}

function validate(options: TimerOptions): void {
  const { delay, at, interval } = options;
  for (const [what, v] of [['delay', delay], ['at', at], ['interval', interval]] as const) {
    if (v === undefined) continue;
    if (typeof v !== 'bigint') throw new UsageError(`${what} must be a bigint of nanoseconds`, 'EINVAL');
    if (v < 0n) throw new UsageError(`${what} must not be negative (got ${v} ns)`, 'EINVAL');
  }
  if (delay !== undefined && at !== undefined) throw new UsageError('give either delay or at, not both', 'EINVAL');
  if (options.clock !== undefined && !(options.clock in CLOCKS)) {
    throw new UsageError(`unknown clock ${JSON.stringify(options.clock)} (use ${Object.keys(CLOCKS).join(', ')})`, 'EINVAL');
  }
}

function defaultFdBudget(): number {
  const { soft } = getFdLimit();
  let open = 16;
  try {
    open = readdirSync('/proc/self/fd').length;
  } catch {
    // no /proc: assume a few
  }
  const limit = soft === Infinity ? 1 << 20 : soft;
  return Math.max(0, limit - open - 256);
}

let shared: Loop | undefined;

// The process-wide loop used by once() and every().
export function defaultLoop(): Loop {
  if (!shared) shared = new Loop();
  return shared;
}
