// flock(2) on an open fd: an exclusive advisory lock, taken without waiting. Node has no flock;
// on NFS, Linux emulates it with fcntl() byte-range locks, which other hosts see.
import { lastErrno, processLibc, syscallError } from './libc.js';

const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const EWOULDBLOCK = 11;
const EINTR = 4;

// Takes the exclusive lock on `fd`; false when another open file holds it.
export function tryLockExclusive(fd: number): boolean {
  for (;;) {
    if (processLibc().flock(fd, LOCK_EX | LOCK_NB) === 0) return true;
    const errno = lastErrno();
    if (errno === EWOULDBLOCK) return false;
    if (errno !== EINTR) throw syscallError('flock', errno);
  }
}

export function unlock(fd: number): void {
  if (processLibc().flock(fd, LOCK_UN) < 0) throw syscallError('flock', lastErrno());
}
