import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { jsonFormatter } from '../../src/output/json.js';
import { textFormatter } from '../../src/output/text.js';
import {
  type Formatter,
  type RunEvent,
  type SkipEvent,
  type StateEvent,
  type TickEvent,
} from '../../src/output/format.js';

const MS = 1_000_000n;
const S = 1_000_000_000n;
const at = (iso: string): bigint => BigInt(Date.parse(iso)) * MS;

const tick: TickEvent = {
  timer: 'web',
  tick: 3,
  expirations: 1,
  timeNs: at('2026-01-15T12:00:30.000Z') + 123_456n,
  scheduledNs: at('2026-01-15T12:00:30.000Z'),
  latenessUs: 123.456,
};
const run: RunEvent = {
  timer: 'web',
  tick: 3,
  pid: 4242,
  status: 0,
  exitCode: 0,
  signal: undefined,
  timedOut: false,
  restarted: false,
  durationMs: 12.3456,
  error: undefined,
  timeNs: at('2026-01-15T12:00:30.020Z'),
};
const skip: SkipEvent = { timer: 'web', timeNs: at('2026-01-15T12:00:35.000Z'), tick: 4, skipped: 1, reason: 'overlap' };
const clockStep = { timer: 'web', timeNs: at('2026-01-15T12:00:36.000Z') };
const state: StateEvent = { timer: 'web', timeNs: at('2026-01-15T12:00:37.000Z'), tick: 3, skipped: 2, remainingNs: 1500n * MS, intervalNs: 5n * S, running: 1 };

// Every kind of report through a formatter, as [kind, line].
function everyLine(f: Formatter): Array<[string, string]> {
  return [
    ['tick', f.tick(tick)],
    ['tick, missed', f.tick({ ...tick, expirations: 4 })],
    ['run', f.run(run)],
    ['run, failed', f.run({ ...run, status: 3 })],
    ['run, killed', f.run({ ...run, status: 137, signal: 'SIGKILL' })],
    ['run, timed out', f.run({ ...run, status: 143, signal: 'SIGTERM', timedOut: true })],
    ['run, not started', f.run({ ...run, pid: undefined, status: 127, error: 'command not found: nope' })],
    ['skip', f.skip(skip)],
    ['clock step', f.clockStep(clockStep)],
    ['state', f.state(state)],
    ['state, not armed', f.state({ ...state, remainingNs: undefined, intervalNs: 0n })],
  ];
}

describe('jsonFormatter', () => {
  it.each(everyLine(jsonFormatter))('%s: one line of JSON', (_kind, line) => {
    expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(() => JSON.parse(line)).not.toThrow();
  });

  it('tick: fields in order, times in UTC to the nanosecond, lateness to the ns', () => {
    const line = jsonFormatter.tick(tick);
    const event = JSON.parse(line);
    expect(Object.keys(event)).toEqual(['event', 'timer', 'tick', 'expirations', 'time', 'scheduled', 'lateness_us']);
    expect(event).toEqual({
      event: 'tick',
      timer: 'web',
      tick: 3,
      expirations: 1,
      time: '2026-01-15T12:00:30.000123456Z',
      scheduled: '2026-01-15T12:00:30Z',
      lateness_us: 123.456,
    });
  });

  it.each<[number, number]>([
    [0, 0],
    [1.0004, 1],
    [1.0005, 1.001],
    [250_000.25, 250_000.25],
    [-3.5, -3.5],
  ])('tick: lateness_us %d is written as %d', (latenessUs, written) => {
    expect(JSON.parse(jsonFormatter.tick({ ...tick, latenessUs })).lateness_us).toBe(written);
  });

  it('tick: a name with quotes, backslashes and newlines stays one valid line', () => {
    const timer = 'a"b\\c\nd\u2028e';
    const line = jsonFormatter.tick({ ...tick, timer });
    expect(line).not.toMatch(/[\n\r]/);
    expect(JSON.parse(line).timer).toBe(timer);
  });

  it('tick: missed expirations are in the count', () => {
    expect(JSON.parse(jsonFormatter.tick({ ...tick, tick: 7, expirations: 4 }))).toMatchObject({ tick: 7, expirations: 4 });
  });

  it('run: fields, with null for what is not there', () => {
    const event = JSON.parse(jsonFormatter.run(run));
    expect(Object.keys(event)).toEqual(['event', 'time', 'timer', 'tick', 'pid', 'status', 'signal', 'timed_out', 'restarted', 'duration_ms']);
    expect(event).toEqual({
      event: 'run',
      time: '2026-01-15T12:00:30.02Z',
      timer: 'web',
      tick: 3,
      pid: 4242,
      status: 0,
      signal: null,
      timed_out: false,
      restarted: false,
      duration_ms: 12.346,
    });
  });

  it('run: a signal, a timeout and an error', () => {
    expect(JSON.parse(jsonFormatter.run({ ...run, status: 143, signal: 'SIGTERM', timedOut: true }))).toMatchObject({
      status: 143,
      signal: 'SIGTERM',
      timed_out: true,
    });
    expect(JSON.parse(jsonFormatter.run({ ...run, pid: undefined, status: 127, error: 'not found' }))).toMatchObject({
      pid: null,
      status: 127,
      error: 'not found',
    });
  });

  it('skip, clock-step and state', () => {
    expect(JSON.parse(jsonFormatter.skip(skip))).toEqual({ event: 'skip', time: '2026-01-15T12:00:35Z', timer: 'web', tick: 4, skipped: 1, reason: 'overlap' });
    expect(JSON.parse(jsonFormatter.clockStep(clockStep))).toEqual({ event: 'clock-step', time: '2026-01-15T12:00:36Z', timer: 'web' });
    expect(JSON.parse(jsonFormatter.state(state))).toEqual({
      event: 'state',
      time: '2026-01-15T12:00:37Z',
      timer: 'web',
      tick: 3,
      skipped: 2,
      remaining_ns: '1500000000',
      interval_ns: '5000000000',
      running: 1,
    });
    expect(JSON.parse(jsonFormatter.state({ ...state, remainingNs: undefined }))).toMatchObject({ remaining_ns: null });
  });

  it('state: nanoseconds past 2^53 stay exact as strings', () => {
    const big = 2n ** 62n + 1n;
    expect(JSON.parse(jsonFormatter.state({ ...state, remainingNs: big, intervalNs: big }))).toMatchObject({
      remaining_ns: String(big),
      interval_ns: String(big),
    });
  });
});

