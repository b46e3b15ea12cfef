// The schedule's events as readable lines, coloured by the chalk instance given.
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../grammar/duration.js';
import type { Formatter, RunEvent } from './format.js';

const p = (n: number, w = 2) => String(n).padStart(w, '0');
// Events come many to a second: the part up to the seconds is made once per second.
let lastSecond = NaN;
let lastBase = '';

// Local wall time as "2026-11-27 15:50:00.123".
function localTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const d = new Date(second * 1000);
    lastSecond = second;
    lastBase = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
  return `${lastBase}.${p(ms - second * 1000, 3)}`;
}

const plain = (text: string): string => text;

export function textFormatter(chalk: ChalkInstance): Formatter {
  // A tick's styles, none when uncoloured (not a terminal, NO_COLOR): a chalk call gathers its
  // arguments into a new array, and a tick line made two (94 bytes a tick of every 5ms --lean).
  const coloured = chalk.level > 0;
  const dim = coloured ? chalk.dim : plain;
  const bold = coloured ? chalk.bold : plain;
  return {
    tick: (r) => {
      const missed = r.expirations > 1 ? chalk.yellow(` (${r.expirations - 1} missed)`) : '';
      return `${dim(localTime(r.timeNs))} ${bold(r.timer)} tick ${r.tick}${missed}`;
    },
    run: (r) => {
      // The status only where the words do not already say it ("exit 1" does).
      const status = !r.error && !r.timedOut && !r.signal ? '' : ` (status ${r.status})`;
      const text = `${r.timer} tick ${r.tick}: ${ending(r)} after ${formatMs(r.durationMs)}${status}`;
      return r.status === 0 ? chalk.dim(text) : chalk.red(text);
    },
    attempt: (r) => {
      const which = `${r.timer} attempt ${r.attempt}${r.attempts === undefined ? '' : ` of ${r.attempts}`}`;
      if (r.status === 0) return chalk.dim(`${which} succeeded after ${formatMs(r.durationMs)}`);
      const how = r.error ? r.error : `${ending(r)} after ${formatMs(r.durationMs)}`;
      const next = r.waitNs === undefined ? '' : `; next in ${formatDuration(roundToMs(r.waitNs))}`;
      return chalk.yellow(`${which} failed: ${how}${next}`);
    },
    giveUp: (e) => {
      const made = `${e.attempts} ${e.attempts === 1 ? 'attempt' : 'attempts'}`;
      const why = e.reason === 'for' ? `: --for ran out after ${made}` : e.reason === 'cannot-start' ? ': the command cannot be started' : ` after ${made}`;
      return chalk.red(`${e.timer} gave up${why} (status ${e.status})`);
    },
    skip: (r) => chalk.yellow(`${r.timer} tick ${r.tick}: ${r.skipped} ${r.skipped === 1 ? 'tick' : 'ticks'} not run (${r.reason})`),
    clockStep: (e) => chalk.yellow(`${e.timer}: the wall clock was set; re-armed for the same wall-clock time`),
    missed: (e) => chalk.yellow(`${e.timer}: ${plural(e.count, 'elapse')} missed while the clock jumped (${span(e.firstNs, e.lastNs)}); not run`),
    catchUp: (e) => chalk.yellow(`${e.timer}: ${plural(e.count, 'elapse')} missed while timerstack was not running (${span(e.firstNs, e.lastNs)}); running once now`),
    problem: (e) => chalk.red(`${e.timer}: ${e.message}`),
    state: (s) =>
      `${s.timer}: tick ${s.tick}, ${s.skipped} skipped, ${s.running} running, next in ${s.remainingNs === undefined ? '-' : seconds(s.remainingNs)}${s.intervalNs > 0n ? `, every ${formatDuration(s.intervalNs)}` : ''}`,
    error: (e) => chalk.red(e.message),
  };
}

// "0.935 s": the time left, to the millisecond.
function seconds(ns: bigint): string {
  return `${(Number(ns) / 1e9).toFixed(3)} s`;
}

// How a run ended, in words: "exit 1", "killed by SIGTERM", "timed out, killed by SIGTERM".
function ending(r: RunEvent): string {
  if (r.error) return r.error;
  if (r.timedOut) return `timed out${r.signal ? `, killed by ${r.signal}` : ''}`;
  if (r.restarted) return `restarted (ended by ${r.signal ?? `status ${r.status}`})`;
  return r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
}

// A wait as a duration to the millisecond (a jittered one is random to the nanosecond).
function roundToMs(ns: bigint): bigint {
  return ((ns + 500_000n) / 1_000_000n) * 1_000_000n;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// "2027-03-28 03:00:00.000", or "… to …" for more than one instant.
function span(firstNs: bigint, lastNs: bigint): string {
  return firstNs === lastNs ? localTime(firstNs) : `${localTime(firstNs)} to ${localTime(lastNs)}`;
}

function formatMs(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  return ms < 9995 ? `${(ms / 1000).toFixed(2)}s` : `${(ms / 1000).toFixed(1)}s`;
}
