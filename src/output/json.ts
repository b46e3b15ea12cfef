// The schedule's events as NDJSON objects, one line each, snake_case, instants in ISO 8601 UTC.
import { formatInstant } from '../grammar/time.js';
import type { Formatter } from './format.js';

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
      restarted: r.restarted,
      duration_ms: Math.round(r.durationMs * 1000) / 1000,
      ...(r.error ? { error: r.error } : {}),
    }),
  skip: (r) => JSON.stringify({ event: 'skip', timer: r.timer, tick: r.tick, skipped: r.skipped, reason: r.reason }),
  clockStep: (e) => JSON.stringify({ event: 'clock-step', timer: e.timer }),
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
