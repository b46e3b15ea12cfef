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

// The caller's soft limit, for commands. Node itself sets the soft limit to the hard one at
// start-up, before any JavaScript runs (PlatformInit in node.cc), so only a launcher can see the
// caller's: bin/timerstack.js starts as sh, puts `ulimit -Sn` in TIMERSTACK_CALLER_NOFILE and
// execs node. Without it, the soft limit this process had before it raised its own, if it did.
let callerSoft: bigint | undefined;

export const CALLER_NOFILE = 'TIMERSTACK_CALLER_NOFILE';
const RLIM_INFINITY = 2n ** 64n - 1n;

// Takes the caller's soft limit out of `env` (commands must not see the variable) and keeps it.
export function adoptCallerFdSoftLimit(env: NodeJS.ProcessEnv): void {
  const text = env[CALLER_NOFILE];
  delete env[CALLER_NOFILE];
  if (text === 'unlimited') callerSoft = RLIM_INFINITY;
  else if (text !== undefined && /^[0-9]{1,19}$/.test(text)) callerSoft = BigInt(text);
}

// Raises the soft open-file limit to the hard one (or to `want`, if lower); returns the result.
// The caller's soft limit is remembered: commands get it back (callerFdSoftLimit).
export function raiseFdLimit(want = Infinity): FdLimit {
  const buf = Buffer.alloc(16);
  const c = libc();
  check('getrlimit', c.getrlimit(RLIMIT_NOFILE, buf));
  const soft = buf.readBigUInt64LE(0);
  const hard = buf.readBigUInt64LE(8);
  const target = want === Infinity ? hard : (BigInt(want) < hard ? BigInt(want) : hard);
  if (target > soft) {
    callerSoft ??= soft;
    buf.writeBigUInt64LE(target, 0);
    check('setrlimit', c.setrlimit(RLIMIT_NOFILE, buf));
  }
  return getFdLimit();
}

// The caller's soft limit when it is known (a child gets it back), else undefined.
export function callerFdSoftLimit(): bigint | undefined {
  return callerSoft;
}

const limitBuf = Buffer.alloc(16);

// Runs `fn` with the soft open-file limit set to `soft`, then puts the current one back. For a
// posix_spawn, whose child takes the limits the parent has at that moment: there is no spawn
// attribute for rlimits, and prlimit() on the child afterwards races with the command.
export function withFdSoftLimit<T>(soft: bigint, fn: () => T): T {
  const c = libc();
  check('getrlimit', c.getrlimit(RLIMIT_NOFILE, limitBuf));
  const current = limitBuf.readBigUInt64LE(0);
  const hard = limitBuf.readBigUInt64LE(8);
  if (current === soft || soft > hard) return fn();
  limitBuf.writeBigUInt64LE(soft, 0);
  check('setrlimit', c.setrlimit(RLIMIT_NOFILE, limitBuf));
  try {
    return fn();
  } finally {
    limitBuf.writeBigUInt64LE(current, 0);
    check('setrlimit', c.setrlimit(RLIMIT_NOFILE, limitBuf));
  }
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
