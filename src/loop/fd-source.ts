// A timerfd of its own, or one shared by timers of identical fixed schedule (same clock, flags,
// first deadline and interval: one read serves them all). A fixed schedule is armed once with the
// kernel's interval; a computed one is re-armed with its next deadline after each expiration.
import { catchUp, fixedLast, lookAhead } from './recurrence.js';
import { armable, isCanceled, type Source, type SourceHost } from './source.js';
import type { Slot } from './timer.js';
import { CLOCK_MONOTONIC } from '../native/libc.js';

export class FdSource implements Source {
  readonly budgeted = true;
  readonly members = new Set<Slot>();
  // The first member (the only one, mostly), kept: a Set read by for-of or destructuring makes an
  // iterator and its results, each wake-up. Found again when next needed after it leaves (not at
  // once: cancelling 100,000 members in order would then scan the Set's deleted entries each time).
  private lead: Slot | undefined;
  // Once it has fired, a newcomer may not join: it would lose the expirations its own fd counts.
  fired = false;
  // Members paused. When all are and the fd fires, it is taken out of the wake-ups unread (the
  // kernel keeps counting); a member resumed puts it back. Pausing itself costs no system call.
  private pausedMembers = 0;
  private muted = false;
  // Expirations delivered by expireEarly() that the next read still counts.
  private credit = 0;

  constructor(
    private readonly host: SourceHost,
    readonly fd: number,
    readonly clockid: number,
    // Equal keys share an fd (undefined: never shared).
    readonly key: string | undefined,
    readonly flags: number,
  ) {}

  join(slot: Slot): void {
    this.members.add(slot);
    if (this.members.size === 1) this.lead = slot;
  }

  onReady(): void {
    // (No member paused, the usual case: Set#size is a call, twice, each wake-up.)
    if (this.pausedMembers > 0 && this.pausedMembers >= this.members.size) return this.mute(true);
    this.read();
  }

  // Reads the fd and delivers what expired (what a paused member would get is held for it).
  private read(): void {
    let n: number;
    try {
      n = this.host.native.drain(this.fd);
    } catch (err) {
      if (isCanceled(err)) return this.stepped();
      throw err;
    }
    if (n === 0) return;
    this.fired = true;
    if (this.credit > 0) {
      const counted = Math.min(n, this.credit);
      this.credit -= counted;
      n -= counted;
      if (n === 0) return;
    }
    // `time` must not predate the read that counted n.
    this.host.refresh(this.clockid);
    const only = this.next();
    if (only?.recurrence.computed) return this.deliverComputed(only);
    this.deliverFixed(n, only);
  }

  // --precise: the deadline has passed by the clock (CLOCK_MONOTONIC, the kernel's own), before
  // the kernel's wake-up is seen; its expiration is delivered now and credited against the next
  // read, which then delivers only what expired after it. Fixed schedules on the monotonic clock
  // with no member paused only (false: not done).
  expireEarly(): boolean {
    const only = this.next();
    if (!only || only.recurrence.computed || only.clockid !== CLOCK_MONOTONIC || this.pausedMembers > 0) return false;
    if (this.host.refresh(this.clockid) < only.deadline) return false;
    this.fired = true;
    this.credit++;
    this.deliverFixed(1, only);
    return true;
  }

  // `first` is next(), as the caller found it.
  private deliverFixed(n: number, first: Slot | undefined): void {
    // One member (the usual case) without a copy or an iterator.
    if (this.members.size === 1) return this.deliverFixedTo(first!, n);
    // Copied: a handler may cancel members (or add timers that join this schedule).
    for (const slot of [...this.members]) this.deliverFixedTo(slot, n);
  }

  private deliverFixedTo(slot: Slot, n: number): void {
    if (slot.source !== this) return;
    const { interval } = slot.recurrence;
    const last = fixedLast(slot.recurrence, slot.deadline, n);
    const next = interval === 0n ? undefined : last + interval;
    if (next !== undefined) slot.deadline = next;
    if (slot.paused) {
      slot.held = { count: (slot.held?.count ?? 0) + n, last, final: next === undefined };
      return;
    }
    this.host.deliver(slot, n, last, next === undefined);
    if (next === undefined && slot.source === this) this.host.finish(slot);
  }

  pause(): void {
    this.pausedMembers++;
  }

  resume(): void {
    this.pausedMembers--;
    this.mute(false);
  }

  poll(): void {
    this.read();
  }

  // Out of the epoll set's wake-ups (every member paused), or back in.
  private mute(on: boolean): void {
    if (on === this.muted) return;
    this.muted = on;
    this.host.watch(this.fd, !on);
  }

  // A one-shot for a computed deadline fired: deliver it (and any later ones already due), then
  // arm the next deadline, computed from the one that fired, and work out the one after it.
  private deliverComputed(slot: Slot): void {
    const due = catchUp(slot.recurrence, slot.deadline, this.host.now(this.clockid), slot.following);
    slot.following = undefined;
    if (due.next !== undefined) slot.deadline = due.next;
    this.host.deliver(slot, due.count, due.last, due.next === undefined);
    if (slot.source !== this) return;
    if (due.next === undefined) return this.host.finish(slot);
    this.host.native.settime(this.fd, this.flags, armable(due.next), 0n);
    lookAhead(slot);
  }

  // After a clock step (ECANCELED): a fixed schedule is armed again for the same absolute deadline,
  // the next tick not yet delivered (one now in the past fires at once). A computed one counts the
  // deadlines the step jumped over as missed and is armed for the first one still ahead.
  private stepped(): void {
    const [slot] = this.members;
    if (!slot) return;
    const clock = slot.timer.clock;
    if (!slot.recurrence.computed) {
      this.host.native.settime(this.fd, this.flags, armable(slot.deadline), slot.recurrence.interval);
      return this.host.notice({ kind: 'clock-step', timer: slot.timer, clock });
    }
    const now = this.host.refresh(this.clockid);
    if (slot.deadline > now) {
      this.host.native.settime(this.fd, this.flags, armable(slot.deadline), 0n);
      return this.host.notice({ kind: 'clock-step', timer: slot.timer, clock });
    }
    const passed = catchUp(slot.recurrence, slot.deadline, now, slot.following);
    slot.following = undefined;
    const missed = { count: passed.count, first: slot.deadline, last: passed.last };
    slot.tick += passed.count;
    if (passed.next === undefined) this.host.finish(slot);
    else {
      slot.deadline = passed.next;
      this.host.native.settime(this.fd, this.flags, armable(passed.next), 0n);
      lookAhead(slot);
    }
    this.host.notice({ kind: 'clock-step', timer: slot.timer, clock, missed });
  }

  remaining(): bigint {
    return this.host.native.gettime(this.fd).valueNs;
  }

  remove(slot: Slot): void {
    if (!this.members.delete(slot)) return;
    if (slot === this.lead) this.lead = undefined;
    if (slot.paused) this.pausedMembers--;
    if (this.members.size === 0) this.host.release(this);
    else if (this.pausedMembers < this.members.size) this.mute(false);
  }

  next(): Slot | undefined {
    if (this.lead === undefined) for (const slot of this.members) return (this.lead = slot);
    return this.lead;
  }

  detachAll(): void {
    for (const slot of this.members) slot.source = undefined;
    this.members.clear();
    this.lead = undefined;
  }
}
