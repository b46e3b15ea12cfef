// Backpressure on the events that go to standard output: while that output is blocked, the
// timers whose ticks are events (those without a command) are paused, and the kernel keeps
// counting their expirations; timers with commands, limits, timeouts and signals go on. Released,
// each catches up in one event carrying every expiration since.
import type { Entry } from './entry.js';

export class EventHold {
  held = false;

  constructor(private readonly entries: () => readonly Entry[]) {}

  hold(): void {
    this.held = true;
    for (const entry of this.entries()) this.apply(entry);
  }

  release(): void {
    this.held = false;
    for (const entry of this.entries()) {
      // Catching up may block the output again: the rest then stay paused.
      if (this.held) return;
      if (!entry.runner) entry.timer?.resume();
    }
  }

  // A timer armed while held starts paused.
  apply(entry: Entry): void {
    if (this.held && !entry.runner) entry.timer?.pause();
  }
}
