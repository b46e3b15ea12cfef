// The wake-up's path timed in the process: from libuv's epoll_pwait returning to the write(2) of
// the tick's line on fd 1, on the main thread, read from perf's syscall tracepoints (one clock
// for both, no reader and no kernel wake-up in the figure). Builds alternate, ROUNDS times:
//   node test/bench/wake-path.mjs [--rounds N] NAME=path/to/bin/timerstack.js... [-- ARGS]
// ARGS default to `every 5ms --count 400 --json`; `node-bare` as a path times the bare loop.
// Needs perf and root (or perf_event_paranoid ≤ 1); prints ticks 1–50 and 1–400, p50 and p90.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './lib/tools.mjs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const args = dash < 0 ? ['every', '5ms', '--count', '400', '--json'] : argv.slice(dash + 1);
const own = dash < 0 ? argv : argv.slice(0, dash);
let rounds = 3;
const builds = [];
for (let i = 0; i < own.length; i++) {
  if (own[i] === '--rounds') rounds = Number(own[++i]);
  else {
    const at = own[i].indexOf('=');
    builds.push(at < 0 ? [own[i], own[i]] : [own[i].slice(0, at), own[i].slice(at + 1)]);
  }
}
if (builds.length === 0 || !(rounds > 0)) {
  console.error('usage: node test/bench/wake-path.mjs [--rounds N] NAME=BIN... [-- ARGS]');
  process.exit(2);
}
if (spawnSync('perf', ['--version']).status !== 0) {
  console.error('wake-path: perf is not installed (apt-get install linux-perf)');
  process.exit(2);
}

const dir = mkdtempSync(path.join(tmpdir(), 'wake-path-'));
const command = (bin) =>
  bin === 'node-bare' ? [process.execPath, path.join(BENCH_DIR, 'contenders', 'bare-loop.mjs'), '5', '400'] : [process.execPath, path.resolve(bin), ...args];

// µs from each epoll_pwait exit to the write(2) on fd 1 that follows it, on the first thread.
function spans(bin) {
  const data = path.join(dir, 'perf.data');
  execFileSync('sh', ['-c', 'perf record -q -o "$0" -e syscalls:sys_exit_epoll_pwait,syscalls:sys_enter_write -- "$@" > /dev/null', data, ...command(bin)]);
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

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))];
};
const results = new Map(builds.map(([name]) => [name, []]));
try {
  for (let r = 0; r < rounds; r++) for (const [name, bin] of builds) results.get(name).push(spans(bin));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`wake-up -> write(1), µs (${rounds} alternating rounds; ${args.join(' ')})`);
for (const [name, runs] of results) {
  const cells = runs.map((s) => `1–50 p90 ${quantile(s.slice(0, 50), 0.9).toFixed(1)}, 1–400 p50 ${quantile(s, 0.5).toFixed(1)} p90 ${quantile(s, 0.9).toFixed(1)}`);
  console.log(`${name.padEnd(12)} ${cells.join(' | ')}`);
}
