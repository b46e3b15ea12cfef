// cron() and calendar(): async iterators over calendar schedules, like every(), and the pure
// nextElapses(). Each elapse is one absolute realtime timer; the next is computed from the one
// that fired. With `persistent`, the instant of the last elapse is kept in a file, and an elapse
// missed while the program was not running is yielded at once (its `expirations` says how many).
import { UsageError } from '../errors.js';
import { calendarRule } from '../kinds/calendar.js';
import { cronRule } from '../kinds/cron.js';
import type { ScheduleRule } from '../kinds/kind.js';
import { missedSince } from '../kinds/wall-clock.js';
import type { Expiration, Loop, TimerOptions } from '../loop/loop.js';
import type { ClockName } from '../native/clocks.js';
import { clockNow } from '../native/clocks.js';
import { CLOCK_REALTIME } from '../native/libc.js';
import { parseTime } from '../grammar/time.js';
import { checkZone, localZone } from '../grammar/zone.js';
import { fileStamps } from '../supervise/stamps.js';
import { defaultLoop } from './default-loop.js';
import { tickIterator, type TickIterator } from './tick-iterator.js';

/** Options of `cron()` and `calendar()`. */
export interface CalendarOptions {
  /** The IANA zone the schedule is computed in (default: the local zone; a calendar expression's own zone wins). */
  tz?: string;
  /** Stop after this many expirations. */
  count?: number;
  /** Aborting it disarms the timer and ends the iteration with its reason. */
  signal?: AbortSignal;
  /** A file that keeps the instant of the last elapse: an elapse missed while the program was not running is yielded at once. */
  persistent?: string;
  /** The wall clock to arm on (default `'realtime'`; `'realtime-alarm'` wakes the machine). */
  clock?: Extract<ClockName, 'realtime' | 'realtime-alarm'>;
  /** The loop to arm on (default: this thread's `defaultLoop()`). */
  loop?: Loop;
}

/** The two calendar grammars: cron's five fields, or a systemd calendar expression. */
export type CalendarKind = 'cron' | 'calendar';

/** Yields one expiration per elapse of a cron expression (cronie's rules), one absolute realtime timer each. */
export function cron(expression: string, options: CalendarOptions = {}): TickIterator {
  return iterate(ruleOf('cron', expression, options.tz), options);
}

/** Yields one expiration per elapse of a systemd calendar expression (`'Mon..Fri 09:00'`). */
export function calendar(expression: string, options: CalendarOptions = {}): TickIterator {
  return iterate(ruleOf('calendar', expression, options.tz), options);
}

/** The next `count` elapses (default 5) strictly after `from` (default: now), in ns since the epoch; pure, arms nothing. */
export function nextElapses(kind: CalendarKind, expression: string, options: { from?: bigint | string; tz?: string; count?: number } = {}): bigint[] {
  const rule = ruleOf(kind, expression, options.tz);
  const from = options.from === undefined ? BigInt(Date.now()) * 1_000_000n : typeof options.from === 'bigint' ? options.from : parseTime(options.from, BigInt(Date.now()) * 1_000_000n, rule.zone).instantNs;
  const out: bigint[] = [];
  for (let t = rule.next(from); t !== undefined && out.length < (options.count ?? 5); t = rule.next(t)) out.push(t);
  return out;
}

function ruleOf(kind: CalendarKind, expression: string, tz: string | undefined): ScheduleRule {
  if (typeof expression !== 'string') throw new UsageError(`${kind} expression must be a string (got ${typeof expression})`, 'EINVAL');
  const zone = tz === undefined ? localZone() : checkZone(tz);
  return kind === 'cron' ? cronRule(expression, zone) : calendarRule(expression, zone);
}

function iterate(rule: ScheduleRule, options: CalendarOptions): TickIterator {
  const { count } = options;
  if (count !== undefined && !(Number.isSafeInteger(count) && count > 0)) {
    throw new UsageError(`count must be a positive integer (got ${count})`, 'EINVAL');
  }
  const now = clockNow(CLOCK_REALTIME);
  const missed = options.persistent === undefined ? undefined : caughtUp(rule, options.persistent, now);
  const first = missed ? now : rule.next(now);
  const loop = options.loop ?? defaultLoop();
  if (first === undefined) return tickIterator(loop, { clock: 'realtime', delay: 0n }, { count: 0 });
  const timer: TimerOptions = { clock: options.clock ?? 'realtime', at: first, next: (prev) => rule.next(prev) };
  const iterator = tickIterator(loop, timer, { count, signal: options.signal });
  if (options.persistent === undefined) return iterator;
  return stamped(iterator, options.persistent, missed?.count);
}

// What was missed since the stamp in `file` (nothing when there is no stamp yet).
function caughtUp(rule: ScheduleRule, file: string, now: bigint) {
  const last = fileStamps.read(file);
  return last === undefined ? undefined : missedSince(rule, last, now);
}

// Keeps each yielded elapse in `file`; the first one reports the missed count as expirations.
function stamped(iterator: TickIterator, file: string, missed: number | undefined): TickIterator {
  let pending = missed;
  const next = iterator.next.bind(iterator);
  iterator.next = async () => {
    const result = await next();
    if (result.done) return result;
    fileStamps.write(file, result.value.scheduled);
    if (pending === undefined) return result;
    const value: Expiration = { ...result.value, expirations: pending };
    pending = undefined;
    return { value, done: false };
  };
  return iterator;
}
