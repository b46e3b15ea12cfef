#!/usr/bin/env node
// `npm run bench`: timerstack side by side with a C timerfd loop, setInterval, a setTimeout
// chain, a shell sleep loop and watch, on this machine, in one run.
//
//   node test/bench/run.js [--quick] [--json FILE] [--svg FILE] [--soak] [--explain]
//                          [--only latency,cpu,instructions,wake,drift,scale,startup,idle,calendar]
//                          [--rounds N]
//                          [--ab BIN[,BIN...]] [--contenders ID,ID...] [--settle N]
//
// --ab adds other builds of timerstack (a bin/timerstack.js in another checkout, say with a
// change to src/) to the latency rounds, to measure a change against this one side by side.
//
// Prints markdown tables (medians over runs; latency ratios to the C loop run beside each
// contender, CPU ratios to the C and bare Node loops run beside it, and to the bare loop printing
// the contender's own line), writes the plot to
// test/bench/out/latency.svg (and to --svg FILE), and with --json FILE the same figures as JSON.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import path from 'node:path';
import { BIN, OUT_DIR, ROOT, buildHelpers } from './lib/tools.mjs';
import { latency, drift, watchLatency } from './scenarios/latency.mjs';
import { wakeCpu } from './scenarios/wake-cpu.mjs';
import { valgrindWorks, wakeInstructions } from './scenarios/wake-instructions.mjs';
import { perfWorks, wakePath } from './scenarios/wake-path.mjs';
import { scale, cliRunWorks } from './scenarios/scale.mjs';
import { startup, idle } from './scenarios/startup.mjs';
import { calendarLatency } from './scenarios/calendar.mjs';
import { latencySvg } from './lib/svg.mjs';
import { cpuTable, instructionsTable, driftTable, internalLine, latencyTable, scaleTable, startupTable, steadyTicks, targetsTable, wakePathTable } from './lib/report.mjs';

function parseArgs(argv) {
  const opts = { quick: false, json: undefined, svg: undefined, soak: false, explain: false, only: undefined, rounds: undefined, ab: [], ids: undefined, settle: 400 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') opts.json = value();
    else if (a === '--svg') opts.svg = value();
    else if (a === '--soak') opts.soak = true;
    else if (a === '--explain') opts.explain = true;
    else if (a === '--only') opts.only = new Set(value().split(','));
    else if (a === '--rounds') opts.rounds = Number(value());
    // Ticks after the first 400, measured apart as the steady state (0: none).
    else if (a === '--settle') opts.settle = Number(value());
    else if (a === '--ab') opts.ab = value().split(',').map((p) => path.resolve(p));
    // Latency and CPU rounds of these contenders only (and the C loop): timerstack-precise,c-warm…
    else if (a === '--contenders') opts.ids = new Set(value().split(','));
    else throw new Error(`unknown option ${a} (use --quick, --json FILE, --svg FILE, --soak, --explain, --only LIST, --rounds N, --ab BINS, --contenders IDS, --settle N)`);
  }
  return opts;
}

