// Latency and drift: every contender prints one line per tick into the stamping reader; each
// line's arrival is compared with an ideal grid of the contender's period, anchored at the line
// that came earliest relative to its slot (so no clock is shared with the contender).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, round, summary } from '../lib/stats.mjs';
import { runStamped, startStamped } from '../lib/spawn.mjs';
import { BENCH_DIR, BIN, which } from '../lib/tools.mjs';

const node = process.execPath;
const contender = (name) => path.join(BENCH_DIR, 'contenders', name);

// timerstack's three ways of waiting, each in text and NDJSON.
export const MODES = [
  { id: '', flags: [], label: '' },
  { id: '-precise', flags: ['--precise'], label: ' --precise' },
  { id: '-lean', flags: ['--lean'], label: ' --lean' },
];
// The warm-up lead the C loop's warm mode uses (timerstack's WARMUP_LEAD_NS).
const LEAD_NS = 150_000;

// Contenders in the order of the table; argv(periodMs, count). `c` is the floor; `c-warm` the
// same loop with timerstack's warm-up wake (the limit on this machine); `node-bare` the least a
// Node loop on a timerfd does (what --lean's CPU is measured against).
export function contenders(tools, ab = []) {
  const list = [];
  if (tools.cloop) {
    list.push(
      { id: 'c', label: 'C timerfd + epoll', argv: (p, n) => [tools.cloop, 'tick', String(p * 1e6), String(n)], argvAt: (p, n, first) => [tools.cloop, 'tick', String(p * 1e6), String(n), String(first)] },
      { id: 'c-warm', main: true, label: 'C loop with the warm-up wake', argv: (p, n) => [tools.cloop, 'warm', String(p * 1e6), String(n), String(LEAD_NS)] },
    );
  }
  list.push(
    { id: 'node-bare', main: true, label: 'bare Node loop (koffi, uv_poll)', argv: (p, n) => [node, contender('bare-loop.mjs'), String(p), String(n)] },
    ...MODES.flatMap((m) => [
      { id: `timerstack${m.id}`, main: true, label: `timerstack every${m.label} (text)`, argv: (p, n) => [node, BIN, 'every', `${p}ms`, '--count', String(n), ...m.flags] },
      { id: `timerstack-json${m.id}`, main: true, label: `timerstack every --json${m.label}`, json: true, argv: (p, n) => [node, BIN, 'every', `${p}ms`, '--count', String(n), '--json', ...m.flags] },
    ]),
    ...ab.flatMap((bin, i) => [
      { id: `ab${i + 1}`, main: true, label: `B${i + 1} every (text): ${bin}`, argv: (p, n) => [node, bin, 'every', `${p}ms`, '--count', String(n)] },
      { id: `ab${i + 1}-json`, main: true, label: `B${i + 1} every --json`, json: true, argv: (p, n) => [node, bin, 'every', `${p}ms`, '--count', String(n), '--json'] },
    ]),
    { id: 'setInterval', label: 'node setInterval', argv: (p, n) => [node, contender('interval.mjs'), String(p), String(n)] },
    { id: 'setTimeout', label: 'node setTimeout chain', argv: (p, n) => [node, contender('timeout-chain.mjs'), String(p), String(n)] },
    {
      id: 'sleep',
      label: 'sh sleep loop',
      argv: (p, n) => ['sh', '-c', 'i=0; while [ "$i" -lt "$1" ]; do i=$((i+1)); echo "tick $i"; sleep "$2"; done', 'sh', String(n), String(p / 1000)],
    },
  );
  return list;
}

// The tick a line reports ("tick":N in NDJSON, "tick N" in text), else its position.
function tickOf(text, index) {
  const m = /"tick":(\d+)/.exec(text) ?? /\btick (\d+)/.exec(text);
  return m ? Number(m[1]) : index + 1;
}

