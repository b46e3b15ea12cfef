// CPU per wake-up: each contender runs `every 5ms` for 6.5 s with its stdout read (and dropped)
// by the bench; the scheduler's CPU time of all its threads (/proc/PID/task/*/schedstat, in ns)
// is sampled 0.75 s and 2.75 s after the spawn, well after start-up and before the end, and the
// difference divided by the 400 ticks due in those 2 s; and again 4 s → 6 s: the steady state,
// once V8 has optimized what it will (timerstack's code may still be tiered up in the first
// window, the bare loop's is not).
//
// Each contender runs at the same time as the C loop and the bare Node loop (three processes
// started 1.7 ms apart, so that their wake-ups interleave), sampled at the same instants, and its
// ratios to them are taken in that run: this VM's neighbours move the CPU a wake-up costs by
// 20–50 % from one minute to the next, and contenders run one after the other (as before) each
// met a different minute. Medians over `rounds` runs. Builds given with --ab run beside them.
//
// A third loop runs beside each timerstack contender: the bare loop printing timerstack's own
// line (text or NDJSON, as the contender prints), so that what that line costs any Node loop
// (reading the wall clock, formatting the times) is told apart from what timerstack adds.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, round } from '../lib/stats.mjs';
import { BENCH_DIR } from '../lib/tools.mjs';
import { contenders } from './latency.mjs';
import { cpuNs } from './startup.mjs';

const PERIOD_MS = 5;
const FROM_MS = 750;
const TO_MS = 2750;
const STEADY_FROM_MS = 4000;
const STEADY_TO_MS = 6000;
const END_MS = 6500;
// Between the spawns of one run: a third of the period.
const STAGGER_MS = 1.7;
const REFERENCES = ['c', 'node-bare'];
// The bare loop printing timerstack's text line and its NDJSON line (bare-loop.mjs's third word).
const bareLoop = path.join(BENCH_DIR, 'contenders', 'bare-loop.mjs');
export const SAME_LINE = [
  { id: 'node-bare-text', label: "bare Node loop printing timerstack's text line", argv: (p, n) => [process.execPath, bareLoop, String(p), String(n), 'text'] },
  { id: 'node-bare-json', label: "bare Node loop printing timerstack's NDJSON line", argv: (p, n) => [process.execPath, bareLoop, String(p), String(n), 'json'] },
];
// The same-line loop a contender is measured beside: none for the C loops.
const sameLineFor = (c) => (c.id.startsWith('timerstack') || c.id.startsWith('ab') ? SAME_LINE[c.json ? 1 : 0] : undefined);
const perTick = (a, b, ms) => (a === undefined || b === undefined ? undefined : (b - a) / 1000 / (ms / PERIOD_MS));

// Runs the contenders' argvs at once; per argv, { first, steady } µs per tick, or undefined.
async function sampleTogether(argvs) {
  const children = [];
  for (const argv of argvs) {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', () => {});
    const done = new Promise((resolve) => {
      child.on('close', (status) => resolve(status === 0));
      child.on('error', () => resolve(false));
    });
    children.push({ child, done, at: {} });
    await sleep(STAGGER_MS);
  }
  const started = performance.now();
  for (const ms of [FROM_MS, TO_MS, STEADY_FROM_MS, STEADY_TO_MS]) {
    await sleep(Math.max(0, ms - (performance.now() - started)));
    for (const c of children) c.at[ms] = cpuNs(c.child.pid);
  }
  return Promise.all(
    children.map(async ({ done, at }) => {
      if (!(await done)) return undefined;
      const first = perTick(at[FROM_MS], at[TO_MS], TO_MS - FROM_MS);
      return first === undefined ? undefined : { first, steady: perTick(at[STEADY_FROM_MS], at[STEADY_TO_MS], STEADY_TO_MS - STEADY_FROM_MS) };
    }),
  );
}

const ratio = (a, b) => (a === undefined || !b ? undefined : a / b);

