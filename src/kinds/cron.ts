// `cron EXPR`: a cron schedule with cronie's semantics (grammar/cron.ts), in a zone, one absolute
// realtime one-shot per elapse, each next elapse computed from the one that fired.
import { describeCron, nextCron, parseCron } from '../grammar/cron.js';
import { cronForKubernetes, cronOnCalendar } from './calendar-export.js';
import { fixedPlan, fixedTimer, type Kind, type ScheduleRule } from './kind.js';
import { calendarSpec, zoneOf } from './wall-clock.js';

// A cron expression in a zone, as a rule.
export function cronRule(expression: string, zone: string): ScheduleRule {
  const spec = parseCron(expression);
  return {
    kind: 'cron',
    source: expression,
    normalized: describeCron(spec),
    zone,
    next: (afterNs) => nextCron(spec, afterNs, zone),
  };
}

export const cron: Kind = {
  name: 'cron',
  argName: 'EXPR',
  defaultClock: 'realtime',
  single: false,
  build(words, raw, spec, ctx) {
    calendarSpec('cron', words, spec, ctx, cronRule(raw, zoneOf(words)));
  },
  timer: fixedTimer,
  plan: fixedPlan,
  systemd: (spec) => ({ onCalendar: cronOnCalendar(parseCron(spec.rule!.source), spec.rule!.zone) }),
  cronSchedule: (spec) => ({ schedule: cronForKubernetes(parseCron(spec.rule!.source)), timeZone: spec.rule!.zone }),
};
