// What a run's result means for its schedule: a failure for --fail-fast, or a command that will
// never start.
import type { RunResult } from '../exec/result.js';
import type { Entry } from './entry.js';

// --fail-fast and a failed run; a run timerstack itself ended for --overlap restart is not one.
export function failsFast(entry: Entry, r: RunResult): boolean {
  return r.status !== 0 && entry.spec.failFast && !r.restarted;
}

// The first run could not start because the command is not there (127) or not executable (126):
// no later run will do better, so the schedule ends with that status (unless --keep-going).
export function neverStarts(entry: Entry, r: RunResult): boolean {
  return r.pid === undefined && (r.status === 126 || r.status === 127) && !entry.spec.keepGoing;
}
