// Standard output of our own when commands share it. A command inherits fd 1, and libuv makes a
// child's stdio blocking before exec: on the open file description the command shares with
// timerstack. A reader that stalls would then block timerstack's own writes, and with them its
// whole event loop (timeouts, kills, signals, other timers). When fd 1 is a pipe, timerstack
// writes its events through a second description of the same pipe (/proc/self/fd/1 opened
// again): non-blocking and close-on-exec (libuv opens every file so), so backpressure pauses only the timers that print
// there, while the commands keep the blocking stdout they expect.
import { constants, fstatSync, openSync } from 'node:fs';
import { Socket } from 'node:net';

// A writable stream on its own description of the pipe behind `stream`, or undefined when that
// is not a pipe (a terminal or a file never stalls a writer for long; a socket cannot be opened
// again) or cannot be opened.
export function ownStdout(stream: NodeJS.WritableStream): Socket | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return undefined;
  try {
    if (!fstatSync(fd).isFIFO()) return undefined;
    const own = openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK);
    return new Socket({ fd: own, readable: false, writable: true });
  } catch {
    return undefined;
  }
}
