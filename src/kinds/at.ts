// `at TIME`: one expiration at a wall-clock instant, on an absolute realtime timer that is
// re-armed for the same instant when the clock is stepped.
import { UsageError } from '../errors.js';
import { LATE, TZ } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { parseTime } from '../grammar/time.js';
import { optionValue, prefixed } from '../grammar/words.js';
import { fixedPlan, fixedTimer, type Kind } from './kind.js';
import { requireWallClock, zoneOf } from './wall-clock.js';

export const at: Kind = {
  name: 'at',
  argName: 'TIME',
  defaultClock: 'realtime',
  single: true,
  build(words, raw, spec, ctx) {
    requireWallClock(spec, 'at');
    const late = optionValue(words, LATE) ?? 'error';
    if (words.options.has(TZ.name)) spec.zone = zoneOf(words);
    const t = prefixed('TIME', () => parseTime(raw, ctx.nowNs, spec.zone));
    if (t.instantNs > ctx.nowNs) {
      spec.atNs = t.instantNs;
      return;
    }
    if (late !== 'run') throw new UsageError(`TIME: ${quote(raw)} is in the past (use --late run to run now)`);
    spec.delayNs = 0n;
  },
  timer: fixedTimer,
  plan: fixedPlan,
};
