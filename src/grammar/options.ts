// Every command and option, defined once as data, each option with the parser of its value. The
// word parser, the spec builder, --help, the shell completion and the man-page test all read
// this table; nothing else knows an option's name, type or choices.
import { UsageError } from '../errors.js';
import { CLOCK_NAMES } from '../native/clocks.js';
import { OVERLAP_POLICIES } from '../exec/overlap.js';
import { parseBackoff } from './backoff.js';
import { parseDuration } from './duration.js';
import { timerName } from './name.js';
import { quote } from './quote.js';
import { constants as osConstants } from 'node:os';
import { checkZone } from './zone.js';
import type { CommandName, TimerCommand } from './commands.js';

export { COMMANDS, type CommandDef, type CommandName, type TimerCommand } from './commands.js';

// The timers of a schedule: what a run table line and `next` take (retry runs one command until
// it succeeds, on the command line only).
export const TIMER_COMMANDS: readonly TimerCommand[] = ['once', 'every', 'at', 'cron', 'calendar'];

const osSignals = osConstants.signals;

export type OptionType = 'duration' | 'time' | 'count' | 'choice' | 'string' | 'zone' | 'file' | 'flag' | 'signal';

export interface OptionDef<T = unknown> {
  name: string;
  short?: string;
  type: OptionType;
  arg?: string;
  choices?: readonly string[];
  // Where a command accepts only some of the choices (at: the wall clocks), and says so.
  choicesFor?: Partial<Record<CommandName, readonly string[]>>;
  describeFor?: Partial<Record<CommandName, string>>;
  // Commands that accept it. Timer options are per timer (and allowed in `run` table lines);
  // process options shape the whole process's output (command line only).
  commands: readonly CommandName[];
  scope: 'timer' | 'process';
  // Given more than once, every value counts (--env A=1 --env B=2); else the last one does.
  repeatable?: boolean;
  describe: string;
  // The value from its text; throws a UsageError that does not name the option (the caller
  // prefixes "--name: "). A time is parsed where the clock is known, so its parser keeps the text.
  parse: (text: string) => T;
}


export const CLOCK_CHOICES = CLOCK_NAMES;
export const OVERLAP_CHOICES = OVERLAP_POLICIES;
export const LATE_CHOICES = ['error', 'run'] as const;
// at fires at a wall-clock instant: only the wall clocks.
export const AT_CLOCKS = ['realtime', 'realtime-alarm'] as const;
export const COLOR_CHOICES = ['auto', 'always', 'never'] as const;
export type ColorWhen = (typeof COLOR_CHOICES)[number];

export type { ClockName } from '../native/clocks.js';
export type { OverlapPolicy } from '../exec/overlap.js';

