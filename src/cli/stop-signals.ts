// How a served schedule is stopped from outside: by a signal (relayed to its commands, and then
// the process ends by it), by SIGUSR1 asking for its state, or by a reader of stdout that went
// away (a quiet end with status 0) or an error writing it.
import { EXIT } from '../errors.js';
import type { Loop } from '../loop/loop.js';
import type { Supervisor } from '../supervise/supervisor.js';
import type { Io } from './io.js';

// Every signal whose default action ends the process and that can be caught safely: each stops
// the schedule like SIGTERM (relayed, waited for, and then timerstack ends by it). Left out:
// SIGUSR1 (prints the state), SIGPIPE and SIGXFSZ (Node ignores them), the faults SIGSEGV,
// SIGBUS, SIGFPE, SIGILL and the crash signals SIGABRT, SIGTRAP, SIGSYS (a handler that returns
// would resume the faulting code), SIGPROF (V8's sampling profiler uses it), SIGKILL and
// SIGSTOP (cannot be caught). Real-time signals cannot be handled from Node.
export const STOP_SIGNALS = [
  'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGXCPU', 'SIGIO', 'SIGPWR', 'SIGSTKFLT',
] as const satisfies readonly NodeJS.Signals[];

export interface StopWatch {
  // The signal that stopped it, if one did.
  readonly signal: NodeJS.Signals | undefined;
  // The reader of stdout went away.
  readonly pipeClosed: boolean;
  detach(): void;
}

export function watchStops(io: Io, schedule: Supervisor, loop: Loop, stopSignals: readonly NodeJS.Signals[], onState: () => void, toErr: (text: string) => void): StopWatch {
  const watch = { signal: undefined as NodeJS.Signals | undefined, pipeClosed: false, detach };
  const onSignal = (signal: NodeJS.Signals) => {
    // A second one while the commands are being waited for: SIGKILL to all of them at once.
    if (watch.signal) return schedule.killNow();
    watch.signal = signal;
    void schedule.stop(signal);
  };
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    // No drain will come: the loop must run again for the stop (kill-after timers live on it).
    loop.resume();
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
      watch.pipeClosed = true;
      void schedule.stop(undefined);
      return;
    }
    toErr(`cannot write to standard output: ${e.message}`);
    void schedule.stop(undefined, EXIT.failure);
  };
  for (const s of stopSignals) io.signals.on(s, onSignal);
  io.signals.on('SIGUSR1', onState);
  io.stdout.on('error', onStdoutError);
  function detach(): void {
    for (const s of stopSignals) io.signals.off(s, onSignal);
    io.signals.off('SIGUSR1', onState);
    io.stdout.off('error', onStdoutError);
  }
  return watch;
}
