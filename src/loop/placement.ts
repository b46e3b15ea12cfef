// Where each timer lives: the fd budget and fd sharing. A new timer joins a timerfd shared with
// timers of identical fixed schedule (same clock, flags, warm-up mode, first deadline and interval) that has
// not fired yet, gets a timerfd of its own while this loop's cap and the process-wide budget
// allow, and past them joins its clock's deadline queue.
import type { Epoll } from '../native/epoll.js';
import type { TimerNative } from '../native/timerfd.js';
import { releaseFd, takeFd } from './fd-budget.js';
import { FdSource } from './fd-source.js';
import { QueueSource } from './queue-source.js';
import { armable, openTimerfd, type SourceHost } from './source.js';
import type { Slot, Source } from './timer.js';

export class Placement {
  // Every source by its fd (own, shared and queue fds).
  readonly sources = new Map<number, Source>();
  private readonly shared = new Map<string, FdSource>();
  private readonly queues = new Map<string, QueueSource>();

  constructor(
    private readonly native: TimerNative,
    private readonly epoll: () => Epoll,
    private readonly host: SourceHost,
    private readonly maxFds: number,
  ) {}

  get fdCount(): number {
    return this.sources.size;
  }

  // Gives a new timer its source, arming it for its first deadline.
  attach(slot: Slot, flags: number): void {
    const { recurrence, clockid } = slot;
    const key = recurrence.computed ? undefined : `${clockid}:${flags}:${slot.mode}:${recurrence.first}:${recurrence.interval}`;
    const group = key === undefined ? undefined : this.shared.get(key);
    if (group && !group.fired) {
      group.join(slot);
      slot.source = group;
      return;
    }
    if (this.sources.size - this.queues.size < this.maxFds && takeFd()) return this.ownFd(slot, flags, key);
    this.queueFor(clockid, flags).add(slot);
  }

  private ownFd(slot: Slot, flags: number, key: string | undefined): void {
    const { recurrence, clockid } = slot;
    let fd: number;
    try {
      fd = openTimerfd(this.native, this.epoll(), clockid, (f) => this.native.settime(f, flags, armable(recurrence.first), recurrence.interval));
    } catch (err) {
      releaseFd();
      throw err;
    }
    const source = new FdSource(this.host, fd, clockid, key, flags);
    this.sources.set(fd, source);
    if (key !== undefined) this.shared.set(key, source);
    source.join(slot);
    slot.source = source;
  }

  private queueFor(clockid: number, flags: number): QueueSource {
    const key = `${clockid}:${flags}`;
    let queue = this.queues.get(key);
    if (!queue) {
      const fd = openTimerfd(this.native, this.epoll(), clockid);
      queue = new QueueSource(this.host, fd, clockid, flags);
      this.queues.set(key, queue);
      this.sources.set(fd, queue);
    }
    return queue;
  }

  // An fd source that holds no timer any more: forget it and close its fd (queues stay, disarmed).
  release(source: Source): void {
    this.sources.delete(source.fd);
    const key = source.key;
    if (key !== undefined && this.shared.get(key) === source) this.shared.delete(key);
    this.epoll().remove(source.fd);
    this.native.close(source.fd);
    releaseFd();
  }

  // Lets go of every timer and closes every fd (the loop is closing).
  closeAll(): void {
    for (const source of this.sources.values()) {
      source.detachAll();
      this.native.close(source.fd);
      if (source.budgeted) releaseFd();
    }
    this.sources.clear();
    this.shared.clear();
    this.queues.clear();
  }
}
