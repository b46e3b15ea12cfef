// The warm-up wake on real timerfds: armed at most once per wake-up of the loop, whatever the
// number of timers; not armed when the next deadline is too near; closed when nothing is armed;
// and the expiration counts exact with it, with --precise's poll, and without it (lean). No
// latency is asserted here (the bench measures it): only counts, on a loaded machine too.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { once, every } from '../../src/lib/api.js';
import { Loop, type Expiration, type LoopTimer } from '../../src/loop/loop.js';
import { warmupMode } from '../../src/loop/warmup-mode.js';
import { WARMUP_MIN_NS } from '../../src/loop/warmup-mode.js';
import { CLOCK_MONOTONIC } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { MS, delay, distDir, runNode, sleepSync, waitFor } from '../helpers/kernel.js';
import { refusalOf } from '../helpers/refusal.js';
import { loopsClosedAfterEach } from '../helpers/loops.js';

const newLoop = loopsClosedAfterEach();

// The loop's wake-ups: afterDispatch runs once at the end of each (warm-up wakes deliver nothing
// and do not count).
function counted(options: ConstructorParameters<typeof Loop>[0] = {}): { loop: Loop; wakeups: () => number } {
  let n = 0;
  const loop = newLoop({ ...options, afterDispatch: () => n++ });
  return { loop, wakeups: () => n };
}

// Ticks add up (none lost, none counted twice), deadlines on the grid, never early.
function problems(t: LoopTimer, events: readonly Expiration[]): string[] {
  const out: string[] = [];
  let total = 0;
  for (const e of events) {
    total += e.expirations;
    if (e.tick !== total) out.push(`tick ${e.tick}: expected ${total}`);
    if (e.scheduled !== t.first + BigInt(e.tick - 1) * t.interval) out.push(`tick ${e.tick}: scheduled ${e.scheduled}`);
    if (e.time < e.scheduled) out.push(`tick ${e.tick}: seen before its deadline`);
  }
  return out;
}

