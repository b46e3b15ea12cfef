// The kernel's clocks by name, and reading them. ClockName is defined here, where the clocks are:
// the option table and the library take their list of names from CLOCKS.
import { readdirSync } from 'node:fs';
import { SyscallError } from '../errors.js';
import { CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM, check, libc, libcLoaded } from './libc.js';

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

// A timespec (seconds, nanoseconds) as two native 64-bit integers.
const ts = new BigInt64Array(2);

// Current time of a clock, in nanoseconds.
export function clockNow(clockid: number): bigint {
  // libuv reads CLOCK_MONOTONIC for hrtime: the same clock, without a foreign call.
  if (clockid === CLOCK_MONOTONIC) return process.hrtime.bigint();
  try {
    // check() only on failure: a call less each reading.
    const result = (libcLoaded ?? libc()).clock_gettime(clockid, ts);
    if (result < 0) check('clock_gettime', result);
  } catch (err) {
    throw isAlarmClock(clockid) ? noAlarmClock(clockid, err) : err;
  }
  return ts[0]! * 1_000_000_000n + ts[1]!;
}

export function isAlarmClock(clockid: number): boolean {
  return clockid === CLOCK_REALTIME_ALARM || clockid === CLOCK_BOOTTIME_ALARM;
}

// The kernel's alarm clocks need a real-time clock chip that can wake the machine; without one
// (many VMs and containers: /sys/class/rtc is empty) reading them fails with EINVAL.
function noAlarmClock(clockid: number, err: unknown): unknown {
  if (!(err instanceof SyscallError) || err.code !== 'EINVAL' || hasRtc()) return err;
  const name = clockName(clockid);
  return new SyscallError('clock_gettime', err.code, err.errno, `--clock ${name}: this machine has no real-time clock (RTC) to wake it (/sys/class/rtc is empty), so its alarm clocks cannot be used`);
}

function hasRtc(): boolean {
  try {
    return readdirSync('/sys/class/rtc').length > 0;
  } catch {
    return false;
  }
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
