// `once DURATION`: one expiration after a relative wait.
import { parseDuration } from '../grammar/duration.js';
import { prefixed } from '../grammar/words.js';
import { fixedPlan, fixedTimer, type Kind } from './kind.js';

export const once: Kind = {
  name: 'once',
  argName: 'DURATION',
  defaultClock: 'monotonic',
  single: true,
  build(_words, raw, spec) {
    spec.delayNs = prefixed('DURATION', () => parseDuration(raw));
  },
  timer: fixedTimer,
  plan: fixedPlan,
};
