// The wake-up's path timed in the process: from libuv's epoll_pwait returning to the write(2) of
// the tick's line on fd 1, on the main thread, read from perf's syscall tracepoints (one clock
// for both). Neither the reader nor the kernel's own wake-up is in the figure, which makes it the
// steadier measure of what timerstack's code costs per tick on a noisy host; the reader's
// lateness (latency.mjs) is what a user sees. A warm-up wake also returns from epoll_pwait; the
// span is taken from the last return before each write.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, quantile, round } from '../lib/stats.mjs';
import { contenders } from './latency.mjs';

const PERIOD_MS = 5;
const TICKS = 400;
const FIRST = 50;

/** Whether perf can record syscall tracepoints here (installed, and allowed). */
export function perfWorks() {
  const r = spawnSync('perf', ['record', '-q', '-o', '/dev/null', '-e', 'syscalls:sys_enter_write', '--', 'true'], { stdio: 'ignore' });
  return r.status === 0;
}

/** µs from each epoll_pwait exit to the write(2) on fd 1 that follows it, on the first thread. */
export function wakeSpans(argv, dir) {
  const data = path.join(dir, 'perf.data');
  execFileSync('sh', ['-c', 'perf record -q -o "$0" -e syscalls:sys_exit_epoll_pwait,syscalls:sys_enter_write -- "$@" > /dev/null', data, ...argv]);
  const text = execFileSync('perf', ['script', '-i', data, '--ns', '-F', 'tid,time,event,trace'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const out = [];
  let main;
  let woke;
  for (const line of text.split('\n')) {
    const [tid, time, event] = line.trim().split(/\s+/);
    if (!event) continue;
    main ??= tid;
    if (tid !== main) continue;
    const t = Number.parseFloat(time);
    if (event.includes('sys_exit_epoll_pwait')) woke = t;
    else if (event.includes('sys_enter_write') && line.includes('fd: 0x00000001') && woke !== undefined) {
      out.push((t - woke) * 1e6);
      woke = undefined;
    }
  }
  return out;
}

// Ticks 1–400 p50 and p90, ticks 1–50 p90, of one run's spans.
export function spanSummary(spans) {
  return { p50_us: round(quantile(spans, 0.5)), p90_us: round(quantile(spans, 0.9)), first_p90_us: round(quantile(spans.slice(0, FIRST), 0.9)), n: spans.length };
}

/**
 * The bare Node loop, timerstack's modes and the --ab builds, `rounds` alternating runs of
 * `every 5ms --count 400`; per contender the medians of its runs' figures, and its p50 against
 * the bare loop's in the same round (median of those ratios).
 */
export function wakePath(tools, { rounds, ab = [], ids, log }) {
  const wanted = (id) => id === 'node-bare' || ['timerstack', 'timerstack-json', 'timerstack-lean', 'timerstack-json-lean'].includes(id) || id.startsWith('ab');
  const all = contenders(tools, ab).filter((c) => wanted(c.id) && (!ids || c.id === 'node-bare' || ids.has(c.id)));
  const runs = Object.fromEntries(all.map((c) => [c.id, []]));
  const dir = mkdtempSync(path.join(tmpdir(), 'wake-path-'));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const c of all) {
        let s;
        try {
          s = spanSummary(wakeSpans(c.argv(PERIOD_MS, TICKS), dir));
        } catch (err) {
          s = { error: String(err.message ?? err).split('\n')[0] };
        }
        runs[c.id].push(s);
        log?.(`  wake path round ${r + 1}/${rounds} ${c.id.padEnd(22)} ${s.error ?? `p50 ${s.p50_us} µs, p90 ${s.p90_us} µs`}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bare = runs['node-bare'];
  const out = {};
  for (const c of all) {
    const ok = runs[c.id].filter((s) => !s.error);
    if (ok.length === 0) {
      out[c.id] = { label: c.label, error: runs[c.id][0]?.error ?? 'no run' };
      continue;
    }
    const ratios = runs[c.id].map((s, i) => (s.error || bare[i]?.error ? undefined : s.p50_us / bare[i].p50_us)).filter((v) => v !== undefined);
    out[c.id] = {
      label: c.label,
      p50_us: round(median(ok.map((s) => s.p50_us))),
      p90_us: round(median(ok.map((s) => s.p90_us))),
      first_p90_us: round(median(ok.map((s) => s.first_p90_us))),
      p50_vs_bare: ratios.length ? round(median(ratios), 2) : undefined,
      runs: runs[c.id],
    };
  }
  return { rounds, ticks: TICKS, first: FIRST, period_ms: PERIOD_MS, contenders: out };
}
