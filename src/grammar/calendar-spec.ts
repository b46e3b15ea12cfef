// The value a systemd calendar expression parses to, shared by parsing, printing and searching.

// One element of a list: a value, a range start..stop, a repetition start/repeat or both.
export interface CalendarComponent {
  readonly start: number;
  readonly stop: number | undefined; // inclusive end of a range
  readonly repeat: number; // 0: no repetition
}

// undefined = '*' (any value); otherwise a sorted list without duplicates.
export type CalendarChain = readonly CalendarComponent[] | undefined;

export interface CalendarSpec {
  readonly source: string;
  // 'UTC' for a " UTC" suffix and for @EPOCH; otherwise the zone as written; undefined: the
  // caller's zone
  readonly zone: string | undefined;
  readonly weekdays: number | undefined; // bit 0 = Monday … bit 6 = Sunday; undefined: any day
  readonly endOfMonth: boolean; // '~': days count back from the month's last day (~01 = last)
  readonly year: CalendarChain;
  readonly month: CalendarChain;
  readonly day: CalendarChain;
  readonly hour: CalendarChain;
  readonly minute: CalendarChain;
  readonly second: CalendarChain; // in microseconds: 0 .. 59_999_999
}

export const USEC = 1_000_000;
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199; // systemd's limit: nothing elapses after 2199
