// timerstack as a library: the seed's API (seconds and nanoseconds) and the typed API.
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
} from './seed.js';
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
  type ClockName,
} from './native/libc.js';
export type { TimerValue } from './native/timerfd.js';
export { Timer, type ArmOptions } from './timer.js';
export { Loop, LoopTimer, defaultLoop, type Expiration, type TimerOptions, type LoopOptions, type LoopNotice } from './loop.js';
export { once, every, type OnceOptions, type EveryOptions } from './api.js';
export type { Duration } from './duration-input.js';
export { parseDuration, formatDuration } from './spec/duration.js';
export { TimerstackError, UsageError, SyscallError, PlatformError } from './errors.js';
