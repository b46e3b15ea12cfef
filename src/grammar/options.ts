// Every command and option, defined once as data, each option with the parser of its value. The
// word parser, the spec builder, --help, the shell completion and the man-page test all read
// this table; nothing else knows an option's name, type or choices.
import { UsageError } from '../errors.js';
import { CLOCK_NAMES } from '../native/clocks.js';
import { OVERLAP_POLICIES } from '../exec/overlap.js';
import { parseDuration } from './duration.js';
import { quote } from './quote.js';
import { constants as osConstants } from 'node:os';

const osSignals = osConstants.signals;

export type CommandName = 'once' | 'every' | 'at' | 'run' | 'completion';
export type TimerCommand = 'once' | 'every' | 'at';

export type OptionType = 'duration' | 'time' | 'count' | 'choice' | 'string' | 'flag' | 'signal';

export interface OptionDef<T = unknown> {
  name: string;
  short?: string;
  type: OptionType;
  arg?: string;
  choices?: readonly string[];
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

export interface CommandDef {
  name: CommandName;
  usage: string;
  positional?: { name: string; describe: string };
  describe: string;
  examples: ReadonlyArray<readonly [string, string]>;
}

export const CLOCK_CHOICES = CLOCK_NAMES;
export const OVERLAP_CHOICES = OVERLAP_POLICIES;
export const LATE_CHOICES = ['error', 'run'] as const;

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

const TIMERS = ['once', 'every', 'at'] as const;
const TIMERS_AND_RUN = ['once', 'every', 'at', 'run'] as const;

export const COMMANDS: readonly CommandDef[] = [
  {
    name: 'once',
    usage: 'once DURATION [options] [-- COMMAND [ARG...]]',
    positional: { name: 'DURATION', describe: 'how long to wait; 0 fires at once' },
    describe: 'Wait DURATION, report one event (or run COMMAND and exit with its status).',
    examples: [
      ['timerstack once 10s && make deploy', 'a countdown on a terminal, a plain wait in scripts'],
      ['timerstack once 1h30m -- notify-send "tea"', 'run a command when the time is up'],
    ],
  },
  {
    name: 'every',
    usage: 'every INTERVAL [options] [-- COMMAND [ARG...]]',
    positional: { name: 'INTERVAL', describe: 'the period; the first expiration comes after one interval' },
    describe: 'Report (or run COMMAND) on every expiration of a drift-free periodic timer.',
    examples: [
      ['timerstack every 5s -- ./backup.sh', 'drift-free, overlap-safe periodic runs'],
      ['timerstack every 1s --json | jq .tick', 'events as NDJSON in a pipeline'],
      ['timerstack every 1m --align --count 60 -- date', 'at :00 of each minute, 60 times'],
    ],
  },
  {
    name: 'at',
    usage: 'at TIME [options] [-- COMMAND [ARG...]]',
    positional: { name: 'TIME', describe: 'HH:MM[:SS[.frac]] (today or tomorrow), ISO 8601, or @EPOCH' },
    describe: 'Fire at a wall-clock time; re-armed for the same instant if the clock is stepped.',
    examples: [
      ['timerstack at 18:00 -- notify-send "go home"', 'today at 18:00, or tomorrow if that is past'],
      ['timerstack at 2030-12-01T09:00:00Z --dry-run', 'show the plan without arming anything'],
    ],
  },
  {
    name: 'run',
    usage: 'run FILE|- [options]',
    positional: { name: 'FILE', describe: 'a table of timers, one per line (- reads standard input)' },
    describe: 'Serve a table of timers, one per line, from one process.',
    examples: [
      ['timerstack run timers.txt', 'every line is "name: once|every|at SPEC [options] [-- COMMAND]"'],
      ['timerstack run timers.txt --check', 'validate the table and print the plan'],
    ],
  },
  {
    name: 'completion',
    usage: 'completion [bash|zsh]',
    describe: 'Print a shell completion script (add `source <(timerstack completion)` to ~/.bashrc).',
    examples: [['timerstack completion zsh > ~/.zfunc/_timerstack', 'completion for zsh']],
  },
];

function option<T>(def: OptionDef<T>): OptionDef<T> {
  return def;
}

export const COUNT = option({ name: 'count', type: 'count', arg: 'N', commands: ['every'], scope: 'timer', describe: 'stop after N expirations', parse: positiveCount });
export const FOR = option({ name: 'for', type: 'duration', arg: 'DURATION', commands: ['every'], scope: 'timer', describe: 'stop after DURATION', parse: parseDuration });
export const UNTIL = option({ name: 'until', type: 'time', arg: 'TIME', commands: ['every'], scope: 'timer', describe: 'stop at wall-clock TIME', parse: text });
export const AFTER = option({ name: 'after', type: 'duration', arg: 'DELAY', commands: ['every'], scope: 'timer', describe: 'first expiration after DELAY (0 = at once) instead of one interval', parse: parseDuration });
export const ALIGN = option({ name: 'align', type: 'flag', commands: ['every'], scope: 'timer', describe: 'fire on local wall-clock multiples of the interval (every 1m: at :00)', parse: flag });
export const CLOCK = option({ name: 'clock', type: 'choice', arg: 'CLOCK', choices: CLOCK_CHOICES, commands: TIMERS, scope: 'timer', describe: 'the timer\'s clock: monotonic (default; realtime for at and --align), boottime (counts during suspend), realtime, or the -alarm clocks (wake the machine; need CAP_WAKE_ALARM)', parse: choice('clock', CLOCK_CHOICES) });
export const LATE = option({ name: 'late', type: 'choice', arg: 'POLICY', choices: LATE_CHOICES, commands: ['at'], scope: 'timer', describe: 'a TIME already past: error (default) or run now', parse: choice('policy', LATE_CHOICES) });
export const JITTER = option({ name: 'jitter', type: 'duration', arg: 'DURATION', commands: TIMERS, scope: 'timer', describe: 'delay each expiration\'s event or run by a random time up to DURATION', parse: parseDuration });
export const OVERLAP = option({ name: 'overlap', type: 'choice', arg: 'POLICY', choices: OVERLAP_CHOICES, commands: ['every'], scope: 'timer', describe: 'a tick while the command still runs: skip (default, reported), queue, parallel, restart', parse: choice('policy', OVERLAP_CHOICES) });
export const TIMEOUT = option({ name: 'timeout', type: 'duration', arg: 'DURATION', commands: TIMERS, scope: 'timer', describe: 'SIGTERM a run (and its process group) after DURATION', parse: parseDuration });
export const KILL_AFTER = option({ name: 'kill-after', type: 'duration', arg: 'DURATION', commands: TIMERS, scope: 'timer', describe: 'SIGKILL a process group still running DURATION after its SIGTERM (--timeout, --overlap restart, a relayed signal; default 10s)', parse: parseDuration });
export const SHELL = option({ name: 'shell', type: 'flag', commands: TIMERS, scope: 'timer', describe: 'run COMMAND as one string through sh -c (never a shell otherwise)', parse: flag });
export const FAIL_FAST = option({ name: 'fail-fast', type: 'flag', commands: ['every'], scope: 'timer', describe: 'stop at the first failing run and exit with its status', parse: flag });
export const SIGNAL = option({ name: 'signal', short: 's', type: 'signal', arg: 'SIGNAL', commands: TIMERS, scope: 'timer', describe: 'the signal --timeout sends (default TERM; a name such as INT or HUP, or a number)', parse: signalName });
export const FOREGROUND = option({ name: 'foreground', type: 'flag', commands: TIMERS, scope: 'timer', describe: 'as in timeout(1): the command stays in timerstack\'s process group, the terminal\'s foreground job, and may read the terminal; only the command is signalled, not what it starts', parse: flag });
export const CHDIR = option({ name: 'chdir', type: 'string', arg: 'DIR', commands: TIMERS, scope: 'timer', describe: 'run the command in directory DIR', parse: nonEmpty('DIR') });
export const ENV = option({ name: 'env', type: 'string', arg: 'NAME=VALUE', commands: TIMERS, scope: 'timer', repeatable: true, describe: 'set a variable in the command\'s environment (repeatable)', parse: envAssignment });
export const LOCK = option({ name: 'lock', type: 'string', arg: 'FILE', commands: TIMERS, scope: 'timer', describe: 'hold an exclusive flock on FILE for each run (created if missing); a tick whose run cannot take it is skipped and reported (locked)', parse: nonEmpty('FILE') });
export const KEEP_GOING = option({ name: 'keep-going', type: 'flag', commands: ['every'], scope: 'timer', describe: 'go on even when the first run cannot start (127 not found, 126 not executable); without it, every stops with that status', parse: flag });
export const NAME = option({ name: 'name', type: 'string', arg: 'NAME', commands: TIMERS, scope: 'timer', describe: 'the timer\'s name in events and TIMERSTACK_TIMER (default: timer; in run files, the name before the colon or line-N)', parse: text });
export const JSON_OUTPUT = option({ name: 'json', type: 'flag', commands: TIMERS_AND_RUN, scope: 'process', describe: 'events as NDJSON, one object per line', parse: flag });
export const QUIET = option({ name: 'quiet', short: 'q', type: 'flag', commands: TIMERS_AND_RUN, scope: 'process', describe: 'no events on stdout (failed runs and skipped ticks still go to stderr)', parse: flag });
export const VERBOSE = option({ name: 'verbose', short: 'v', type: 'flag', commands: TIMERS_AND_RUN, scope: 'process', describe: 'with a command: every tick and run result on stderr', parse: flag });
export const DRY_RUN = option({ name: 'dry-run', short: 'n', type: 'flag', commands: TIMERS, scope: 'process', describe: 'print the plan (clock, first expiration, interval, limits) and arm nothing', parse: flag });
export const INIT = option({ name: 'init', type: 'flag', commands: TIMERS_AND_RUN, scope: 'process', describe: 'act as an init process, as it does when it is PID 1 (in a container): reap every orphan handed to it, even with no command to run', parse: flag });
export const CHECK = option({ name: 'check', type: 'flag', commands: ['run'], scope: 'process', describe: 'validate the table, print the plan, arm nothing', parse: flag });

export const OPTIONS: readonly OptionDef[] = [
  COUNT, FOR, UNTIL, AFTER, ALIGN, CLOCK, LATE, JITTER, OVERLAP, TIMEOUT, KILL_AFTER, SIGNAL, SHELL, FAIL_FAST, KEEP_GOING,
  FOREGROUND, CHDIR, ENV, LOCK, NAME, JSON_OUTPUT, QUIET, VERBOSE, DRY_RUN, INIT, CHECK,
];

export const GLOBAL_OPTIONS: readonly { name: string; short: string; describe: string }[] = [
  { name: 'help', short: 'h', describe: 'show help (timerstack COMMAND --help for one command)' },
  { name: 'version', short: 'V', describe: 'print the version' },
];

export function optionsFor(command: CommandName): OptionDef[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}
