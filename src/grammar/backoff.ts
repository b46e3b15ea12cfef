// `--backoff INITIAL[:FACTOR[:MAX]]`: the waits between attempts of `retry`, read exactly — the
// durations into nanoseconds, the factor as a fraction (1.5 is 3/2), never through a float.
import { UsageError } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';
import { quote } from './quote.js';

export interface Backoff {
  // The wait after the first failed attempt.
  initialNs: bigint;
  // What each wait is multiplied by for the next one: factorNum / factorDen, at least 1.
  factorNum: bigint;
  factorDen: bigint;
  // No wait is longer.
  maxNs: bigint;
}

const SECOND = 1_000_000_000n;

// curl's own retry waits: 1 s after the first failure, doubling, never more than 10 minutes.
export const DEFAULT_BACKOFF: Backoff = { initialNs: SECOND, factorNum: 2n, factorDen: 1n, maxNs: 600n * SECOND };

// A decimal of up to 4 digits before the point and 6 after it.
const FACTOR = /^([0-9]{1,4})(?:\.([0-9]{1,6}))?$/;

// "1s", "1s:2", "500ms:1.5:30s", "5s:1" (always 5 s), "1s::1m" (FACTOR left at 2).
export function parseBackoff(text: string): Backoff {
  const parts = text.split(':');
  if (parts.length > 3) throw new UsageError(`expected INITIAL[:FACTOR[:MAX]] (got ${quote(text)})`);
  const [initialText = '', factorText = '', maxText = ''] = parts;
  if (initialText === '') throw new UsageError(`INITIAL is missing (expected INITIAL[:FACTOR[:MAX]], got ${quote(text)})`);
  const initialNs = part('INITIAL', () => parseDuration(initialText));
  const [factorNum, factorDen] = factorText === '' ? [DEFAULT_BACKOFF.factorNum, DEFAULT_BACKOFF.factorDen] : parseFactor(factorText);
  let maxNs: bigint;
  if (maxText === '') {
    maxNs = initialNs > DEFAULT_BACKOFF.maxNs ? initialNs : DEFAULT_BACKOFF.maxNs;
  } else {
    maxNs = part('MAX', () => parseDuration(maxText));
    if (maxNs < initialNs) throw new UsageError(`MAX ${quote(maxText)} is shorter than INITIAL ${quote(initialText)}`);
  }
  return { initialNs, factorNum, factorDen, maxNs };
}

// FACTOR as [numerator, denominator]: "1.5" is [15, 10].
function parseFactor(text: string): [bigint, bigint] {
  const m = FACTOR.exec(text);
  if (!m) throw new UsageError(`FACTOR: must be a number such as 2 or 1.5 (got ${quote(text)})`);
  const fraction = m[2] ?? '';
  const num = BigInt(`${m[1]}${fraction}`);
  const den = 10n ** BigInt(fraction.length);
  if (num < den) throw new UsageError(`FACTOR: must be at least 1, or the waits would shrink (got ${quote(text)})`);
  return [num, den];
}

// Runs `fn`, naming the part of the value in front of its refusal.
function part<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${what}: ${err.message}`, err.code);
    throw err;
  }
}

// The factor as it was written: "2", "1.5".
export function formatFactor(b: Backoff): string {
  const whole = b.factorNum / b.factorDen;
  const rest = b.factorNum % b.factorDen;
  if (rest === 0n) return String(whole);
  const digits = String(b.factorDen).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

// The canonical form, as a plan shows it: "1s:2:10m".
export function formatBackoff(b: Backoff): string {
  return `${formatDuration(b.initialNs)}:${formatFactor(b)}:${formatDuration(b.maxNs)}`;
}
