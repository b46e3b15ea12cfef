import { afterEach, describe, expect, it, vi } from 'vitest';
import { Loop } from '../../src/loop/loop.js';
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import type { Reporter, RunEvent, SkipEvent, TickEvent } from '../../src/supervise/events.js';
import { Schedule, type RunnerFactory } from '../../src/supervise/schedule.js';
import { buildSpec, type TimerSpec } from '../../src/kinds/spec.js';
import { parseWords } from '../../src/grammar/words.js';

const MS = 1_000_000n;
const H = 3_600_000_000_000n;

function spec(...words: string[]): TimerSpec {
  return buildSpec(parseWords(words), { nowNs: clockNow(CLOCK_REALTIME), utcOffsetNs: 0n, defaultName: 'timer' });
}

// Blocks the thread (and so Node's loop) for `ms`: the kernel keeps counting expirations.
function block(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// A Reporter that keeps every call, each tick with the wall time it arrived.
function recorder() {
  const ticks: Array<TickEvent & { arrivedNs: bigint }> = [];
  const calls = { commandTick: [] as TickEvent[], run: [] as RunEvent[], skip: [] as SkipEvent[] };
  const steps: string[] = [];
  const reporter: Reporter = {
    tick: (r) => ticks.push({ ...r, arrivedNs: clockNow(CLOCK_REALTIME) }),
    commandTick: (r) => calls.commandTick.push(r),
    run: (r) => calls.run.push(r),
    attempt: () => {
      throw new Error('a schedule reports no retry attempts');
    },
    giveUp: () => {
      throw new Error('a schedule reports no retry attempts');
    },
    skip: (r) => calls.skip.push(r),
    clockStep: (e) => steps.push(e.timer),
    missed: (e) => steps.push(`missed ${e.timer} ${e.count}`),
    catchUp: (e) => steps.push(`catch-up ${e.timer} ${e.count}`),
    problem: (e) => steps.push(`problem ${e.timer}: ${e.message}`),
  };
  return { reporter, ticks, calls, steps };
}

const noRunner: RunnerFactory = () => {
  throw new Error('these tests run no commands');
};

let loop: Loop;
afterEach(() => loop?.close());

function schedule(specs: TimerSpec[], random?: () => number) {
  loop = new Loop();
  const rec = recorder();
  const s = new Schedule(loop, specs, rec.reporter, noRunner, random);
  return { schedule: s, ...rec };
}

const sum = (ticks: TickEvent[]) => ticks.reduce((n, t) => n + t.expirations, 0);

describe('Schedule, timers without commands', () => {
  it('every 10ms --count 3: ticks add up to 3, then status 0 and nothing left armed', async () => {
    const { schedule: s, ticks, calls } = schedule([spec('every', '10ms', '--count', '3')]);
    s.start();
    expect(await s.done).toEqual({ status: 0 });
    expect(sum(ticks)).toBe(3);
    expect(ticks.at(-1)!.tick).toBe(3);
    expect(ticks.map((t) => t.timer)).toEqual(ticks.map(() => 'timer'));
    // a running total, on an exact grid of the interval
    for (let i = 1; i < ticks.length; i++) {
      expect(ticks[i]!.tick).toBe(ticks[i - 1]!.tick + ticks[i]!.expirations);
      expect(ticks[i]!.scheduledNs - ticks[i - 1]!.scheduledNs).toBe(BigInt(ticks[i]!.expirations) * 10n * MS);
    }
    expect(calls).toEqual({ commandTick: [], run: [], skip: [] });
    expect(loop.size).toBe(0);
  });

  it('--count stops at N even when one wake-up carries more expirations', async () => {
    const { schedule: s, ticks } = schedule([spec('every', '5ms', '--count', '3')]);
    s.start();
    block(40);
    expect(await s.done).toEqual({ status: 0 });
    expect(ticks).toHaveLength(1);
    expect(ticks[0]).toMatchObject({ tick: 3, expirations: 3 });
  });

  it('once: one tick, then status 0', async () => {
    const { schedule: s, ticks } = schedule([spec('once', '0', '--name', 'now')]);
    s.start();
    expect(await s.done).toEqual({ status: 0 });
    expect(ticks).toHaveLength(1);
    expect(ticks[0]).toMatchObject({ timer: 'now', tick: 1, expirations: 1 });
    expect(ticks[0]!.latenessUs).toBeGreaterThanOrEqual(0);
    expect(loop.size).toBe(0);
  });

  it('once 20ms: the tick is not early', async () => {
    const start = clockNow(CLOCK_REALTIME);
    const { schedule: s, ticks } = schedule([spec('once', '20ms')]);
    s.start();
    await s.done;
    expect(ticks[0]!.timeNs - start).toBeGreaterThanOrEqual(20n * MS);
    expect(ticks[0]!.timeNs >= ticks[0]!.scheduledNs).toBe(true);
  });

  it('at: the scheduled time is the instant asked for, to the nanosecond', async () => {
    const due = clockNow(CLOCK_REALTIME) + 20n * MS + 123n;
    const s = spec('at', `@${due / 1_000_000_000n}.${String(due % 1_000_000_000n).padStart(9, '0')}`);
    expect(s.atNs).toBe(due);
    const { schedule: sch, ticks } = schedule([s]);
    sch.start();
    await sch.done;
    expect(ticks).toHaveLength(1);
    expect(ticks[0]!.scheduledNs).toBe(due);
    expect(ticks[0]!.timeNs >= due).toBe(true);
  });

  it('several timers: done once all are', async () => {
    const { schedule: s, ticks } = schedule([spec('once', '0', '--name', 'a'), spec('once', '15ms', '--name', 'b')]);
    s.start();
    expect(await s.done).toEqual({ status: 0 });
    expect(ticks.map((t) => t.timer)).toEqual(['a', 'b']);
  });

  it('stop() resolves done, with the status given, and disarms', async () => {
    const { schedule: s, ticks } = schedule([spec('every', '1h')]);
    s.start();
    expect(s.remaining()).toBeGreaterThan(0n);
    await s.stop(undefined);
    expect(await s.done).toEqual({ status: 0 });
    expect(s.remaining()).toBeUndefined();
    expect(s.states()[0]!.remainingNs).toBeUndefined();
    expect(loop.size).toBe(0);
    expect(ticks).toEqual([]);
    // a second stop changes nothing
    await s.stop('SIGTERM', 9);
    expect(await s.done).toEqual({ status: 0 });
  });

  it('stop(signal, status) ends with that status', async () => {
    const { schedule: s } = schedule([spec('every', '1h'), spec('once', '1h')]);
    s.start();
    void s.stop('SIGINT', 3);
    expect(await s.done).toEqual({ status: 3 });
  });

  it.each<[string[], number]>([
    // 30ms jitter at a fraction of 0.8: the report comes 24ms after the expiration
    [['once', '0', '--jitter', '30ms'], 0.8],
    [['every', '10ms', '--count', '1', '--jitter', '50ms'], 0.9],
  ])('%j, random() = %d: the tick is reported after the jitter', async (words, fraction) => {
    const random = vi.fn(() => fraction);
    const s = spec(...words);
    const { schedule: sch, ticks } = schedule([s], random);
    let doneAt = 0n;
    void sch.done.then(() => (doneAt = clockNow(CLOCK_REALTIME)));
    sch.start();
    await sch.done;
    expect(random).toHaveBeenCalledTimes(1);
    expect(ticks).toHaveLength(1);
    const jitter = BigInt(Math.floor(fraction * Number(s.jitterNs)));
    expect(ticks[0]!.arrivedNs - ticks[0]!.timeNs).toBeGreaterThanOrEqual(jitter);
    // done waits for the delayed report
    await Promise.resolve();
    expect(doneAt >= ticks[0]!.arrivedNs).toBe(true);
  });

  it('random() = 0: no delay to speak of', async () => {
    const { schedule: s, ticks } = schedule([spec('once', '0', '--jitter', '1h')], () => 0);
    s.start();
    await s.done;
    expect(ticks[0]!.arrivedNs - ticks[0]!.timeNs).toBeLessThan(1000n * MS);
  });

  it('states(): ticks, skipped, remaining and interval of each timer', async () => {
    const { schedule: s, ticks } = schedule([spec('every', '1h', '--name', 'hourly'), spec('every', '10ms', '--name', 'fast')]);
    s.start();
    const [hourly, fast] = s.states();
    expect(hourly).toMatchObject({ timer: 'hourly', tick: 0, skipped: 0, intervalNs: H, running: 0 });
    expect(hourly!.remainingNs! > H - 1000n * MS && hourly!.remainingNs! <= H).toBe(true);
    expect(fast).toMatchObject({ timer: 'fast', tick: 0, intervalNs: 10n * MS });
    expect(fast!.remainingNs! <= 10n * MS).toBe(true);
    // the first timer's remaining time is the countdown's
    expect(s.remaining()! <= hourly!.remainingNs!).toBe(true);

    await vi.waitFor(() => expect(sum(ticks)).toBeGreaterThanOrEqual(2), { interval: 5 });
    const later = s.states()[1]!;
    expect(later.tick).toBe(sum(ticks));
    expect(later.remainingNs! <= 10n * MS).toBe(true);
    await s.stop(undefined);
  });

  it('states() after the end: not armed', async () => {
    const { schedule: s } = schedule([spec('every', '5ms', '--count', '2')]);
    s.start();
    await s.done;
    expect(s.states()).toEqual([
      { timer: 'timer', timeNs: expect.any(BigInt), tick: expect.any(Number), skipped: 0, remainingNs: undefined, intervalNs: 5n * MS, running: 0 },
    ]);
    expect(s.states()[0]!.tick).toBeGreaterThanOrEqual(2);
  });

  it('states() agrees with the reports: no tick past --count', async () => {
    const { schedule: s, ticks } = schedule([spec('every', '5ms', '--count', '2')]);
    s.start();
    block(30);
    await s.done;
    expect(ticks.at(-1)!.tick).toBe(2);
    expect(s.states()[0]!.tick).toBe(2);
  });

  it('missed expirations are counted in the tick report (no skip report without a command)', async () => {
    const { schedule: s, ticks, calls } = schedule([spec('every', '10ms')]);
    const before = clockNow(CLOCK_MONOTONIC);
    s.start();
    block(55);
    const blocked = clockNow(CLOCK_MONOTONIC) - before;
    await vi.waitFor(() => expect(ticks.length).toBeGreaterThan(0), { interval: 5 });
    await s.stop(undefined);
    const [first] = ticks;
    // the kernel counted every expiration while Node was blocked
    expect(first!.expirations).toBeGreaterThanOrEqual(Number(blocked / (10n * MS)));
    expect(first!.expirations).toBeGreaterThanOrEqual(5);
    expect(first!.tick).toBe(first!.expirations);
    // the latest of them is the one reported as scheduled
    expect(first!.latenessUs).toBeLessThan(10_000 + 50_000);
    expect(calls.skip).toEqual([]);
  });

  it('--for ends the timer after the duration', async () => {
    const { schedule: s, ticks } = schedule([spec('every', '20ms', '--for', '50ms')]);
    const start = clockNow(CLOCK_MONOTONIC);
    s.start();
    expect(await s.done).toEqual({ status: 0 });
    expect(clockNow(CLOCK_MONOTONIC) - start).toBeGreaterThanOrEqual(50n * MS);
    // ticks at 20 and 40 ms; a loaded machine may see the one at 60 first
    expect(sum(ticks)).toBeGreaterThanOrEqual(2);
    expect(sum(ticks)).toBeLessThanOrEqual(3);
    expect(loop.size).toBe(0);
  });

  it('--until ends the timer at the wall-clock time', async () => {
    const until = clockNow(CLOCK_REALTIME) + 50n * MS;
    const s = spec('every', '20ms');
    const { schedule: sch, ticks } = schedule([{ ...s, untilNs: until }]);
    sch.start();
    expect(await sch.done).toEqual({ status: 0 });
    expect(clockNow(CLOCK_REALTIME) >= until).toBe(true);
    expect(sum(ticks)).toBeGreaterThanOrEqual(2);
    expect(sum(ticks)).toBeLessThanOrEqual(3);
  });
});
