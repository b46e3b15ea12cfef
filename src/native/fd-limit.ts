// The open-file limit (RLIMIT_NOFILE), the fds a process holds, and close-on-exec checks.
import { readdirSync } from 'node:fs';
import { F_GETFD, FD_CLOEXEC, RLIMIT_NOFILE, check, libc } from './libc.js';

export interface FdLimit {
  soft: number;
  hard: number;
}

// RLIMIT_NOFILE, as numbers (RLIM_INFINITY shown as Infinity).
export function getFdLimit(): FdLimit {
  const buf = Buffer.alloc(16);
  check('getrlimit', libc().getrlimit(RLIMIT_NOFILE, buf));
  const toNum = (v: bigint) => (v >= 2n ** 62n ? Infinity : Number(v));
  return { soft: toNum(buf.readBigUInt64LE(0)), hard: toNum(buf.readBigUInt64LE(8)) };
}

// Raises the soft open-file limit to the hard one (or to `want`, if lower); returns the result.
export function raiseFdLimit(want = Infinity): FdLimit {
  const buf = Buffer.alloc(16);
  const c = libc();
  check('getrlimit', c.getrlimit(RLIMIT_NOFILE, buf));
  const soft = buf.readBigUInt64LE(0);
  const hard = buf.readBigUInt64LE(8);
  const target = want === Infinity ? hard : (BigInt(want) < hard ? BigInt(want) : hard);
  if (target > soft) {
    buf.writeBigUInt64LE(target, 0);
    check('setrlimit', c.setrlimit(RLIMIT_NOFILE, buf));
  }
  return getFdLimit();
}

// How many fds this process has open (from /proc; a guess of 16 where /proc is missing).
export function openFdCount(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 16;
  }
}

// Whether FD_CLOEXEC is set on an fd (for tests and diagnostics).
export function isCloseOnExec(fd: number): boolean {
  const flags = check('fcntl', libc().fcntl(fd, F_GETFD, 0));
  return (flags & FD_CLOEXEC) !== 0;
}
