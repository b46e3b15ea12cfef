// The schedule's events as NDJSON objects, one line each: an `event` naming the kind, a `time`
// (when it happened), snake_case keys, instants in ISO 8601 UTC, nanosecond spans as strings.
// schema/events.json describes every kind; docs/events.md tells how they project the library's.
import { formatInstant, formatZoned } from '../grammar/time.js';
import type { Formatter } from './format.js';

function us(n: number): number {
  return Math.round(n * 1000) / 1000;
}

// A tick line starts with its timer's name as a JSON string: made again only when the name
// changes (one timer's ticks come one after another; JSON.stringify, cold, costs a microsecond).
let quotedFor: string | undefined;
let quoted = '';
function quotedTimer(name: string): string {
  if (name !== quotedFor) {
    quotedFor = name;
    quoted = JSON.stringify(name);
  }
  return quoted;
}

export const jsonFormatter: Formatter = {
  tick: (r) =>
    `{"event":"tick","timer":${quotedTimer(r.timer)},"tick":${r.tick},"expirations":${r.expirations},"time":"${formatInstant(r.timeNs)}","scheduled":"${formatInstant(r.scheduledNs)}",${r.zone === undefined ? '' : `"scheduled_local":"${formatZoned(r.scheduledNs, r.zone)}",`}"lateness_us":${us(r.latenessUs)}}`,
  run: (r) =>
    JSON.stringify({
      event: 'run',
      time: formatInstant(r.timeNs),
      timer: r.timer,
      tick: r.tick,
      pid: r.pid ?? null,
      status: r.status,
      signal: r.signal ?? null,
      timed_out: r.timedOut,
      restarted: r.restarted ?? false,
      duration_ms: Math.round(r.durationMs * 1000) / 1000,
      ...(r.error ? { error: r.error } : {}),
    }),
  attempt: (r) =>
    JSON.stringify({
      event: 'attempt',
      timer: r.timer,
      attempt: r.attempt,
      max_attempts: r.attempts ?? null,
      pid: r.pid ?? null,
      status: r.status,
      signal: r.signal ?? null,
      timed_out: r.timedOut,
      duration_ms: Math.round(r.durationMs * 1000) / 1000,
      ...(r.error ? { error: r.error } : {}),
      wait_ms: r.waitNs === undefined ? null : Number(r.waitNs / 1000n) / 1000,
      time: formatInstant(r.timeNs),
    }),
  giveUp: (e) =>
    JSON.stringify({ event: 'give_up', timer: e.timer, attempts: e.attempts, reason: e.reason, status: e.status, time: formatInstant(e.timeNs) }),
  skip: (r) => JSON.stringify({ event: 'skip', time: formatInstant(r.timeNs), timer: r.timer, tick: r.tick, skipped: r.skipped, reason: r.reason }),
  clockStep: (e) => JSON.stringify({ event: 'clock-step', time: formatInstant(e.timeNs), timer: e.timer }),
  missed: (e) => JSON.stringify({ event: 'missed', time: formatInstant(e.timeNs), timer: e.timer, count: e.count, first: formatInstant(e.firstNs), last: formatInstant(e.lastNs) }),
  catchUp: (e) => JSON.stringify({ event: 'catch-up', time: formatInstant(e.timeNs), timer: e.timer, missed: e.count, first: formatInstant(e.firstNs), last: formatInstant(e.lastNs) }),
  problem: (e) => JSON.stringify({ event: 'problem', time: formatInstant(e.timeNs), timer: e.timer, message: e.message }),
  state: (s) =>
    JSON.stringify({
      event: 'state',
      time: formatInstant(s.timeNs),
      timer: s.timer,
      tick: s.tick,
      skipped: s.skipped,
      remaining_ns: s.remainingNs === undefined ? null : String(s.remainingNs),
      interval_ns: String(s.intervalNs),
      running: s.running,
    }),
  error: (e) => JSON.stringify({ event: 'error', error: e.message, code: e.code ?? null, time: formatInstant(e.timeNs) }),
};
