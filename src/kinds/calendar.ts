// `calendar EXPR`: a systemd calendar event (grammar/calendar.ts) exactly as OnCalendar= reads
// it, in its own zone or --tz, one absolute realtime one-shot per elapse.
import { UsageError } from '../errors.js';
import { nextCalendar, normalizeCalendar, parseCalendar } from '../grammar/calendar.js';
import { TZ } from '../grammar/options.js';
import { optionValue } from '../grammar/words.js';
import { calendarForKubernetes } from './calendar-export.js';
import { fixedPlan, fixedTimer, type Kind, type ScheduleRule } from './kind.js';
import { calendarSpec, zoneOf } from './wall-clock.js';

// A calendar expression as a rule; a zone written in the expression wins over `zone`.
export function calendarRule(expression: string, zone: string): ScheduleRule {
  const spec = parseCalendar(expression);
  const where = spec.zone ?? zone;
  return {
    kind: 'calendar',
    source: expression,
    normalized: normalizeCalendar(spec),
    zone: where,
    next: (afterNs) => nextCalendar(spec, afterNs, where),
  };
}

export const calendar: Kind = {
  name: 'calendar',
  argName: 'EXPR',
  defaultClock: 'realtime',
  single: false,
  build(words, raw, spec, ctx) {
    const rule = calendarRule(raw, zoneOf(words));
    const tz = optionValue(words, TZ);
    if (tz !== undefined && tz !== rule.zone) {
      throw new UsageError(`--tz: the expression names its own zone (${rule.zone}); give the zone once`);
    }
    calendarSpec('calendar', words, spec, ctx, rule);
  },
  timer: fixedTimer,
  plan: fixedPlan,
  // OnCalendar= reads the same grammar: the normalized form, with the zone it is computed in.
  systemd(spec) {
    const rule = spec.rule!;
    return { onCalendar: [parseCalendar(rule.source).zone === undefined ? `${rule.normalized} ${rule.zone}` : rule.normalized] };
  },
  cronSchedule: (spec) => ({ schedule: calendarForKubernetes(parseCalendar(spec.rule!.source)), timeZone: spec.rule!.zone }),
};
