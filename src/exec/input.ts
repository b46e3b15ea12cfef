// Text given to a run on its standard input (a crontab line's % part): a pipe whose read end is
// the child's stdin (blocking, as a program expects) and whose write end timerstack fills from
// its loop as the child reads (non-blocking: a command that never reads cannot hold timerstack
// up). The write end is closed once all is written, or when the child closes its end (EPIPE).
import { closeSync, writeSync } from 'node:fs';
import { openPipe } from '../native/pipe.js';
import { setBlocking, setNonBlocking } from '../native/spawn.js';
import { watchWritable, type FdWatch } from '../native/watch.js';

export class StdinFeed {
  // The fd to give the child as its stdin (closed here once it has been spawned).
  readonly readFd: number;
  private writeFd: number | undefined;
  private rest: Buffer;
  private watch: FdWatch | undefined;

  constructor(text: string) {
    const pipe = openPipe();
    this.readFd = pipe.readFd;
    this.writeFd = pipe.writeFd;
    setBlocking(pipe.readFd);
    setNonBlocking(pipe.writeFd);
    this.rest = Buffer.from(text);
  }

  // The child has its copy of the read end: ours is closed, and the text starts to flow.
  spawned(): void {
    closeSync(this.readFd);
    this.write();
  }

  // The run could not start: both ends are closed.
  abandon(): void {
    closeSync(this.readFd);
    this.close();
  }

  // Closes the write end (all written, or the command closed its stdin).
  private close(): void {
    this.watch?.stop();
    this.watch = undefined;
    if (this.writeFd !== undefined) closeSync(this.writeFd);
    this.writeFd = undefined;
  }

  // Writes what the pipe takes now; waits for room for the rest.
  private write(): void {
    if (this.writeFd === undefined) return;
    while (this.rest.length > 0) {
      let n: number;
      try {
        n = writeSync(this.writeFd, this.rest);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          this.watch ??= watchWritable(this.writeFd, () => this.write());
          return;
        }
        // EPIPE: the command closed its stdin; what it did not read is dropped.
        return this.close();
      }
      this.rest = this.rest.subarray(n);
    }
    this.close();
  }
}
