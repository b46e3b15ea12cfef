// What a command needs from the system, checked before anything is armed: its --chdir directory
// and its --lock file; and, for --dry-run and `run --check`, whether its program can be found.
import { closeSync, constants, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveProgram } from './program.js';
import { oneLine } from './result.js';

// Why DIR cannot be a command's working directory, or undefined.
export function chdirProblem(dir: string): string | undefined {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) return `${dir}: no such directory`;
  return stat.isDirectory() ? undefined : `${dir}: not a directory`;
}

// Why FILE cannot be opened as a lock (it is created if missing, as flock(1) does), or undefined.
export function lockProblem(file: string): string | undefined {
  try {
    closeSync(openSync(file, constants.O_RDONLY | constants.O_CREAT | constants.O_NOCTTY, 0o666));
    return undefined;
  } catch (err) {
    return `${file}: ${oneLine(err).replace(/^[A-Z]+: /, '')}`;
  }
}

// "prog: command not found on PATH" (or "…: not executable") for a bare program name that a PATH
// search would not find now. A name with a slash is left alone: it may be meant relative to the
// directory the schedule will run in.
export function programProblem(file: string, env: NodeJS.ProcessEnv, cwd: string | undefined): string | undefined {
  if (file.includes('/')) return undefined;
  const found = resolveProgram(file, env.PATH, cwd === undefined ? process.cwd() : path.resolve(cwd));
  if (!('code' in found)) return undefined;
  return `${file}: ${found.code === 'ENOENT' ? 'command not found on PATH' : 'found on PATH but not executable'}`;
}