// "a, b or c", for error messages.
export function oneOf(choices: readonly string[]): string {
  return `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

const text = (value: string): string => value;
const flag = (): true => true;

// A parser that accepts one of `choices`, named `what` in its refusal.
function choice<C extends string>(what: string, choices: readonly C[]): (value: string) => C {
  return (value) => {
    if ((choices as readonly string[]).includes(value)) return value as C;
    throw new UsageError(`unknown ${what} ${quote(value)} (use ${oneOf(choices)})`);
  };
}

// A positive integer of up to 15 digits (leading zeros allowed).
function positiveCount(value: string): number {
  if (!/^[0-9]+$/.test(value) || /^0+$/.test(value) || value.replace(/^0+/, '').length > 15) {
    throw new UsageError(`must be a positive integer (got ${quote(value)})`);
  }
  return Number(value);
}

// --signal: a name with or without SIG, in any case, or a number (TERM, SIGterm, 15).
function signalName(value: string): NodeJS.Signals {
  const known = osSignals as Readonly<Record<string, number>>;
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    const name = Object.keys(known).find((k) => known[k] === n);
    if (name && n > 0) return name as NodeJS.Signals;
  } else {
    const name = `SIG${value.toUpperCase().replace(/^SIG/, '')}`;
    if (known[name] !== undefined) return name as NodeJS.Signals;
  }
  throw new UsageError(`unknown signal ${quote(value)} (use a name such as TERM, INT, HUP, KILL, or a number)`);
}

// --env NAME=VALUE: a shell-style variable name, then anything.
function envAssignment(value: string): readonly [string, string] {
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`${quote(value)} is not NAME=VALUE (a name of letters, digits and _, not starting with a digit)`);
  if (/^TIMERSTACK_(TIMER|TICK|EXPIRATIONS|SCHEDULED)$/.test(name)) throw new UsageError(`${name} is set by timerstack for each run`);
  return [name, value.slice(eq + 1)];
}

function nonEmpty(what: string): (value: string) => string {
  return (value) => {
    if (value === '') throw new UsageError(`${what} must not be empty`);
    return value;
  };
}

const TIMERS = ['once', 'every', 'at', 'cron', 'calendar'] as const;
const TIMERS_AND_RUN = [...TIMERS, 'run'] as const;
const TIMERS_AND_RETRY = [...TIMERS, 'retry'] as const;
const ALL_BUT_COMPLETION = [...TIMERS, 'retry', 'run'] as const;
// Kinds that repeat, and the ones on the wall-clock calendar.
const REPEATING = ['every', 'cron', 'calendar'] as const;
const CALENDAR = ['cron', 'calendar'] as const;

// An IANA time zone name, as Intl knows it.
function zoneName(value: string): string {
  return checkZone(value);
}


function option<T>(def: OptionDef<T>): OptionDef<T> {
  return def;
}

export const COUNT = option({ name: 'count', type: 'count', arg: 'N', commands: REPEATING, scope: 'timer', describe: 'stop after N expirations', parse: positiveCount });
export const FOR = option({ name: 'for', type: 'duration', arg: 'DURATION', commands: [...REPEATING, 'retry'], scope: 'timer', describe: 'stop after DURATION (retry: give up after DURATION, a running attempt included: status 124)', parse: parseDuration });
export const UNTIL = option({ name: 'until', type: 'time', arg: 'TIME', commands: REPEATING, scope: 'timer', describe: 'stop at wall-clock TIME', parse: text });
export const AFTER = option({ name: 'after', type: 'duration', arg: 'DELAY', commands: ['every'], scope: 'timer', describe: 'first expiration after DELAY (0 = at once) instead of one interval', parse: parseDuration });
export const ALIGN = option({ name: 'align', type: 'flag', commands: ['every'], scope: 'timer', describe: 'fire on local wall-clock multiples of the interval (every 1m: at :00)', parse: flag });
export const CLOCK = option({ name: 'clock', type: 'choice', arg: 'CLOCK', choices: CLOCK_CHOICES, choicesFor: { at: AT_CLOCKS }, describeFor: { at: 'the wall clock the time is on: realtime (default), or realtime-alarm (wakes the machine; needs CAP_WAKE_ALARM)' }, commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'the timer\'s clock: monotonic (default; realtime for at, cron, calendar and --align), boottime (counts during suspend), realtime, or the -alarm clocks (wake the machine; need CAP_WAKE_ALARM)', parse: choice('clock', CLOCK_CHOICES) });
export const LATE = option({ name: 'late', type: 'choice', arg: 'POLICY', choices: LATE_CHOICES, commands: ['at'], scope: 'timer', describe: 'a TIME already past: error (default) or run now', parse: choice('policy', LATE_CHOICES) });
export const JITTER = option({ name: 'jitter', type: 'duration', arg: 'DURATION', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'delay each expiration\'s event or run by a random time up to DURATION (retry: add it to each wait)', parse: parseDuration });
export const OVERLAP = option({ name: 'overlap', type: 'choice', arg: 'POLICY', choices: OVERLAP_CHOICES, commands: REPEATING, scope: 'timer', describe: 'a tick while the command still runs: skip (default, reported), queue, parallel, restart', parse: choice('policy', OVERLAP_CHOICES) });
export const TIMEOUT = option({ name: 'timeout', type: 'duration', arg: 'DURATION', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'SIGTERM a run (and its process group) after DURATION', parse: parseDuration });
export const KILL_AFTER = option({ name: 'kill-after', type: 'duration', arg: 'DURATION', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'SIGKILL a process group still running DURATION after its SIGTERM (--timeout, --overlap restart, a relayed signal; default 10s)', parse: parseDuration });
export const SHELL = option({ name: 'shell', type: 'flag', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'run COMMAND as one string through sh -c (never a shell otherwise)', parse: flag });
export const FAIL_FAST = option({ name: 'fail-fast', type: 'flag', commands: REPEATING, scope: 'timer', describe: 'stop at the first failing run and exit with its status', parse: flag });
export const SIGNAL = option({ name: 'signal', short: 's', type: 'signal', arg: 'SIGNAL', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'the signal --timeout sends (default TERM; a name such as INT or HUP, or a number)', parse: signalName });
export const TZ = option({ name: 'tz', type: 'zone', arg: 'ZONE', commands: ['at', 'every', ...CALENDAR, 'next'], scope: 'timer', describe: 'the IANA time zone of wall-clock times, --align and calendar schedules (default: the local zone, TZ)', parse: zoneName });
export const PERSISTENT = option({ name: 'persistent', type: 'file', arg: 'FILE', commands: CALENDAR, scope: 'timer', describe: 'keep the last run\'s instant in FILE; an elapse missed while timerstack was not running runs once at start', parse: text });
export const KEEP_GOING = option({ name: 'keep-going', type: 'flag', commands: REPEATING, scope: 'timer', describe: 'go on even when the first run cannot start (127 not found, 126 not executable); without it, every stops with that status', parse: flag });
export const FOREGROUND = option({ name: 'foreground', type: 'flag', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'as in timeout(1): the command stays in timerstack\'s process group, the terminal\'s foreground job, and may read the terminal; only the command is signalled, not what it starts', parse: flag });
export const CHDIR = option({ name: 'chdir', type: 'string', arg: 'DIR', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'run the command in directory DIR', parse: nonEmpty('DIR') });
export const ENV = option({ name: 'env', type: 'string', arg: 'NAME=VALUE', commands: TIMERS_AND_RETRY, scope: 'timer', repeatable: true, describe: 'set a variable in the command\'s environment (repeatable)', parse: envAssignment });
export const LOCK = option({ name: 'lock', type: 'string', arg: 'FILE', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'hold an exclusive flock on FILE for each run (created if missing); a tick whose run cannot take it is skipped and reported (locked)', parse: nonEmpty('FILE') });
export const NAME = option({ name: 'name', type: 'string', arg: 'NAME', commands: TIMERS_AND_RETRY, scope: 'timer', describe: 'the timer\'s name in events and TIMERSTACK_TIMER: letters, digits, _ . - (default: timer; in run files, the name before the colon or line-N)', parse: (value) => timerName(value) });
export const JSON_OUTPUT = option({ name: 'json', type: 'flag', commands: [...ALL_BUT_COMPLETION, 'next'], scope: 'process', describe: 'events as NDJSON, one object per line', parse: flag });
export const QUIET = option({ name: 'quiet', short: 'q', type: 'flag', commands: ALL_BUT_COMPLETION, scope: 'process', describe: 'no events on stdout and no failed-run lines (the status speaks; skipped ticks still go to stderr)', parse: flag });
export const VERBOSE = option({ name: 'verbose', short: 'v', type: 'flag', commands: ALL_BUT_COMPLETION, scope: 'process', describe: 'with a command: every tick and run result on stderr', parse: flag });
export const DRY_RUN = option({ name: 'dry-run', short: 'n', type: 'flag', commands: TIMERS_AND_RETRY, scope: 'process', describe: 'print the plan (clock, first expiration, interval, limits) and arm nothing', parse: flag });
export const ITERATIONS = option({ name: 'iterations', short: 'n', type: 'count', arg: 'N', commands: ['next'], scope: 'process', describe: 'how many expirations to print (default 5)', parse: positiveCount });
export const FROM = option({ name: 'from', type: 'time', arg: 'TIME', commands: ['next'], scope: 'process', describe: 'print the expirations strictly after TIME (default: now)', parse: text });
export const METRICS = option({ name: 'metrics', type: 'string', arg: 'ADDR', commands: TIMERS_AND_RUN, scope: 'process', describe: 'serve Prometheus metrics over HTTP at ADDR: PORT or HOST:PORT on a loopback address (127.0.0.1:9464), unix:PATH, or public:HOST:PORT for any other address', parse: text });
export const LEAN = option({ name: 'lean', type: 'flag', commands: ALL_BUT_COMPLETION, scope: 'process', describe: 'no warm-up wake before each deadline: the least CPU (10–60 µs less per tick than the default), each tick 1.3–2.5x as late as a C loop\'s beside it (p50, measured) and a longer tail', parse: flag });
export const PRECISE = option({ name: 'precise', type: 'flag', commands: ALL_BUT_COMPLETION, scope: 'process', describe: 'wake 300 µs before each deadline 2 ms or more away and spin to it, so the event or the command starts at the deadline (p50 0.4–0.83x a C loop\'s beside it in the bench, against 0.75–1.22x by default); costs 130–300 µs of CPU per tick more than the default (3–6 % of a core at 5 ms)', parse: flag });
export const USER = option({ name: 'user', type: 'flag', commands: ['export'], scope: 'process', describe: 'systemd: units for a user\'s manager (systemctl --user)', parse: flag });
export const DIR = option({ name: 'dir', type: 'string', arg: 'DIR', commands: ['export'], scope: 'process', describe: 'systemd: write the units into DIR (created if missing) instead of standard output', parse: text });
export const IMAGE = option({ name: 'image', type: 'string', arg: 'IMAGE', commands: ['export'], scope: 'process', describe: 'kubernetes: the container image that has the commands (required)', parse: text });
export const NAMESPACE = option({ name: 'namespace', type: 'string', arg: 'NS', commands: ['export'], scope: 'process', describe: 'kubernetes: the namespace of the CronJobs', parse: text });
export const ATTEMPTS = option({ name: 'attempts', type: 'count', arg: 'N', commands: ['retry'], scope: 'timer', describe: 'give up after N attempts (default 10; without limit when --for is given)', parse: positiveCount });
export const BACKOFF = option({ name: 'backoff', type: 'string', arg: 'INITIAL[:FACTOR[:MAX]]', commands: ['retry'], scope: 'timer', describe: 'the wait after the first failure, what each wait is multiplied by, and the longest wait (default 1s:2:10m)', parse: parseBackoff });
export const WATCH = option({ name: 'watch', type: 'flag', commands: ['every'], scope: 'process', describe: 'on a terminal: show COMMAND\'s output full-screen, redrawn on every tick under a header (first run at once)', parse: flag });
export const DIFFERENCES = option({ name: 'differences', type: 'flag', commands: ['every'], scope: 'process', describe: 'with --watch: highlight what changed since the run before', parse: flag });
export const EXIT_ON_CHANGE = option({ name: 'exit-on-change', type: 'flag', commands: ['every'], scope: 'process', describe: 'with --watch: exit 0 when the visible output changes', parse: flag });
export const EXIT_ON_ERROR = option({ name: 'exit-on-error', type: 'flag', commands: ['every'], scope: 'process', describe: 'with --watch: exit when a run fails, with its status', parse: flag });
export const COLOR = option({ name: 'color', type: 'choice', arg: 'WHEN', choices: COLOR_CHOICES, commands: ALL_BUT_COMPLETION, scope: 'process', describe: 'colours: auto (default: on a terminal, unless NO_COLOR is set or FORCE_COLOR says otherwise), always, or never; wins over NO_COLOR and FORCE_COLOR', parse: choice('value', COLOR_CHOICES) });
export const INIT = option({ name: 'init', type: 'flag', commands: ALL_BUT_COMPLETION, scope: 'process', describe: 'act as an init process, as it does when it is PID 1 (in a container): reap every orphan handed to it, even with no command to run', parse: flag });
export const CHECK = option({ name: 'check', short: 'n', type: 'flag', commands: ['run'], scope: 'process', describe: 'validate the table, print the plan, arm nothing', parse: flag });

export const OPTIONS: readonly OptionDef[] = [
  COUNT, FOR, UNTIL, AFTER, ALIGN, CLOCK, LATE, JITTER, OVERLAP, TIMEOUT, KILL_AFTER, SIGNAL, SHELL, FAIL_FAST, KEEP_GOING,
  FOREGROUND, CHDIR, ENV, LOCK, TZ, PERSISTENT, NAME, ATTEMPTS, BACKOFF, JSON_OUTPUT, QUIET, VERBOSE, COLOR, DRY_RUN, WATCH,
  DIFFERENCES, EXIT_ON_CHANGE, EXIT_ON_ERROR, ITERATIONS, FROM, INIT, CHECK, METRICS, LEAN, PRECISE, USER, DIR, IMAGE, NAMESPACE,
];

export const GLOBAL_OPTIONS: readonly { name: string; short: string; describe: string }[] = [
  { name: 'help', short: 'h', describe: 'show help (timerstack COMMAND --help for one command)' },
  { name: 'version', short: 'V', describe: 'print the version' },
];

// The choices of an option as `command` accepts them.
export function choicesOf(o: OptionDef, command: CommandName): readonly string[] | undefined {
  return o.choicesFor?.[command] ?? o.choices;
}

export function optionsFor(command: CommandName): OptionDef[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}
