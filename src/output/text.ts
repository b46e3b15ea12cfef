// The schedule's events as readable lines, coloured by the chalk instance given.
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../grammar/duration.js';
import type { Formatter } from './format.js';

// Local wall time as "2026-11-27 15:50:00.123".
function localTime(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function textFormatter(chalk: ChalkInstance): Formatter {
  return {
    tick: (r) => {
      const missed = r.expirations > 1 ? chalk.yellow(` (${r.expirations - 1} missed)`) : '';
      return `${chalk.dim(localTime(r.timeNs))} ${chalk.bold(r.timer)} tick ${r.tick}${missed}`;
    },
    run: (r) => {
      const what = r.error
        ? r.error
        : r.timedOut
          ? `timed out, ${r.signal ? `killed by ${r.signal}` : `status ${r.status}`}`
          : r.restarted
            ? `restarted (ended by ${r.signal ?? `status ${r.status}`})`
          : r.signal
            ? `killed by ${r.signal}`
            : `exit ${r.status}`;
      const text = `${r.timer} tick ${r.tick}: ${what} after ${formatMs(r.durationMs)} (status ${r.status})`;
      return r.status === 0 ? chalk.dim(text) : chalk.red(text);
    },
    skip: (r) => chalk.yellow(`${r.timer} tick ${r.tick}: ${r.skipped} ${r.skipped === 1 ? 'tick' : 'ticks'} not run (${r.reason})`),
    clockStep: (e) => chalk.yellow(`${e.timer}: the wall clock was set; re-armed for the same wall-clock time`),
    state: (s) =>
      `${s.timer}: tick ${s.tick}, ${s.skipped} skipped, ${s.running} running, next in ${s.remainingNs === undefined ? '-' : formatDuration(s.remainingNs)}${s.intervalNs > 0n ? `, every ${formatDuration(s.intervalNs)}` : ''}`,
  };
}

function formatMs(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  return ms < 9995 ? `${(ms / 1000).toFixed(2)}s` : `${(ms / 1000).toFixed(1)}s`;
}