// Lateness (µs) of each line against the grid anchored at its earliest line.
export function analyze(lines, periodUs) {
  const offsets = [];
  const internal = [];
  let missed = 0;
  lines.forEach((line, i) => {
    const tick = tickOf(line.text, i);
    offsets.push(line.t - (tick - 1) * periodUs);
    const exp = /"expirations":(\d+)/.exec(line.text) ?? /expirations (\d+)/.exec(line.text);
    if (exp && Number(exp[1]) > 1) missed += Number(exp[1]) - 1;
    const l = /lateness_us"?[:\s]\s*([\d.eE+-]+)/.exec(line.text);
    if (l) internal.push(Number(l[1]));
  });
  const anchor = Math.min(...offsets);
  return { lateness: offsets.map((o) => o - anchor), internal, missed, lines: lines.length };
}

// `count` ticks from the start are the measure; with `settle`, the run goes on for that many more
// ticks, analysed apart as the steady state (`steady`: ticks count+1 … count+settle, on a grid
// anchored within them), after the start-up and V8's tier-up of the first second or so.
function analyzeRun(r, periodMs, count, settle) {
  if (r.status !== 0 || r.lines.length === 0) {
    return { error: `exit ${r.status}${r.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''}` };
  }
  if (settle === 0) return analyze(r.lines, periodMs * 1000);
  const first = r.lines.filter((line, i) => tickOf(line.text, i) <= count);
  const later = r.lines.filter((line, i) => tickOf(line.text, i) > count);
  const result = analyze(first, periodMs * 1000);
  if (later.length) result.steady = analyze(later, periodMs * 1000);
  return result;
}

const timeoutFor = (periodMs, ticks) => ticks * periodMs * 4 + 20_000;

async function runOnce(tools, c, periodMs, count, settle = 0) {
  const r = await runStamped(tools, c.argv(periodMs, count + settle), { timeoutMs: timeoutFor(periodMs, count + settle) });
  return analyzeRun(r, periodMs, count, settle);
}

// The contender's first stamps that place its grid (the earliest of them relative to the period
// is the closest to a deadline: the first ticks of a cold process can be a millisecond late).
const TAP = 3;
const mod = (a, m) => ((a % m) + m) % m;

// A contender and the C loop at the same time, the C loop's deadlines half a period after the
// contender's, so their wake-ups (and their readers') never meet. The grid is read from the
// reader's first stamps; the C loop starts a few ticks later and stops a tick before the
// contender. The contender is measured on all its ticks; the C loop on its own, split where the
// contender's steady state begins. Returns the contender's analysis and the C loop's, or the
// contender's alone when it printed too little to be placed.
async function runBeside(tools, c, cloop, periodMs, count, settle) {
  const total = count + settle;
  const period = BigInt(periodMs * 1e6);
  const x = startStamped(tools, c.argv(periodMs, total), { tap: TAP, timeoutMs: timeoutFor(periodMs, total) });
  const taps = await x.tapped;
  if (taps.length < TAP) return { result: analyzeRun(await x.done, periodMs, count, settle) };
  const phase = taps.map((t) => mod(t, period)).reduce((a, b) => (a < b ? a : b));
  const now = process.hrtime.bigint();
  let first = now - mod(now, period) + phase + period / 2n;
  while (first < now + 10_000_000n) first += period;
  const before = Number((first - taps[0]) / period) + 1;
  const y = startStamped(tools, cloop.argvAt(periodMs, total - before - 1, first), { timeoutMs: timeoutFor(periodMs, total) });
  const [xr, yr] = await Promise.all([x.done, y.done]);
  const result = analyzeRun(xr, periodMs, count, settle);
  if (result.error || yr.status !== 0 || yr.lines.length === 0) return { result };
  const split = xr.lines.find((line, i) => tickOf(line.text, i) > count)?.ns;
  const [cFirst, cLater] = split === undefined ? [yr.lines, []] : [yr.lines.filter((l) => l.ns < split), yr.lines.filter((l) => l.ns >= split)];
  const pair = analyze(cFirst, periodMs * 1000);
  if (cLater.length) pair.steady = analyze(cLater, periodMs * 1000);
  return { result, pair };
}

