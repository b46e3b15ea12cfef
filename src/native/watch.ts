// Watching an fd on Node's own event loop (uv_poll): the callback runs when it is readable (or,
// for watchWritable, writable).
//
// In a worker thread every handle still open is closed when the thread exits (its process
// 'exit'): a poll that fired while the worker was being torn down made koffi call into a
// stopping JavaScript environment, and its napi_throw aborted the whole process (SIGABRT; 1 run
// in 10 of a worker ending itself with a 1 ms timer armed on a loop of its own).
import { isMainThread } from 'node:worker_threads';
import { libc } from './libc.js';

export interface FdWatch {
  stop(): void;
  // Stops watching for a while (the fd stays open), and starts again.
  pause(): void;
  resume(): void;
  ref(): void;
  unref(): void;
}

interface PollHandle {
  close(): void;
  stop(): void;
  start(events: { readable?: boolean; writable?: boolean }, callback: () => void): void;
  ref(): void;
  unref(): void;
}

// What stops each handle open in this thread (a worker's only), run at its exit.
const open = new Set<() => void>();
let closedAtExit = false;

function closeAtExit(stop: () => void): void {
  if (isMainThread) return;
  open.add(stop);
  if (closedAtExit) return;
  closedAtExit = true;
  process.once('exit', () => {
    for (const stopOne of open) stopOne();
  });
}

function watch(fd: number, events: { readable?: boolean; writable?: boolean }, on: () => void): FdWatch {
  // `on` itself, not a closure around it: called at every wake-up (every caller's takes no arguments).
  const callback = on;
  const handle = libc().koffi.node.poll(fd, events, callback) as PollHandle;
  let closed = false;
  const stop = () => {
    if (closed) return;
    closed = true;
    open.delete(stop);
    handle.close();
  };
  closeAtExit(stop);
  return {
    stop,
    pause: () => handle.stop(),
    resume: () => handle.start(events, callback),
    ref: () => handle.ref(),
    unref: () => handle.unref(),
  };
}

export function watchReadable(fd: number, onReadable: () => void): FdWatch {
  return watch(fd, { readable: true }, onReadable);
}

// The same for an fd to write to: the callback runs when it can take more.
export function watchWritable(fd: number, onWritable: () => void): FdWatch {
  return watch(fd, { writable: true }, onWritable);
}
