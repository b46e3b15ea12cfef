// A run's standard output and error captured through one pipe, so they interleave as the
// command wrote them (as on a terminal), for --watch. The pipe is read as it fills, so the
// command never blocks on it; up to `limit` bytes are kept and the rest is read and dropped.
import { closeSync, readSync } from 'node:fs';
import { openPipe } from '../native/pipe.js';
import { watchReadable, type FdWatch } from '../native/watch.js';

// More than any screen shows.
export const CAPTURE_LIMIT = 1 << 20;

const buffer = Buffer.alloc(65_536);

export class OutputCapture {
  // The fd to give the child as its stdout and stderr.
  readonly writeFd: number;
  private readonly readFd: number;
  private readonly watch: FdWatch;
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private state: 'open' | 'spawned' | 'ended' = 'open';

  // A pipe, its read end watched on Node's loop.
  constructor(private readonly limit = CAPTURE_LIMIT) {
    const pipe = openPipe();
    this.readFd = pipe.readFd;
    this.writeFd = pipe.writeFd;
    this.watch = watchReadable(this.readFd, () => this.drain());
    // The child's exit keeps the process alive while it runs; the pipe need not.
    this.watch.unref();
  }

  // The child holds its copies of the write end: ours is closed, so the pipe reaches its end
  // when the command (and what it started) close theirs.
  spawned(): void {
    if (this.state !== 'open') return;
    this.state = 'spawned';
    closeSync(this.writeFd);
  }

  // What the command wrote, the bytes still in the pipe included; the pipe is closed. Writes
  // after this (by a process the command left behind) find no reader.
  finish(): string {
    this.spawned();
    if (this.state === 'spawned') {
      this.drain();
      this.end();
    }
    return new TextDecoder().decode(Buffer.concat(this.chunks));
  }

  // Reads what the pipe holds now; keeps it up to the limit.
  private drain(): void {
    for (;;) {
      let n: number;
      try {
        n = readSync(this.readFd, buffer, 0, buffer.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return;
        throw err;
      }
      // Every writer is gone: a pipe at its end stays readable, so stop watching it.
      if (n === 0) return this.end();
      const room = this.limit - this.kept;
      if (room > 0) {
        const take = Math.min(room, n);
        this.chunks.push(Buffer.from(buffer.subarray(0, take)));
        this.kept += take;
      }
    }
  }

  // Stops watching the read end and closes it; once.
  private end(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.watch.stop();
    closeSync(this.readFd);
  }
}
