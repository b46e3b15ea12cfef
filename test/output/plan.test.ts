import { describe, expect, it } from 'vitest';
import { formatPlan, planObject } from '../../src/output/plan.js';
import { buildSpec, type TimerSpec } from '../../src/kinds/spec.js';
import { parseWords } from '../../src/grammar/words.js';

const MS = 1_000_000n;
const at = (iso: string): bigint => BigInt(Date.parse(iso)) * MS;
const NOW = at('2026-01-15T12:00:30Z');

function spec(...words: string[]): TimerSpec {
  return buildSpec(parseWords(words), { nowNs: NOW, utcOffsetNs: 0n, defaultName: 'timer' });
}

describe('planObject', () => {
  it('every 1h30m --after 10s: nanoseconds as decimal strings', () => {
    expect(planObject(spec('every', '1h30m', '--after', '10s'))).toEqual({
      timer: 'timer',
      kind: 'every',
      clock: 'monotonic',
      absolute: false,
      value_ns: '10000000000',
      interval_ns: '5400000000000',
      count: null,
      for_ns: null,
      until: null,
      jitter_ns: '0',
      overlap: 'skip',
      timeout_ns: null,
      kill_after_ns: '10000000000',
      shell: false,
      command: null,
    });
  });

  it.each<[string[], Record<string, unknown>]>([
    [['once', '5s'], { kind: 'once', absolute: false, value_ns: '5000000000', interval_ns: '0' }],
    [['once', '0'], { value_ns: '0', interval_ns: '0' }],
    [['every', '250ms'], { value_ns: '250000000', interval_ns: '250000000' }],
    [['every', '5s', '--count', '3', '--for', '1m'], { count: 3, for_ns: '60000000000' }],
    [['every', '5s', '--until', '2026-01-15T13:00:00.5Z'], { until: '2026-01-15T13:00:00.5Z' }],
    [['every', '5s', '--jitter', '1ms', '--name', 'web'], { timer: 'web', jitter_ns: '1000000' }],
    [
      ['every', '5s', '--overlap', 'queue', '--timeout', '2s', '--kill-after', '1s', '--shell', '--', 'echo $X'],
      { overlap: 'queue', timeout_ns: '2000000000', kill_after_ns: '1000000000', shell: true, command: ['echo $X'] },
    ],
    // absolute plans: the instant in ns and as ISO 8601
    [
      ['at', '2099-01-01T00:00:00Z'],
      { kind: 'at', clock: 'realtime', absolute: true, value_ns: '4070908800000000000', first_time: '2099-01-01T00:00:00Z' },
    ],
    [
      ['every', '1m', '--align'],
      { clock: 'realtime', absolute: true, value_ns: String(at('2026-01-15T12:01:00Z')), first_time: '2026-01-15T12:01:00Z', interval_ns: '60000000000' },
    ],
    // --late run on a past time: relative, at once
    [['at', '2026-01-01T00:00:00Z', '--late', 'run'], { absolute: false, value_ns: '0' }],
  ])('%j', (words, expected) => {
    const plan = planObject(spec(...words));
    expect(plan).toMatchObject(expected);
    expect('first_time' in plan).toBe(plan.absolute);
  });

  it('keeps ns beyond 2^53 exact', () => {
    const plan = planObject(spec('every', '15250w', '--after', '9223372036.854775807s'));
    expect(plan).toMatchObject({ value_ns: '9223372036854775807', interval_ns: '9223200000000000000' });
  });
});

describe('formatPlan', () => {
  it('as JSON: one parseable line per spec, the same object as planObject', () => {
    const specs = [spec('every', '5s', '--name', 'a'), spec('once', '1s', '--name', 'b')];
    const lines = formatPlan(specs, true, 1_768_478_400_123_456_789n);
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      expect(line).not.toMatch(/\n/);
      expect(JSON.parse(line)).toEqual({ event: 'plan', time: '2026-01-15T12:00:00.123456789Z', ...planObject(specs[i]!) });
    }
  });

  it.each<[string[], string]>([
    [['once', '5s'], 'timer: once on monotonic, first in 5s, prints events'],
    [['every', '5s', '--count', '3'], 'timer: every on monotonic, first in 5s, then every 5s, 3 times, prints events'],
    [['every', '5s', '--count', '1'], 'timer: every on monotonic, first in 5s, then every 5s, 1 time, prints events'],
    [['every', '1h30m', '--after', '10s', '--for', '2h'], 'timer: every on monotonic, first in 10s, then every 1h30m, for 2h, prints events'],
    [['every', '1m', '--align'], 'timer: every on realtime, first at 2026-01-15T12:01:00Z, then every 1m, prints events'],
    [['every', '5s', '--until', '2026-01-15T13:00:00Z', '--jitter', '1s'], 'timer: every on monotonic, first in 5s, then every 5s, until 2026-01-15T13:00:00Z, jitter up to 1s, prints events'],
    [['at', '2099-01-01T00:00:00Z', '--clock', 'realtime-alarm'], 'timer: at on realtime-alarm, first at 2099-01-01T00:00:00Z, prints events'],
    // commands: quoted words, or one sh -c string; overlap only for periodic timers
    [['every', '5s', '--', 'echo', 'a b'], 'timer: every on monotonic, first in 5s, then every 5s, runs "echo" "a b", overlap skip'],
    [['once', '5s', '--', 'echo', 'a b'], 'timer: once on monotonic, first in 5s, runs "echo" "a b"'],
    [['once', '5s', '--shell', '--', 'echo "$X"'], 'timer: once on monotonic, first in 5s, runs sh -c "echo \\"$X\\""'],
    [
      ['every', '5s', '--overlap', 'restart', '--timeout', '2s', '--', 'x'],
      'timer: every on monotonic, first in 5s, then every 5s, runs "x", overlap restart, timeout 2s, then SIGKILL after 10s',
    ],
  ])('as text: %j', (words, text) => {
    expect(formatPlan([spec(...words)], false, 0n)).toEqual([text]);
  });

  it('prints nothing for no specs', () => {
    expect(formatPlan([], true, 0n)).toEqual([]);
    expect(formatPlan([], false, 0n)).toEqual([]);
  });
});
