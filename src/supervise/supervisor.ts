// What the command line drives, whatever supervises the timers: a Schedule (once, every, at, run
// tables) or a Retry. It starts, can be stopped, answers SIGUSR1, and says how it ended.
import type { LoopNotice } from '../loop/loop.js';
import type { StateEvent } from './events.js';

export interface SupervisorEnd {
  status: number;
}

export interface Supervisor {
  // Resolves once everything it started has ended and been reaped.
  readonly done: Promise<SupervisorEnd>;
  start(): void;
  // Stops arming and relays `signal` to running commands; `done` resolves with `status` once
  // all are reaped.
  stop(signal: NodeJS.Signals | undefined, status?: number): Promise<void>;
  // A notice from the loop (a clock step).
  notice(notice: LoopNotice): void;
  states(): StateEvent[];
  // The time left before the first timer's next expiration, for a countdown.
  remaining(): bigint | undefined;
  // Sends `signal` to every command's process group without stopping anything (SIGTSTP and
  // SIGCONT: job control).
  relay(signal: NodeJS.Signals): void;
  // SIGKILL to every command's process group at once (a second stop signal while stopping).
  killNow(): void;
}
