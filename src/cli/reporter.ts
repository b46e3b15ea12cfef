// Where each event goes, by output mode: ticks of timers without a command on stdout; run
// results, retry attempts, skips and clock steps on stderr (failures and skips always, the rest
// with --verbose; with --quiet, a failed run is not reported: the exit status speaks).
import type { Formatter } from '../output/format.js';
import type { Reporter } from '../supervise/events.js';
import type { OutputMode } from './io.js';

export function makeReporter(
  mode: OutputMode,
  out: Formatter,
  err: Formatter,
  emit: (line: string) => void,
  toErr: (line: string) => void,
  // Called before a command starts (the countdown is cleared there).
  beforeRun: () => void = () => {},
  // Whether the reader of stdout has gone: the stop that follows is quiet (a run killed by
  // SIGPIPE or by that stop only met the end of the pipeline).
  readerLeft: () => boolean = () => false,
): Reporter {
  return {
    tick: (e) => {
      if (!mode.quiet) emit(out.tick(e));
    },
    commandTick: (e) => {
      beforeRun();
      if (mode.verbose) toErr(err.tick(e));
    },
    run: (e) => {
      if (readerLeft()) return;
      // A run timerstack ended itself (--overlap restart) did not fail.
      if (mode.verbose || (e.status !== 0 && !e.restarted && !mode.quiet)) toErr(err.run(e));
    },
    skip: (e) => {
      if (!readerLeft()) toErr(err.skip(e));
    },
    attempt: (e) => {
      if (readerLeft()) return;
      if (mode.verbose || (e.status !== 0 && !mode.quiet)) toErr(err.attempt(e));
    },
    giveUp: (e) => toErr(err.giveUp(e)),
    clockStep: (e) => toErr(err.clockStep(e)),
    missed: (e) => toErr(err.missed(e)),
    catchUp: (e) => toErr(err.catchUp(e)),
    problem: (e) => toErr(err.problem(e)),
  };
}
