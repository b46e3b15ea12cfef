// The limits of a repeating timer: --count, --for and --until (a wall-clock TIME, read in the
// timer's zone).
import { UsageError } from '../errors.js';
import { COUNT, FOR, UNTIL } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { parseTime } from '../grammar/time.js';
import { optionValue, prefixed, type ParsedWords } from '../grammar/words.js';
import type { SpecContext, TimerSpec } from './kind.js';

export function limits(words: ParsedWords, spec: TimerSpec, ctx: SpecContext): void {
  const count = optionValue(words, COUNT);
  if (count !== undefined) spec.count = count;
  const forNs = optionValue(words, FOR);
  if (forNs !== undefined) {
    if (forNs === 0n) throw new UsageError('--for: must be greater than 0');
    spec.forNs = forNs;
  }
  const until = optionValue(words, UNTIL);
  if (until !== undefined) {
    const t = prefixed('--until', () => parseTime(until, ctx.nowNs, spec.zone));
    if (t.instantNs <= ctx.nowNs) throw new UsageError(`--until: ${quote(until)} is in the past`);
    spec.untilNs = t.instantNs;
  }
}
