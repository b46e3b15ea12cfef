// The output side of a served schedule: the events of one wake-up in one write, the timers whose
// events are blocked paused while the others go on, standard output watched for its reader
// leaving (noticed at once, not at the next write), a failure to write it stopping the schedule,
// and the countdown cleared before any other line and before a command starts.
import { EXIT } from '../errors.js';
import type { Loop } from '../loop/loop.js';
import type { EventHold } from '../supervise/event-hold.js';
import type { Supervisor } from '../supervise/supervisor.js';
import type { Countdown } from './countdown.js';
import { readerGone } from './outlet.js';
import type { Outlets } from './outlets.js';
import { watchReader } from './reader-watch.js';
import { StdoutBatch } from './stdout-batch.js';

export interface ServeOutput {
  // An event line for stdout (written with the rest of its wake-up).
  emit(text: string): void;
  flush(): void;
  // The warm-up wake's sample line: made like one for stdout, and dropped.
  warm(text: string): void;
  // A command is about to start (its output goes straight to the terminal).
  beforeRun(): void;
  showCountdown(countdown: Countdown): void;
  detach(): void;
}

// `stdout` is standard output itself (fd 1), watched for its reader leaving.
// `events` pauses the timers that print (a schedule's; a retry prints none).
export function serveOutput(
  loop: Loop,
  schedule: () => Supervisor | undefined,
  events: () => EventHold | undefined,
  outlets: Outlets,
  stdout: NodeJS.WritableStream,
): ServeOutput {
  let countdown: Countdown | undefined;
  const clear = () => countdown?.clear();
  outlets.out.beforeWrite = clear;
  outlets.err.beforeWrite = clear;
  const batch = new StdoutBatch(
    outlets.out,
    loop,
    () => events()?.hold(),
    () => events()?.release(),
  );
  // The reader went away: a quiet stop (commands get SIGTERM), and status 0.
  const left = () => {
    if (outlets.readerLeft) return;
    outlets.readerLeft = true;
    void schedule()?.stop(undefined);
  };
  const unwatch = watchReader(loop, stdout, left);
  const offFailure = outlets.out.onFailure((failure) => {
    if (readerGone(failure)) return left();
    // Said on stderr once the schedule has stopped (Outlets.settle).
    void schedule()?.stop(undefined, EXIT.failure);
  });
  return {
    emit: batch.emit,
    flush: batch.flush,
    warm: (text) => batch.warm(text),
    beforeRun: clear,
    showCountdown: (c) => (countdown = c),
    detach: () => {
      countdown?.stop();
      countdown = undefined;
      outlets.out.beforeWrite = undefined;
      outlets.err.beforeWrite = undefined;
      unwatch();
      offFailure();
    },
  };
}
