// Durations as the library takes them: a string in timerstack's grammar or bigint nanoseconds.
import { UsageError } from '../errors.js';
import { parseDuration } from './duration.js';

/**
 * A duration as the library takes it: a string in timerstack's grammar (`'250ms'`, `'1h30m'`,
 * `'PT1M30S'`, `'1.5'` seconds …, see `parseDuration`) or a bigint of nanoseconds.
 */
export type Duration = string | bigint;

// The nanoseconds of `value`; a bad one is a UsageError naming `what`.
export function toNs(value: Duration, what: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new UsageError(`${what} must not be negative (got ${value} ns)`, 'EINVAL');
    return value;
  }
  if (typeof value === 'string') {
    try {
      return parseDuration(value);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${what}: ${err.message}`, err.code);
      throw err;
    }
  }
  throw new UsageError(`${what} must be a duration string or bigint nanoseconds (got ${typeof value})`, 'EINVAL');
}
