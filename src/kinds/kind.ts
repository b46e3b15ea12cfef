// What a kind of schedule is: how its words become the schedule part of a spec, what it arms on
// the loop, and how it reads in a plan. Each kind is one module in this folder.
import { formatDuration } from '../grammar/duration.js';
import { formatInstant, formatLocalInstant, formatZoned } from '../grammar/time.js';
import type { TimerOptions } from '../loop/loop.js';
import type { ClockName } from '../native/clocks.js';
import type { OverlapPolicy } from '../exec/overlap.js';
import type { ParsedWords } from '../grammar/words.js';
import type { TimerCommand } from '../grammar/options.js';
import type { Backoff } from '../grammar/backoff.js';

export interface TimerSpec {
  name: string;
  kind: TimerCommand;
  clock: ClockName;
  // First expiration: relative to arming (delayNs), or an absolute wall-clock instant (atNs,
  // ns since the epoch on CLOCK_REALTIME).
  delayNs?: bigint;
  atNs?: bigint;
  intervalNs: bigint;
  // once infinity: no expiration ever (it waits until stopped).
  forever?: boolean;
  // every --align: the first expiration is on the local wall-clock grid of the interval.
  align?: boolean;
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
  keepGoing?: boolean;
  // The command is the terminal's foreground job, in timerstack's own group (--foreground).
  foreground?: boolean;
  chdir?: string;
  lock?: string;
  command?: string[];
  // retry: how many attempts at most (undefined: as many as --for allows), and the waits.
  attempts?: number;
  backoff?: Backoff;
  // The IANA zone of its wall-clock times: a calendar schedule, --align, a TIME (--tz).
  zone?: string;
  // A schedule computed one elapse at a time (cron, calendar, --align by days): see ScheduleRule.
  rule?: ScheduleRule;
  // --persistent: the file that keeps the instant of the last run.
  persistent?: string;
  // Text given to the command on its standard input (a crontab line's % part).
  input?: string;
  // The shell for --shell (a crontab's SHELL=; default /bin/sh).
  shellPath?: string;
  // Variables added to the command's environment (a crontab's NAME=value lines, or --env).
  env?: Record<string, string>;
}

// A schedule computed one elapse at a time: the elapse strictly after a given instant (ns since
// the epoch, on CLOCK_REALTIME), or undefined when there is none.
export interface ScheduleRule {
  readonly kind: 'cron' | 'calendar' | 'align';
  // As given, and as normalized for plans (systemd's normalized form for calendar).
  readonly source: string;
  readonly normalized: string;
  readonly zone: string;
  next(afterNs: bigint): bigint | undefined;
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
  // The positional's name in messages: DURATION, INTERVAL, TIME ('' for a kind without one).
  readonly argName: string;
  // The clock when --clock is not given.
  readonly defaultClock: ClockName;
  // A lone timer of this kind ends with its command's status, and shows a countdown on a terminal.
  readonly single: boolean;
  // Fills the schedule part of `spec` (first expiration, interval, limits) from the words.
  build(words: ParsedWords, raw: string, spec: TimerSpec, ctx: SpecContext): void;
  // What the loop arms for it; undefined when the schedule has no elapse ahead at all.
  timer(spec: TimerSpec): TimerOptions | undefined;
  // Its schedule in a plan line ("first in 5s, then every 5s") and in a plan object.
  plan(spec: TimerSpec): SchedulePlan;
  // Its schedule as a systemd .timer unit runs it; a UsageError says why it cannot be. A kind
  // without this hook is refused by `timerstack export systemd`.
  systemd?(spec: TimerSpec): SystemdSchedule;
  // Its schedule as a Kubernetes CronJob's; a UsageError says why it cannot be. A kind without
  // this hook is refused by `timerstack export kubernetes`.
  cronSchedule?(spec: TimerSpec): CronSchedule;
}

// The schedule lines of a .timer unit: monotonic spans (ns) or calendar expressions.
export interface SystemdSchedule {
  // OnActiveSec=: the first elapse, after the timer unit is started.
  onActiveNs?: bigint;
  // OnUnitActiveSec=: each further elapse, after the service last started.
  onUnitActiveNs?: bigint;
  // OnCalendar= expressions; the timer elapses whenever any of them does.
  onCalendar?: string[];
}

// A CronJob's schedule: five cron fields, read in `timeZone` (an IANA name; absent: the zone of
// the cluster's controller manager).
export interface CronSchedule {
  schedule: string;
  timeZone?: string;
}

export interface SchedulePlan {
  text: string;
  json: Record<string, unknown>;
}

// The loop's options for a schedule of a first expiration (relative or absolute) and a period,
// or, with a rule, an absolute first elapse and each next one computed from the one that fired.
export function fixedTimer(spec: TimerSpec): TimerOptions | undefined {
  const options: TimerOptions = { name: spec.name, clock: spec.clock };
  if (spec.rule) {
    if (spec.atNs === undefined) return undefined;
    const rule = spec.rule;
    return { ...options, at: spec.atNs, next: (prev) => rule.next(prev) };
  }
  options.interval = spec.intervalNs;
  if (spec.atNs !== undefined) options.at = spec.atNs;
  else options.delay = spec.delayNs ?? spec.intervalNs;
  return options;
}

// The plan of a fixed schedule: its first expiration (relative or absolute) and its period.
export function fixedPlan(spec: TimerSpec): SchedulePlan {
  if (spec.rule) return rulePlan(spec, spec.rule);
  const absolute = spec.atNs !== undefined;
  const first = absolute ? `at ${formatLocalInstant(spec.atNs!, spec.zone)}` : `in ${formatDuration(spec.delayNs ?? spec.intervalNs)}`;
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

// The plan of a computed schedule: its rule, its zone and its first elapse.
function rulePlan(spec: TimerSpec, rule: ScheduleRule): SchedulePlan {
  const first = spec.atNs === undefined ? 'never elapses' : `first at ${formatZoned(spec.atNs, rule.zone)}`;
  const what = rule.kind === 'align' ? rule.normalized : `${rule.kind} ${JSON.stringify(rule.normalized)}`;
  return {
    text: `${what} in ${rule.zone}, ${first}`,
    json: {
      absolute: true,
      expression: rule.source,
      normalized: rule.normalized,
      zone: rule.zone,
      first_time: spec.atNs === undefined ? null : formatInstant(spec.atNs),
      first_local: spec.atNs === undefined ? null : formatZoned(spec.atNs, rule.zone),
    },
  };
}
