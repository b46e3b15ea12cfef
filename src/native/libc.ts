// The only module that uses koffi (koffi-load.ts loads it): libc's timerfd, epoll, clock, rlimit
// and pipe calls, the process calls (posix_spawn, pidfds, waitid, prctl, flock: bound on first
// use, apart), their constants, and errno turned into SyscallError. The other files of native/
// wrap these calls; everything above native/ sees plain numbers and bigints.
import { constants as fsConstants, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { PlatformError, SyscallError } from '../errors.js';
import { loadKoffi, type Koffi, type LibraryHandle } from './koffi-load.js';

// Clocks (linux/time.h) and timerfd flags (sys/timerfd.h). TFD_NONBLOCK and TFD_CLOEXEC are
// O_NONBLOCK and O_CLOEXEC by definition; O_NONBLOCK comes from Node itself, and O_CLOEXEC is
// 0o2000000 on every architecture Node runs Linux on except sparc/alpha/parisc (which Node
// does not support).
/** The wall clock (can be set). */
export const CLOCK_REALTIME = 0;
/** Time since boot, not counting suspend; never set. */
export const CLOCK_MONOTONIC = 1;
/** Time since boot, counting suspend. */
export const CLOCK_BOOTTIME = 7;
/** CLOCK_REALTIME that wakes a suspended machine (needs CAP_WAKE_ALARM). */
export const CLOCK_REALTIME_ALARM = 8;
/** CLOCK_BOOTTIME that wakes a suspended machine (needs CAP_WAKE_ALARM). */
export const CLOCK_BOOTTIME_ALARM = 9;
/** settime flag: the value is an absolute time on the timer's clock. */
export const TFD_TIMER_ABSTIME = 1;
/** settime flag, with TFD_TIMER_ABSTIME on a realtime clock: a read fails with ECANCELED when the clock is set. */
export const TFD_TIMER_CANCEL_ON_SET = 2;
/** create flag: close the fd in exec'd programs (always added by `create()`). */
export const TFD_CLOEXEC = 0o2000000;
/** create flag: reads fail with EAGAIN instead of blocking when nothing expired yet. */
export const TFD_NONBLOCK: number = fsConstants.O_NONBLOCK ?? 0o4000;

export const EPOLL_CLOEXEC = TFD_CLOEXEC;
export const EPOLLIN = 0x001;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLLONESHOT = 0x40000000;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;

export const F_GETFD = 1;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;
export const RLIMIT_NOFILE = 7;

// struct epoll_event is packed (12 bytes) on x86-64 only; elsewhere the u64 is 8-aligned.
export const EPOLL_EVENT_SIZE = process.arch === 'x64' ? 12 : 16;
export const EPOLL_DATA_OFFSET = process.arch === 'x64' ? 4 : 8;
// struct itimerspec { timespec it_interval; timespec it_value; }, timespec = { i64 sec; i64 nsec }
export const ITIMERSPEC_SIZE = 32;

// errno number → name; where two names share a number (EAGAIN/EWOULDBLOCK), the first wins.
const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(osConstants.errno)) if (!errnoNames.has(value)) errnoNames.set(value, name);

// What the user can do about an errno, by call; the default is the kernel's own words.
const adviceByCall: Record<string, string> = {
  'timerfd_create:EPERM': 'the ALARM clocks need CAP_WAKE_ALARM (run as root or grant the capability)',
  'epoll_ctl(ADD):EPERM': 'this fd cannot be watched by epoll (a regular file or a directory)',
};
const advice: Record<string, string> = {
  ENOSYS: 'this kernel lacks the call (pidfds need Linux 5.4 or later)',
  ESRCH: 'no such process',
  ECHILD: 'not a child of this process',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files: raise `ulimit -n`, or let timers share timerfds',
  ENFILE: 'the system-wide file table is full',
  ENOSPC: 'epoll watch limit reached (/proc/sys/fs/epoll/max_user_watches)',
  EBADF: 'not an open file descriptor',
  EINVAL: 'invalid argument (a bad clock, flag, fd that is not a timerfd, or nanoseconds out of range)',
  ECANCELED: 'the realtime clock was set while the timer was armed with TFD_TIMER_CANCEL_ON_SET',
  EAGAIN: 'the timer has not expired yet (non-blocking fd)',
  ENODEV: 'the clock is not supported by this kernel',
};

