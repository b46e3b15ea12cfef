// Past the fd budget, the timers of one clock share a deadline queue: one absolute timerfd armed
// for the earliest deadline in a heap. Expiration counts are computed exactly as the kernel
// would: every deadline that is due by the time of the read counts.
import { clockName, clockNow } from '../native/clocks.js';
import { DeadlineHeap } from './heap.js';
import { catchUp, lookAhead } from './recurrence.js';
import { armable, isCanceled, type Source, type SourceHost } from './source.js';
import type { Slot } from './timer.js';

// At most this many timers per wake-up: the rest stay due, and the queue's timerfd, armed again
// for a past deadline, fires again at once — after output was flushed (and backpressure applied).
const QUEUE_BATCH = 4096;

export class QueueSource implements Source {
  readonly budgeted = false;
  readonly key = undefined;
  readonly heap = new DeadlineHeap<Slot>();
  // Paused timers that came due, out of the heap with their deadline kept: on resume they go
  // back in, due at once, with every expiration since counted. A paused timer not yet due stays
  // in the heap (pausing and resuming many at once costs nothing per timer).
  private readonly parked = new Set<Slot>();
  private armedFor: bigint | undefined;
  private armPending = false;
  private readonly due: Slot[] = [];

  constructor(
    private readonly host: SourceHost,
    readonly fd: number,
    readonly clockid: number,
    readonly flags: number,
  ) {}

  add(slot: Slot): void {
    slot.source = this;
    this.heap.push(slot);
    this.arm();
  }

  onReady(): void {
    let stepped = false;
    try {
      this.host.native.drain(this.fd);
    } catch (err) {
      if (!isCanceled(err)) throw err;
      stepped = true;
      this.host.notice({ kind: 'clock-step', clock: clockName(this.clockid) });
    }
    this.armedFor = undefined;
    const now = this.host.refresh(this.clockid);
    const heap = this.heap;
    const due = this.due;
    for (let top = heap.peek(); top && top.deadline <= now && due.length < QUEUE_BATCH; top = heap.peek()) {
      heap.pop();
      due.push(top);
    }
    try {
      for (const slot of due) {
        // A handler earlier in this batch may have cancelled it (not delivered, not re-queued);
        // a paused one is parked, its deadline kept.
        if (slot.source !== this) continue;
        if (slot.paused) this.parked.add(slot);
        else this.expire(slot, now, stepped);
      }
    } finally {
      due.length = 0;
      this.arm();
    }
  }

  // One due timer: deliver what passed (a computed schedule stepped over by the clock only
  // counts it as missed), then queue its next deadline or let it go.
  private expire(slot: Slot, now: bigint, stepped: boolean): void {
    const passed = catchUp(slot.recurrence, slot.deadline, now, slot.following);
    slot.following = undefined;
    const first = slot.deadline;
    if (passed.next !== undefined) slot.deadline = passed.next;
    if (stepped && slot.recurrence.computed) {
      slot.tick += passed.count;
      const missed = { count: passed.count, first, last: passed.last };
      this.host.notice({ kind: 'clock-step', timer: slot.timer, clock: slot.timer.clock, missed });
    } else {
      this.host.deliver(slot, passed.count, passed.last, passed.next === undefined);
    }
    if (slot.source !== this) return;
    if (passed.next === undefined) this.host.finish(slot);
    else {
      if (slot.paused) this.parked.add(slot);
      else this.heap.push(slot);
      lookAhead(slot);
    }
  }

  // --precise: the earliest deadline has passed by the clock; what is due is delivered now, as
  // the kernel's wake-up would (the queue counts by the clock anyway).
  expireEarly(): boolean {
    const top = this.heap.peek();
    if (!top || top.deadline > this.host.refresh(this.clockid)) return false;
    this.onReady();
    return true;
  }

  // Nothing until it comes due (then it is parked).
  pause(): void {}

  // Many timers are resumed at once (all that print to a stdout that drained): the timerfd is
  // armed once for the new earliest deadline, not once per timer.
  resume(slot: Slot): void {
    if (!this.parked.delete(slot)) return;
    this.heap.push(slot);
    this.armSoon();
  }

  private armSoon(): void {
    if (this.armPending) return;
    this.armPending = true;
    queueMicrotask(() => {
      this.armPending = false;
      this.arm();
    });
  }

  // Delivers this timer's due deadlines now, paused or not.
  poll(slot: Slot): void {
    const now = this.host.refresh(this.clockid);
    if (slot.deadline > now) return;
    if (!this.parked.delete(slot)) this.heap.remove(slot);
    try {
      this.expire(slot, now, false);
    } finally {
      this.arm();
    }
  }

  remaining(slot: Slot): bigint {
    const left = slot.deadline - clockNow(this.clockid);
    return left > 0n ? left : 0n;
  }

  remove(slot: Slot): void {
    if (!this.heap.remove(slot)) this.parked.delete(slot);
    if (this.heap.size === 0) this.arm();
  }

  next(): Slot | undefined {
    return this.heap.peek();
  }

  detachAll(): void {
    for (let slot = this.heap.pop(); slot; slot = this.heap.pop()) slot.source = undefined;
    for (const slot of this.parked) slot.source = undefined;
    this.parked.clear();
  }

  // Arms the timerfd for the earliest deadline (or disarms it when the queue is empty).
  private arm(): void {
    const top = this.heap.peek();
    if (!top) {
      if (this.armedFor !== undefined) this.host.native.settime(this.fd, 0, 0n, 0n);
      this.armedFor = undefined;
      return;
    }
    if (this.armedFor === top.deadline) return;
    this.host.native.settime(this.fd, this.flags, armable(top.deadline), 0n);
    this.armedFor = top.deadline;
  }
}
