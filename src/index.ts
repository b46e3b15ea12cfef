/**
 * Kernel timers as file descriptors for Node: timerfd + epoll on Node's own event loop.
 * The typed API (`once()`, `every()`, `Timer`, `Loop`) and the Python-compatible one
 * (`create`, `settime`, `gettime`, `read`, `close`).
 *
 * @packageDocumentation
 */
// timerstack as a library: re-exports only.
export {
  create,
  settime,
  settimeNs,
  gettime,
  gettimeNs,
  read,
  close,
  secondsToNs,
  nsToSeconds,
} from './lib/python-api.js';
export {
  CLOCK_REALTIME,
  CLOCK_MONOTONIC,
  CLOCK_BOOTTIME,
  CLOCK_REALTIME_ALARM,
  CLOCK_BOOTTIME_ALARM,
  TFD_NONBLOCK,
  TFD_CLOEXEC,
  TFD_TIMER_ABSTIME,
  TFD_TIMER_CANCEL_ON_SET,
} from './native/libc.js';
export type { ClockName } from './native/clocks.js';
export type { TimerValue } from './native/timerfd.js';
export { Timer, type ArmOptions } from './lib/timer.js';
export {
  Loop,
  LoopTimer,
  type Expiration,
  type ExpirationHandler,
  type TimerOptions,
  type LoopOptions,
  type LoopNotice,
  type MissedDeadlines,
  type TimerNative,
} from './loop/loop.js';
export { defaultLoop } from './lib/default-loop.js';
export { once, every, type OnceOptions, type EveryOptions } from './lib/api.js';
export type { TickIterator } from './lib/tick-iterator.js';
export { tickRecord, type TickRecord } from './lib/records.js';
export { cron, calendar, nextElapses, type CalendarOptions, type CalendarKind } from './lib/calendar-api.js';
export type { Duration } from './grammar/duration-input.js';
export { parseDuration, formatDuration } from './grammar/duration.js';
export { TimerstackError, UsageError, SyscallError, PlatformError } from './errors.js';
