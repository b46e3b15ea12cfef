// What a kind of schedule is: how its words become the schedule part of a spec, what it arms on
// the loop, and how it reads in a plan. Each kind is one module in this folder.
import { formatDuration } from '../grammar/duration.js';
import { formatInstant } from '../grammar/time.js';
import type { TimerOptions } from '../loop/loop.js';
import type { ClockName } from '../native/clocks.js';
import type { OverlapPolicy } from '../exec/overlap.js';
import type { ParsedWords } from '../grammar/words.js';
import type { TimerCommand } from '../grammar/options.js';

export interface TimerSpec {
  name: string;
  kind: TimerCommand;
  clock: ClockName;
  // First expiration: relative to arming (delayNs), or an absolute wall-clock instant (atNs,
  // ns since the epoch on CLOCK_REALTIME).
  delayNs?: bigint;
  atNs?: bigint;
  intervalNs: bigint;
  count?: number;
  forNs?: bigint;
  untilNs?: bigint;
  jitterNs: bigint;
  overlap: OverlapPolicy;
  timeoutNs?: bigint;
  // What --timeout sends (--signal; SIGTERM when not given).
  timeoutSignal?: NodeJS.Signals;
  killAfterNs: bigint;
  shell: boolean;
  failFast: boolean;
  // Go on when the first run cannot start (--keep-going).
  keepGoing: boolean;
  // The command is the terminal's foreground job, in timerstack's own group (--foreground).
  foreground: boolean;
  chdir?: string;
  // --env NAME=VALUE, in order.
  env: Array<readonly [string, string]>;
  lock?: string;
  command?: string[];
}

// Wall-clock now and the local zone's offset, read together by the caller (the one impure input
// of building specs).
export interface WallNow {
  // Wall-clock now, ns since the epoch.
  nowNs: bigint;
  // Local time's offset from UTC in ns (east positive), for --align.
  utcOffsetNs: bigint;
}

export interface SpecContext extends WallNow {
  // Name when --name is not given.
  defaultName: string;
}

export interface Kind {
  readonly name: TimerCommand;
  // The positional's name in messages: DURATION, INTERVAL, TIME.
  readonly argName: string;
  // The clock when --clock is not given.
  readonly defaultClock: ClockName;
  // A lone timer of this kind ends with its command's status, and shows a countdown on a terminal.
  readonly single: boolean;
  // Fills the schedule part of `spec` (first expiration, interval, limits) from the words.
  build(words: ParsedWords, raw: string, spec: TimerSpec, ctx: SpecContext): void;
  // What the loop arms for it.
  timer(spec: TimerSpec): TimerOptions;
  // Its schedule in a plan line ("first in 5s, then every 5s") and in a plan object.
  plan(spec: TimerSpec): SchedulePlan;
}

export interface SchedulePlan {
  text: string;
  json: Record<string, unknown>;
}

// The loop's options for a schedule of a first expiration (relative or absolute) and a period.
export function fixedTimer(spec: TimerSpec): TimerOptions {
  const options: TimerOptions = { name: spec.name, clock: spec.clock, interval: spec.intervalNs };
  if (spec.atNs !== undefined) options.at = spec.atNs;
  else options.delay = spec.delayNs ?? spec.intervalNs;
  return options;
}

// The plan of a fixed schedule: its first expiration (relative or absolute) and its period.
export function fixedPlan(spec: TimerSpec): SchedulePlan {
  const absolute = spec.atNs !== undefined;
  const first = absolute ? `at ${formatInstant(spec.atNs!)}` : `in ${formatDuration(spec.delayNs ?? spec.intervalNs)}`;
  const then = spec.intervalNs > 0n ? `, then every ${formatDuration(spec.intervalNs)}` : '';
  return {
    text: `first ${first}${then}`,
    json: {
      absolute,
      value_ns: String(absolute ? spec.atNs : (spec.delayNs ?? spec.intervalNs)),
      interval_ns: String(spec.intervalNs),
      ...(absolute ? { first_time: formatInstant(spec.atNs!) } : {}),
    },
  };
}
