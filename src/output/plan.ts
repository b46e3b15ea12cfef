// The plan of --dry-run and `run --check`: what would be armed, as text lines or NDJSON.
import { formatDuration } from '../spec/duration.js';
import { formatInstant } from '../spec/time.js';
import type { TimerSpec } from '../spec/timer.js';

export function planObject(spec: TimerSpec): Record<string, unknown> {
  const absolute = spec.atNs !== undefined;
  return {
    timer: spec.name,
    kind: spec.kind,
    clock: spec.clock,
    absolute,
    value_ns: String(absolute ? spec.atNs : (spec.delayNs ?? spec.intervalNs)),
    interval_ns: String(spec.intervalNs),
    ...(absolute ? { first_time: formatInstant(spec.atNs!) } : {}),
    count: spec.count ?? null,
    for_ns: spec.forNs === undefined ? null : String(spec.forNs),
    until: spec.untilNs === undefined ? null : formatInstant(spec.untilNs),
    jitter_ns: String(spec.jitterNs),
    overlap: spec.overlap,
    timeout_ns: spec.timeoutNs === undefined ? null : String(spec.timeoutNs),
    kill_after_ns: String(spec.killAfterNs),
    shell: spec.shell,
    command: spec.command ?? null,
  };
}

function planText(spec: TimerSpec): string {
  const first = spec.atNs !== undefined ? `at ${formatInstant(spec.atNs)}` : `in ${formatDuration(spec.delayNs ?? spec.intervalNs)}`;
  const parts = [`${spec.name}: ${spec.kind} on ${spec.clock}, first ${first}`];
  if (spec.intervalNs > 0n) parts.push(`then every ${formatDuration(spec.intervalNs)}`);
  if (spec.count !== undefined) parts.push(`${spec.count} ${spec.count === 1 ? 'time' : 'times'}`);
  if (spec.forNs !== undefined) parts.push(`for ${formatDuration(spec.forNs)}`);
  if (spec.untilNs !== undefined) parts.push(`until ${formatInstant(spec.untilNs)}`);
  if (spec.jitterNs > 0n) parts.push(`jitter up to ${formatDuration(spec.jitterNs)}`);
  if (spec.command) {
    const run = [`runs ${spec.shell ? `sh -c ${JSON.stringify(spec.command.join(' '))}` : spec.command.map((w) => JSON.stringify(w)).join(' ')}`];
    if (spec.intervalNs > 0n) run.push(`overlap ${spec.overlap}`);
    if (spec.timeoutNs !== undefined) run.push(`timeout ${formatDuration(spec.timeoutNs)}, then SIGKILL after ${formatDuration(spec.killAfterNs)}`);
    parts.push(run.join(', '));
  } else {
    parts.push('prints events');
  }
  return parts.join(', ');
}

export function formatPlan(specs: readonly TimerSpec[], json: boolean): string[] {
  return specs.map((s) => (json ? JSON.stringify(planObject(s)) : planText(s)));
}
