// Standard output or error as timerstack writes to it. A write never throws and never crashes
// the process: the stream's first error is kept (and handed to whoever asked to know), nothing
// more is written to it after that, and `beforeWrite` runs before each line (where the countdown
// clears itself, so no line lands after its text).
import { writeFd } from '../native/fd-write.js';

export class Outlet {
  failure: NodeJS.ErrnoException | undefined;
  beforeWrite: (() => void) | undefined;
  private readonly failureHandlers = new Set<(failure: NodeJS.ErrnoException) => void>();

  constructor(readonly stream: NodeJS.WritableStream) {
    // Kept for the life of the process: a write still queued when main returns may fail later.
    stream.on('error', this.fail);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  // Writes `text` after `beforeWrite`; false when the stream asks the writer to wait for 'drain'.
  write(text: string | Uint8Array): boolean {
    if (this.failure) return true;
    this.beforeWrite?.();
    return this.draw(text);
  }

  line(text: string): boolean {
    return this.write(`${text}\n`);
  }

  // Writes the first `length` bytes of `buf` with one write(2) on the stream's fd when nothing
  // waits in the stream (Node's stream machinery costs more than the system call: 7–15 µs a tick,
  // measured); what the kernel did not take (a full pipe: EAGAIN) goes through the stream, in
  // order, with its backpressure. A stream without an fd of its own (a socket) is written as
  // before. A `borrowed` buffer is the caller's to reuse once this returns: whatever of it the
  // stream is to keep is copied first.
  writeDirect(buf: Buffer, borrowed = false, length = buf.length): boolean {
    const fd = (this.stream as { fd?: unknown }).fd;
    const queued = (this.stream as { writableLength?: number }).writableLength ?? 1;
    if (this.failure || typeof fd !== 'number' || queued > 0) return this.write(kept(buf, 0, length, borrowed));
    this.beforeWrite?.();
    let n = 0;
    try {
      n = writeFd(fd, buf, length);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EINTR') {
        this.fail(err as NodeJS.ErrnoException);
        return true;
      }
    }
    return n === length || this.draw(kept(buf, n, length, borrowed));
  }

  // Writes without `beforeWrite` (the countdown's own redraws).
  draw(text: string | Uint8Array): boolean {
    if (this.failure) return true;
    try {
      return this.stream.write(text);
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException);
      return true;
    }
  }

  // Calls `fn` with the stream's first error (at once if it has failed already).
  onFailure(fn: (failure: NodeJS.ErrnoException) => void): () => void {
    if (this.failure) fn(this.failure);
    else this.failureHandlers.add(fn);
    return () => this.failureHandlers.delete(fn);
  }

  // Resolves once everything written so far has been handed to the system, or has failed.
  settled(): Promise<void> {
    if (this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        this.stream.write('', () => resolve());
      } catch (err) {
        this.fail(err as NodeJS.ErrnoException);
        resolve();
      }
    });
  }

  private readonly fail = (err: NodeJS.ErrnoException): void => {
    if (this.failure) return;
    this.failure = err;
    for (const fn of this.failureHandlers) fn(err);
    this.failureHandlers.clear();
  };
}

// The reader of a pipe (or socket) has gone: not an error of timerstack's.
export function readerGone(failure: NodeJS.ErrnoException | undefined): boolean {
  return failure?.code === 'EPIPE' || failure?.code === 'ERR_STREAM_DESTROYED';
}

// "no space left on device (ENOSPC)", from Node's "ENOSPC: no space left on device, write".
export function describeFailure(failure: NodeJS.ErrnoException): string {
  const what = /^[A-Z0-9_]+: ([^,]+)/.exec(failure.message)?.[1] ?? failure.message.split('\n')[0];
  return failure.code ? `${what} (${failure.code})` : `${what}`;
}

// Bytes `from`–`to` of `buf` for a stream to keep: a copy when the buffer is borrowed.
function kept(buf: Buffer, from: number, to: number, borrowed: boolean): Buffer {
  const part = from === 0 && to === buf.length ? buf : buf.subarray(from, to);
  return borrowed ? Buffer.from(part) : part;
}
