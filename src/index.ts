// timerstack as a library: re-exports only. The Python-compatible API (seconds and nanoseconds)
// and the typed API: Timer, Loop, once() and every().
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
export { Loop, LoopTimer, type Expiration, type TimerOptions, type LoopOptions, type LoopNotice } from './loop/loop.js';
export { defaultLoop } from './lib/default-loop.js';
export { once, every, type OnceOptions, type EveryOptions } from './lib/api.js';
export { cron, calendar, nextElapses, type CalendarOptions, type CalendarKind } from './lib/calendar-api.js';
export type { Duration } from './lib/duration-input.js';
export { parseDuration, formatDuration } from './grammar/duration.js';
export { TimerstackError, UsageError, SyscallError, PlatformError } from './errors.js';
