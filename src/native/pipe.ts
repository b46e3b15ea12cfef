// A pipe for a child's output (Node has no call that makes one): pipe2(2), both ends
// close-on-exec (a child gets the write end only as the fds it is given), the read end
// non-blocking, so it can be drained until EAGAIN after uv_poll says it is readable.
import { constants as fsConstants } from 'node:fs';
import { F_GETFL, F_SETFL, TFD_CLOEXEC, check, libc } from './libc.js';

export interface Pipe {
  readFd: number;
  writeFd: number;
}

const fds = Buffer.alloc(8);

// A new pipe, or a SyscallError (EMFILE when out of fds).
export function openPipe(): Pipe {
  const c = libc();
  check('pipe2', c.pipe2(fds, TFD_CLOEXEC));
  const pipe = { readFd: fds.readInt32LE(0), writeFd: fds.readInt32LE(4) };
  try {
    const flags = check('fcntl', c.fcntl(pipe.readFd, F_GETFL, 0));
    check('fcntl', c.fcntl(pipe.readFd, F_SETFL, flags | fsConstants.O_NONBLOCK));
  } catch (err) {
    c.close(pipe.readFd);
    c.close(pipe.writeFd);
    throw err;
  }
  return pipe;
}
