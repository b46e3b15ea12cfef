// The countdown's refresh: a 100 ms timerfd on the same loop (no JavaScript timers) that redraws
// the line from the time left on the schedule, until nothing is left. clear() erases it before
// any other output (the next refresh draws it again while time is left).
import type { ChalkInstance } from 'chalk';
import type { Loop } from '../loop/loop.js';
import { CountdownLine } from '../output/countdown.js';

const REFRESH_NS = 100_000_000n;

export interface Countdown {
  clear(): void;
  stop(): void;
}

export function startCountdown(
  loop: Loop,
  remaining: () => bigint | undefined,
  write: (text: string) => void,
  chalk: ChalkInstance,
): Countdown {
  const line = new CountdownLine(write, chalk);
  const timer = loop.add({ delay: 0n, interval: REFRESH_NS, clock: 'monotonic', name: 'countdown' }, () => {
    const left = remaining();
    if (left === undefined) return stop();
    line.draw(left);
  });
  function stop(): void {
    timer.cancel();
    line.clear();
  }
  return { clear: () => line.clear(), stop };
}
