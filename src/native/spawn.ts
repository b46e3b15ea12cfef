// Starting a program with posix_spawn(3): in a new process group of timerstack's own session (or
// in timerstack's group), with every signal at its default and none blocked, the stdio fds given,
// a working directory, and the caller's open-file soft limit. The exec error comes back as the
// return value (ENOENT, EACCES …), so a command that cannot start is known at once.
import { constants as fsConstants } from 'node:fs';
import { F_GETFL, F_SETFL, check, errnoName, libc, processLibc, syscallError } from './libc.js';
import { withFdSoftLimit } from './fd-limit.js';

// <spawn.h> flags, the same in glibc and musl.
const POSIX_SPAWN_SETPGROUP = 0x02;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;

export interface SpawnRequest {
  // The program's path (resolved: no PATH search here) and its argv, argv[0] included.
  path: string;
  argv: readonly string[];
  // NAME=value strings, exactly the child's environment.
  env: readonly string[];
  // A new process group led by the child (else it joins timerstack's group).
  ownGroup: boolean;
  // The fds of this process that become the child's 0, 1 and 2.
  stdio: readonly [number, number, number];
  cwd?: string;
  // The child's RLIMIT_NOFILE soft limit when it differs from this process's.
  fdSoftLimit?: bigint;
}

export type SpawnOutcome = { pid: number } | { errno: number; code: string };

// Buffers larger than glibc's (336 and 80 bytes) and musl's structures.
const attr = Buffer.alloc(1024);
const actions = Buffer.alloc(512);
const allSignals = Buffer.alloc(128);
const noSignals = Buffer.alloc(128);

export function canChdir(): boolean {
  return processLibc().addchdir !== undefined;
}

// Starts the program; a start failure is an outcome, not an exception.
export function spawnProgram(req: SpawnRequest): SpawnOutcome {
  const c = processLibc();
  c.sigfillset(allSignals);
  c.sigemptyset(noSignals);
  must(c.posix_spawnattr_init(attr), 'posix_spawnattr_init');
  must(c.posix_spawn_file_actions_init(actions), 'posix_spawn_file_actions_init');
  try {
    let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (req.ownGroup) {
      flags |= POSIX_SPAWN_SETPGROUP;
      must(c.posix_spawnattr_setpgroup(attr, 0), 'posix_spawnattr_setpgroup');
    }
    must(c.posix_spawnattr_setflags(attr, flags), 'posix_spawnattr_setflags');
    must(c.posix_spawnattr_setsigmask(attr, noSignals), 'posix_spawnattr_setsigmask');
    must(c.posix_spawnattr_setsigdefault(attr, allSignals), 'posix_spawnattr_setsigdefault');
    // dup2(fd, fd) clears close-on-exec (POSIX 2024, glibc 2.29): Node opens even 0-2 with it.
    req.stdio.forEach((fd, target) => must(c.posix_spawn_file_actions_adddup2(actions, fd, target), 'posix_spawn_file_actions_adddup2'));
    if (req.cwd !== undefined) {
      if (!c.addchdir) return { errno: 38, code: 'ENOSYS' };
      must(c.addchdir(actions, req.cwd), 'posix_spawn_file_actions_addchdir_np');
    }
    const pid: [number] = [0];
    const spawn = () => c.posix_spawn(pid, req.path, actions, attr, [...req.argv, null], [...req.env, null]);
    const errno = req.fdSoftLimit === undefined ? spawn() : withFdSoftLimit(req.fdSoftLimit, spawn);
    return errno === 0 ? { pid: pid[0] } : { errno, code: errnoName(errno) };
  } finally {
    c.posix_spawn_file_actions_destroy(actions);
    c.posix_spawnattr_destroy(attr);
  }
}

// posix_spawn's helpers return an errno (0 for success), not -1.
function must(errno: number, call: string): void {
  if (errno !== 0) throw syscallError(call, errno);
}

// Clears O_NONBLOCK on an fd (its open file description: shared with whoever holds a copy).
export function setBlocking(fd: number): void {
  const c = libc();
  const flags = check('fcntl(F_GETFL)', c.fcntl(fd, F_GETFL, 0));
  if (flags & fsConstants.O_NONBLOCK) check('fcntl(F_SETFL)', c.fcntl(fd, F_SETFL, flags & ~fsConstants.O_NONBLOCK));
}

// Sets O_NONBLOCK on an fd (the write end of a pipe timerstack feeds from its loop).
export function setNonBlocking(fd: number): void {
  const c = libc();
  const flags = check('fcntl(F_GETFL)', c.fcntl(fd, F_GETFL, 0));
  if (!(flags & fsConstants.O_NONBLOCK)) check('fcntl(F_SETFL)', c.fcntl(fd, F_SETFL, flags | fsConstants.O_NONBLOCK));
}
