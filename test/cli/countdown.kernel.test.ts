// The countdown's refresh on a real loop: redrawn from the time left, cleared when done.
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { startCountdown } from '../../src/cli/countdown.js';
import { Loop } from '../../src/loop/loop.js';

const MS = 1_000_000n;
const S = 1_000_000_000n;

describe('startCountdown', () => {
  let loop: Loop;
  afterEach(() => loop?.close());

  // Runs a countdown until it clears the line (or `until` says stop), collecting what it wrote.
  function collect(left: Array<bigint | undefined>, level: 0 | 1, until?: (writes: string[]) => boolean) {
    loop = new Loop();
    const writes: string[] = [];
    let calls = 0;
    return new Promise<{ writes: string[]; calls: number; stop: () => void }>((resolve) => {
      const { stop } = startCountdown(
        loop,
        () => left[calls++],
        (text) => {
          writes.push(text);
          if (text === '\r\x1b[K' || until?.(writes)) resolve({ writes, calls, stop });
        },
        new Chalk({ level }),
      );
    });
  }

  it('redraws the line from remaining() and clears it once the timer is done', async () => {
    const { writes, calls } = await collect([2500n * MS, 2400n * MS, undefined], 0);
    expect(writes).toEqual(['\r\x1b[K00:02.5 left', '\r\x1b[K00:02.4 left', '\r\x1b[K']);
    expect(calls).toBe(3);
    // The refresh timer is gone: the loop holds nothing.
    expect(loop.size).toBe(0);
  });

  it('colours the time at level 1', async () => {
    const { writes } = await collect([S, undefined], 1);
    expect(writes).toEqual(['\r\x1b[K\x1b[36m00:01.0\x1b[39m left', '\r\x1b[K']);
  });

  it('writes nothing when the timer is already done', async () => {
    loop = new Loop();
    const writes: string[] = [];
    await new Promise<void>((resolve) => {
      startCountdown(
        loop,
        () => {
          setImmediate(resolve);
          return undefined;
        },
        (text) => writes.push(text),
        new Chalk({ level: 0 }),
      );
    });
    expect(writes).toEqual([]);
    expect(loop.size).toBe(0);
  });

  it('stop() clears a shown line once, and no redraw follows', async () => {
    const { writes, stop } = await collect([S, S, S, S], 0, (w) => w.length === 1);
    stop();
    stop();
    expect(writes).toEqual(['\r\x1b[K00:01.0 left', '\r\x1b[K']);
    expect(loop.size).toBe(0);
  });
});
