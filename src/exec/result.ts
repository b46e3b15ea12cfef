// What one run of a command comes to, as data (a failed child is not an exception): how it
// ended, the shell-style status, and the one-line reasons for runs that could not start.
import { EXIT } from '../errors.js';
import { signalNumber } from './groups.js';

// The tick a run belongs to, as the command's environment tells it.
export interface TickContext {
  timer: string;
  tick: number;
  expirations: number;
  // When it was due, on the wall clock (ns since the epoch).
  scheduledNs: bigint;
}

export interface RunResult {
  timer: string;
  tick: number;
  pid: number | undefined;
  // Shell-style status, as timeout(1) reports it: the exit code; 128+N when killed by signal N;
  // 124 when it hit the timeout (137 when it then had to be killed with SIGKILL); 126 not
  // executable; 127 not found; 125 when it could not be started for another reason.
  status: number;
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  // Ended by timerstack's own SIGTERM for --overlap restart: not a failure of the command.
  restarted?: boolean;
  durationMs: number;
  error: string | undefined;
  // What it wrote on stdout and stderr, when the runner captures it (--watch).
  output?: string;
}

// Why a tick did not run: the command was still running (overlap), one tick already waited
// (queue-full), timerstack was stopping, or another run held the --lock file (locked).
export type SkipReason = 'overlap' | 'queue-full' | 'stopping' | 'locked';

// How a process ended, before it is turned into a status.
export interface ProcessEnd {
  exitCode?: number | undefined;
  signal?: string | undefined;
  timedOut?: boolean | undefined;
  // errno name of a failed start (ENOENT, EACCES …).
  errorCode?: string | undefined;
}

// Start failures that mean "found but cannot be executed" (126), as sh and timeout(1) count them.
const NOT_EXECUTABLE = new Set(['EACCES', 'ENOEXEC', 'EPERM', 'EISDIR', 'ENOTDIR', 'E2BIG', 'ETXTBSY', 'ELOOP']);

// ENOENT → 127, EACCES/ENOEXEC → 126, other start failures → 125, timeout → 124 (137 if it took
// SIGKILL), signal N → 128+N, else the exit code.
export function statusOf(end: ProcessEnd): number {
  const { exitCode, signal, timedOut, errorCode } = end;
  if (errorCode !== undefined) {
    if (errorCode === 'ENOENT') return EXIT.notFound;
    return NOT_EXECUTABLE.has(errorCode) ? EXIT.notExecutable : EXIT.cannotRun;
  }
  if (timedOut) return signal === 'SIGKILL' ? EXIT.signalBase + 9 : EXIT.timedOut;
  if (signal !== undefined) return EXIT.signalBase + (signalNumber(signal) ?? 0);
  // A process that reported neither (it cannot happen on Linux) counts as a plain failure.
  return exitCode ?? 1;
}

const START_ERRORS: Record<string, string> = {
  ENOENT: 'command not found',
  EACCES: 'permission denied (not executable)',
  ENOEXEC: 'exec format error',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  E2BIG: 'argument list too long',
  ETXTBSY: 'text file busy',
};

// "file: command not found (ENOENT)", or the first line of what the system said.
export function startError(file: string, code: string, message: string | undefined): string {
  const what = START_ERRORS[code];
  return what ? `${file}: ${what} (${code})` : `${file}: cannot run: ${oneLine(message ?? code)}`;
}

export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