describe('textFormatter', () => {
  const plain = textFormatter(new Chalk({ level: 0 }));
  const colour = textFormatter(new Chalk({ level: 1 }));

  it.each(everyLine(plain))('level 0, %s: no escapes, one line', (_kind, line) => {
    expect(line).not.toMatch(/\u001b/);
    expect(line).not.toMatch(/[\n\r]/);
  });

  // The state line (SIGUSR1) is plain text at any level.
  it.each(everyLine(colour).filter(([kind]) => !kind.startsWith('state')))('level 1, %s: coloured', (_kind, line) => {
    expect(line).toMatch(/\u001b\[\d+m/);
  });

  it('level 1 writes the same text as level 0 under the colour', () => {
    const strip = (s: string) => s.replace(/\u001b\[\d+m/g, '');
    expect(everyLine(colour).map(([k, l]) => [k, strip(l)])).toEqual(everyLine(plain));
  });

  it('tick: local time to the ms, the name, the tick', () => {
    expect(plain.tick(tick)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} web tick 3$/);
  });

  it.each<[number, string]>([
    [1, ''],
    [2, ' (1 missed)'],
    [5, ' (4 missed)'],
  ])('tick with %d expirations ends with %j', (expirations, end) => {
    const line = plain.tick({ ...tick, tick: 9, expirations });
    expect(line.endsWith(`web tick 9${end}`)).toBe(true);
  });

  it.each<[Partial<RunEvent>, string]>([
    // "exit N" says the status: it is not repeated
    [{}, 'web tick 3: exit 0 after 12ms'],
    [{ status: 3, durationMs: 1500 }, 'web tick 3: exit 3 after 1.50s'],
    [{ status: 1, durationMs: 12_345 }, 'web tick 3: exit 1 after 12.3s'],
    [{ status: 137, signal: 'SIGKILL' }, 'web tick 3: killed by SIGKILL after 12ms (status 137)'],
    [{ status: 143, signal: 'SIGTERM', timedOut: true }, 'web tick 3: timed out, killed by SIGTERM after 12ms (status 143)'],
    [{ status: 124, timedOut: true }, 'web tick 3: timed out after 12ms (status 124)'],
    [{ status: 143, signal: 'SIGTERM', restarted: true }, 'web tick 3: restarted (ended by SIGTERM) after 12ms (status 143)'],
    [{ status: 127, pid: undefined, error: 'command not found: nope' }, 'web tick 3: command not found: nope after 12ms (status 127)'],
  ])('run %j', (change, text) => {
    expect(plain.run({ ...run, ...change })).toBe(text);
  });

  it('run: dim when it succeeded, red when not', () => {
    expect(colour.run(run)).toBe(`\u001b[2m${plain.run(run)}\u001b[22m`);
    const failed = { ...run, status: 2 };
    expect(colour.run(failed)).toBe(`\u001b[31m${plain.run(failed)}\u001b[39m`);
  });

  it.each<[number, string]>([
    [1, 'web tick 4: 1 tick not run (overlap)'],
    [3, 'web tick 4: 3 ticks not run (overlap)'],
  ])('skip of %d', (skipped, text) => {
    expect(plain.skip({ ...skip, skipped })).toBe(text);
  });

  it('clock step', () => {
    expect(plain.clockStep(clockStep)).toBe('web: the wall clock was set; re-armed for the same wall-clock time');
  });

  it.each<[string, Partial<StateEvent>, string]>([
    ['armed', {}, 'web: tick 3, 2 skipped, 1 running, next in 1.500 s, every 5s'],
    ['not armed', { remainingNs: undefined }, 'web: tick 3, 2 skipped, 1 running, next in -, every 5s'],
    ['one-shot', { intervalNs: 0n, tick: 0, skipped: 0, running: 0, remainingNs: 0n }, 'web: tick 0, 0 skipped, 0 running, next in 0.000 s'],
  ])('state, %s', (_what, change, text) => {
    expect(plain.state({ ...state, ...change })).toBe(text);
  });
});
