// What timerstack reports, and how: each kind of report as readable text (a chalk instance
// passed in) or as one NDJSON object. No I/O here: functions return lines.
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../spec/duration.js';
import { formatInstant } from '../spec/time.js';

export interface TickReport {
  timer: string;
  tick: number;
  expirations: number;
  // Wall-clock ns (since the epoch) when it was seen and when it was due.
  timeNs: bigint;
  scheduledNs: bigint;
  latenessUs: number;
}

export interface RunReport {
  timer: string;
  tick: number;
  pid: number | undefined;
  status: number;
  signal: string | undefined;
  timedOut: boolean;
  durationMs: number;
  error: string | undefined;
}

export interface SkipLine {
  timer: string;
  tick: number;
  // How many ticks were not run or missed.
  skipped: number;
  reason: string;
}

export interface TimerState {
  timer: string;
  tick: number;
  skipped: number;
  remainingNs: bigint | undefined;
  intervalNs: bigint;
  running: number;
}

export interface Formatter {
  tick(r: TickReport): string;
  run(r: RunReport): string;
  skip(r: SkipLine): string;
  clockStep(timer: string): string;
  state(s: TimerState): string;
}

function us(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export const jsonFormatter: Formatter = {
  tick: (r) =>
    `{"event":"tick","timer":${JSON.stringify(r.timer)},"tick":${r.tick},"expirations":${r.expirations},"time":"${formatInstant(r.timeNs)}","scheduled":"${formatInstant(r.scheduledNs)}","lateness_us":${us(r.latenessUs)}}`,
  run: (r) =>
    JSON.stringify({
      event: 'run',
      timer: r.timer,
      tick: r.tick,
      pid: r.pid ?? null,
      status: r.status,
      signal: r.signal ?? null,
      timed_out: r.timedOut,
      duration_ms: Math.round(r.durationMs * 1000) / 1000,
      ...(r.error ? { error: r.error } : {}),
    }),
  skip: (r) => JSON.stringify({ event: 'skip', timer: r.timer, tick: r.tick, skipped: r.skipped, reason: r.reason }),
  clockStep: (timer) => JSON.stringify({ event: 'clock-step', timer }),
  state: (s) =>
    JSON.stringify({
      event: 'state',
      timer: s.timer,
      tick: s.tick,
      skipped: s.skipped,
      remaining_ns: s.remainingNs === undefined ? null : String(s.remainingNs),
      interval_ns: String(s.intervalNs),
      running: s.running,
    }),
};

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
          : r.signal
            ? `killed by ${r.signal}`
            : `exit ${r.status}`;
      const text = `${r.timer} tick ${r.tick}: ${what} after ${formatMs(r.durationMs)} (status ${r.status})`;
      return r.status === 0 ? chalk.dim(text) : chalk.red(text);
    },
    skip: (r) => chalk.yellow(`${r.timer} tick ${r.tick}: ${r.skipped} ${r.skipped === 1 ? 'tick' : 'ticks'} not run (${r.reason})`),
    clockStep: (timer) => chalk.yellow(`${timer}: the wall clock was set; re-armed for the same wall-clock time`),
    state: (s) =>
      `${s.timer}: tick ${s.tick}, ${s.skipped} skipped, ${s.running} running, next in ${s.remainingNs === undefined ? '-' : formatDuration(s.remainingNs)}${s.intervalNs > 0n ? `, every ${formatDuration(s.intervalNs)}` : ''}`,
  };
}

function formatMs(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  return ms < 9995 ? `${(ms / 1000).toFixed(2)}s` : `${(ms / 1000).toFixed(1)}s`;
}