describe('the warm-up wake', () => {
  it('is armed once per wake-up at most for 100,000 identical timers (one shared fd)', async () => {
    const { loop, wakeups } = counted();
    let first = 0;
    // 300 ms: arming 100,000 timers takes a while, and the first deadline must still be ahead.
    const list = Array.from({ length: 100_000 }, (_, i) => ({ options: { interval: 300n * MS }, handler: i === 0 ? () => first++ : () => {} }));
    const timers = loop.addAll(list);
    expect(loop.fdCount).toBe(1);
    await waitFor(() => first >= 3, 20_000, '3 wake-ups');
    for (const t of timers) t.cancel();
    expect(loop.warmupState.arms).toBeGreaterThanOrEqual(1);
    expect(loop.warmupState.arms).toBeLessThanOrEqual(wakeups() + 1);
  });

  it('is armed once per wake-up at most for 100,000 timers in the deadline queue', async () => {
    const { loop, wakeups } = counted({ maxFds: 0 });
    let fired = 0;
    const now = clockNow(CLOCK_MONOTONIC);
    // 50 groups 20 ms apart, from 1 s on: on a loaded machine arming may take most of a second,
    // and handling a group must still leave the next one more than WARMUP_MIN_NS ahead.
    const list = Array.from({ length: 100_000 }, (_, i) => ({ options: { at: now + 1000n * MS + BigInt(i % 50) * 20n * MS }, handler: () => fired++ }));
    loop.addAll(list);
    await waitFor(() => fired === 100_000, 30_000, 'every one-shot');
    expect(loop.size).toBe(0);
    expect(loop.warmupState.arms).toBeGreaterThanOrEqual(1);
    expect(loop.warmupState.arms).toBeLessThanOrEqual(wakeups() + 1);
  });

  it('is not armed when the next deadline is nearer than WARMUP_MIN_NS', async () => {
    const { loop } = counted();
    const interval = WARMUP_MIN_NS / 2n;
    const seen: Expiration[] = [];
    const t = loop.add({ interval }, (e) => seen.push(e));
    await waitFor(() => seen.length >= 10, 10_000, '10 ticks');
    t.cancel();
    expect(loop.warmupState.arms).toBe(0);
    expect(loop.warmupState.fd).toBe(-1);
  });

  it('is closed once nothing is armed, and arms again for a new timer', async () => {
    const { loop } = counted({ precise: true });
    let fired = 0;
    loop.add({ delay: 10n * MS }, () => fired++);
    expect(loop.warmupState.fd).toBeGreaterThanOrEqual(0);
    await waitFor(() => fired === 1, 10_000, 'the one-shot');
    expect(loop.size).toBe(0);
    expect(loop.warmupState.fd).toBe(-1);
    const t = loop.add({ delay: 1000n * MS }, () => {});
    expect(loop.warmupState.fd).toBeGreaterThanOrEqual(0);
    t.cancel();
    expect(loop.warmupState.fd).toBe(-1);
  });

  it('keeps no process alive: a precise one-shot and a periodic timer cancelled end the process', () => {
    const script = `import { Loop } from ${JSON.stringify(`${distDir}/loop/loop.js`)};
      const l = new Loop({ precise: true }); let n = 0;
      l.add({ delay: 10_000_000n }, () => console.log('once'));
      const t = l.add({ interval: 5_000_000n }, () => { if (++n === 5) { t.cancel(); console.log('every'); } });`;
    const r = runNode(script, { timeoutMs: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['every', 'once']);
  });

  it.each([
    ['default', {}],
    ['precise', { precise: true }],
    ['lean', { warmup: false }],
  ] as const)('leaves the expiration counts exact (%s), a blocked event loop included', async (_, options) => {
    const { loop } = counted(options);
    const seen: Expiration[] = [];
    const t = loop.add({ interval: 5n * MS }, (e) => seen.push(e));
    await waitFor(() => seen.length >= 4, 10_000, '4 ticks');
    sleepSync(30);
    await delay(20);
    const before = clockNow(CLOCK_MONOTONIC);
    t.flush();
    const after = clockNow(CLOCK_MONOTONIC);
    t.cancel();
    expect(problems(t, seen)).toEqual([]);
    // Every deadline due by the flush was delivered, and none later.
    const dueBy = (at: bigint) => Number((at - t.first) / t.interval) + 1;
    expect(t.tick).toBeGreaterThanOrEqual(dueBy(before));
    expect(t.tick).toBeLessThanOrEqual(dueBy(after));
    expect(seen.some((e) => e.expirations > 1)).toBe(true);
  });

  it('runs onWarmup with a sample of the timer due next, never its handler', async () => {
    const samples: Expiration[] = [];
    const { loop } = counted({ onWarmup: (s) => samples.push(s) });
    const seen: Expiration[] = [];
    const t = loop.add({ interval: 10n * MS }, (e) => seen.push(e));
    await waitFor(() => seen.length >= 3, 10_000, '3 ticks');
    t.cancel();
    expect(problems(t, seen)).toEqual([]);
    for (const s of samples) expect(s.timer).toBe(t);
  });

  it('is armed only for the timers that want it', async () => {
    const { loop } = counted();
    let n = 0;
    const t = loop.add({ interval: 5n * MS, warmup: false }, () => n++);
    await waitFor(() => n >= 3, 10_000, '3 ticks');
    t.cancel();
    expect(loop.warmupState.arms).toBe(0);
  });
});

describe('warm-up options', () => {
  it('resolve to a mode: the timer\'s own, else the loop\'s', () => {
    expect(warmupMode({}, 1)).toBe(1);
    expect(warmupMode({ warmup: false }, 1)).toBe(0);
    expect(warmupMode({ precise: true }, 0)).toBe(2);
    expect(warmupMode({ warmup: true }, 2)).toBe(2);
    expect(warmupMode({ precise: false }, 2)).toBe(1);
    expect(warmupMode({ warmup: true }, 0)).toBe(1);
  });

  it('are refused with a UsageError that names them', () => {
    expect(refusalOf(() => new Loop({ warmup: 'no' as unknown as boolean })).message).toMatch(/^warmup must be true or false/);
    expect(refusalOf(() => new Loop({ precise: 1 as unknown as boolean })).message).toMatch(/^precise must be true or false/);
    expect(refusalOf(() => new Loop({ precise: true, warmup: false })).message).toMatch(/precise needs the warm-up/);
    const loop = newLoop();
    expect(refusalOf(() => loop.add({ delay: 1n, precise: true, warmup: false }, () => {})).message).toMatch(/precise needs the warm-up/);
    expect(loop.size).toBe(0);
    expect(refusalOf(() => once('5ms', { precise: 'yes' as unknown as boolean })).message).toMatch(/^precise must be/);
    expect(refusalOf(() => every('5ms', { warmup: false, precise: true }))).toBeInstanceOf(UsageError);
  });

  it('are accepted by once() and every()', async () => {
    const ev = await once('3ms', { precise: true });
    expect(ev.expirations).toBe(1);
    let n = 0;
    for await (const tick of every('3ms', { warmup: false, count: 3 })) n += tick.expirations;
    expect(n).toBe(3);
  });
});
