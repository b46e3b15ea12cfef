// The wake-up's path timed in the process: from libuv's epoll_pwait returning to the write(2) of
// the tick's line on fd 1 (scenarios/wake-path.mjs, which `npm run bench` runs too), for any
// builds and arguments. Builds alternate, ROUNDS times:
//   node test/bench/wake-path.mjs [--rounds N] NAME=path/to/bin/timerstack.js... [-- ARGS]
// ARGS default to `every 5ms --count 400 --json`; `node-bare` as a path times the bare loop.
// Needs perf and root (or perf_event_paranoid ≤ 1); prints ticks 1–50 p90 and all ticks' p50 and p90.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './lib/tools.mjs';
import { spanSummary, wakeSpans } from './scenarios/wake-path.mjs';

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

const results = new Map(builds.map(([name]) => [name, []]));
try {
  for (let r = 0; r < rounds; r++) for (const [name, bin] of builds) results.get(name).push(wakeSpans(command(bin), dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`wake-up -> write(1), µs (${rounds} alternating rounds; ${args.join(' ')})`);
for (const [name, runs] of results) {
  const cells = runs.map(spanSummary).map((s) => `1–50 p90 ${s.first_p90_us}, all p50 ${s.p50_us} p90 ${s.p90_us}`);
  console.log(`${name.padEnd(12)} ${cells.join(' | ')}`);
}
