// systemd calendar expressions (systemd.time(7), as systemd 252 reads OnCalendar=): parse,
// print the normalized form, find the next elapse. The work is split by job:
// calendar-spec.ts (the value), calendar-parse.ts and calendar-chain.ts (text → spec),
// calendar-format.ts (spec → text), calendar-next.ts (when it elapses).

export { type CalendarChain, type CalendarComponent, type CalendarSpec, MAX_YEAR } from './calendar-spec.js';
export { parseCalendar } from './calendar-parse.js';
export { normalizeCalendar } from './calendar-format.js';
export { matchesCalendar, nextCalendar } from './calendar-next.js';
