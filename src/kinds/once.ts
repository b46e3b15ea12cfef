// `once DURATION`: one expiration after a relative wait.
import { UsageError } from '../errors.js';
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
  // One elapse, DURATION after the timer unit is started.
  systemd: (spec) => ({ onActiveNs: spec.delayNs ?? 0n }),
  cronSchedule() {
    throw new UsageError('once runs one time after a delay; a CronJob repeats on the wall clock (a Kubernetes Job runs once)');
  },
};