export function machine() {
  const model = (() => {
    try {
      return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim();
    } catch {
      return undefined;
    }
  })();
  return { cpus: cpus().length, model: model ?? cpus()[0]?.model ?? 'unknown', kernel: release(), node: process.version, arch: process.arch };
}

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const log = (text) => process.stderr.write(`[${elapsed()}] ${text}\n`);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const want = (s) => !opts.only || opts.only.has(s);
  if (!existsSync(path.join(ROOT, 'dist', 'bin', 'timerstack.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
  const { tools, notes } = buildHelpers();
  for (const n of notes) log(`note: ${n}`);
  const m = machine();
  log(`machine: ${m.cpus} CPUs, ${m.model}, Linux ${m.kernel}, Node ${m.node}; ${opts.quick ? 'quick' : 'full'} run`);
  const q = opts.quick;
  const results = { machine: { ...m, mode: q ? 'quick' : 'full', date: new Date().toISOString() }, notes };

  if (want('latency')) {
    log(`latency: every 5 ms, 400 ticks${opts.settle ? ` and ${opts.settle} more (the steady state)` : ''}, each beside the C loop`);
    const rounds = opts.rounds ?? (q ? 2 : 5);
    results.latency = await latency(tools, { rounds, comparatorRounds: Math.min(rounds, q ? 1 : 2), settle: opts.settle, ab: opts.ab, ids: opts.ids, log });
    results.latency.watch = await watchLatency({ ticks: q ? 10 : 30, log });
  }
  if (want('cpu')) {
    log('cpu: CPU per wake-up, every 5 ms (schedstat, 0.75–2.75 s and 4–6 s)');
    results.cpu = await wakeCpu(tools, { rounds: opts.rounds ?? (q ? 2 : 3), ab: opts.ab, ids: opts.ids, log });
  }
  if (want('instructions')) {
    if (valgrindWorks()) {
      log('instructions: per wake-up inside the poll callback, every 50 ms under callgrind');
      results.instructions = await wakeInstructions(tools, { rounds: opts.rounds ?? (q ? 1 : 2), ab: opts.ab, ids: opts.ids, log });
    } else {
      notes.push('instructions per wake-up were not counted: valgrind is not installed (apt-get install valgrind)');
    }
  }
  if (want('wake')) {
    if (perfWorks()) {
      log('wake: the wake-up to write(1) in the process (perf tracepoints), every 5 ms');
      results.wake = wakePath(tools, { rounds: opts.rounds ?? 3, ab: opts.ab, ids: opts.ids, log });
    } else {
      notes.push('the wake-up path in the process was not timed: perf cannot record syscall tracepoints here (install linux-perf; root or perf_event_paranoid ≤ 1)');
    }
  }
  if (want('drift')) {
    log('drift: every 5 ms, 1000 ticks');
    // Quick: the C loop's drift is ~0 by construction, and the sleep loop's shows in latency.
    const ids = q ? ['timerstack', 'setInterval'] : ['c', 'timerstack', 'setInterval', 'setTimeout', 'sleep'];
    results.drift = await drift(tools, { rounds: q ? 1 : 2, ids, log });
  }
  // Idle runs sleep for 10 s. They are sampled from this process's timers (3 s and 9.7 s in), so
  // nothing here may block the event loop meanwhile: startup's synchronous spawns wait for them
  // (with startup running beside them, the samples came after the waits had ended: no RSS, no threads).
  if (want('idle')) {
    log('idle: once 10s vs once 0');
    const idleRun = idle(tools, { parallel: q ? 2 : 3, base: q ? 3 : 5, log });
    results.idle = await idleRun.result;
  }
  if (want('startup')) {
    log('startup: alternating spawns');
    results.startup = startup({ rounds: q ? 10 : 20, log });
  }
  if (want('scale')) {
    const cli = !q && (await cliRunWorks());
    log(`scale: 1k, 10k, 100k timers${cli ? ' (and `run -` with 100k)' : q ? ' (library; `run -` with 100k in the full run)' : ' (`run -` not available yet: library only)'}`);
    results.scale = await scale(tools, { counts: [1000, 10_000, 100_000], rounds: q ? 1 : 2, cli, quick: q, log });
  }
  if (want('calendar')) {
    log('calendar: a calendar timer every second against every 1s --align, alternating');
    results.calendar = await calendarLatency(tools, { rounds: q ? 1 : 3, ticks: q ? 5 : 10, log });
  }
  if (opts.soak) {
    const { soak } = await import('./scenarios/soak.mjs');
    log('soak: 40,000 ticks at 250 µs, 1,500 runs at 2 ms');
    results.soak = await soak(tools, { log });
  }
  if (opts.explain) {
    const { explain } = await import('./scenarios/explain.mjs');
    log('explain: where timerstack\'s latency goes');
    results.explain = await explain(tools, { rounds: q ? 2 : 4, log });
  }

  results.targets = targets(results);
  const md = report(results);
  process.stdout.write(`${md}\n`);
  if (results.latency) {
    const svg = plot(results);
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(path.join(OUT_DIR, 'latency.svg'), svg);
    if (opts.svg) writeFileSync(opts.svg, svg);
    log(`plot: ${path.relative(process.cwd(), path.join(OUT_DIR, 'latency.svg'))}${opts.svg ? ` and ${opts.svg}` : ''}`);
  }
  writeFileSync(path.join(OUT_DIR, 'results.md'), `${md}\n`);
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify(results, null, 2)}\n`);
    log(`JSON: ${opts.json}`);
  }
  log(`done in ${elapsed()}`);
}

function targets(r) {
  const out = [];
  for (const [id, what] of [['timerstack', 'text'], ['timerstack-json', '--json']]) {
    const ts = r.latency?.contenders[id];
    if (ts && !ts.error && ts.p50_ratio !== undefined) {
      out.push({ name: `latency p50 vs C loop (${what}, default)`, bar: '≤ 1.1x', measured: `${ts.p50_ratio}x`, met: ts.p50_ratio <= 1.1 });
      out.push({ name: `latency p90 vs C loop (${what}, default)`, bar: '≤ 1.25x', measured: `${ts.p90_ratio}x`, met: ts.p90_ratio <= 1.25 });
    }
    const p = r.latency?.contenders[`${id}-precise`];
    if (p && !p.error && p.p50_ratio !== undefined) out.push({ name: `latency p50 vs C loop (${what}, --precise)`, bar: '≤ 0.8x', measured: `${p.p50_ratio}x`, met: p.p50_ratio <= 0.8 });
  }
  // The same bars on the ticks after the first 400 (start-up and V8's tier-up behind them).
  const later = r.latency ? steadyTicks(r.latency) : '';
  for (const [id, what] of [['timerstack', 'text'], ['timerstack-json', '--json']]) {
    const ts = r.latency?.contenders[id]?.steady;
    if (ts?.p50_ratio !== undefined) {
      out.push({ name: `latency p50 vs C loop (${what}, default, ${later})`, bar: '≤ 1.1x', measured: `${ts.p50_ratio}x`, met: ts.p50_ratio <= 1.1 });
      out.push({ name: `latency p90 vs C loop (${what}, default, ${later})`, bar: '≤ 1.25x', measured: `${ts.p90_ratio}x`, met: ts.p90_ratio <= 1.25 });
    }
    const p = r.latency?.contenders[`${id}-precise`]?.steady;
    if (p?.p50_ratio !== undefined) out.push({ name: `latency p50 vs C loop (${what}, --precise, ${later})`, bar: '≤ 0.8x', measured: `${p.p50_ratio}x`, met: p.p50_ratio <= 0.8 });
  }
  const cpu = r.cpu?.contenders;
  for (const id of ['timerstack-lean', 'timerstack-json-lean']) {
    const e = cpu?.[id];
    const what = id.includes('json') ? '--json' : 'text';
    if (e && !e.error && e.vs_bare !== undefined) out.push({ name: `CPU per wake-up vs bare Node loop (${what}, --lean)`, bar: '≤ 1.3x', measured: `${e.vs_bare}x (run by run; medians ${e.cpu_us} and ${cpu['node-bare'].cpu_us} µs)`, met: e.vs_bare <= 1.3 });
    if (e?.steady_vs_bare !== undefined) out.push({ name: `CPU per wake-up vs bare Node loop (${what}, --lean, ${r.cpu.steady_window})`, bar: '≤ 1.3x', measured: `${e.steady_vs_bare}x (run by run; medians ${e.steady_cpu_us} and ${cpu['node-bare'].steady_cpu_us} µs)`, met: e.steady_vs_bare <= 1.3 });
    // The same bar against the bare loop printing the same line: what timerstack adds to it.
    const same = e?.same_line && cpu[e.same_line];
    if (same && e.vs_same !== undefined) out.push({ name: `CPU per wake-up vs bare Node loop printing the same line (${what}, --lean)`, bar: '≤ 1.3x', measured: `${e.vs_same}x (run by run; medians ${e.cpu_us} and ${same.cpu_us} µs)`, met: e.vs_same <= 1.3 });
    if (same && e.steady_vs_same !== undefined) out.push({ name: `CPU per wake-up vs bare Node loop printing the same line (${what}, --lean, ${r.cpu.steady_window})`, bar: '≤ 1.3x', measured: `${e.steady_vs_same}x (run by run; medians ${e.steady_cpu_us} and ${same.steady_cpu_us} µs)`, met: e.steady_vs_same <= 1.3 });
  }
  const d = r.drift?.contenders.timerstack;
  if (d && !d.error) out.push({ name: 'drift over 1000 ticks', bar: '< 0.5 ms', measured: `${d.drift_ms} ms`, met: Math.abs(d.drift_ms) < 0.5 });
  const s = r.startup?.commands.once0;
  if (s) out.push({ name: '`once 0` startup vs `node -e 0`', bar: '≤ 1.6x', measured: `${s.ratio}x (${s.median_ms} ms)`, met: s.ratio <= 1.6 });
  for (const id of ['once0cmd', 'help']) {
    const c = r.startup?.commands[id];
    const pair = c && r.startup.commands[c.pair];
    if (c && pair) out.push({ name: `\`${c.label.replace('timerstack ', '')}\` vs \`${pair.label.replace('timerstack ', '')}\``, bar: '≤ 1.5x', measured: `${c.pair_ratio}x (${c.median_ms} vs ${pair.median_ms} ms)`, met: c.pair_ratio <= 1.5 });
  }
  if (r.idle) out.push({ name: 'idle CPU for `once 10s`', bar: '< 30 ms', measured: `${r.idle.idle_cpu_ms} ms`, met: r.idle.idle_cpu_ms < 30 });
  const big = r.scale?.counts?.[100000]?.timerstack;
  if (big) {
    out.push({ name: 'arming 100,000 timers (library)', bar: '< 1 s', measured: big.error ?? `${big.arm_ms} ms`, met: !big.error && big.arm_ms < 1000 });
    out.push({
      name: 'expirations / s on one core, NDJSON (library, 100k)',
      bar: '≥ 200,000',
      measured: big.error ? big.error : big.expirations_per_cpu_s.toLocaleString('en-US'),
      met: !big.error && big.expirations_per_cpu_s >= 200_000 && big.lines === big.expected,
    });
  }
  const cli = r.scale?.cli;
  if (cli) {
    out.push({ name: '`run -` 100k: all events', bar: '200,000', measured: cli.events.toLocaleString('en-US'), met: cli.events === cli.expected });
    out.push({ name: '`run -` 100k: wall time', bar: '< 10 s', measured: `${cli.wall_s} s`, met: cli.wall_s < 10 });
    if (cli.peak_rss_mb !== undefined) out.push({ name: '`run -` 100k: peak RSS', bar: '< 400 MB', measured: `${cli.peak_rss_mb} MB`, met: cli.peak_rss_mb < 400 });
  } else if (r.scale) {
    out.push({ name: '`run -` 100k timers', bar: 'all events, < 10 s, < 400 MB', measured: `not measured: ${r.scale.notes[0] ?? 'skipped'}`, met: undefined });
  }
  const cal = r.calendar?.rows.find((x) => x.name.startsWith('calendar'));
  if (cal) out.push({ name: 'calendar timer lateness vs every 1s (p50)', bar: 'same order (≤ 3x)', measured: `${cal.p50Ratio}x (${cal.p50} µs)`, met: cal.p50Ratio <= 3 });
  for (const t of r.soak?.targets ?? []) out.push(t);
  return out;
}

