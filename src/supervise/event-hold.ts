// Backpressure on the events that go to standard output: while that output is blocked, the
// timers whose ticks are events (those without a command) are paused, and the kernel keeps
// counting their expirations; timers with commands, their timeouts and kills, limits and signals
// go on. Released, each catches up in one event carrying every expiration since.
//
// When no timer has a command, nothing else has to go on meanwhile (the process cannot end
// before its output is written): the whole loop is paused instead, one call rather than one per
// timer and per hold (100,000 timers through `| cat`: 1.7 s of CPU instead of 3.3 s).
import type { Loop } from '../loop/loop.js';
import type { Entry } from './entry.js';

export class EventHold {
  private mode: 'open' | 'loop' | 'timers' = 'open';
  // The timers that print, while armed (one that ended is dropped at the next hold), and the
  // timers that run commands.
  private readonly printers = new Set<Entry>();
  private commands = 0;

  constructor(private readonly loop: Loop) {}

  get held(): boolean {
    return this.mode !== 'open';
  }

  // A timer armed while held: one that prints starts paused; one with a command cannot wait for
  // a paused loop (a reload added it), so only the printing timers stay paused from then on.
  track(entry: Entry): void {
    if (entry.runner) {
      this.commands++;
      if (this.mode === 'loop') this.holdTimers();
      return;
    }
    this.printers.add(entry);
    if (this.mode === 'timers') entry.timer?.pause();
  }

  hold(): void {
    if (this.mode !== 'open') return;
    if (this.commands > 0) return this.holdTimers();
    this.mode = 'loop';
    this.loop.pause();
  }

  release(): void {
    const mode = this.mode;
    this.mode = 'open';
    if (mode === 'loop') return this.loop.resume();
    if (mode !== 'timers') return;
    for (const entry of this.printers) {
      // Catching up may block the output again: the rest then stay paused.
      if (this.mode !== 'open') return;
      entry.timer?.resume();
    }
  }

  private holdTimers(): void {
    if (this.mode === 'loop') this.loop.resume();
    this.mode = 'timers';
    for (const entry of this.printers) {
      if (entry.timer?.armed) entry.timer.pause();
      else this.printers.delete(entry);
    }
  }
}
