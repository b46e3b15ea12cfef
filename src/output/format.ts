// How a sink turns the schedule's events into lines: one Formatter per output style (text with
// a chalk instance passed in, or NDJSON). No I/O here: functions return lines.
import type { AttemptEvent, CatchUpEvent, ClockStepEvent, GiveUpEvent, MissedEvent, ProblemEvent, RunEvent, SkipEvent, StateEvent, TickEvent } from '../supervise/events.js';

export type { AttemptEvent, CatchUpEvent, ClockStepEvent, GiveUpEvent, MissedEvent, ProblemEvent, RunEvent, SkipEvent, StateEvent, TickEvent } from '../supervise/events.js';

export interface Formatter {
  tick(e: TickEvent): string;
  run(e: RunEvent): string;
  attempt(e: AttemptEvent): string;
  giveUp(e: GiveUpEvent): string;
  skip(e: SkipEvent): string;
  clockStep(e: ClockStepEvent): string;
  state(e: StateEvent): string;
  missed(e: MissedEvent): string;
  catchUp(e: CatchUpEvent): string;
  problem(e: ProblemEvent): string;
}
