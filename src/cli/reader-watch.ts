// Noticing at once that the reader of standard output has gone (`| head -3`), with or without
// a command and however long until the next line: the write end of a pipe reports EPOLLERR as
// soon as its last reader closes (a socket, EPOLLHUP), so fd 1 joins the loop's epoll set.
import { fstatSync } from 'node:fs';
import type { Loop } from '../loop/loop.js';

// Watches the fd behind `stream` when it is a pipe or a socket (a terminal or a file has no
// reader to lose); returns the function that ends the watch.
export function watchReader(loop: Loop, stream: NodeJS.WritableStream, onGone: () => void): () => void {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return () => {};
  try {
    const stat = fstatSync(fd);
    if (!stat.isFIFO() && !stat.isSocket()) return () => {};
    return loop.watchErrors(fd, onGone);
  } catch {
    // not watchable after all: an EPIPE on the next write still ends it
    return () => {};
  }
}
