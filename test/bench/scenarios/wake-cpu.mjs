// CPU per wake-up: each contender runs `every 5ms` for 3.5 s with its stdout read (and dropped)
// by the bench; the scheduler's CPU time of all its threads (/proc/PID/task/*/schedstat, in ns)
// is sampled 0.75 s and 2.75 s after the spawn, well after start-up and before the end, and the
// difference divided by the 400 ticks due in those 2 s. The contenders run in turn, `rounds`
// times, and the medians are compared with the C loop's and the bare Node loop's.
import { spawn } from 'node:child_process';
import { median, round } from '../lib/stats.mjs';
import { contenders } from './latency.mjs';
import { cpuNs } from './startup.mjs';

const PERIOD_MS = 5;
const FROM_MS = 750;
const TO_MS = 2750;

function sampleOnce(argv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', () => {});
    let a;
    let b;
    setTimeout(() => (a = cpuNs(child.pid)), FROM_MS);
    setTimeout(() => (b = cpuNs(child.pid)), TO_MS);
    child.on('close', (status) => {
      const ticks = (TO_MS - FROM_MS) / PERIOD_MS;
      resolve(status === 0 && a !== undefined && b !== undefined ? (b - a) / 1000 / ticks : undefined);
    });
    child.on('error', () => resolve(undefined));
  });
}

export async function wakeCpu(tools, { rounds, ids, log }) {
  const all = contenders(tools).filter((c) => (c.id.startsWith('c') || c.id === 'node-bare' || c.id.startsWith('timerstack')) && (!ids || c.id === 'c' || ids.has(c.id)));
  const per = Object.fromEntries(all.map((c) => [c.id, []]));
  const count = Math.ceil((TO_MS + 750) / PERIOD_MS);
  for (let r = 0; r < rounds; r++) {
    for (const c of all) {
      const us = await sampleOnce(c.argv(PERIOD_MS, count));
      if (us !== undefined) per[c.id].push(us);
      log(`  cpu round ${r + 1}/${rounds} ${c.id.padEnd(24)} ${us === undefined ? 'failed' : `${round(us, 1)} µs per tick`}`);
    }
  }
  const out = { period_ms: PERIOD_MS, rounds, method: 'schedstat of all threads, 0.75 s → 2.75 s', contenders: {} };
  for (const c of all) out.contenders[c.id] = per[c.id].length ? { label: c.label, cpu_us: round(median(per[c.id]), 1), runs: per[c.id].map((x) => round(x, 1)) } : { label: c.label, error: 'no sample' };
  const cUs = out.contenders.c?.cpu_us;
  const bare = out.contenders['node-bare']?.cpu_us;
  for (const e of Object.values(out.contenders)) {
    if (e.error) continue;
    if (cUs) e.vs_c = round(e.cpu_us / cUs, 2);
    if (bare) e.vs_bare = round(e.cpu_us / bare, 2);
  }
  return out;
}
