// CPU per wake-up: each contender runs `every 5ms` for 3.5 s with its stdout read (and dropped)
// by the bench; the scheduler's CPU time of all its threads (/proc/PID/task/*/schedstat, in ns)
// is sampled 0.75 s and 2.75 s after the spawn, well after start-up and before the end, and the
// difference divided by the 400 ticks due in those 2 s. The run goes on to 6.5 s, and the same is
// measured 4 s → 6 s: the steady state, once V8 has optimized what it will (timerstack's code is
// still being tiered up in the first window, the bare loop's is not). The contenders run in turn,
// `rounds` times, and the medians are compared with the C loop's and the bare Node loop's. Builds
// given with --ab run beside them.
import { spawn } from 'node:child_process';
import { median, round } from '../lib/stats.mjs';
import { contenders } from './latency.mjs';
import { cpuNs } from './startup.mjs';

const PERIOD_MS = 5;
const FROM_MS = 750;
const TO_MS = 2750;
const STEADY_FROM_MS = 4000;
const STEADY_TO_MS = 6000;
const END_MS = 6500;
const perTick = (a, b, ms) => (a === undefined || b === undefined ? undefined : (b - a) / 1000 / (ms / PERIOD_MS));

function sampleOnce(argv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', () => {});
    const at = {};
    for (const ms of [FROM_MS, TO_MS, STEADY_FROM_MS, STEADY_TO_MS]) setTimeout(() => (at[ms] = cpuNs(child.pid)), ms);
    child.on('close', (status) => {
      if (status !== 0) return resolve(undefined);
      const first = perTick(at[FROM_MS], at[TO_MS], TO_MS - FROM_MS);
      resolve(first === undefined ? undefined : { first, steady: perTick(at[STEADY_FROM_MS], at[STEADY_TO_MS], STEADY_TO_MS - STEADY_FROM_MS) });
    });
    child.on('error', () => resolve(undefined));
  });
}

export async function wakeCpu(tools, { rounds, ab = [], ids, log }) {
  const all = contenders(tools, ab).filter((c) => (c.id.startsWith('c') || c.id === 'node-bare' || c.id.startsWith('timerstack') || c.id.startsWith('ab')) && (!ids || c.id === 'c' || ids.has(c.id)));
  const per = Object.fromEntries(all.map((c) => [c.id, []]));
  const count = Math.ceil(END_MS / PERIOD_MS);
  for (let r = 0; r < rounds; r++) {
    for (const c of all) {
      const us = await sampleOnce(c.argv(PERIOD_MS, count));
      if (us !== undefined) per[c.id].push(us);
      const steady = us?.steady === undefined ? '' : `, steady ${round(us.steady, 1)} µs`;
      log(`  cpu round ${r + 1}/${rounds} ${c.id.padEnd(24)} ${us === undefined ? 'failed' : `${round(us.first, 1)} µs per tick${steady}`}`);
    }
  }
  const out = { period_ms: PERIOD_MS, rounds, method: 'schedstat of all threads, 0.75 s → 2.75 s', steady_window: '4 s → 6 s', contenders: {} };
  for (const c of all) {
    const runs = per[c.id];
    const steady = runs.map((x) => x.steady).filter((x) => x !== undefined);
    out.contenders[c.id] = runs.length
      ? { label: c.label, cpu_us: round(median(runs.map((x) => x.first)), 1), runs: runs.map((x) => round(x.first, 1)), ...(steady.length ? { steady_cpu_us: round(median(steady), 1), steady_runs: steady.map((x) => round(x, 1)) } : {}) }
      : { label: c.label, error: 'no sample' };
  }
  const cUs = out.contenders.c?.cpu_us;
  const bare = out.contenders['node-bare'];
  for (const e of Object.values(out.contenders)) {
    if (e.error) continue;
    if (cUs) e.vs_c = round(e.cpu_us / cUs, 2);
    if (bare?.cpu_us) e.vs_bare = round(e.cpu_us / bare.cpu_us, 2);
    if (bare?.steady_cpu_us && e.steady_cpu_us !== undefined) e.steady_vs_bare = round(e.steady_cpu_us / bare.steady_cpu_us, 2);
  }
  return out;
}
