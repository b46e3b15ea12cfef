// The retry kind: its spec from words, the rule for its waits, and its plan.
import { describe, expect, it } from 'vitest';
import { parseBackoff } from '../../src/grammar/backoff.js';
import { parseWords } from '../../src/grammar/words.js';
import { DEFAULT_ATTEMPTS, jittered, nextWait, planWaits, retry } from '../../src/kinds/retry.js';
import { buildSpec, type TimerSpec } from '../../src/kinds/spec.js';
import { formatPlan } from '../../src/output/plan.js';
import { refusalOf } from '../helpers/refusal.js';

const MS = 1_000_000n;
const S = 1000n * MS;
const M = 60n * S;
const CTX = { nowNs: 1_768_478_430_000_000_000n, utcOffsetNs: 0n, defaultName: 'timer' };

const spec = (...words: string[]): TimerSpec => buildSpec(parseWords(['retry', ...words]), CTX);

function refusal(...words: string[]): string {
  return refusalOf(() => spec(...words)).message;
}

// The first n waits (before jitter), each from the one before.
function waits(text: string, n: number): bigint[] {
  const backoff = parseBackoff(text);
  const out: bigint[] = [];
  let prev: bigint | undefined;
  for (let i = 0; i < n; i++) out.push((prev = nextWait(backoff, prev)));
  return out;
}

describe('retry specs', () => {
  it('defaults: 10 attempts, curl\'s backoff, no jitter, the monotonic clock, the first attempt at once', () => {
    const s = spec('--', 'curl', '-f', 'http://x');
    expect(s).toMatchObject({ kind: 'retry', clock: 'monotonic', attempts: DEFAULT_ATTEMPTS, jitterNs: 0n, command: ['curl', '-f', 'http://x'] });
    expect(s.backoff).toEqual(parseBackoff('1s:2:10m'));
    expect(s.forNs).toBeUndefined();
    expect(retry.timer(s)).toEqual({ name: 'timer', clock: 'monotonic', delay: 0n });
  });

  it('with --for and no --attempts, as many attempts as fit', () => {
    const s = spec('--for', '2m', '--', 'x');
    expect(s.forNs).toBe(2n * M);
    expect(s.attempts).toBeUndefined();
    expect(spec('--for', '2m', '--attempts', '3', '--', 'x')).toMatchObject({ forNs: 2n * M, attempts: 3 });
  });

  it('takes the options of a command run', () => {
    const s = spec('--attempts', '4', '--backoff', '100ms:3', '--jitter', '50ms', '--timeout', '5s', '--kill-after', '1s', '--shell', '--name', 'up', '--clock', 'boottime', '--', 'curl -f x');
    expect(s).toMatchObject({ attempts: 4, jitterNs: 50n * MS, timeoutNs: 5n * S, killAfterNs: S, shell: true, name: 'up', clock: 'boottime' });
    expect(s.backoff).toEqual(parseBackoff('100ms:3'));
  });

  it.each([
    [['--', 'x', '5s'], null],
    [['5s', '--', 'x'], 'retry: unexpected argument "5s" (put the command after --)'],
    [[], 'retry needs a command after --'],
    [['--attempts', '3'], 'retry needs a command after --'],
    [['--attempts', '0', '--', 'x'], '--attempts: must be a positive integer (got "0")'],
    [['--for', '0', '--', 'x'], '--for: must be greater than 0'],
    [['--backoff', '1s:0.5', '--', 'x'], '--backoff: FACTOR: must be at least 1, or the waits would shrink (got "0.5")'],
    [['--count', '3', '--', 'x'], 'option --count does not apply to retry'],
    [['--overlap', 'queue', '--', 'x'], 'option --overlap does not apply to retry'],
    [['--fail-fast', '--', 'x'], 'option --fail-fast does not apply to retry'],
    [['--until', '18:00', '--', 'x'], 'option --until does not apply to retry'],
  ])('%j', (words, message) => {
    if (message === null) expect(spec(...words).command).toEqual(['x', '5s']);
    else expect(refusal(...words)).toBe(message);
  });

  it('--attempts and --backoff belong to retry only', () => {
    expect(() => buildSpec(parseWords(['every', '1s', '--attempts', '3']), CTX)).toThrow('option --attempts does not apply to every');
    expect(() => buildSpec(parseWords(['once', '1s', '--backoff', '1s']), CTX)).toThrow('option --backoff does not apply to once');
  });

  it('is refused in a run table line', () => {
    expect(() => parseWords(['retry', '--', 'x'], 'table')).toThrow(/use it on the command line, not in a table/);
  });
});

