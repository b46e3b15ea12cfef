// Loop.add takes durations as once() and every() do: strings in the grammar or bigint ns.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { Loop, type Expiration } from '../../src/loop/loop.js';
import { validate } from '../../src/loop/options.js';
import { hrNow } from '../helpers/kernel.js';

describe('TimerOptions durations', () => {
  it('reads strings exactly and passes bigints through', () => {
    expect(validate({ delay: '1h30m', interval: '250ms' })).toMatchObject({ delay: 5_400_000_000_000n, interval: 250_000_000n });
    const bigints = { delay: 5n, interval: 7n };
    expect(validate(bigints)).toBe(bigints);
  });

  it('refuses a bad string naming the option, and a string for `at`', () => {
    expect(() => validate({ interval: '5x' })).toThrow(UsageError);
    expect(() => validate({ interval: '5x' })).toThrow(/^interval: unknown unit/);
    expect(() => validate({ delay: '-1s' })).toThrow(/^delay: negative/);
    expect(() => validate({ at: '5s' as unknown as bigint })).toThrow(/at must be a bigint/);
  });

  it('arms a timer from strings: the first expiration after the delay, then on the interval', async () => {
    const loop = new Loop();
    const seen: Expiration[] = [];
    const t0 = hrNow();
    await new Promise<void>((resolve) => {
      const timer = loop.add({ delay: '20ms', interval: '10ms' }, (ev) => {
        seen.push(ev);
        if (ev.tick >= 3) {
          timer.cancel();
          resolve();
        }
      });
      expect(timer.interval).toBe(10_000_000n);
      expect(timer.first - t0).toBeGreaterThanOrEqual(20_000_000n);
    });
    loop.close();
    expect(seen[0]!.scheduled - t0).toBeGreaterThanOrEqual(20_000_000n);
    expect(seen.at(-1)!.scheduled - seen[0]!.scheduled).toBe(BigInt(seen.at(-1)!.tick - seen[0]!.tick) * 10_000_000n);
  });

  it('refuses a bad string in addAll before arming anything', () => {
    const loop = new Loop();
    const noop = () => {};
    expect(() => loop.addAll([{ options: { delay: '1s' }, handler: noop }, { options: { delay: 'soon' }, handler: noop }])).toThrow(/delay/);
    expect(loop.size).toBe(0);
    loop.close();
  });
});
