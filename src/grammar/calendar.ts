// systemd calendar expressions (systemd.time(7), as systemd 252 reads OnCalendar=): parse,
// print the normalized form, find the next elapse. The work is split by job:
// calendar-parse.ts (text → spec), calendar-format.ts (spec → text), calendar-next.ts (when).

export {
  type CalendarChain,
  type CalendarComponent,
  type CalendarSpec,
  MAX_YEAR,
  parseCalendar,
} from './calendar-parse.js';
export { normalizeCalendar } from './calendar-format.js';
export { matchesCalendar, nextCalendar } from './calendar-next.js';
