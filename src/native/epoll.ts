// One epoll set: register fds for EPOLLIN (never EPOLLOUT: a timerfd is always writable), or for
// nothing but the errors and hang-ups epoll always reports, and drain what is ready without
// blocking.
import {
  EPOLLIN,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLL_DATA_OFFSET,
  EPOLL_EVENT_SIZE,
  check,
  libc,
  libcLoaded,
} from './libc.js';

const MAX_EVENTS = 1024;
// struct epoll_event in 32-bit words: its size, and where its data (the fd) is.
const EVENT_WORDS = EPOLL_EVENT_SIZE / 4;
const DATA_WORD = EPOLL_DATA_OFFSET / 4;

export class Epoll {
  readonly fd: number;
  // struct epoll_event as 32-bit words (its size and the data's offset are multiples of 4): typed
  // loads, where Buffer's readInt32LE is JavaScript.
  private readonly events = new Int32Array(EVENT_WORDS * MAX_EVENTS);
  private readonly ctl = Buffer.alloc(EPOLL_EVENT_SIZE);
  private closed = false;

  constructor() {
    this.fd = check('epoll_create1', libc().epoll_create1(EPOLL_CLOEXEC));
  }

  // The fd itself is stored as the event's data, so a ready event names its fd.
  add(fd: number, events = EPOLLIN): void {
    this.control('epoll_ctl(ADD)', EPOLL_CTL_ADD, fd, events);
  }

  modify(fd: number, events = EPOLLIN): void {
    this.control('epoll_ctl(MOD)', EPOLL_CTL_MOD, fd, events);
  }

  private control(syscall: string, op: number, fd: number, events: number): void {
    this.ctl.writeUInt32LE(events, 0);
    this.ctl.writeBigUInt64LE(BigInt(fd), EPOLL_DATA_OFFSET);
    check(syscall, libc().epoll_ctl(this.fd, op, fd, this.ctl));
  }

  remove(fd: number): void {
    check('epoll_ctl(DEL)', libc().epoll_ctl(this.fd, EPOLL_CTL_DEL, fd, this.ctl));
  }

  // Calls `onReady(fd)` for every ready fd, waiting at most `timeoutMs` (0: never blocks);
  // returns how many were ready. Loops while a full batch came back, so `onReady` must read
  // (or remove) each fd it is given; otherwise use waitOnce().
  drain(onReady: (fd: number) => void, timeoutMs = 0): number {
    const c = libc();
    let total = 0;
    for (;;) {
      const n = check('epoll_wait', c.epoll_wait(this.fd, this.events, MAX_EVENTS, total === 0 ? timeoutMs : 0));
      for (let i = 0; i < n; i++) onReady(this.events[i * EVENT_WORDS + DATA_WORD]!);
      total += n;
      if (n < MAX_EVENTS) return total;
    }
  }

  // One epoll_wait: calls `onReady(fd, events)` for at most one batch (1024) of ready fds;
  // returns how many. For a caller that reads the fds only after the call: drain() would get the
  // same unread (level-triggered) fds back batch after batch, forever, once 1024 are ready.
  waitOnce(onReady: (fd: number, events: number) => void, timeoutMs = 0): number {
    const n = (libcLoaded ?? libc()).epoll_wait(this.fd, this.events, MAX_EVENTS, timeoutMs);
    if (n < 0) check('epoll_wait', n);
    for (let i = 0; i < n; i++) {
      const at = i * EVENT_WORDS;
      onReady(this.events[at + DATA_WORD]!, this.events[at]! >>> 0);
    }
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    check('close', libc().close(this.fd));
  }
}
