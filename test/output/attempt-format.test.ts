// The events of `retry` through both formatters: an attempt (its run, and the wait that follows)
// and giving up.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { AttemptEvent, GiveUpEvent } from '../../src/output/format.js';
import { jsonFormatter } from '../../src/output/json.js';
import { textFormatter } from '../../src/output/text.js';

const MS = 1_000_000n;
const S = 1000n * MS;
const T = BigInt(Date.parse('2026-01-15T12:00:30.000Z')) * MS + 123_456_789n;

const attempt: AttemptEvent = {
  timer: 'up',
  tick: 2,
  pid: 4242,
  status: 7,
  exitCode: 7,
  signal: undefined,
  timedOut: false,
  durationMs: 12.3456,
  error: undefined,
  attempt: 2,
  attempts: 5,
  waitNs: 2n * S,
  timeNs: T,
};
const giveUp: GiveUpEvent = { timer: 'up', attempts: 5, reason: 'attempts', status: 7, timeNs: T };

describe('attempt and give_up as NDJSON', () => {
  it('attempt: snake_case fields in order, the wait in ms, the time in UTC to the ns', () => {
    expect(jsonFormatter.attempt(attempt)).toBe(
      '{"event":"attempt","timer":"up","attempt":2,"max_attempts":5,"pid":4242,"status":7,"signal":null,"timed_out":false,"duration_ms":12.346,"wait_ms":2000,"time":"2026-01-15T12:00:30.123456789Z"}',
    );
  });

  it('attempt: null for what is not there; the error when it could not start; a jittered wait to the µs', () => {
    const last = JSON.parse(jsonFormatter.attempt({ ...attempt, attempts: undefined, waitNs: undefined, pid: undefined, status: 127, error: 'x: command not found (ENOENT)' }));
    expect(last).toMatchObject({ max_attempts: null, pid: null, wait_ms: null, status: 127, error: 'x: command not found (ENOENT)' });
    expect(JSON.parse(jsonFormatter.attempt({ ...attempt, waitNs: 1_234_567_891n })).wait_ms).toBe(1234.567);
  });

  it('give_up: the attempts made, why, the exit status', () => {
    expect(JSON.parse(jsonFormatter.giveUp({ ...giveUp, reason: 'for', status: 124 }))).toEqual({
      event: 'give_up',
      timer: 'up',
      attempts: 5,
      reason: 'for',
      status: 124,
      time: '2026-01-15T12:00:30.123456789Z',
    });
  });
});

describe('attempt and give_up as text', () => {
  const plain = textFormatter(new Chalk({ level: 0 }));
  const colour = textFormatter(new Chalk({ level: 1 }));

  it.each<[Partial<AttemptEvent>, string]>([
    [{}, 'up attempt 2 of 5 failed: exit 7 after 12ms; next in 2s'],
    [{ attempts: undefined, waitNs: 90n * S }, 'up attempt 2 failed: exit 7 after 12ms; next in 1m30s'],
    [{ waitNs: 1_234_567_891n }, 'up attempt 2 of 5 failed: exit 7 after 12ms; next in 1s235ms'],
    [{ waitNs: undefined }, 'up attempt 2 of 5 failed: exit 7 after 12ms'],
    [{ status: 143, signal: 'SIGTERM', timedOut: true, durationMs: 3000, waitNs: undefined }, 'up attempt 2 of 5 failed: timed out, killed by SIGTERM after 3.00s'],
    [{ status: 127, pid: undefined, error: 'nope: command not found (ENOENT)', waitNs: undefined }, 'up attempt 2 of 5 failed: nope: command not found (ENOENT)'],
    [{ status: 0, waitNs: undefined }, 'up attempt 2 of 5 succeeded after 12ms'],
  ])('attempt %#', (change, text) => {
    expect(plain.attempt({ ...attempt, ...change })).toBe(text);
  });

  it.each<[Partial<GiveUpEvent>, string]>([
    [{}, 'up gave up after 5 attempts (status 7)'],
    [{ attempts: 1, reason: 'for', status: 124 }, 'up gave up: --for ran out after 1 attempt (status 124)'],
    [{ attempts: 1, reason: 'cannot-start', status: 127 }, 'up gave up: the command cannot be started (status 127)'],
  ])('give up %#', (change, text) => {
    expect(plain.giveUp({ ...giveUp, ...change })).toBe(text);
  });

  it('colour: a failed attempt yellow, a success dim, giving up red', () => {
    expect(colour.attempt(attempt)).toBe(`\u001b[33m${plain.attempt(attempt)}\u001b[39m`);
    const ok = { ...attempt, status: 0 };
    expect(colour.attempt(ok)).toBe(`\u001b[2m${plain.attempt(ok)}\u001b[22m`);
    expect(colour.giveUp(giveUp)).toBe(`\u001b[31m${plain.giveUp(giveUp)}\u001b[39m`);
  });
});
