// The kernel's clocks by name, and reading them. ClockName is defined here, where the clocks are:
// the option table and the library take their list of names from CLOCKS.
import { CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM, check, libc } from './libc.js';

/**
 * A kernel clock by name: `monotonic` (stops during suspend), `boottime` (counts it), `realtime`
 * (the wall clock, can be set), and the `-alarm` clocks, which wake a suspended machine (they need
 * CAP_WAKE_ALARM).
 */
export type ClockName = 'monotonic' | 'boottime' | 'realtime' | 'realtime-alarm' | 'boottime-alarm';

export const CLOCKS: Readonly<Record<ClockName, number>> = {
  monotonic: CLOCK_MONOTONIC,
  boottime: CLOCK_BOOTTIME,
  realtime: CLOCK_REALTIME,
  'realtime-alarm': CLOCK_REALTIME_ALARM,
  'boottime-alarm': CLOCK_BOOTTIME_ALARM,
};

export const CLOCK_NAMES = Object.keys(CLOCKS) as readonly ClockName[];

const tsBuf = Buffer.alloc(16);

// Current time of a clock, in nanoseconds.
export function clockNow(clockid: number): bigint {
  // libuv reads CLOCK_MONOTONIC for hrtime: the same clock, without a foreign call.
  if (clockid === CLOCK_MONOTONIC) return process.hrtime.bigint();
  check('clock_gettime', libc().clock_gettime(clockid, tsBuf));
  return tsBuf.readBigInt64LE(0) * 1_000_000_000n + tsBuf.readBigInt64LE(8);
}

// Whether absolute times on this clock are wall-clock instants (and can be stepped).
export function isRealtimeClock(clockid: number): boolean {
  return clockid === CLOCK_REALTIME || clockid === CLOCK_REALTIME_ALARM;
}

// The name of a clock id (monotonic for one this table does not know).
export function clockName(clockid: number): ClockName {
  for (const name of CLOCK_NAMES) if (CLOCKS[name] === clockid) return name;
  return 'monotonic';
}
