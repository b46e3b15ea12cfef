// What every export shares: the refusals of what no scheduler it writes for can do, the options
// still to come from the calendar work, and the shape of what an export produces. Pure.
import { UsageError } from '../errors.js';
import type { TimerSpec } from '../kinds/kind.js';

// Where the spec came from and where it would have run.
export interface ExportContext {
  // The directory timerstack runs commands in (relative command paths are resolved against it).
  cwd: string;
  // The timer as it was written (a table line or the command line), for the units' comments.
  source: string;
}

// One file an export writes.
export interface ExportFile {
  name: string;
  text: string;
}

export const MARKER = 'Written by timerstack export';

// The refusals both targets share: no command, the limits, --fail-fast. `target` names the
// scheduler in the reason ("a systemd timer", "a CronJob").
export function checkCommon(spec: TimerSpec, target: string): string[] {
  if (!spec.command) throw new UsageError(`no command after --: ${target} runs a command on each elapse`);
  if (spec.count !== undefined) throw new UsageError(`--count: ${target} has no limit on its number of runs`);
  if (spec.forNs !== undefined) throw new UsageError(`--for: ${target} has no end after a time`);
  if (spec.untilNs !== undefined) throw new UsageError(`--until: ${target} has no end time`);
  if (spec.failFast) throw new UsageError(`--fail-fast: ${target} does not stop after a failed run`);
  return spec.shell ? [spec.shellPath ?? '/bin/sh', '-c', spec.command.join(' ')] : spec.command;
}

// The schedule hook of the spec's kind, or a refusal naming the kind.
export function kindHook<T>(hook: ((spec: TimerSpec) => T) | undefined, spec: TimerSpec, target: string): T {
  if (!hook) throw new UsageError(`${spec.kind}: this kind of timer cannot be exported to ${target} yet`);
  return hook(spec);
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

// Words as one shell line (single quotes where needed), to show where a unit came from.
export function shellWords(words: readonly string[]): string {
  return words.map((w) => (PLAIN_WORD.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
