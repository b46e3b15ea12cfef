// What a timer asks of the loop's wake-up before its deadline (Slot.mode): nothing (lean), a
// warm-up wake, or a warm-up and a poll to the deadline (precise); see warmup.ts.
import { UsageError } from '../errors.js';

export const LEAN = 0;
export const WARM = 1;
export const PRECISE = 2;
export type WarmupMode = typeof LEAN | typeof WARM | typeof PRECISE;

// The 2 ms below which no warm-up is armed is chosen, not measured (the range is
// 1–10 ms): at shorter periods the code has had no time to go cold.
export const WARMUP_MIN_NS = 2_000_000n;

// Past this many timerfds the next deadline is not looked for (a scan per wake-up would cost
// more than it saves): a loop that large wakes often anyway, and its timers get no warm-up.
export const WARMUP_MAX_SOURCES = 64;

// The mode `options` ask for, `fallback` (the loop's) where they say nothing; refused when they
// are not booleans, or ask for precision without the warm-up.
export function warmupMode(options: { warmup?: unknown; precise?: unknown }, fallback: WarmupMode): WarmupMode {
  const { warmup, precise } = options;
  if (warmup !== undefined && typeof warmup !== 'boolean') throw new UsageError(`warmup must be true or false (got ${JSON.stringify(warmup)})`, 'EINVAL');
  if (precise !== undefined && typeof precise !== 'boolean') throw new UsageError(`precise must be true or false (got ${JSON.stringify(precise)})`, 'EINVAL');
  if (precise === true && warmup === false) throw new UsageError('precise needs the warm-up: give precise: true without warmup: false', 'EINVAL');
  if (precise === true) return PRECISE;
  if (warmup === false) return LEAN;
  // Not precise: a warm-up when asked for, or when the loop's mode has one.
  if (precise === false) return warmup === true || fallback !== LEAN ? WARM : LEAN;
  if (warmup === true) return fallback === LEAN ? WARM : fallback;
  return fallback;
}