export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `E${errno}`;
}

export function syscallError(syscall: string, errno: number): SyscallError {
  const name = errnoName(errno);
  const what = adviceByCall[`${syscall}:${name}`] ?? advice[name] ?? `errno ${errno}`;
  return new SyscallError(syscall, name, errno, `${syscall}: ${name}: ${what}`);
}

interface Libc {
  koffi: Koffi;
  timerfd_create(clockid: number, flags: number): number;
  timerfd_settime(fd: number, flags: number, next: BigInt64Array, old: BigInt64Array): number;
  timerfd_gettime(fd: number, curr: BigInt64Array): number;
  read(fd: number, buf: Uint8Array | Uint32Array, count: number): number;
  write(fd: number, buf: Uint8Array, count: number): number;
  close(fd: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  epoll_create1(flags: number): number;
  epoll_ctl(epfd: number, op: number, fd: number, event: Buffer | null): number;
  epoll_wait(epfd: number, events: Int32Array, maxevents: number, timeout: number): number;
  clock_gettime(clockid: number, ts: BigInt64Array): number;
  getrlimit(resource: number, rlim: Buffer): number;
  setrlimit(resource: number, rlim: Buffer): number;
  pipe2(fds: Buffer, flags: number): number;
}

// The process calls, bound apart from the timer calls so that a C library without one of them
// (posix_spawn_file_actions_addchdir_np needs glibc 2.29 or musl 1.1.24) fails only there.
export interface ProcessLibc {
  posix_spawn(pid: [number], path: string, actions: Buffer, attr: Buffer, argv: (string | null)[], envp: (string | null)[]): number;
  posix_spawnattr_init(attr: Buffer): number;
  posix_spawnattr_destroy(attr: Buffer): number;
  posix_spawnattr_setflags(attr: Buffer, flags: number): number;
  posix_spawnattr_setpgroup(attr: Buffer, pgroup: number): number;
  posix_spawnattr_setsigmask(attr: Buffer, set: Buffer): number;
  posix_spawnattr_setsigdefault(attr: Buffer, set: Buffer): number;
  posix_spawn_file_actions_init(actions: Buffer): number;
  posix_spawn_file_actions_destroy(actions: Buffer): number;
  posix_spawn_file_actions_adddup2(actions: Buffer, fd: number, newfd: number): number;
  addchdir: ((actions: Buffer, path: string) => number) | undefined;
  sigfillset(set: Buffer): number;
  sigemptyset(set: Buffer): number;
  // syscall(2) is variadic: each argument follows its C type, e.g. ('int', pid, 'unsigned int', 0).
  syscall(nr: number, ...typedArgs: unknown[]): number | bigint;
  waitid(idtype: number, id: number, info: Buffer, options: number): number;
  prctl(option: number, arg2: number, arg3: number, arg4: number, arg5: number): number;
  prctlGetInt(option: number, value: [number], arg3: number, arg4: number, arg5: number): number;
  flock(fd: number, operation: number): number;
}

let cached: Libc | undefined;
// libc once loaded (undefined before): `libcLoaded ?? libc()` on a path run at every wake-up reads
// it without a call.
export { cached as libcLoaded };
let cachedProcess: ProcessLibc | undefined;

// Throws a PlatformError (one clear line) where timerfd and epoll cannot exist.
export function assertLinux(platform: string = process.platform): void {
  if (platform !== 'linux') throw new PlatformError(`Linux is required (timerfd and epoll); this is ${platform}`);
}

// Loads libc once, on first use; fails with one clear line where timerfd cannot exist.
export function libc(): Libc {
  if (cached) return cached;
  assertLinux();
  let koffi: Koffi;
  try {
    koffi = loadKoffi();
  } catch (err) {
    throw new PlatformError(`cannot load koffi, the FFI library timerstack needs: ${(err as Error).message.split('\n')[0]}`);
  }
  let lib: LibraryHandle;
  try {
    lib = koffi.load('libc.so.6');
  } catch (err) {
    throw new PlatformError(`cannot load the C library libc.so.6: ${(err as Error).message.split('\n')[0]}`);
  }
  const fn = (proto: string) => lib.func(proto) as (...args: unknown[]) => number;
  if (!isMainThread) pinKoffi(fn('void *dlopen(const char *file, int mode)'));
  cached = {
    koffi,
    timerfd_create: fn('int timerfd_create(int clockid, int flags)'),
    timerfd_settime: fn('int timerfd_settime(int fd, int flags, void *new_value, void *old_value)'),
    timerfd_gettime: fn('int timerfd_gettime(int fd, void *curr_value)'),
    read: fn('long read(int fd, void *buf, unsigned long count)'),
    write: fn('long write(int fd, void *buf, unsigned long count)'),
    close: fn('int close(int fd)'),
    fcntl: fn('int fcntl(int fd, int cmd, int arg)'),
    epoll_create1: fn('int epoll_create1(int flags)'),
    epoll_ctl: fn('int epoll_ctl(int epfd, int op, int fd, void *event)'),
    epoll_wait: fn('int epoll_wait(int epfd, void *events, int maxevents, int timeout)'),
    clock_gettime: fn('int clock_gettime(int clockid, void *tp)'),
    getrlimit: fn('int getrlimit(int resource, void *rlim)'),
    setrlimit: fn('int setrlimit(int resource, void *rlim)'),
    pipe2: fn('int pipe2(void *pipefd, int flags)'),
  };
  return cached;
}

const RTLD_NOW = 2;
const RTLD_NOLOAD = 4;
const RTLD_NODELETE = 0x1000;

// Keeps koffi's native module mapped once a worker thread has loaded it. Node unloads a
// worker's addons when the worker ends (or is terminated, when no JavaScript can run any
// more), and koffi's poll handles are closed after that, by a callback inside the unloaded
// module: a segfault of the whole process. dlopen with RTLD_NOLOAD | RTLD_NODELETE marks the
// already loaded module as never to be unloaded (one mapping for the process's lifetime).
function pinKoffi(dlopen: (file: string, mode: number) => unknown): void {
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return;
  }
  const line = maps.split('\n').find((l) => /\/koffi\.node$/.test(l));
  const file = line?.slice(line.indexOf('/'));
  if (file) dlopen(file, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

// Binds the process calls once, on first use (libc() first: the same koffi and library).
export function processLibc(): ProcessLibc {
  if (cachedProcess) return cachedProcess;
  const { koffi } = libc();
  const lib = koffi.load('libc.so.6');
  const fn = (proto: string) => lib.func(proto) as (...args: unknown[]) => number;
  let addchdir: ProcessLibc['addchdir'];
  try {
    addchdir = fn('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)');
  } catch {
    addchdir = undefined;
  }
  cachedProcess = {
    posix_spawn: fn('int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)'),
    posix_spawnattr_init: fn('int posix_spawnattr_init(void *attr)'),
    posix_spawnattr_destroy: fn('int posix_spawnattr_destroy(void *attr)'),
    posix_spawnattr_setflags: fn('int posix_spawnattr_setflags(void *attr, short flags)'),
    posix_spawnattr_setpgroup: fn('int posix_spawnattr_setpgroup(void *attr, int pgroup)'),
    posix_spawnattr_setsigmask: fn('int posix_spawnattr_setsigmask(void *attr, void *set)'),
    posix_spawnattr_setsigdefault: fn('int posix_spawnattr_setsigdefault(void *attr, void *set)'),
    posix_spawn_file_actions_init: fn('int posix_spawn_file_actions_init(void *actions)'),
    posix_spawn_file_actions_destroy: fn('int posix_spawn_file_actions_destroy(void *actions)'),
    posix_spawn_file_actions_adddup2: fn('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)'),
    addchdir,
    sigfillset: fn('int sigfillset(void *set)'),
    sigemptyset: fn('int sigemptyset(void *set)'),
    syscall: fn('long syscall(long nr, ...)'),
    waitid: fn('int waitid(int idtype, int id, void *info, int options)'),
    prctl: fn('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
    prctlGetInt: fn('int prctl(int option, _Out_ int *value, unsigned long arg3, unsigned long arg4, unsigned long arg5)'),
    flock: fn('int flock(int fd, int operation)'),
  };
  return cachedProcess;
}

// The errno of the call just made; read it before anything else can call into libc.
export function lastErrno(): number {
  return libc().koffi.errno();
}

// Throws a SyscallError when a libc call returned -1.
export function check(syscall: string, result: number): number {
  if (result < 0) throw syscallError(syscall, lastErrno());
  return result;
}

