// The UsageError a call throws, checked to be a one-line refusal with the usage-error status.
import { expect } from 'vitest';
import { EXIT, UsageError } from '../../src/errors.js';

export function refusalOf(run: () => unknown, what?: string): UsageError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught, what).toBeInstanceOf(UsageError);
  const error = caught as UsageError;
  expect(error.exitCode).toBe(EXIT.usage);
  // No line break, no terminal escape: the message is one line as printed.
  expect(error.message).not.toMatch(/[\n\r\u2028\u2029\u0085\u001b\u009b]/);
  return error;
}