// Each main contender runs beside the C loop (above), and its ratios are taken within that run:
// this VM's neighbours move a wake-up's lateness by 2–5x between runs seconds apart, which
// alternating runs (the method before) could not separate from the contender's own. The C loop
// runs beside itself too, once a round: that pair's ratio is the method's own error. In the first
// `comparatorRounds` rounds the other contenders run alone, paired with the round's last C run
// (their ratios are in the hundreds anyway). Without a C compiler there is no C loop: each
// contender runs alone and there are no ratios.
export async function latency(tools, { rounds, comparatorRounds, periodMs = 5, count = 400, settle = 400, ab = [], ids, log }) {
  const all = contenders(tools, ab).filter((c) => !ids || c.id === 'c' || ids.has(c.id));
  const main = new Set(all.filter((c) => c.main || c.id === 'c').map((c) => c.id));
  const cloop = all.find((c) => c.id === 'c');
  const runs = Object.fromEntries(all.map((c) => [c.id, []]));
  const record = (c, r, result, pair) => {
    result.round = r;
    if (pair) result.pair = summary(pair.lateness);
    if (pair?.steady && result.steady) result.steady.pair = summary(pair.steady.lateness);
    runs[c.id].push(result);
    const steady = result.steady ? `, steady ${round(summary(result.steady.lateness).p50)} µs` : '';
    const beside = pair ? `; C beside it ${round(result.pair.p50)} µs${result.steady?.pair ? `, steady ${round(result.steady.pair.p50)} µs` : ''}` : '';
    log(`  latency round ${r + 1}/${rounds} ${c.id.padEnd(16)} ${result.error ?? `p50 ${round(summary(result.lateness).p50)} µs${steady}${beside}`}`);
  };
  for (let r = 0; r < rounds; r++) {
    let lastC;
    for (const c of all) {
      if (main.has(c.id)) {
        // The steady state only for the main contenders (the others drift or are far).
        if (!cloop) {
          record(c, r, await runOnce(tools, c, periodMs, count, settle));
          continue;
        }
        const { result, pair } = await runBeside(tools, c, cloop, periodMs, count, settle);
        record(c, r, result, pair);
        if (pair) lastC = pair;
      } else if (r < comparatorRounds) {
        record(c, r, await runOnce(tools, c, periodMs, count), lastC);
      }
    }
  }
  return collect(all, runs, { periodMs, count, settle, rounds, method: cloop ? 'beside' : 'alone' });
}

// p50/p90/p99 (medians over runs) and, against the paired C runs, their ratios.
function quantiles(ok, paired) {
  const out = {};
  const sums = ok.map((r) => summary(r.lateness));
  for (const k of ['p50', 'p90', 'p99', 'max']) out[`${k}_us`] = round(median(sums.map((s) => s[k])));
  if (!paired) return out;
  for (const k of ['p50', 'p90', 'p99']) {
    const ratios = ok.filter((r) => r.pair).map((r) => summary(r.lateness)[k] / r.pair[k]);
    if (ratios.length) out[`${k}_ratio`] = round(median(ratios), 2);
    // Every pair's ratio, so the spread shows.
    if (k !== 'p99' && ratios.length) out[`${k}_ratios`] = ratios.map((x) => round(x, 2));
  }
  return out;
}

function collect(all, runs, meta) {
  const out = { period_ms: meta.periodMs, ticks: meta.count, steady_ticks: meta.settle, rounds: meta.rounds, method: meta.method, contenders: {} };
  for (const c of all) {
    const ok = runs[c.id].filter((r) => !r.error);
    const entry = { label: c.label, runs: runs[c.id].length };
    if (ok.length === 0) {
      entry.error = runs[c.id][0]?.error ?? 'not run';
      out.contenders[c.id] = entry;
      continue;
    }
    Object.assign(entry, quantiles(ok, true));
    entry.lines = median(ok.map((r) => r.lines));
    entry.missed = median(ok.map((r) => r.missed));
    const steady = ok.map((r) => r.steady).filter(Boolean);
    if (steady.length) entry.steady = quantiles(steady, true);
    if (ok.every((r) => r.internal.length)) {
      const inner = ok.map((r) => summary(r.internal));
      entry.internal = Object.fromEntries(['p50', 'p90', 'p99', 'max'].map((k) => [`${k}_us`, round(median(inner.map((s) => s[k])))]));
    }
    // Every run's lateness, pooled, for the plot (not written to JSON).
    Object.defineProperty(entry, 'samples', { value: ok.flatMap((r) => r.lateness), enumerable: false });
    out.contenders[c.id] = entry;
  }
  return out;
}