export async function wakeCpu(tools, { rounds, ab = [], ids, log }) {
  const all = contenders(tools, ab).filter((c) => (c.id.startsWith('c') || c.id === 'node-bare' || c.id.startsWith('timerstack') || c.id.startsWith('ab')) && (!ids || REFERENCES.includes(c.id) || ids.has(c.id)));
  const refs = REFERENCES.map((id) => all.find((c) => c.id === id));
  const others = all.filter((c) => !REFERENCES.includes(c.id));
  const shown = [...refs.filter(Boolean), ...SAME_LINE, ...others];
  const per = Object.fromEntries(shown.map((c) => [c.id, []]));
  const count = Math.ceil(END_MS / PERIOD_MS);
  for (let r = 0; r < rounds; r++) {
    // The references measure each other too, in a run of their own.
    for (const c of [undefined, ...others]) {
      const same = c && sameLineFor(c);
      const group = c ? [...refs, ...(same ? [same] : []), c] : [...refs, ...SAME_LINE];
      const got = await sampleTogether(group.map((g) => g?.argv(PERIOD_MS, count) ?? ['false']));
      const [cLoop, bare] = got;
      const sameUs = same ? got[refs.length] : undefined;
      const own = c ? [group.length - 1] : group.map((_, i) => i);
      for (const i of own) {
        const g = group[i];
        if (!g) continue;
        const us = got[i];
        if (us === undefined) {
          log(`  cpu round ${r + 1}/${rounds} ${g.id.padEnd(24)} failed`);
          continue;
        }
        const vsSame = same ? { vsSame: ratio(us.first, sameUs?.first), steadyVsSame: ratio(us.steady, sameUs?.steady) } : {};
        per[g.id].push({ ...us, vsC: ratio(us.first, cLoop?.first), vsBare: ratio(us.first, bare?.first), steadyVsBare: ratio(us.steady, bare?.steady), ...vsSame });
        const beside = same ? `, the same line ${round(sameUs?.first ?? NaN, 1)}` : '';
        log(`  cpu round ${r + 1}/${rounds} ${g.id.padEnd(24)} ${round(us.first, 1)} µs per tick, steady ${round(us.steady ?? NaN, 1)} µs; beside it C ${round(cLoop?.first ?? NaN, 1)}, bare Node ${round(bare?.first ?? NaN, 1)}${beside} µs`);
      }
    }
  }
  const out = { period_ms: PERIOD_MS, rounds, method: 'schedstat of all threads, 0.75 s → 2.75 s, each run beside the C and bare Node loops and the bare loop printing its line', steady_window: '4 s → 6 s', contenders: {} };
  const med = (runs, key, digits) => {
    const xs = runs.map((x) => x[key]).filter((x) => x !== undefined);
    return xs.length ? round(median(xs), digits) : undefined;
  };
  for (const c of shown) {
    const runs = per[c.id];
    if (!runs.length) {
      out.contenders[c.id] = { label: c.label, error: 'no sample' };
      continue;
    }
    const e = { label: c.label, cpu_us: med(runs, 'first', 1), runs: runs.map((x) => round(x.first, 1)) };
    const steady = med(runs, 'steady', 1);
    if (steady !== undefined) Object.assign(e, { steady_cpu_us: steady, steady_runs: runs.map((x) => round(x.steady, 1)) });
    // Ratios are medians of each run's own ratio (the run beside the references).
    for (const [key, name] of [['vsC', 'vs_c'], ['vsBare', 'vs_bare'], ['steadyVsBare', 'steady_vs_bare'], ['vsSame', 'vs_same'], ['steadyVsSame', 'steady_vs_same']]) {
      const v = med(runs, key, 2);
      if (v !== undefined) e[name] = v;
    }
    const same = sameLineFor(c);
    if (same) e.same_line = same.id;
    out.contenders[c.id] = e;
  }
  return out;
}
