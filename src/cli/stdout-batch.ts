// Events of one wake-up are written with one write() (200,000 lines a second would otherwise be
// 200,000 system calls); outside a wake-up, a line is written at once. When the reader is slower
// than the timers, `onBlocked` pauses the timers whose events go here until the stream has
// drained (the kernel keeps counting their expirations): memory stays flat, no tick is lost, and
// nothing else waits (commands, timeouts, signals and stderr go on).
import type { Outlet } from './outlet.js';

const FLUSH_AT = 65_536;

export class StdoutBatch {
  private pending = '';
  private awaitingDrain = false;
  // What the last warm-up made (kept, so that it is not optimized away).
  warmed = 0;

  constructor(
    private readonly out: Outlet,
    // Whether a wake-up is being delivered (lines wait for its end).
    private readonly inWakeUp: () => boolean,
    private readonly onBlocked: () => void,
    private readonly onDrained: () => void,
  ) {}

  emit(text: string): void {
    this.pending += `${text}\n`;
    if (!this.inWakeUp() || this.pending.length > FLUSH_AT) this.flush();
  }

  // The warm-up wake: a line made and encoded as emit() and flush() would, then dropped.
  warm(text: string): void {
    this.warmed = Buffer.from(`${this.pending}${text}\n`).length;
  }

  flush(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    // One Buffer, not the concatenated string: while it waits in a pipe's write queue it takes
    // half the memory (measured: 100,000 timers through `| cat`, peak RSS 390 → 270 MB).
    if (!this.out.writeDirect(Buffer.from(text)) && !this.awaitingDrain) {
      this.awaitingDrain = true;
      this.onBlocked();
      this.out.stream.once('drain', () => {
        this.awaitingDrain = false;
        this.onDrained();
      });
    }
  }
}
