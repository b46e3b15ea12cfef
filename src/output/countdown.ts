// A one-line countdown on a terminal: the time left, redrawn in place, and cleared when done.
// It draws what it is given; whoever owns the loop decides when (cli/countdown.ts).
import type { ChalkInstance } from 'chalk';

// Time left as "mm:ss.t" or "h:mm:ss.t", rounded up to the tenth (never 0.0 while time is left).
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

export class CountdownLine {
  private shown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly chalk: ChalkInstance,
  ) {}

  draw(leftNs: bigint): void {
    this.write(`\r\x1b[K${this.chalk.cyan(formatLeft(leftNs))} left`);
    this.shown = true;
  }

  // Erases the line if one is shown.
  clear(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
