// Events of one wake-up are written with one write() (200,000 lines a second would otherwise be
// 200,000 system calls); outside a wake-up, a line is written at once. When the reader is slower
// than the timers, `onBlocked` pauses the timers whose events go here until the stream has
// drained (the kernel keeps counting their expirations): memory stays flat, no tick is lost, and
// nothing else waits (commands, timeouts, signals and stderr go on).
import type { Outlet } from './outlet.js';

const FLUSH_AT = 65_536;

// A wake-up's lines are encoded into this one buffer, kept for the process, when they fit (at
// most 3 bytes a UTF-16 unit): a --json line made and encoded cold, once per 5 ms, took 4.0–4.8 µs
// at the median and 22–27 µs at p90 with a Buffer.from, 3.0–3.5 and 10–20 µs this way
// (test/bench/cold-encode.mjs, --max-opt=1). The outlet copies what a full pipe leaves over
// before the stream keeps it.
const scratch = Buffer.allocUnsafe(4 * FLUSH_AT);

export class StdoutBatch {
  private pending = '';
  private awaitingDrain = false;
  // What the last warm-up made (kept, so that it is not optimized away).
  warmed = 0;

  constructor(
    private readonly out: Outlet,
    // Whether a wake-up is being delivered (lines wait for its end): the loop, read as it is.
    private readonly wakeUp: { readonly dispatching: boolean },
    private readonly onBlocked: () => void,
    private readonly onDrained: () => void,
  ) {}

  // emit and flush are fields, bound once: the reporter and the loop call them as they are, not
  // through a closure of their own (each a frame more, each wake-up).
  readonly emit = (text: string): void => {
    this.pending += `${text}\n`;
    if (!this.wakeUp.dispatching || this.pending.length > FLUSH_AT) this.flush();
  };

  // The warm-up wake: a line made and encoded as emit() and flush() would, then dropped.
  warm(text: string): void {
    this.warmed = encode(`${this.pending}${text}\n`);
  }

  readonly flush = (): void => {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    // Bytes, not the concatenated string: while they wait in a pipe's write queue they take half
    // the memory (measured: 100,000 timers through `| cat`, peak RSS 390 → 270 MB).
    const length = encode(text);
    const written = length < 0 ? this.out.writeDirect(Buffer.from(text)) : this.out.writeDirect(scratch, true, length);
    if (!written && !this.awaitingDrain) {
      this.awaitingDrain = true;
      this.onBlocked();
      this.out.stream.once('drain', () => {
        this.awaitingDrain = false;
        this.onDrained();
      });
    }
  };
}

// The text's UTF-8 bytes into `scratch` (valid until the next call): how many, or -1 when they
// might not fit. No view of the buffer is made per call (a typed array each: measured in perf).
// Written without an offset: Buffer#write(string) goes straight to the encoder, where one given an
// offset checks it in JavaScript first (three calls more, each wake-up).
function encode(text: string): number {
  return text.length * 3 > scratch.length ? -1 : scratch.write(text);
}
