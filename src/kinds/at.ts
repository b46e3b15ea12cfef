// `at TIME`: one expiration at a wall-clock instant, on an absolute realtime timer that is
// re-armed for the same instant when the clock is stepped.
import { UsageError } from '../errors.js';
import { AT_CLOCKS, LATE, oneOf } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { parseTime, type ParsedTime } from '../grammar/time.js';
import { optionValue, prefixed } from '../grammar/words.js';
import { fixedPlan, fixedTimer, type Kind } from './kind.js';

export const at: Kind = {
  name: 'at',
  argName: 'TIME',
  defaultClock: 'realtime',
  single: true,
  build(words, raw, spec, ctx) {
    if (!(AT_CLOCKS as readonly string[]).includes(spec.clock)) {
      throw new UsageError(`--clock: at needs a wall clock (${oneOf(AT_CLOCKS)}), not ${spec.clock}`);
    }
    const late = optionValue(words, LATE) ?? 'error';
    const t = timeOf(words.positionals, raw, ctx.nowNs);
    if (t.instantNs > ctx.nowNs) {
      spec.atNs = t.instantNs;
      return;
    }
    // "now" (or "+0") is not late: it fires at once.
    if (late !== 'run' && t.form !== 'relative') throw new UsageError(`TIME: ${quote(raw)} is in the past (use --late run to run now)`);
    spec.delayNs = 0n;
  },
  timer: fixedTimer,
  plan: fixedPlan,
};

// The time in one word or two ("tomorrow 09:00", "2026-12-01 09:00"); a second word after a
// time that stands alone was meant as a command.
function timeOf(words: readonly string[], raw: string, nowNs: bigint): ParsedTime {
  try {
    return prefixed('TIME', () => parseTime(raw, nowNs));
  } catch (err) {
    if (words.length < 2) throw err;
    try {
      parseTime(words[0]!, nowNs);
    } catch {
      throw err;
    }
    throw new UsageError(`unexpected argument ${quote(words[1]!)} (put a command after --)`);
  }
}
