// Parsed words → TimerSpec: the options every timer shares, then its kind's own part. Every
// value checked and converted by the option table's parsers; nothing armed. Pure: the wall clock
// and the local zone offset come in as arguments.
import { UsageError } from '../errors.js';
import { CHDIR, CLOCK, ENV, FAIL_FAST, FOREGROUND, JITTER, KEEP_GOING, KILL_AFTER, LOCK, NAME, OVERLAP, SHELL, SIGNAL, TIMEOUT, TIMER_COMMANDS, type TimerCommand } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { optionValue, optionValues, type ParsedWords } from '../grammar/words.js';
import { kindOf } from './index.js';
import type { SpecContext, TimerSpec } from './kind.js';

export type { SpecContext, TimerSpec } from './kind.js';
export { alignedDelay } from './every.js';

export const DEFAULT_KILL_AFTER_NS = 10_000_000_000n;

// Options that only make sense with a command after `--`.
const COMMAND_ONLY = [TIMEOUT, KILL_AFTER, SIGNAL, OVERLAP, FAIL_FAST, KEEP_GOING, FOREGROUND, CHDIR, ENV, LOCK] as const;

export function buildSpec(words: ParsedWords, ctx: SpecContext): TimerSpec {
  const command = words.command;
  if (!(TIMER_COMMANDS as readonly string[]).includes(command) && command !== 'retry') throw new UsageError(`${command} is not a timer command`);
  const kind = kindOf(command as TimerCommand);
  if (kind.argName === '' && words.positional !== undefined) {
    throw new UsageError(`${command}: unexpected argument ${quote(words.positional)} (put the command after --)`);
  }
  if (kind.argName !== '' && words.positional === undefined) throw new UsageError(`${command}: missing ${kind.argName}`);
  const spec: TimerSpec = {
    name: optionValue(words, NAME) ?? ctx.defaultName,
    kind: command as TimerCommand,
    clock: optionValue(words, CLOCK) ?? kind.defaultClock,
    intervalNs: 0n,
    jitterNs: optionValue(words, JITTER) ?? 0n,
    overlap: optionValue(words, OVERLAP) ?? 'skip',
    killAfterNs: optionValue(words, KILL_AFTER) ?? DEFAULT_KILL_AFTER_NS,
    shell: optionValue(words, SHELL) ?? false,
    failFast: optionValue(words, FAIL_FAST) ?? false,
  };
  if (optionValue(words, KEEP_GOING)) spec.keepGoing = true;
  if (optionValue(words, FOREGROUND)) spec.foreground = true;
  // --env NAME=VALUE, repeatable: the last one given for a name wins.
  const env = optionValues(words, ENV);
  if (env.length > 0) spec.env = Object.fromEntries(env);
  commandPart(words, spec);
  kind.build(words, words.positional ?? '', spec, ctx);
  return spec;
}

// The command after `--` and the options that need one.
function commandPart(words: ParsedWords, spec: TimerSpec): void {
  const timeout = optionValue(words, TIMEOUT);
  if (timeout !== undefined) {
    if (timeout === 0n) throw new UsageError('--timeout: must be greater than 0');
    spec.timeoutNs = timeout;
  }
  const signal = optionValue(words, SIGNAL);
  if (signal !== undefined) {
    if (timeout === undefined) throw new UsageError('--signal: needs --timeout (it is the signal the timeout sends)');
    spec.timeoutSignal = signal;
  }
  const chdir = optionValue(words, CHDIR);
  if (chdir !== undefined) spec.chdir = chdir;
  const lock = optionValue(words, LOCK);
  if (lock !== undefined) spec.lock = lock;
  if (words.argv) spec.command = words.argv;
  if (spec.shell && !spec.command) throw new UsageError('--shell needs a command after --');
  for (const def of COMMAND_ONLY) {
    if (words.options.has(def.name) && !spec.command) throw new UsageError(`--${def.name} needs a command after --`);
  }
}
