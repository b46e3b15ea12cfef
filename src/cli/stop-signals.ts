// How a served schedule is stopped from outside by a signal (relayed to its commands, and then
// the process ends by it), and SIGUSR1 asking for its state. (Its output streams stop it too:
// serve-output.ts.)
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
  detach(): void;
}

export function watchStops(io: Io, schedule: Supervisor, stopSignals: readonly NodeJS.Signals[], onState: () => void): StopWatch {
  const watch = { signal: undefined as NodeJS.Signals | undefined, detach };
  const onSignal = (signal: NodeJS.Signals) => {
    // A second one while the commands are being waited for: SIGKILL to all of them at once.
    if (watch.signal) return schedule.killNow();
    watch.signal = signal;
    void schedule.stop(signal);
  };
  for (const s of stopSignals) io.signals.on(s, onSignal);
  io.signals.on('SIGUSR1', onState);
  function detach(): void {
    for (const s of stopSignals) io.signals.off(s, onSignal);
    io.signals.off('SIGUSR1', onState);
  }
  return watch;
}
