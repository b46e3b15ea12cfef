// once() and every() on real timers, each on a private Loop so its size can be watched.
import { describe, expect, it } from 'vitest';
import { every, once } from '../../src/lib/api.js';
import { defaultLoop } from '../../src/lib/default-loop.js';
import { Loop, type Expiration } from '../../src/loop/loop.js';
import { CLOCK_MONOTONIC } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { UsageError } from '../../src/errors.js';
import { MS, delay } from '../helpers/kernel.js';
import { loopsClosedAfterEach } from '../helpers/loops.js';
import { refusalOf } from '../helpers/refusal.js';

const newLoop = loopsClosedAfterEach();

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('once', () => {
  it("once('20ms') resolves with the expiration, not before", async () => {
    const loop = newLoop();
    const t0 = clockNow(CLOCK_MONOTONIC);
    const p = once('20ms', { loop });
    expect(loop.size).toBe(1);
    const e = await p;
    expect(e.expirations).toBe(1);
    expect(e.tick).toBe(1);
    expect(e.scheduled).toBeGreaterThanOrEqual(t0 + 20n * MS);
    expect(e.time).toBeGreaterThanOrEqual(e.scheduled);
    expect(e.timer.armed).toBe(false);
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
  });

  it('once(0n) resolves at once', async () => {
    const loop = newLoop();
    const t0 = clockNow(CLOCK_MONOTONIC);
    const e = await once(0n, { loop });
    expect(e.tick).toBe(1);
    expect(e.time - t0).toBeLessThan(100n * MS);
    expect(loop.size).toBe(0);
  });

  it('uses the shared default loop when none is given, on the chosen clock', async () => {
    const e = await once('1ms', { clock: 'boottime' });
    expect(e.timer.clock).toBe('boottime');
    expect(defaultLoop().size).toBe(0);
  });

  it('an AbortSignal rejects with AbortError and cancels the timer', async () => {
    const loop = newLoop();
    const ac = new AbortController();
    const p = once('1s', { loop, signal: ac.signal });
    expect(loop.size).toBe(1);
    setTimeout(() => ac.abort(), 10);
    const err = await rejection(p);
    expect(err.name).toBe('AbortError');
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
  });

  it('an AbortSignal with a reason rejects with that reason', async () => {
    const loop = newLoop();
    const ac = new AbortController();
    const reason = new Error('stop now');
    const p = once('1s', { loop, signal: ac.signal });
    ac.abort(reason);
    expect(await rejection(p)).toBe(reason);
    expect(loop.size).toBe(0);
  });

  it('an already aborted signal rejects without arming anything', async () => {
    const loop = newLoop();
    const err = await rejection(once('10ms', { loop, signal: AbortSignal.abort() }));
    expect(err.name).toBe('AbortError');
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
  });

  it('bad delays throw UsageError synchronously and arm nothing', () => {
    const loop = newLoop();
    for (const bad of [-1n, 'abc', '-5ms', '', 5 as unknown as bigint]) {
      let err: unknown;
      try {
        void once(bad, { loop });
      } catch (e) {
        err = e;
      }
      expect(err, `once(${String(bad)})`).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(125);
    }
    expect(loop.size).toBe(0);
  });

  it('a bad clock or wake option throws synchronously too (not a rejected promise), and arms nothing', () => {
    const loop = newLoop();
    const bad: Array<[string, () => unknown, RegExp]> = [
      ['clock', () => once('5ms', { loop, clock: 'nope' as never }), /^unknown clock "nope"/],
      ['warmup', () => once('5ms', { loop, warmup: 'yes' as never }), /^warmup must be true or false/],
      ['precise without the warm-up', () => once('5ms', { loop, warmup: false, precise: true }), /^precise needs the warm-up/],
      ['every, aborted already', () => every('5ms', { loop, precise: 1 as never, signal: AbortSignal.abort() }), /^precise must be true or false/],
    ];
    for (const [what, call, message] of bad) expect(refusalOf(call, what).message).toMatch(message);
    expect(loop.size).toBe(0);
  });
});

