// The events a schedule reports, and the Reporter the sinks implement. Defined once, here: the
// sinks (output/) format these shapes; nothing below the supervisor knows them. Every event says
// when it happened on the wall clock (timeNs); the NDJSON sink writes each as one object whose
// `event` names its kind (schema/events.json; docs/events.md tells the whole model).
import type { RunResult, SkipReason } from '../exec/result.js';

export type { RunResult } from '../exec/result.js';

// An expiration of a timer, on the wall clock.
export interface TickEvent {
  timer: string;
  tick: number;
  expirations: number;
  // Wall-clock ns (since the epoch) when it was seen and when it was due.
  timeNs: bigint;
  scheduledNs: bigint;
  latenessUs: number;
  // The zone of a calendar timer (its events also carry the local wall time).
  zone?: string | undefined;
}

// A finished run of a timer's command, and when it was seen to end (wall-clock ns).
export interface RunEvent extends RunResult {
  timeNs: bigint;
}

// An attempt of `retry` that ended: its run, and what follows it.
export interface AttemptEvent extends RunResult {
  attempt: number;
  // The most attempts there may be (undefined: as many as --for allows).
  attempts: number | undefined;
  // The wait before the next attempt; undefined when none follows.
  waitNs: bigint | undefined;
  // Wall-clock ns (since the epoch) when it ended.
  timeNs: bigint;
}

// `retry` gave up: no attempt was left, --for ran out, or the command cannot be started (not
// found or not executable: another attempt would fail the same way). `status` is timerstack's
// exit status.
export interface GiveUpEvent {
  timer: string;
  // Attempts made.
  attempts: number;
  reason: 'attempts' | 'for' | 'cannot-start';
  status: number;
  timeNs: bigint;
}

// Ticks not run: by the overlap policy, or missed (the kernel counted more than one expiration).
export interface SkipEvent {
  timer: string;
  // When the tick was not run (wall-clock ns).
  timeNs: bigint;
  tick: number;
  // How many ticks were not run or missed.
  skipped: number;
  reason: SkipReason | 'missed';
}

// One timer's state, on request (SIGUSR1).
export interface StateEvent {
  timer: string;
  // When the state was read (wall-clock ns).
  timeNs: bigint;
  tick: number;
  skipped: number;
  remainingNs: bigint | undefined;
  intervalNs: bigint;
  running: number;
}

// The wall clock was set while a timer was armed on it.
export interface ClockStepEvent {
  // The timer's name, or the clock's when the step touched a shared queue.
  timer: string;
  // When the step was noticed (wall-clock ns).
  timeNs: bigint;
}

// Elapses of a computed schedule that a clock step (or a resume) jumped over: counted, not run.
export interface MissedEvent {
  timer: string;
  // When it was noticed (wall-clock ns).
  timeNs: bigint;
  count: number;
  // The first and the last of them, on the wall clock (ns since the epoch).
  firstNs: bigint;
  lastNs: bigint;
}

// --persistent at start: elapses that passed while timerstack was not running; the timer acts
// once, at once, for all of them.
export interface CatchUpEvent {
  timer: string;
  // When it was noticed (wall-clock ns).
  timeNs: bigint;
  count: number;
  firstNs: bigint;
  lastNs: bigint;
}

// Something went wrong that stops nothing (a stamp file that could not be written).
export interface ProblemEvent {
  timer: string;
  // When it was noticed (wall-clock ns).
  timeNs: bigint;
  message: string;
}

export interface Reporter {
  // A tick of a timer without a command (stdout).
  tick(e: TickEvent): void;
  // A tick of a timer with a command (stderr, when verbose).
  commandTick(e: TickEvent): void;
  // A finished run (stderr: always when it failed, else when verbose).
  run(e: RunEvent): void;
  // An attempt of `retry` ended (stderr: always when it failed, else when verbose).
  attempt(e: AttemptEvent): void;
  // `retry` gave up (stderr, always).
  giveUp(e: GiveUpEvent): void;
  skip(e: SkipEvent): void;
  clockStep(e: ClockStepEvent): void;
  missed(e: MissedEvent): void;
  catchUp(e: CatchUpEvent): void;
  problem(e: ProblemEvent): void;
}
