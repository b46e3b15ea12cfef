// Watching an fd on Node's own event loop (uv_poll): the callback runs when it is readable (or,
// for watchWritable, writable).
import { libc } from './libc.js';

export interface FdWatch {
  stop(): void;
  // Stops watching for a while (the fd stays open), and starts again.
  pause(): void;
  resume(): void;
  ref(): void;
  unref(): void;
}

export function watchReadable(fd: number, onReadable: () => void): FdWatch {
  const callback = () => onReadable();
  const handle = libc().koffi.node.poll(fd, { readable: true }, callback);
  return {
    stop: () => handle.close(),
    pause: () => handle.stop(),
    resume: () => handle.start({ readable: true }, callback),
    ref: () => handle.ref(),
    unref: () => handle.unref(),
  };
}

// The same for an fd to write to: the callback runs when it can take more.
export function watchWritable(fd: number, onWritable: () => void): FdWatch {
  const callback = () => onWritable();
  const handle = libc().koffi.node.poll(fd, { writable: true }, callback);
  return {
    stop: () => handle.close(),
    pause: () => handle.stop(),
    resume: () => handle.start({ writable: true }, callback),
    ref: () => handle.ref(),
    unref: () => handle.unref(),
  };
}