// Drift: how much the median lateness of the last tenth exceeds that of the first tenth.
// timerstack runs `rounds` times; the others once (their drift is large or ~0 by construction).
export async function drift(tools, { rounds, periodMs = 5, count = 1000, ids, log }) {
  const all = contenders(tools).filter((c) => ids.includes(c.id));
  const out = { period_ms: periodMs, ticks: count, rounds, contenders: {} };
  const per = Object.fromEntries(all.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of all) {
      if (c.id !== 'timerstack' && r > 0) continue;
      const a = await runOnce(tools, c, periodMs, count);
      if (a.error) {
        per[c.id].push({ error: a.error });
        log(`  drift round ${r + 1}/${rounds} ${c.id.padEnd(16)} ${a.error}`);
        continue;
      }
      const tenth = Math.max(1, Math.floor(a.lateness.length / 10));
      const first = median(a.lateness.slice(0, tenth));
      const last = median(a.lateness.slice(-tenth));
      per[c.id].push({ driftUs: last - first, lines: a.lines });
      log(`  drift round ${r + 1}/${rounds} ${c.id.padEnd(16)} ${round((last - first) / 1000, 3)} ms`);
    }
  }
  for (const c of all) {
    const ok = per[c.id].filter((x) => !x.error);
    out.contenders[c.id] = ok.length
      ? { label: c.label, runs: ok.length, drift_ms: round(median(ok.map((x) => x.driftUs)) / 1000, 3), per_tick_us: round(median(ok.map((x) => x.driftUs)) / (count * 0.9), 2) }
      : { label: c.label, error: per[c.id][0]?.error ?? 'not run' };
  }
  return out;
}

// procps watch: it needs a terminal (run under `script`) and its period is at least 0.1 s, so it
// is measured at 0.1 s: the command it runs appends a wall-clock stamp to a file.
export async function watchLatency({ ticks, log }) {
  const out = { period_ms: 100, ticks, contenders: {} };
  if (!which('watch') || !which('script')) {
    out.note = `skipped: ${which('watch') ? 'script' : 'watch'} is not installed`;
    return out;
  }
  for (const [id, flag] of [['watch-n', []], ['watch-p', ['-p']]]) {
    const file = path.join(tmpdir(), `timerstack-bench-watch-${process.pid}-${id}`);
    rmSync(file, { force: true });
    const cmd = `watch -t -n 0.1 ${flag.join(' ')} -x sh -c 'date +%s%N >> "$0"' ${JSON.stringify(file)}`;
    await new Promise((resolve) => {
      const child = spawn('script', ['-qc', cmd, '/dev/null'], { detached: true, stdio: 'ignore', env: { ...process.env, TERM: process.env.TERM || 'xterm' } });
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }, ticks * 100 + 250);
      child.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
      child.on('error', () => resolve());
    });
    let stamps = [];
    try {
      stamps = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((s) => Number(BigInt(s) / 1000n));
      rmSync(file, { force: true });
    } catch {
      // no stamps: watch did not run
    }
    if (stamps.length < 3) {
      out.contenders[id] = { label: `watch -n 0.1 ${flag.join(' ')}`.trim(), error: 'watch did not run under script' };
      continue;
    }
    const a = analyze(stamps.map((t) => ({ t, text: '' })), 100_000);
    const s = summary(a.lateness);
    const drift = median(a.lateness.slice(-3)) - median(a.lateness.slice(0, 3));
    out.contenders[id] = {
      label: `watch -n 0.1 ${flag.join(' ')}`.trim(),
      lines: stamps.length,
      p50_us: round(s.p50),
      p90_us: round(s.p90),
      p99_us: round(s.p99),
      max_us: round(s.max),
      drift_ms: round(drift / 1000, 2),
    };
    Object.defineProperty(out.contenders[id], 'samples', { value: a.lateness, enumerable: false });
    log(`  watch ${id}: ${stamps.length} runs, p50 ${round(s.p50)} µs, drift over ${stamps.length} ticks ${round(drift / 1000, 2)} ms`);
  }
  return out;
}
