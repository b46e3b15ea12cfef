// The plan of --dry-run and `run --check`: what would be armed, as text lines or NDJSON.
import { formatDuration } from '../grammar/duration.js';
import { formatInstant } from '../grammar/time.js';
import { kindOf } from '../kinds/index.js';
import type { TimerSpec } from '../kinds/kind.js';

export function planObject(spec: TimerSpec): Record<string, unknown> {
  return {
    timer: spec.name,
    kind: spec.kind,
    clock: spec.clock,
    ...kindOf(spec.kind).plan(spec).json,
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
  const kind = kindOf(spec.kind);
  const parts = [`${spec.name}: ${spec.kind} on ${spec.clock}, ${kind.plan(spec).text}`];
  if (spec.count !== undefined) parts.push(`${spec.count} ${spec.count === 1 ? 'time' : 'times'}`);
  if (spec.forNs !== undefined) parts.push(`for ${formatDuration(spec.forNs)}`);
  if (spec.untilNs !== undefined) parts.push(`until ${formatInstant(spec.untilNs)}`);
  if (spec.jitterNs > 0n) parts.push(`jitter up to ${formatDuration(spec.jitterNs)}`);
  if (spec.command) {
    const run = [`runs ${spec.shell ? `sh -c ${JSON.stringify(spec.command.join(' '))}` : spec.command.map((w) => JSON.stringify(w)).join(' ')}`];
    if (!kind.single && spec.kind !== 'retry') run.push(`overlap ${spec.overlap}`);
    if (spec.timeoutNs !== undefined) run.push(`timeout ${formatDuration(spec.timeoutNs)}, then SIGKILL after ${formatDuration(spec.killAfterNs)}`);
    parts.push(run.join(', '));
  } else {
    parts.push('prints events');
  }
  return parts.join(', ');
}

// One line per spec; as NDJSON, `plan` events stamped with `timeNs` (wall-clock ns: when the
// plan was made, which its times are computed from).
export function formatPlan(specs: readonly TimerSpec[], json: boolean, timeNs: bigint): string[] {
  if (!json) return specs.map(planText);
  const time = formatInstant(timeNs);
  return specs.map((s) => JSON.stringify({ event: 'plan', time, ...planObject(s) }));
}
