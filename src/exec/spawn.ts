// Starting one command: its program found as execvp(3) finds it, then one posix_spawn(3) into a
// new process group of timerstack's session (setpgid, not setsid: the command keeps the
// controlling terminal, so /dev/tty opens), with default signals, its stdio, its directory and
// the caller's open-file soft limit; then a pidfd on it. Why not execa or child_process: libuv
// has no setpgid spawn option (only setsid, `detached`), a parent-side setpgid fails once the
// child has exec'd (EACCES), and libuv reaps its children itself — a run's leader must stay a
// zombie until its group is empty (group.ts), which only its own parent can arrange.
import { statSync } from 'node:fs';
import { callerFdSoftLimit } from '../native/fd-limit.js';
import { pidfdOpen, reapChild } from '../native/process.js';
import { canChdir, spawnProgram, type SpawnOutcome } from '../native/spawn.js';
import { resolveProgram } from './program.js';
import { claim, release } from './reaper.js';
import { oneLine, startError } from './result.js';
import { childStdio } from './stdio.js';

export interface CommandStart {
  file: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
  // timerstack's stdin, /dev/null, or an fd of this process (a pipe fed with text).
  stdin: 'inherit' | 'null' | number;
  // Where stdout and stderr go when not to timerstack's (a capture pipe, --watch).
  outputFd?: number;
  // Its own process group (else timerstack's: --foreground).
  ownGroup: boolean;
}

export type Started = { pid: number; pidfd: number } | { code: string; error: string };

// Spawns the command; a command that cannot start is an outcome (with the errno's name), not an
// exception. The pid is claimed (the reaper leaves it to its ProcessGroup).
export function startCommand(req: CommandStart): Started {
  const cwd = req.cwd ?? process.cwd();
  if (req.cwd !== undefined) {
    if (!canChdir()) return { code: 'ENOSYS', error: '--chdir needs posix_spawn_file_actions_addchdir_np (glibc 2.29, musl 1.1.24)' };
    if (!statSync(req.cwd, { throwIfNoEntry: false })?.isDirectory()) return { code: 'ECHDIR', error: `--chdir ${req.cwd}: no such directory` };
  }
  const found = resolveProgram(req.file, req.env.PATH, cwd);
  if ('code' in found) return { code: found.code, error: startError(req.file, found.code, undefined) };
  const env = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
  const spawn = (path: string, argv: readonly string[]): SpawnOutcome =>
    spawnProgram({
      path,
      argv,
      env,
      ownGroup: req.ownGroup,
      stdio: stdioOf(req),
      ...(req.cwd !== undefined ? { cwd: req.cwd } : {}),
      ...(callerFdSoftLimit() !== undefined ? { fdSoftLimit: callerFdSoftLimit()! } : {}),
    });
  let outcome: SpawnOutcome;
  try {
    outcome = spawn(found.path, [req.file, ...req.args]);
    // A file without a #! line: run by /bin/sh, as execvp does.
    if ('errno' in outcome && outcome.code === 'ENOEXEC') outcome = spawn('/bin/sh', ['/bin/sh', found.path, ...req.args]);
  } catch (err) {
    return { code: (err as { code?: string }).code ?? 'EIO', error: `${req.file}: cannot run: ${oneLine(err)}` };
  }
  if ('errno' in outcome) return { code: outcome.code, error: startError(req.file, outcome.code, undefined) };
  claim(outcome.pid);
  return track(outcome.pid, req.file);
}

// The child's fds 0, 1 and 2.
function stdioOf(req: CommandStart): [number, number, number] {
  const [stdin, stdout, stderr] = childStdio(typeof req.stdin === 'number' ? 'null' : req.stdin);
  return [typeof req.stdin === 'number' ? req.stdin : stdin, req.outputFd ?? stdout, req.outputFd ?? stderr];
}

// A pidfd on the new child; without one (EMFILE) it cannot be followed safely: killed and reaped.
function track(pid: number, file: string): Started {
  try {
    const pidfd = pidfdOpen(pid);
    if (pidfd !== undefined) return { pid, pidfd };
  } catch (err) {
    process.kill(pid, 'SIGKILL');
    while (!reapChild(pid));
    release(pid);
    return { code: (err as { code?: string }).code ?? 'EIO', error: `${file}: cannot follow the command: ${oneLine(err)}` };
  }
  release(pid);
  return { code: 'ESRCH', error: `${file}: the command vanished before it could be followed` };
}
