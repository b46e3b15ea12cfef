// Parsed words → TimerSpec: every value checked and converted, nothing armed. Pure: the wall
// clock and the local zone offset come in as arguments.
import { UsageError } from '../errors.js';
import { parseDuration } from './duration.js';
import { parseTime } from './time.js';
import type { ParsedWords } from './words.js';
import { quote } from './words.js';
import { CLOCK_CHOICES, LATE_CHOICES, OVERLAP_CHOICES, type ClockName, type OverlapPolicy, type TimerCommand } from './options.js';


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
  killAfterNs: bigint;
  shell: boolean;
  failFast: boolean;
  command?: string[];
}

export interface SpecContext {
  // Wall-clock now, ns since the epoch.
  nowNs: bigint;
  // Local time's offset from UTC in ns (east positive), for --align.
  utcOffsetNs: bigint;
  // Name when --name is not given.
  defaultName: string;
}

export const DEFAULT_KILL_AFTER_NS = 10_000_000_000n;

// "a, b or c", for error messages.
function oneOf(choices: readonly string[]): string {
  return `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

function prefixed<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${what}: ${err.message}`, err.code);
    throw err;
  }
}

function durationOption(words: ParsedWords, name: string): bigint | undefined {
  const raw = words.options.get(name);
  if (raw === undefined) return undefined;
  return prefixed(`--${name}`, () => parseDuration(String(raw)));
}

// The next local wall-clock multiple of `interval` after now (strictly after), as a delay.
export function alignedDelay(nowNs: bigint, utcOffsetNs: bigint, intervalNs: bigint): bigint {
  const local = nowNs + utcOffsetNs;
  const rem = ((local % intervalNs) + intervalNs) % intervalNs;
  return intervalNs - rem;
}

export function buildSpec(words: ParsedWords, ctx: SpecContext): TimerSpec {
  const kind = words.command;
  if (kind !== 'once' && kind !== 'every' && kind !== 'at') throw new UsageError(`${kind} is not a timer command`);
  const o = words.options;
  const argName = kind === 'once' ? 'DURATION' : kind === 'every' ? 'INTERVAL' : 'TIME';
  if (words.positional === undefined) throw new UsageError(`${kind}: missing ${argName}`);
  const raw = words.positional;

  const clock = (o.get('clock') as ClockName | undefined) ?? (kind === 'at' ? 'realtime' : undefined);
  if (clock !== undefined && !CLOCK_CHOICES.includes(clock)) {
    throw new UsageError(`--clock: unknown clock ${quote(clock)} (use ${oneOf(CLOCK_CHOICES)})`);
  }
  if (kind === 'at' && clock !== 'realtime' && clock !== 'realtime-alarm') {
    throw new UsageError(`--clock: at needs a wall clock (realtime or realtime-alarm), not ${clock}`);
  }
  const overlap = (o.get('overlap') as OverlapPolicy | undefined) ?? 'skip';
  if (!OVERLAP_CHOICES.includes(overlap)) {
    throw new UsageError(`--overlap: unknown policy ${quote(overlap)} (use ${oneOf(OVERLAP_CHOICES)})`);
  }
  const late = String(o.get('late') ?? 'error');
  if (!(LATE_CHOICES as readonly string[]).includes(late)) {
    throw new UsageError(`--late: unknown policy ${quote(late)} (use ${oneOf(LATE_CHOICES)})`);
  }

  const spec: TimerSpec = {
    name: o.has('name') ? String(o.get('name')) : ctx.defaultName,
    kind,
    clock: clock ?? 'monotonic',
    intervalNs: 0n,
    jitterNs: durationOption(words, 'jitter') ?? 0n,
    overlap,
    killAfterNs: durationOption(words, 'kill-after') ?? DEFAULT_KILL_AFTER_NS,
    shell: o.has('shell'),
    failFast: o.has('fail-fast'),
  };
  if (spec.name === '' || /[\s\0]/.test(spec.name)) throw new UsageError(`--name: ${quote(spec.name)} must be non-empty, without spaces`);
  const timeout = durationOption(words, 'timeout');
  if (timeout !== undefined) {
    if (timeout === 0n) throw new UsageError('--timeout: must be greater than 0');
    spec.timeoutNs = timeout;
  }
  if (words.argv) spec.command = words.argv;
  if (spec.shell && !spec.command) throw new UsageError('--shell needs a command after --');
  for (const name of ['timeout', 'kill-after', 'overlap', 'fail-fast'] as const) {
    if (o.has(name) && !spec.command) throw new UsageError(`--${name} needs a command after --`);
  }

  if (kind === 'once') {
    spec.delayNs = prefixed(argName, () => parseDuration(raw));
  } else if (kind === 'every') {
    const interval = prefixed(argName, () => parseDuration(raw));
    if (interval === 0n) throw new UsageError(`INTERVAL: must be greater than 0 (got ${quote(raw)})`);
    spec.intervalNs = interval;
    const after = durationOption(words, 'after');
    if (o.has('align')) {
      if (after !== undefined) throw new UsageError('--align and --after cannot be combined');
      const delay = alignedDelay(ctx.nowNs, ctx.utcOffsetNs, interval);
      if (spec.clock === 'realtime' || spec.clock === 'realtime-alarm' || clock === undefined) {
        spec.clock = clock ?? 'realtime';
        spec.atNs = ctx.nowNs + delay;
      } else {
        spec.delayNs = delay;
      }
    } else {
      spec.delayNs = after ?? interval;
    }
    const count = o.get('count');
    if (count !== undefined) {
      const text = String(count);
      if (!/^[0-9]+$/.test(text) || /^0+$/.test(text) || text.replace(/^0+/, '').length > 15) {
        throw new UsageError(`--count: must be a positive integer (got ${quote(text)})`);
      }
      spec.count = Number(text);
    }
    const forNs = durationOption(words, 'for');
    if (forNs !== undefined) {
      if (forNs === 0n) throw new UsageError('--for: must be greater than 0');
      spec.forNs = forNs;
    }
    const until = o.get('until');
    if (until !== undefined) {
      const t = prefixed('--until', () => parseTime(String(until), ctx.nowNs));
      if (t.instantNs <= ctx.nowNs) throw new UsageError(`--until: ${quote(String(until))} is in the past`);
      spec.untilNs = t.instantNs;
    }
  } else {
    const t = prefixed(argName, () => parseTime(raw, ctx.nowNs));
    if (t.instantNs <= ctx.nowNs) {
      if (late !== 'run') throw new UsageError(`TIME: ${quote(raw)} is in the past (use --late run to run now)`);
      spec.delayNs = 0n;
    } else {
      spec.atNs = t.instantNs;
    }
  }
  return spec;
}