describe('every', () => {
  it('with count, a late wake-up carrying more expirations than were left yields only those left', async () => {
    const loop = newLoop();
    const iterator = every('2ms', { count: 3, loop });
    const armed = clockNow(CLOCK_MONOTONIC);
    // Paused, the kernel goes on counting: wait (measured) until 5 periods have passed.
    loop.pause();
    while (clockNow(CLOCK_MONOTONIC) - armed < 10n * MS) await delay(2);
    loop.resume();
    const events: Expiration[] = [];
    for await (const e of iterator) events.push(e);
    expect(events).toHaveLength(1);
    const [last] = events;
    expect(last!.tick).toBe(3);
    expect(last!.expirations).toBe(3);
    // Due when the third one was: two periods after the first deadline, and late by the rest.
    expect(last!.scheduled).toBe(last!.timer.first + 4n * MS);
    expect(last!.latenessUs).toBeCloseTo(Number(last!.time - last!.scheduled) / 1000, 3);
    expect(loop.size).toBe(0);
  });

  it("every('5ms', {count: 5}) yields ticks up to 5, then ends", async () => {
    const loop = newLoop();
    const events: Expiration[] = [];
    for await (const e of every('5ms', { count: 5, loop })) events.push(e);
    // Ticks are cumulative expiration counts; with no missed wake-up that is exactly 1..5.
    let total = 0;
    for (const e of events) {
      total += e.expirations;
      expect(e.tick).toBe(total);
    }
    // A late last wake-up carrying more than were left is clipped: exactly 5 in all.
    expect(events.at(-1)!.tick).toBe(5);
    expect(total).toBe(5);
    expect(events.slice(0, -1).every((e) => e.tick < 5)).toBe(true);
    if (events.every((e) => e.expirations === 1)) expect(events.map((e) => e.tick)).toEqual([1, 2, 3, 4, 5]);
    expect(events.length).toBeLessThanOrEqual(5);
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
  });

  it('the first event comes one interval after the start by default', async () => {
    const loop = newLoop();
    const t0 = clockNow(CLOCK_MONOTONIC);
    const it = every('30ms', { loop });
    const first = (await it.next()).value as Expiration;
    await it.return!();
    expect(first.scheduled).toBeGreaterThanOrEqual(t0 + 30n * MS);
    expect(first.time).toBeGreaterThanOrEqual(first.scheduled);
    expect(loop.size).toBe(0);
  });

  it('breaking out of for-await after 3 events cancels the timer', async () => {
    const loop = newLoop();
    const ticks: number[] = [];
    for await (const e of every('5ms', { loop })) {
      ticks.push(e.tick);
      if (ticks.length === 3) break;
    }
    expect(ticks).toHaveLength(3);
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
    await delay(20);
    expect(loop.size).toBe(0);
  });

  it('an AbortSignal rejects the pending next() with AbortError and cancels', async () => {
    const loop = newLoop();
    const ac = new AbortController();
    const it = every('5ms', { loop, signal: ac.signal });
    expect((await it.next()).done).toBe(false);
    setTimeout(() => ac.abort(), 2);
    let err: Error | undefined;
    try {
      for (;;) await it.next(); // events may still be queued; the abort ends it
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe('AbortError');
    expect(loop.size).toBe(0);
    expect(loop.fdCount).toBe(0);
  });

  it('an already aborted signal arms nothing and the first next() rejects', async () => {
    const loop = newLoop();
    const it = every('5ms', { loop, signal: AbortSignal.abort() });
    expect(loop.size).toBe(0);
    expect((await rejection(it.next())).name).toBe('AbortError');
  });

  it('after: 0n brings the first event at once', async () => {
    const loop = newLoop();
    const t0 = clockNow(CLOCK_MONOTONIC);
    const it = every('1s', { after: 0n, loop });
    const first = (await it.next()).value as Expiration;
    expect(first.tick).toBe(1);
    expect(first.time - t0).toBeLessThan(100n * MS);
    expect(first.timer.interval).toBe(1_000_000_000n);
    await it.return!();
    expect(loop.size).toBe(0);
  });

  it('Symbol.asyncDispose cancels', async () => {
    const loop = newLoop();
    const it = every('10ms', { loop });
    expect(loop.size).toBe(1);
    await it[Symbol.asyncDispose]();
    expect(loop.size).toBe(0);
    expect((await it.next()).done).toBe(true);
  });

  it('bad inputs throw UsageError synchronously and arm nothing', () => {
    const loop = newLoop();
    const cases: Array<[string, () => unknown]> = [
      ['negative interval', () => every(-5n, { loop })],
      ['zero interval', () => every(0n, { loop })],
      ["'0s' interval", () => every('0s', { loop })],
      ["'abc' interval", () => every('abc', { loop })],
      ['count 0', () => every('5ms', { count: 0, loop })],
      ['count -1', () => every('5ms', { count: -1, loop })],
      ['count 1.5', () => every('5ms', { count: 1.5, loop })],
      ['count NaN', () => every('5ms', { count: NaN, loop })],
      ['after negative', () => every('5ms', { after: -1n, loop })],
      ["after 'abc'", () => every('5ms', { after: 'abc', loop })],
    ];
    for (const [what, fn] of cases) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode, what).toBe(125);
    }
    expect(loop.size).toBe(0);
  });
});
