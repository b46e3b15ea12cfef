// How a served schedule is stopped from outside by a signal (relayed to its commands, and then
// the process ends by it), and SIGUSR1 asking for its state. (Its output streams stop it too:
// serve-output.ts.)
import type { Supervisor } from '../supervise/supervisor.js';
import type { Io } from './io.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface StopWatch {
  // The signal that stopped it, if one did.
  readonly signal: NodeJS.Signals | undefined;
  detach(): void;
}

export function watchStops(io: Io, schedule: Supervisor, stopSignals: readonly NodeJS.Signals[], onState: () => void): StopWatch {
  const watch = { signal: undefined as NodeJS.Signals | undefined, detach };
  const onSignal = (signal: NodeJS.Signals) => {
    if (watch.signal) return;
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
