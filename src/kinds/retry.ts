// `retry -- COMMAND`: the first attempt at once, and after each failure a wait that grows by
// --backoff (plus up to --jitter), armed when that attempt has ended. This module holds the rule
// for the waits; supervise/retry.ts runs the attempts, and the loop arms each wait as a one-shot.
import { UsageError } from '../errors.js';
import { DEFAULT_BACKOFF, formatBackoff, formatFactor, type Backoff } from '../grammar/backoff.js';
import { formatDuration } from '../grammar/duration.js';
import { ATTEMPTS, BACKOFF, FOR } from '../grammar/options.js';
import { optionValue } from '../grammar/words.js';
import type { Kind, TimerSpec } from './kind.js';

// Without --attempts and without --for: give up after this many (curl's backoff then waits
// 1+2+…+256 s, about 8.5 minutes in all). With --for, as many as fit in it.
export const DEFAULT_ATTEMPTS = 10;

// How many waits a plan lists before "…".
const PLAN_WAITS = 9;

export const retry: Kind = {
  name: 'retry',
  argName: '',
  defaultClock: 'monotonic',
  single: false,
  build(words, _raw, spec) {
    if (!spec.command) throw new UsageError('retry needs a command after --');
    const forNs = optionValue(words, FOR);
    if (forNs !== undefined) {
      if (forNs === 0n) throw new UsageError('--for: must be greater than 0');
      spec.forNs = forNs;
    }
    spec.backoff = optionValue(words, BACKOFF) ?? DEFAULT_BACKOFF;
    const attempts = optionValue(words, ATTEMPTS) ?? (forNs === undefined ? DEFAULT_ATTEMPTS : undefined);
    if (attempts !== undefined) spec.attempts = attempts;
  },
  // The first attempt: at once.
  timer: (spec) => ({ name: spec.name, clock: spec.clock, delay: 0n }),
  plan(spec) {
    const backoff = backoffOf(spec);
    const listed = planWaits(spec);
    const attempts = spec.attempts === undefined ? 'attempts until --for ends' : `up to ${spec.attempts} ${spec.attempts === 1 ? 'attempt' : 'attempts'}`;
    const then = listed.length === 0 ? '' : `, then after each failure a wait of ${waitsText(spec, listed)}`;
    return {
      text: `${attempts}, the first at once${then}`,
      json: {
        attempts: spec.attempts ?? null,
        backoff: formatBackoff(backoff),
        initial_ns: String(backoff.initialNs),
        factor: formatFactor(backoff),
        max_ns: String(backoff.maxNs),
        waits_ns: listed.map(String),
      },
    };
  },
};

// "1s, 2s, 4s", and how it goes on past the waits listed.
function waitsText(spec: TimerSpec, listed: readonly bigint[]): string {
  const text = listed.map(formatDuration).join(', ');
  if (spec.attempts !== undefined && spec.attempts - 1 <= listed.length) return text;
  const { maxNs } = backoffOf(spec);
  return listed.at(-1) === maxNs ? `${text}, then ${formatDuration(maxNs)} each time` : `${text}, … up to ${formatDuration(maxNs)}`;
}

// The spec's backoff (a spec built elsewhere may lack one).
function backoffOf(spec: TimerSpec): Backoff {
  return spec.backoff ?? DEFAULT_BACKOFF;
}

// The wait (before jitter) after the wait `prev`, or the first one: each is the one before times
// FACTOR, rounded down to the nanosecond, and never more than MAX.
export function nextWait(backoff: Backoff, prev: bigint | undefined): bigint {
  if (prev === undefined) return backoff.initialNs;
  const next = (prev * backoff.factorNum) / backoff.factorDen;
  return next > backoff.maxNs ? backoff.maxNs : next;
}

// A wait with its jitter: a random time below --jitter added (`random` in [0, 1)).
export function jittered(waitNs: bigint, jitterNs: bigint, random: () => number): bigint {
  if (jitterNs === 0n) return waitNs;
  return waitNs + BigInt(Math.floor(random() * Number(jitterNs)));
}

// The first waits of a plan (before jitter): as many as the attempts need, at most PLAN_WAITS,
// and for an unlimited number no further than the first that reaches MAX.
export function planWaits(spec: TimerSpec): bigint[] {
  const backoff = backoffOf(spec);
  const limit = spec.attempts === undefined ? PLAN_WAITS : Math.min(spec.attempts - 1, PLAN_WAITS);
  const waits: bigint[] = [];
  for (let wait = nextWait(backoff, undefined); waits.length < limit; wait = nextWait(backoff, wait)) {
    waits.push(wait);
    if (spec.attempts === undefined && wait >= backoff.maxNs) break;
  }
  return waits;
}
