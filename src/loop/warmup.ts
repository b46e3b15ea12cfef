// The warm-up wake: after a few milliseconds asleep, the code of a wake-up has gone cold (caches,
// branch predictors, pages) and the first expiration after it pays for that. One extra absolute
// timerfd on CLOCK_MONOTONIC is armed LEAD before the loop's next deadline, when that deadline
// is far enough away to go cold; its wake-up runs the hot path on a sample with no output, so the
// real expiration lands warm. One per loop wake-up, whatever the number of timers. With
// `precise`, the warm-up then waits out the last microseconds by polling, so the expiration is
// delivered at its deadline rather than one kernel wake-up after it.
import { CLOCK_MONOTONIC, TFD_TIMER_ABSTIME } from '../native/libc.js';
import { clockNow } from '../native/clocks.js';
import type { Epoll } from '../native/epoll.js';
import type { TimerNative } from '../native/timerfd.js';
import { openTimerfd } from './source.js';
import type { Batch } from './batch.js';
import type { Expiration, Slot, Source } from './timer.js';
import { LEAN, PRECISE, WARMUP_MAX_SOURCES, WARMUP_MIN_NS } from './warmup-mode.js';

// On a 2-core VM the warm-up wake comes 40–100 µs after its expiration and the sample takes
// 10–30 µs: 150 µs ahead has it done before the deadline (measured: done 30–90 µs before it,
// p50). Below WARMUP_MIN_NS (warmup-mode.ts) no warm-up is armed.
export const WARMUP_LEAD_NS = 150_000n;
// --precise wakes earlier: a warm-up that comes after the deadline cannot poll up to it.
export const PRECISE_LEAD_NS = 300_000n;
// --precise: how long after the deadline the poll gives up when no expiration comes (the timer
// was paused or cancelled meanwhile); the usual wait is a few microseconds.
export const PRECISE_GIVE_UP_NS = 500_000n;
// After an early delivery, how long the kernel's own expiration (20–50 µs after the deadline on
// a VM) is polled for, to be read in the same wake-up instead of waking the process once more.
export const PRECISE_CONFIRM_NS = 200_000n;

export class Warmup {
  fd = -1;
  // The CLOCK_MONOTONIC instant the fd is armed for, and the deadline (on the same clock) and
  // timer it runs ahead of.
  private armedFor: bigint | undefined;
  deadline: bigint | undefined;
  slot: Slot | undefined;
  // How many times it was armed (for the tests: once per wake-up at most).
  arms = 0;

  constructor(
    private readonly native: TimerNative,
    private readonly epoll: () => Epoll,
  ) {}

  // After a wake-up (or a timer added): arms it for the deadline due first among the timers that
  // want a warm-up, on any clock (moved onto CLOCK_MONOTONIC), or disarms it.
  plan(sources: ReadonlyMap<number, Source>): void {
    if (sources.size > WARMUP_MAX_SOURCES) return this.disarm();
    const mono = clockNow(CLOCK_MONOTONIC);
    let best: Slot | undefined;
    let left = 0n;
    for (const source of sources.values()) {
      const slot = source.next();
      if (slot === undefined || slot.mode === LEAN || slot.paused) continue;
      const ahead = slot.deadline - (source.clockid === CLOCK_MONOTONIC ? mono : clockNow(source.clockid));
      if (ahead > 0n && (best === undefined || ahead < left)) {
        best = slot;
        left = ahead;
      }
    }
    this.schedule(best, mono + left, mono);
  }

  // Arms it LEAD before `deadline` (CLOCK_MONOTONIC, `now` read just before), or disarms it when
  // there is no deadline or it is too near for the code to go cold.
  schedule(slot: Slot | undefined, deadline: bigint, now: bigint): void {
    if (slot === undefined || deadline - now < WARMUP_MIN_NS) return this.disarm();
    this.slot = slot;
    this.deadline = deadline;
    const at = deadline - (slot.mode === PRECISE ? PRECISE_LEAD_NS : WARMUP_LEAD_NS);
    if (this.armedFor === at) return;
    if (this.fd < 0) this.fd = openTimerfd(this.native, this.epoll(), CLOCK_MONOTONIC);
    this.native.settime(this.fd, TFD_TIMER_ABSTIME, at, 0n);
    this.armedFor = at;
    this.arms++;
  }

  // It fired: read it (a level-triggered fd left unread would wake the loop again and again).
  fired(): void {
    this.native.drain(this.fd);
    this.armedFor = undefined;
  }

  // The warm-up wake (its fd read): the steps of a real one (clock read, expiration built, the
  // onWarmup hook) on a sample of the timer due next, delivered to no one; then, for a precise
  // timer, a spin on the clock to the deadline, then `early` (its expiration delivered by the
  // clock, true when done), then `poll` (one wake-up of the loop, true when it delivered) until
  // the kernel's expiration is there (read, and delivered unless early() did), or given up.
  wake(batch: Batch, onWarmup: ((sample: Expiration) => void) | undefined, early: (slot: Slot) => boolean, poll: () => boolean): false {
    const { slot, deadline } = this;
    if (!slot?.source || deadline === undefined) return false;
    const time = batch.clocks.refresh(slot.clockid);
    const sample = batch.expiration(slot, slot.tick + 1, 1, slot.deadline, time, false);
    if (onWarmup) batch.guard(() => onWarmup(sample));
    batch.settle();
    if (slot.mode !== PRECISE) return false;
    while (clockNow(CLOCK_MONOTONIC) < deadline);
    const delivered = early(slot);
    const giveUp = deadline + (delivered ? PRECISE_CONFIRM_NS : PRECISE_GIVE_UP_NS);
    while (!poll() && clockNow(CLOCK_MONOTONIC) < giveUp);
    return false;
  }

  disarm(): void {
    this.slot = undefined;
    this.deadline = undefined;
    if (this.armedFor === undefined) return;
    this.armedFor = undefined;
    this.native.settime(this.fd, 0, 0n, 0n);
  }

  // Nothing is armed on the loop: the fd goes too (a new timer opens it again).
  close(epollOpen: boolean): void {
    this.slot = undefined;
    this.deadline = undefined;
    this.armedFor = undefined;
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    if (epollOpen) this.epoll().remove(fd);
    this.native.close(fd);
  }
}
