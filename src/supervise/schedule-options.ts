// What a Schedule is given: how to make a command runner for a timer, and its options (stamps and
// catch-ups for --persistent, a wall clock for events).
import type { CommandRunner } from '../exec/runner.js';
import type { RunResult, SkipReason, TickContext } from '../exec/result.js';
import type { TimerSpec } from '../kinds/kind.js';
import type { MissedRange } from '../kinds/wall-clock.js';
import type { StampStore } from './stamps.js';
import type { SupervisorEnd } from './supervisor.js';

export interface RunnerHooks {
  // Calls `fn` after `delayNs` (on the loop's monotonic clock); returns a cancel function.
  schedule: (delayNs: bigint, fn: () => void) => () => void;
  onResult: (result: RunResult) => void;
  onSkip: (ctx: TickContext, reason: SkipReason) => void;
}

export type RunnerFactory = (spec: TimerSpec, hooks: RunnerHooks) => CommandRunner;

export type ScheduleEnd = SupervisorEnd;

export interface ScheduleOptions {
  // Where --persistent timers keep the instant of their last run.
  stamps?: StampStore;
  // --persistent timers that missed elapses while timerstack was not running (by timer name),
  // and the wall-clock time it started: each acts once, at once.
  catchUps?: ReadonlyMap<string, MissedRange>;
  startedNs?: bigint;
  // When an event happened, wall-clock ns (default CLOCK_REALTIME; a test may pass its own).
  wallNow?: () => bigint;
}
