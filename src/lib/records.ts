// The library's expirations as the CLI's NDJSON `tick` events: one event model, the NDJSON a
// projection of the library's events (docs/events.md).
import { formatInstant } from '../grammar/time.js';
import type { Expiration } from '../loop/loop.js';

/**
 * An expiration as the NDJSON `tick` event `timerstack --json` writes (schema/events.json):
 * snake_case keys, instants on the wall clock in ISO 8601 UTC.
 */
export interface TickRecord {
  /** Always `'tick'`. */
  readonly event: 'tick';
  /** The timer's name. */
  readonly timer: string;
  /** Running total of expirations. */
  readonly tick: number;
  /** The kernel's count for this wake-up. */
  readonly expirations: number;
  /** When it was seen (`Expiration.wallTime`). */
  readonly time: string;
  /** When the latest expiration was due, on the wall clock (`scheduled + timer.wallOffset`). */
  readonly scheduled: string;
  /** `Expiration.latenessUs`, rounded to the nanosecond. */
  readonly lateness_us: number;
}

/** The NDJSON `tick` event for `ev`: `JSON.stringify(tickRecord(ev))` is the line `timerstack every --json` would write. */
export function tickRecord(ev: Expiration): TickRecord {
  return {
    event: 'tick',
    timer: ev.timer.name,
    tick: ev.tick,
    expirations: ev.expirations,
    time: formatInstant(ev.wallTime),
    scheduled: formatInstant(ev.scheduled + ev.timer.wallOffset),
    lateness_us: Math.round(ev.latenessUs * 1000) / 1000,
  };
}
