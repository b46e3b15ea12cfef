// The fds a command gets as its stdin, stdout and stderr. Node puts its own pipes and terminals
// in non-blocking mode (O_NONBLOCK, a flag of the open file description, which a child shares),
// and a command writing to a non-blocking pipe fails with EAGAIN once the pipe is full. So a pipe
// or a terminal is opened anew through /proc/self/fd: the same pipe or terminal, an open file
// description of its own, blocking. Regular files are passed as they are (a new description would
// have its own offset; O_NONBLOCK means nothing for them); a socket cannot be reopened, and is
// put in blocking mode as Node's own child_process does.
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { setBlocking } from '../native/spawn.js';

interface Reopened {
  dev: number;
  ino: number;
  fd: number;
}

const reopened = new Map<number, Reopened>();
let devNull: number | undefined;

// The child's copy of fd 0, 1 or 2 (opened once and kept while it is the same file).
function childCopy(fd: number): number {
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch {
    return nullFd();
  }
  const known = reopened.get(fd);
  if (known && known.dev === stat.dev && known.ino === stat.ino) return known.fd;
  if (known) {
    closeSync(known.fd);
    reopened.delete(fd);
  }
  if (stat.isSocket()) {
    setBlocking(fd);
    return fd;
  }
  if (!stat.isFIFO() && !stat.isCharacterDevice()) return fd;
  const mode = fd === 0 ? constants.O_RDONLY : constants.O_WRONLY;
  let copy: number;
  try {
    // O_NONBLOCK only for the open (a FIFO's open for writing waits for a reader otherwise).
    copy = openSync(`/proc/self/fd/${fd}`, mode | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    // No reader left on the pipe (ENXIO), or no /proc: the fd itself.
    return fd;
  }
  setBlocking(copy);
  reopened.set(fd, { dev: stat.dev, ino: stat.ino, fd: copy });
  return copy;
}

function nullFd(): number {
  devNull ??= openSync('/dev/null', 'r');
  return devNull;
}

// [stdin, stdout, stderr] for a command: stdin passed through, or /dev/null.
export function childStdio(stdin: 'inherit' | 'null'): [number, number, number] {
  return [stdin === 'inherit' ? childCopy(0) : nullFd(), childCopy(1), childCopy(2)];
}