describe('the waits', () => {
  it('double from INITIAL and stop growing at MAX', () => {
    expect(waits('1s', 12)).toEqual([1n, 2n, 4n, 8n, 16n, 32n, 64n, 128n, 256n, 512n, 600n, 600n].map((n) => n * S));
    expect(waits('100ms:3:1s', 4)).toEqual([100n * MS, 300n * MS, 900n * MS, S]);
  });

  it('with FACTOR 1 stay the same', () => {
    expect(waits('5s:1', 5)).toEqual([5n * S, 5n * S, 5n * S, 5n * S, 5n * S]);
  });

  it('with a fractional FACTOR are exact, rounded down to the nanosecond', () => {
    expect(waits('1s:1.5', 4)).toEqual([S, 1500n * MS, 2250n * MS, 3375n * MS]);
    // 7 ns × 1.5 = 10.5 → 10, × 1.5 = 15, × 1.5 = 22.5 → 22
    expect(waits('7ns:1.5', 4)).toEqual([7n, 10n, 15n, 22n]);
  });

  it('never decrease, never pass MAX, whatever the factor', () => {
    for (const text of ['1ns:1.000001:1s', '3ms:7.25:1h', '1s:9999.999999:2s', '0:2:1s']) {
      const backoff = parseBackoff(text);
      const list = waits(text, 60);
      for (let i = 1; i < list.length; i++) {
        expect(list[i]!).toBeGreaterThanOrEqual(list[i - 1]!);
        expect(list[i]!).toBeLessThanOrEqual(backoff.maxNs);
      }
    }
  });

  it('jitter adds a random time below --jitter', () => {
    expect(jittered(S, 0n, () => 0.99)).toBe(S);
    expect(jittered(S, 100n * MS, () => 0)).toBe(S);
    expect(jittered(S, 100n * MS, () => 0.5)).toBe(S + 50n * MS);
    const high = jittered(S, 100n * MS, () => 1 - Number.EPSILON);
    expect(high).toBeGreaterThan(S + 99n * MS);
    expect(high).toBeLessThan(S + 100n * MS);
  });
});

describe('the plan', () => {
  it('lists the waits the attempts need', () => {
    expect(planWaits(spec('--attempts', '4', '--', 'x'))).toEqual([S, 2n * S, 4n * S]);
    expect(planWaits(spec('--attempts', '1', '--', 'x'))).toEqual([]);
    expect(planWaits(spec('--', 'x'))).toHaveLength(DEFAULT_ATTEMPTS - 1);
  });

  it('in text: the attempts, the waits, how they go on', () => {
    expect(formatPlan([spec('--attempts', '3', '--', 'curl', '-f', 'x')], false, 0n)).toEqual([
      'timer: retry on monotonic, up to 3 attempts, the first at once, then after each failure a wait of 1s, 2s, runs "curl" "-f" "x"',
    ]);
    expect(formatPlan([spec('--for', '1m', '--backoff', '1s:2:4s', '--', 'x')], false, 0n)[0]).toBe(
      'timer: retry on monotonic, attempts until --for ends, the first at once, then after each failure a wait of 1s, 2s, 4s, then 4s each time, for 1m, runs "x"',
    );
    expect(formatPlan([spec('--attempts', '30', '--timeout', '5s', '--', 'x')], false, 0n)[0]).toBe(
      'timer: retry on monotonic, up to 30 attempts, the first at once, then after each failure a wait of 1s, 2s, 4s, 8s, 16s, 32s, 1m4s, 2m8s, 4m16s, … up to 10m, runs "x", timeout 5s, then SIGKILL after 10s',
    );
  });

  it('in JSON: the attempts and the backoff, exactly', () => {
    const [line] = formatPlan([spec('--attempts', '3', '--backoff', '250ms:1.5', '--', 'x')], true, 0n);
    expect(JSON.parse(line!)).toMatchObject({
      kind: 'retry',
      attempts: 3,
      backoff: '250ms:1.5:10m',
      initial_ns: '250000000',
      factor: '1.5',
      max_ns: '600000000000',
      waits_ns: ['250000000', '375000000'],
      command: ['x'],
    });
  });
});
