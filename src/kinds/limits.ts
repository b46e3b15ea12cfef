// The limits of a repeating timer: --count, --for and --until (a wall-clock TIME, read in the
// timer's zone; an HH:MM one is today's, refused when past, never tomorrow's). An end that comes
// before the first expiration (no tick could happen) is refused.
import { UsageError } from '../errors.js';
import { formatDuration } from '../grammar/duration.js';
import { COUNT, FOR, UNTIL } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { parseTime } from '../grammar/time.js';
import { optionValue, prefixed, type ParsedWords } from '../grammar/words.js';
import type { SpecContext, TimerSpec } from './kind.js';

export function limits(words: ParsedWords, spec: TimerSpec, ctx: SpecContext): void {
  const count = optionValue(words, COUNT);
  if (count !== undefined) spec.count = count;
  // The first expiration, from now; not for a calendar rule (a --persistent catch-up may act at
  // once, before its first elapse).
  const first = spec.rule ? undefined : spec.atNs !== undefined ? spec.atNs - ctx.nowNs : (spec.delayNs ?? spec.intervalNs);
  const forNs = optionValue(words, FOR);
  if (forNs !== undefined) {
    if (forNs === 0n) throw new UsageError('--for: must be greater than 0');
    if (first !== undefined && forNs < first) {
      throw new UsageError(`--for ${formatDuration(forNs)} ends before the first expiration (in ${formatDuration(first)}): no tick could happen`);
    }
    spec.forNs = forNs;
  }
  const until = optionValue(words, UNTIL);
  if (until !== undefined) {
    const t = prefixed('--until', () => parseTime(until, ctx.nowNs, spec.zone, { clockToday: true }));
    if (t.instantNs <= ctx.nowNs) throw new UsageError(`--until: ${quote(until)} is in the past`);
    if (first !== undefined && t.instantNs < ctx.nowNs + first) {
      throw new UsageError(`--until: ${quote(until)} comes before the first expiration (in ${formatDuration(first)}): no tick could happen`);
    }
    spec.untilNs = t.instantNs;
  }
}