function report(r) {
  const m = r.machine;
  const parts = [`## timerstack bench (${m.mode}) — ${m.cpus} × ${m.model}, Linux ${m.kernel}, Node ${m.node}`];
  if (r.latency) {
    parts.push(latencyTable(r.latency, r.latency.watch));
    const inner = internalLine(r.latency);
    if (inner) parts.push(inner);
    if (r.latency.watch?.note) parts.push(`watch: ${r.latency.watch.note}`);
  }
  if (r.cpu) parts.push(cpuTable(r.cpu));
  if (r.instructions) parts.push(instructionsTable(r.instructions));
  if (r.wake) parts.push(wakePathTable(r.wake));
  if (r.drift) parts.push(driftTable(r.drift, r.latency?.watch));
  if (r.scale) parts.push(scaleTable(r.scale));
  if (r.startup || r.idle) parts.push(startupTable(r.startup ?? { rounds: 0, commands: {} }, r.idle));
  if (r.calendar) parts.push(r.calendar.text);
  if (r.soak) parts.push(r.soak.text);
  if (r.explain) parts.push(r.explain.text);
  if (r.targets.length) parts.push(targetsTable(r.targets));
  for (const n of r.notes) parts.push(`note: ${n}`);
  return parts.join('\n\n');
}

function plot(r) {
  const rows = [];
  for (const [id, c] of Object.entries(r.latency.contenders)) {
    rows.push({ label: c.label, samples: c.samples, kind: id === 'c' ? 'floor' : id.startsWith('timerstack') ? 'timerstack' : 'other' });
  }
  for (const c of Object.values(r.latency.watch?.contenders ?? {})) rows.push({ label: `${c.label} (100 ms period)`, samples: c.samples, kind: 'other' });
  const m = r.machine;
  return latencySvg(rows, {
    title: 'Lateness of each tick at an independent reader (every 5 ms, 400 ticks)',
    subtitle: `${m.cpus} × ${m.model}, Linux ${m.kernel}, Node ${m.node}; ${r.latency.rounds} rounds pooled, each run beside the C loop`,
  });
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
