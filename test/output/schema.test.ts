// schema/events.json against the formatter that writes the events: a sample of every kind the
// JSON formatter writes validates, the schema knows no kind nobody writes, and it refuses what
// it does not describe (an unknown kind, a camelCase key, a value of the wrong type).
import { describe, expect, it } from 'vitest';
import { jsonFormatter } from '../../src/output/json.js';
import type { Formatter } from '../../src/output/format.js';
import { formatPlan } from '../../src/output/plan.js';
import { buildSpec } from '../../src/kinds/spec.js';
import { parseWords } from '../../src/grammar/words.js';
import { schemaKinds, validateEvent } from '../helpers/events.js';

const T = 1_768_478_400_123_456_789n;

// One sample per Formatter method: a new method (a new kind of event) needs its sample here, and
// its kind in schema/events.json.
const SAMPLES: { [K in keyof Formatter]: Array<Parameters<Formatter[K]>[0]> } = {
  tick: [{ timer: 'web', tick: 3, expirations: 2, timeNs: T, scheduledNs: T - 5000n, latenessUs: 5 }],
  run: [
    { timer: 'web', tick: 3, pid: 42, status: 0, exitCode: 0, signal: undefined, timedOut: false, durationMs: 12.5, error: undefined, timeNs: T },
    { timer: 'web', tick: 4, pid: undefined, status: 127, exitCode: undefined, signal: undefined, timedOut: false, durationMs: 0.2, error: 'nope: command not found (ENOENT)', timeNs: T },
    { timer: 'web', tick: 5, pid: 43, status: 124, exitCode: undefined, signal: 'SIGTERM', timedOut: true, durationMs: 2000, error: undefined, timeNs: T },
  ],
  attempt: [
    { timer: 'fetch', tick: 1, pid: 42, status: 22, exitCode: 22, signal: undefined, timedOut: false, durationMs: 80, error: undefined, timeNs: T, attempt: 1, attempts: 10, waitNs: 1_000_000_000n },
    { timer: 'fetch', tick: 2, pid: 43, status: 0, exitCode: 0, signal: undefined, timedOut: false, durationMs: 70, error: undefined, timeNs: T, attempt: 2, attempts: undefined, waitNs: undefined },
  ],
  giveUp: [{ timer: 'fetch', attempts: 10, reason: 'attempts', status: 22, timeNs: T }],
  skip: [
    { timer: 'web', timeNs: T, tick: 4, skipped: 1, reason: 'overlap' },
    { timer: 'web', timeNs: T, tick: 9, skipped: 3, reason: 'missed' },
  ],
  clockStep: [{ timer: 'realtime', timeNs: T }],
  missed: [{ timer: 'nightly', timeNs: T, count: 2, firstNs: T - 7_200_000_000_000n, lastNs: T - 3_600_000_000_000n }],
  catchUp: [{ timer: 'nightly', timeNs: T, count: 1, firstNs: T - 86_400_000_000_000n, lastNs: T - 86_400_000_000_000n }],
  problem: [{ timer: 'nightly', timeNs: T, message: '--persistent: cannot write /x: EACCES' }],
  state: [
    { timer: 'web', timeNs: T, tick: 3, skipped: 0, remainingNs: 1500n, intervalNs: 5n, running: 1 },
    { timer: 'web', timeNs: T, tick: 0, skipped: 0, remainingNs: undefined, intervalNs: 0n, running: 0 },
  ],
};

// Kinds written outside the formatter, and where.
const ELSEWHERE = { plan: 'output/plan.ts (--dry-run, run --check)', reload: 'cli/run-table.ts', 'reload-refused': 'cli/run-table.ts', elapse: 'cli/next.ts' };

const lines = Object.entries(SAMPLES).flatMap(([method, samples]) =>
  (samples as unknown[]).map((sample) => (jsonFormatter[method as keyof Formatter] as (e: unknown) => string)(sample)),
);

describe('schema/events.json', () => {
  it('has a sample here for every kind of event the JSON formatter writes', () => {
    expect(Object.keys(jsonFormatter).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(lines.map((l) => [JSON.parse(l).event as string, l]))('describes %s: %s', (_kind, line) => {
    expect(validateEvent(JSON.parse(line))).toEqual([]);
  });

  it('describes plans of every kind of timer', () => {
    const specs = [['once', '5s'], ['every', '1s', '--count', '3', '--until', '2099-01-01T00:00:00Z'], ['at', '2099-01-01T09:00:00Z', '--', 'echo', 'hi']].map((words) =>
      buildSpec(parseWords(words, 'cli'), { nowNs: T, utcOffsetNs: 0n, defaultName: 'timer' }),
    );
    for (const line of formatPlan(specs, true, T)) expect(validateEvent(JSON.parse(line)), line).toEqual([]);
  });

  it('knows exactly the kinds written: the formatter\'s and those written elsewhere', () => {
    const written = new Set([...lines.map((l) => JSON.parse(l).event as string), ...Object.keys(ELSEWHERE)]);
    expect(schemaKinds().sort()).toEqual([...written].sort());
  });

  it('refuses a kind it does not know, a key that is not snake_case, and a wrong type', () => {
    const tick = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(validateEvent({ ...tick, event: 'missed' })).not.toEqual([]);
    expect(validateEvent({ ...tick, latenessUs: 1 })).not.toEqual([]);
    expect(validateEvent({ ...tick, tick: '3' })).not.toEqual([]);
    expect(validateEvent({ ...tick, time: '2026-01-15 12:00:00' })).not.toEqual([]);
    const { time: _time, ...untimed } = tick;
    expect(validateEvent(untimed)).not.toEqual([]);
  });
});

describe('the library\'s expirations projected as NDJSON (tickRecord)', () => {
  it('is the CLI\'s tick event: the same keys in the same order, valid against the schema', async () => {
    const { once } = await import('../../src/lib/api.js');
    const { tickRecord } = await import('../../src/lib/records.js');
    const { formatInstant } = await import('../../src/grammar/time.js');
    const ev = await once('1ms');
    const record = tickRecord(ev);
    expect(validateEvent(record)).toEqual([]);
    expect(Object.keys(record)).toEqual(Object.keys(JSON.parse(lines[0]!) as object));
    expect(record).toMatchObject({ timer: ev.timer.name, tick: 1, time: formatInstant(ev.wallTime), scheduled: formatInstant(ev.scheduled + ev.timer.wallOffset) });
  });
});
