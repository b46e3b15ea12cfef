// Child processes as the kernel sees them: pidfds (a handle on one process that a reused pid
// cannot fool), waitid() to peek at or reap an exit, the child-subreaper flag, and the list of
// this process's children. Plain numbers in and out; errors as SyscallError.
import { existsSync, readFileSync } from 'node:fs';
import { lastErrno, processLibc, syscallError } from './libc.js';

// syscall numbers: the same on every architecture Node runs Linux on (added after the tables
// were unified in 5.1).
const SYS_PIDFD_SEND_SIGNAL = 424;
const SYS_PIDFD_OPEN = 434;

const P_ALL = 0;
const P_PID = 1;
const P_PIDFD = 3;
const WNOHANG = 1;
const WSTOPPED = 2;
const WEXITED = 4;
const WNOWAIT = 0x01000000;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const ESRCH = 3;
const ECHILD = 10;

// How a child changed state, from siginfo_t (si_code, si_pid, si_status).
export interface ChildState {
  pid: number;
  // exited: `status` is the exit code; killed/dumped: `status` is the signal; stopped: the signal
  // that stopped it.
  how: 'exited' | 'killed' | 'dumped' | 'stopped' | 'trapped' | 'continued';
  status: number;
}

const HOW: Record<number, ChildState['how']> = { 1: 'exited', 2: 'killed', 3: 'dumped', 4: 'trapped', 5: 'stopped', 6: 'continued' };

const info = Buffer.alloc(128);

// waitid(); undefined when nothing matched yet (WNOHANG) or there is no such child (ECHILD).
function waitChild(idtype: number, id: number, options: number, what: string): ChildState | undefined {
  info.fill(0);
  if (processLibc().waitid(idtype, id, info, options | WNOHANG) < 0) {
    const errno = lastErrno();
    if (errno === ECHILD) return undefined;
    throw syscallError(what, errno);
  }
  const pid = info.readInt32LE(16);
  if (pid === 0) return undefined;
  return { pid, how: HOW[info.readInt32LE(8)] ?? 'exited', status: info.readInt32LE(24) };
}

// A pidfd for `pid` (close-on-exec); undefined when the process is already gone (ESRCH).
export function pidfdOpen(pid: number): number | undefined {
  const fd = Number(processLibc().syscall(SYS_PIDFD_OPEN, 'int', pid, 'unsigned int', 0));
  if (fd >= 0) return fd;
  const errno = lastErrno();
  if (errno === ESRCH) return undefined;
  throw syscallError('pidfd_open', errno);
}

// Sends signal `signo` to the process behind a pidfd; false when it has already been reaped.
// A zombie takes the signal and ignores it.
export function pidfdSendSignal(pidfd: number, signo: number): boolean {
  const r = Number(processLibc().syscall(SYS_PIDFD_SEND_SIGNAL, 'int', pidfd, 'int', signo, 'void *', null, 'unsigned int', 0));
  if (r === 0) return true;
  const errno = lastErrno();
  if (errno === ESRCH) return false;
  throw syscallError('pidfd_send_signal', errno);
}

// The exit of the child behind `pidfd`, if it has exited. With `peek` it stays a zombie (its pid,
// and so its process-group number, stay taken); without, it is reaped.
export function waitPidfd(pidfd: number, peek: boolean): ChildState | undefined {
  return waitChild(P_PIDFD, pidfd, WEXITED | (peek ? WNOWAIT : 0), 'waitid(P_PIDFD)');
}

// A stop of the child behind `pidfd` not yet reported (each stop is reported once).
export function waitPidfdStopped(pidfd: number): ChildState | undefined {
  return waitChild(P_PIDFD, pidfd, WSTOPPED, 'waitid(P_PIDFD, WSTOPPED)');
}

// Reaps child `pid` if it has exited.
export function reapChild(pid: number): ChildState | undefined {
  return waitChild(P_PID, pid, WEXITED, 'waitid(P_PID)');
}

// Whether any child has exited and waits to be reaped (nothing is reaped).
export function anyChildExited(): boolean {
  return waitChild(P_ALL, 0, WEXITED | WNOWAIT, 'waitid(P_ALL)') !== undefined;
}

// Makes this process a child subreaper: orphans among its descendants are re-parented to it,
// not to PID 1 (prctl PR_SET_CHILD_SUBREAPER; Linux 3.4).
export function setChildSubreaper(on = true): void {
  if (processLibc().prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) < 0) throw syscallError('prctl(PR_SET_CHILD_SUBREAPER)', lastErrno());
}

export function isChildSubreaper(): boolean {
  const value: [number] = [0];
  if (processLibc().prctlGetInt(PR_GET_CHILD_SUBREAPER, value, 0, 0, 0) < 0) throw syscallError('prctl(PR_GET_CHILD_SUBREAPER)', lastErrno());
  return value[0] !== 0;
}

let childrenFiles: boolean | undefined;

// The children of process `pid` (`self`: this one), from /proc/PID/task/TID/children, read for
// its main thread only: the children of posix_spawn and of libuv are the calling (main) thread's,
// and an orphan is re-parented to the first live thread of its reaper, the main one. Undefined
// where the kernel does not provide those files (CONFIG_PROC_CHILDREN).
export function childrenOf(pid: number | 'self'): number[] | undefined {
  childrenFiles ??= existsSync(`/proc/self/task/${process.pid}/children`);
  if (!childrenFiles) return undefined;
  const id = pid === 'self' ? process.pid : pid;
  let text: string;
  try {
    text = readFileSync(`/proc/${id}/task/${id}/children`, 'latin1');
  } catch {
    // Gone in between.
    return [];
  }
  const out: number[] = [];
  for (const word of text.split(' ')) if (word !== '' && word !== '\n') out.push(Number(word));
  return out;
}
