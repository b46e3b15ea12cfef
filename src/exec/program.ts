// Where a command's program is, found as execvp(3) finds it, before anything is spawned: so that
// a spawn is one posix_spawn of a known path, and --dry-run can say "not found on PATH".
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

// glibc's execvp default when PATH is unset (confstr _CS_PATH).
const DEFAULT_PATH = '/bin:/usr/bin';

export type Resolved = { path: string } | { code: 'ENOENT' | 'EACCES' };

// A name with a slash is taken as it is (relative to `cwd` when the child starts). A bare name is
// looked up in each PATH directory in turn (an empty entry is the working directory); one found
// but not executable is remembered (EACCES) while the search goes on, as execvp does.
export function resolveProgram(file: string, pathVar: string | undefined, cwd: string): Resolved {
  if (file.includes('/')) return { path: file };
  let denied = false;
  for (const dir of (pathVar ?? DEFAULT_PATH).split(':')) {
    const candidate = path.resolve(cwd, dir === '' ? '.' : dir, file);
    const stat = statSync(candidate, { throwIfNoEntry: false });
    if (!stat) continue;
    if (!stat.isFile()) {
      denied = true;
      continue;
    }
    try {
      accessSync(candidate, constants.X_OK);
      return { path: candidate };
    } catch {
      denied = true;
    }
  }
  return { code: denied ? 'EACCES' : 'ENOENT' };
}
