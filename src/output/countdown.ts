// A one-line countdown on a terminal's stderr, redrawn ten times a second from the time left
// on the timer (timerfd_gettime), and cleared when the timer is done. Refreshed by a timerfd
// on the same loop: no JavaScript timers.
import type { ChalkInstance } from 'chalk';
import type { Loop } from '../loop.js';

const REFRESH_NS = 100_000_000n;

export function formatLeft(ns: bigint): string {
  const tenths = Number((ns + 99_999_999n) / 100_000_000n);
  const total = Math.floor(tenths / 10);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  const frac = `.${tenths % 10}`;
  return h > 0 ? `${h}:${p(m)}:${p(s)}${frac}` : `${p(m)}:${p(s)}${frac}`;
}

export function startCountdown(
  loop: Loop,
  remaining: () => bigint | undefined,
  write: (text: string) => void,
  chalk: ChalkInstance,
): () => void {
  let shown = false;
  const timer = loop.add({ delay: 0n, interval: REFRESH_NS, clock: 'monotonic', name: 'countdown' }, () => {
    const left = remaining();
    if (left === undefined) return stop();
    write(`\r\x1b[K${chalk.cyan(formatLeft(left))} left`);
    shown = true;
  });
  function stop(): void {
    timer.cancel();
    if (shown) write('\r\x1b[K');
    shown = false;
  }
  return stop;
}
