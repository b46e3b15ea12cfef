// How a served schedule is stopped from outside: by a signal (relayed to its commands, and then
// the process ends by it), by SIGUSR1 asking for its state, or by a reader of stdout that went
// away (a quiet end with status 0) or an error writing it.
import { EXIT } from '../errors.js';
import type { Loop } from '../loop/loop.js';
import type { Supervisor } from '../supervise/supervisor.js';
import type { Io } from './io.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

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
    if (watch.signal) return;
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
