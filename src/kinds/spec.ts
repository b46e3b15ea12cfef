// Parsed words → TimerSpec: the options every timer shares, then its kind's own part. Every
// value checked and converted by the option table's parsers; nothing armed. Pure: the wall clock
// and the local zone offset come in as arguments.
import { UsageError } from '../errors.js';
import { CLOCK, FAIL_FAST, JITTER, KILL_AFTER, NAME, OVERLAP, SHELL, TIMEOUT, TIMER_COMMANDS, type TimerCommand } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { optionValue, type ParsedWords } from '../grammar/words.js';
import { kindOf } from './index.js';
import type { SpecContext, TimerSpec } from './kind.js';

export type { SpecContext, TimerSpec } from './kind.js';
export { alignedDelay } from './every.js';

export const DEFAULT_KILL_AFTER_NS = 10_000_000_000n;

// Options that only make sense with a command after `--`.
const COMMAND_ONLY = [TIMEOUT, KILL_AFTER, OVERLAP, FAIL_FAST] as const;

export function buildSpec(words: ParsedWords, ctx: SpecContext): TimerSpec {
  const command = words.command;
  if (!(TIMER_COMMANDS as readonly string[]).includes(command)) throw new UsageError(`${command} is not a timer command`);
  const kind = kindOf(command as TimerCommand);
  if (words.positional === undefined) throw new UsageError(`${command}: missing ${kind.argName}`);
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
  if (spec.name === '' || /[\s\0]/.test(spec.name)) throw new UsageError(`--name: ${quote(spec.name)} must be non-empty, without spaces`);
  commandPart(words, spec);
  kind.build(words, words.positional, spec, ctx);
  return spec;
}

// The command after `--` and the options that need one.
function commandPart(words: ParsedWords, spec: TimerSpec): void {
  const timeout = optionValue(words, TIMEOUT);
  if (timeout !== undefined) {
    if (timeout === 0n) throw new UsageError('--timeout: must be greater than 0');
    spec.timeoutNs = timeout;
  }
  if (words.argv) spec.command = words.argv;
  if (spec.shell && !spec.command) throw new UsageError('--shell needs a command after --');
  for (const def of COMMAND_ONLY) {
    if (words.options.has(def.name) && !spec.command) throw new UsageError(`--${def.name} needs a command after --`);
  }
}
