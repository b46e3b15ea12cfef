// Where each event goes, by output mode: ticks of timers without a command on stdout; run
// results, retry attempts, skips and clock steps on stderr (failures always, the rest with --verbose).
import type { Formatter } from '../output/format.js';
import type { Reporter } from '../supervise/events.js';
import type { OutputMode } from './io.js';

export function makeReporter(mode: OutputMode, out: Formatter, err: Formatter, emit: (line: string) => void, toErr: (line: string) => void): Reporter {
  return {
    tick: (e) => {
      if (!mode.quiet) emit(out.tick(e));
    },
    commandTick: (e) => {
      if (mode.verbose) toErr(err.tick(e));
    },
    run: (e) => {
      // A run timerstack ended itself (--overlap restart) did not fail.
      if (mode.verbose || (e.status !== 0 && !e.restarted)) toErr(err.run(e));
    },
    attempt: (e) => {
      if (mode.verbose || e.status !== 0) toErr(err.attempt(e));
    },
    giveUp: (e) => toErr(err.giveUp(e)),
    skip: (e) => toErr(err.skip(e)),
    clockStep: (e) => toErr(err.clockStep(e)),
    missed: (e) => toErr(err.missed(e)),
    catchUp: (e) => toErr(err.catchUp(e)),
    problem: (e) => toErr(err.problem(e)),
  };
}
