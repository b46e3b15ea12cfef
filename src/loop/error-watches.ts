// Fds that are not timers, watched in the loop's epoll set for nothing but the errors and
// hang-ups epoll always reports (the write end of a pipe whose reader has gone reports EPOLLERR):
// each watch fires once, after the wake-up's expirations, and ends.
import { UsageError } from '../errors.js';
import type { Epoll } from '../native/epoll.js';
import { EPOLLONESHOT } from '../native/libc.js';

export type ErrorHandler = (events: number) => void;

export class ErrorWatches {
  private readonly handlers = new Map<number, ErrorHandler>();
  // Reported in this wake-up: [fd, events].
  private readonly reported: Array<[number, number]> = [];

  constructor(private readonly epoll: () => Epoll) {}

  add(fd: number, onError: ErrorHandler): () => void {
    if (this.handlers.has(fd)) throw new UsageError(`fd ${fd} is already watched`, 'EEXIST');
    // No events asked for: epoll reports EPOLLERR and EPOLLHUP anyway, once (EPOLLONESHOT).
    this.epoll().add(fd, EPOLLONESHOT);
    this.handlers.set(fd, onError);
    return () => this.remove(fd, onError);
  }

  // Whether `fd` is watched here; if so, its report is kept for after the expirations.
  note(fd: number, events: number): boolean {
    if (!this.handlers.has(fd)) return false;
    this.reported.push([fd, events]);
    return true;
  }

  // Ends each reported watch and calls its handler through `guard`.
  deliver(guard: (fn: () => void) => void): void {
    // The usual wake-up: nothing reported (a for-of would still make an iterator per call).
    if (this.reported.length === 0) return;
    try {
      for (const [fd, events] of this.reported) {
        const onError = this.handlers.get(fd);
        if (!onError) continue;
        this.remove(fd, onError);
        guard(() => onError(events));
      }
    } finally {
      this.reported.length = 0;
    }
  }

  // Forgets every watch (the epoll set is being closed with them).
  clear(): void {
    this.handlers.clear();
    this.reported.length = 0;
  }

  private remove(fd: number, onError: ErrorHandler): void {
    if (this.handlers.get(fd) !== onError) return;
    this.handlers.delete(fd);
    try {
      this.epoll().remove(fd);
    } catch {
      // the fd was closed meanwhile: the kernel dropped it from the set already
    }
  }
}
