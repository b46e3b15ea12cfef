// `once DURATION...`: one expiration after a relative wait. Several durations add up, as with GNU
// sleep (`once 1m 30s`); `infinity` never expires (it waits until stopped by a signal).
import { UsageError } from '../errors.js';
import { MAX_NS, parseDuration } from '../grammar/duration.js';
import { quote } from '../grammar/quote.js';
import { prefixed } from '../grammar/words.js';
import { fixedPlan, fixedTimer, type Kind, type SchedulePlan } from './kind.js';

const INFINITY = new Set(['inf', 'infinity']);

export const once: Kind = {
  name: 'once',
  argName: 'DURATION',
  defaultClock: 'monotonic',
  single: true,
  build(words, raw, spec) {
    const parts = words.positionals.length > 0 ? words.positionals : [raw];
    let total = 0n;
    for (const [i, part] of parts.entries()) {
      if (INFINITY.has(part.toLowerCase())) {
        spec.forever = true;
        continue;
      }
      // A later word that is not a number was meant as a command.
      if (i > 0 && !/^\s*[\d.P]/i.test(part)) throw new UsageError(`unexpected argument ${quote(part)} (put a command after --)`);
      total += prefixed('DURATION', () => parseDuration(part));
      if (total > MAX_NS) throw new UsageError(`DURATION: too large (max about 292 years): ${quote(raw)}`);
    }
    if (!spec.forever) spec.delayNs = total;
  },
  // Forever: armed for the latest instant a timerfd holds, 292 years of uptime away.
  timer: (spec) => (spec.forever ? { name: spec.name, clock: spec.clock, at: MAX_NS } : fixedTimer(spec)),
  plan: (spec) => (spec.forever ? foreverPlan() : fixedPlan(spec)),
  // One elapse, DURATION after the timer unit is started.
  systemd: (spec) => {
    if (spec.forever) throw new UsageError('once infinity never fires: there is nothing to schedule');
    return { onActiveNs: spec.delayNs ?? 0n };
  },
  cronSchedule() {
    throw new UsageError('once runs one time after a delay; a CronJob repeats on the wall clock (a Kubernetes Job runs once)');
  },
};

function foreverPlan(): SchedulePlan {
  return { text: 'never (waits until stopped)', json: { absolute: false, value_ns: null, interval_ns: '0', forever: true } };
}

