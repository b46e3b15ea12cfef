// The UsageError a call throws, checked to be a one-line refusal with the usage-error status.
import { expect } from 'vitest';
import { EXIT, UsageError } from '../../src/errors.js';

export function refusalOf(run: () => unknown): UsageError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const error = caught as UsageError;
  expect(error.exitCode).toBe(EXIT.usage);
  expect(error.message).not.toMatch(/[\n\r\u2028\u2029]/);
  return error;
}
