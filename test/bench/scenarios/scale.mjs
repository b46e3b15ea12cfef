// Scale: N timers on one process, timer i with period BASE + i µs, two expirations each, one
// NDJSON line per expiration. Reports arming time (timers armed per second) and expirations
// handled per CPU second after arming ("per core": the loop is single-threaded). timerstack is
// measured through the library (dist/loop/loop.js) and, when `run -` works, through the CLI.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, round } from '../lib/stats.mjs';
import { run, runRusage } from '../lib/spawn.mjs';
import { BENCH_DIR, BIN } from '../lib/tools.mjs';

const STEP_NS = 1000;
const TICKS = 2;
const baseNs = (n) => (n >= 100_000 ? 2_000_000_000 : 500_000_000);
const ULIMIT = 'ulimit -n 20000 2>/dev/null || ulimit -S -n 20000 2>/dev/null || true';

function lastJson(text) {
  const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : undefined;
}

function errorLine(r) {
  const lines = r.stderr.trim().split('\n').filter(Boolean);
  const fatal = lines.find((l) => /Fatal|Error|error:/.test(l));
  return `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}${fatal ?? lines.at(-1) ? `: ${(fatal ?? lines.at(-1)).trim()}` : ''}`;
}

async function measure(argv, n) {
  const r = await run(['sh', '-c', `${ULIMIT}; "$@" | wc -l`, 'sh', ...argv], { timeoutMs: 60_000 });
  const stats = lastJson(r.stderr);
  if (r.status !== 0 || !stats) return { error: errorLine(r), lines: Number(r.stdout.trim()) };
  return {
    lines: Number(r.stdout.trim()),
    armMs: stats.arm_ns / 1e6,
    cpuMs: stats.cpu_us / 1000,
    expirations: stats.expirations,
    wallMs: stats.wall_ns / 1e6,
    maxRssKb: stats.maxrss_kb,
    timerfds: stats.timerfds,
    expected: n * TICKS,
  };
}

function fold(samples) {
  const ok = samples.filter((s) => !s.error);
  if (ok.length === 0) return { error: samples[0]?.error ?? 'not run', lines: samples[0]?.lines };
  const armMs = median(ok.map((s) => s.armMs));
  const n = ok[0].expected / TICKS;
  return {
    arm_ms: round(armMs, 1),
    armed_per_s: Math.round(n / (armMs / 1000)),
    expirations_per_cpu_s: Math.round(median(ok.map((s) => s.expirations / (s.cpuMs / 1000)))),
    expirations: ok[0].expirations,
    expected: ok[0].expected,
    lines: ok[0].lines,
    wall_ms: round(median(ok.map((s) => s.wallMs)), 0),
    ...(ok[0].maxRssKb !== undefined ? { peak_rss_mb: round(median(ok.map((s) => s.maxRssKb)) / 1024, 1) } : {}),
    ...(ok[0].timerfds !== undefined ? { timerfds: ok[0].timerfds } : {}),
  };
}

// Whether `timerstack run -` works in this checkout (it is being written).
export async function cliRunWorks() {
  const r = await run([process.execPath, BIN, 'run', '-', '--json'], { input: 'probe: every 1ms --count 1\n', timeoutMs: 10_000 });
  return r.status === 0 && /"event":"tick"/.test(r.stdout);
}

export async function scale(tools, { counts, rounds, cli, quick = false, log }) {
  const out = { period: 'BASE + i µs (BASE 0.5 s below 100k timers, 2 s at 100k)', ticks_each: TICKS, counts: {}, notes: [] };
  for (const n of counts) {
    const ts = [];
    const c = [];
    for (let r = 0; r < rounds; r++) {
      const t = await measure([process.execPath, path.join(BENCH_DIR, 'contenders', 'lib-scale.mjs'), String(n), String(baseNs(n)), String(STEP_NS), String(TICKS)], n);
      ts.push(t);
      log(`  scale ${n} timerstack (library) ${t.error ?? `arm ${round(t.armMs)} ms, ${t.expirations}/${t.expected} expirations, ${Math.round(t.expirations / (t.cpuMs / 1000))}/CPU s`}`);
      if (tools.cloop && n <= 10_000) {
        const k = await measure([tools.cloop, 'scale', String(n), String(baseNs(n)), String(STEP_NS), String(TICKS)], n);
        c.push(k);
        log(`  scale ${n} C ${k.error ?? `arm ${round(k.armMs)} ms, ${Math.round(k.expirations / (k.cpuMs / 1000))}/CPU s`}`);
      }
    }
    const entry = { timerstack: fold(ts) };
    if (c.length) entry.c = fold(c);
    else entry.c = { skipped: tools.cloop ? `one timerfd per timer: ${n} fds is past the fd limit` : 'no C compiler' };
    if (entry.c.arm_ms && entry.timerstack.arm_ms) {
      entry.arm_ratio = round(entry.timerstack.arm_ms / entry.c.arm_ms, 1);
      entry.throughput_ratio = round(entry.c.expirations_per_cpu_s / entry.timerstack.expirations_per_cpu_s, 1);
    }
    out.counts[n] = entry;
  }
  if (cli) out.cli = await scaleCli(tools, log);
  else if (quick) out.notes.push('`run -` with 100,000 timers: measured in the full run only');
  else out.notes.push('`timerstack run -` does not work in this checkout yet: the CLI scale figures are missing');
  return out;
}

// The scale issue's acceptance run: 100,000 `every` timers from `run -` with --json.
async function scaleCli(tools, log) {
  const n = 100_000;
  const file = path.join(tmpdir(), `timerstack-bench-table-${process.pid}.txt`);
  let table = '';
  for (let i = 0; i < n; i++) table += `t${i}: every ${2_000_000 + i}us --count ${TICKS}\n`;
  writeFileSync(file, table);
  const ru = path.join(tmpdir(), `timerstack-bench-ru-${process.pid}.json`);
  // Under the rusage wrapper, or (no C compiler) with the preload that writes the same figures.
  const argv = tools.rusage
    ? [tools.rusage, ru, process.execPath, BIN, 'run', '-', '--json']
    : [process.execPath, '--import', path.join(BENCH_DIR, 'lib', 'rusage-preload.mjs'), BIN, 'run', '-', '--json'];
  const r = await run(['sh', '-c', `${ULIMIT}; "$@" < "$TABLE" | grep -c '"event":"tick"'`, 'sh', ...argv], {
    env: { TABLE: file, BENCH_RUSAGE_FILE: ru },
    timeoutMs: 60_000,
  });
  rmSync(file, { force: true });
  let usage;
  try {
    usage = JSON.parse(readFileSync(ru, 'utf8'));
    rmSync(ru, { force: true });
  } catch {
    usage = undefined;
  }
  const events = Number(r.stdout.trim());
  const res = {
    timers: n,
    events,
    expected: n * TICKS,
    ...(usage
      ? {
          status: usage.status,
          wall_s: round(usage.wall_ns / 1e9, 2),
          cpu_s: round((usage.utime_us + usage.stime_us) / 1e6, 2),
          peak_rss_mb: round(usage.maxrss_kb / 1024, 1),
          expirations_per_cpu_s: Math.round(events / ((usage.utime_us + usage.stime_us) / 1e6)),
        }
      : { error: errorLine(r), wall_s: round(r.wallMs / 1000, 2) }),
  };
  if (usage?.status) res.error = errorLine({ ...r, status: usage.status });
  log(`  scale CLI run - (100k): ${events}/${n * TICKS} events, ${res.wall_s} s wall, ${res.peak_rss_mb ?? '?'} MB peak RSS`);
  return res;
}
