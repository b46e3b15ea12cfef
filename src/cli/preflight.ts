// Before serving: refuse what a command cannot have (a missing --chdir, a --lock file that cannot
// be opened) with one line and status 125, nothing armed (not a usage error: no --help hint); for
// a plan, warn about programs not found.
import { EXIT, TimerstackError } from '../errors.js';
import { chdirProblem, lockProblem, programProblem } from '../exec/preflight.js';
import type { TimerSpec } from '../kinds/kind.js';

export function checkCommands(specs: readonly TimerSpec[]): void {
  for (const spec of specs) {
    const chdir = spec.chdir === undefined ? undefined : chdirProblem(spec.chdir);
    if (chdir) throw new TimerstackError('ECHDIR', `--chdir: ${chdir}`, EXIT.usage);
    const lock = spec.lock === undefined ? undefined : lockProblem(spec.lock);
    if (lock) throw new TimerstackError('ELOCK', `--lock: ${lock}`, EXIT.usage);
  }
}

// One warning per timer whose program cannot run now ("where" names it: the timer, or FILE:LINE:
// name). With --shell the program is sh, and what it runs is not looked into.
export function commandWarnings(entries: ReadonlyArray<{ where: string; spec: TimerSpec }>, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const { where, spec } of entries) {
    const file = spec.command?.[0];
    if (file === undefined || spec.shell) continue;
    const problem = programProblem(file, spec.env ? { ...env, ...spec.env } : env, spec.chdir);
    if (problem) out.push(`warning: ${where}: ${problem}`);
  }
  return out;
}
