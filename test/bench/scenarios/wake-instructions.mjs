// Instructions per wake-up: each contender runs `every 50ms` under valgrind's callgrind, which
// counts the instructions executed inside libuv's poll callback (uv__poll_io: the wake-up's
// JavaScript, koffi's calls, the formatting, the write, a scavenge the wake-up's allocations
// cause) from the 60th line the contender prints to the 260th, and divides by the 200 ticks.
//
// CPU time per wake-up on this VM moves by 20–50 % from one minute to the next (the neighbours'
// caches and the host's scheduling); an instruction count does not (two runs of one build agree
// within ~4 %): a change to the wake-up path is measured here, its CPU in wake-cpu.mjs. What the
// count leaves out is what the two agree on least: the kernel's wake-up and the cache misses of
// code run cold, which cost a Node loop more per instruction than a warm one.
//
// Under valgrind timerstack's bracketed reading of the wall clock's offset (clock-readings.ts)
// finds its readings more than 20 µs apart and tries again, three times a wake-up instead of one:
// ~5,700 of its count per wake-up are valgrind's own (the bare loops read the wall clock once).
//
// 50 ms, not 5: under valgrind a wake-up costs a few milliseconds, and a shorter period would
// make every wake-up carry several expirations. The warm-up wake of the default mode is counted
// with the wake-up it precedes (it runs in the same callback). --precise is not measured: its
// spin lasts as long as the wait, and valgrind makes that wait's length its own.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, round } from '../lib/stats.mjs';
import { which } from '../lib/tools.mjs';
import { contenders } from './latency.mjs';
import { SAME_LINE } from './wake-cpu.mjs';

const PERIOD_MS = 50;
const FROM_LINE = 60;
const TO_LINE = 260;
const COUNT = 400;
const IDS = ['node-bare', 'node-bare-text', 'node-bare-json', 'timerstack', 'timerstack-json', 'timerstack-lean', 'timerstack-json-lean'];

export function valgrindWorks() {
  return which('valgrind') !== undefined && which('callgrind_control') !== undefined;
}

// Instructions inside uv__poll_io per tick over lines FROM_LINE..TO_LINE of `argv`, or undefined.
function countOne(argv) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-callgrind-'));
  const vg = spawn('valgrind', ['--tool=callgrind', '--instr-atstart=no', '--toggle-collect=uv__poll_io', `--callgrind-out-file=${dir}/out.%p`, ...argv], { stdio: ['ignore', 'pipe', 'ignore'] });
  let lines = 0;
  let rest = '';
  let state = 'before';
  return new Promise((resolve) => {
    vg.stdout.on('data', (d) => {
      const parts = (rest + d).split('\n');
      rest = parts.pop();
      lines += parts.length;
      try {
        if (state === 'before' && lines >= FROM_LINE) {
          state = 'counting';
          execFileSync('callgrind_control', ['-i', 'on', String(vg.pid)], { stdio: 'ignore' });
        } else if (state === 'counting' && lines >= TO_LINE) {
          state = 'done';
          execFileSync('callgrind_control', ['-d', String(vg.pid)], { stdio: 'ignore' });
          vg.kill('SIGKILL');
        }
      } catch {
        state = 'failed';
        vg.kill('SIGKILL');
      }
    });
    vg.on('close', () => {
      let ir = 0;
      for (const f of readdirSync(dir)) ir += Number(/^summary: (\d+)/m.exec(readFileSync(path.join(dir, f), 'utf8'))?.[1] ?? 0);
      rmSync(dir, { recursive: true, force: true });
      resolve(state === 'done' && ir > 0 ? ir / (TO_LINE - FROM_LINE) : undefined);
    });
  });
}

const ratio = (a, b) => (a === undefined || !b ? undefined : round(a / b, 2));

export async function wakeInstructions(tools, { rounds, ab = [], ids, log }) {
  const all = [...contenders(tools, ab), ...SAME_LINE];
  const rank = (c) => (c.id.startsWith('ab') ? IDS.length : IDS.indexOf(c.id));
  const chosen = all.filter((c) => (IDS.includes(c.id) && (!ids || c.id.startsWith('node-bare') || ids.has(c.id))) || c.id.startsWith('ab')).sort((a, b) => rank(a) - rank(b));
  const per = Object.fromEntries(chosen.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    // Two at a time (two cores): a count does not depend on what runs beside it.
    for (let i = 0; i < chosen.length; i += 2) {
      const pair = chosen.slice(i, i + 2);
      const got = await Promise.all(pair.map((c) => countOne(c.argv(PERIOD_MS, COUNT))));
      pair.forEach((c, j) => {
        log(`  instructions round ${r + 1}/${rounds} ${c.id.padEnd(24)} ${got[j] === undefined ? 'failed' : `${Math.round(got[j])} per wake-up`}`);
        if (got[j] !== undefined) per[c.id].push(got[j]);
      });
    }
  }
  const med = (id) => (per[id]?.length ? median(per[id]) : undefined);
  const out = { period_ms: PERIOD_MS, rounds, method: `callgrind, instructions inside uv__poll_io, lines ${FROM_LINE}–${TO_LINE}`, contenders: {} };
  for (const c of chosen) {
    const n = med(c.id);
    if (n === undefined) {
      out.contenders[c.id] = { label: c.label, error: 'no count' };
      continue;
    }
    const same = c.id.startsWith('node-bare') ? undefined : c.json ? 'node-bare-json' : 'node-bare-text';
    out.contenders[c.id] = { label: c.label, instructions: Math.round(n), runs: per[c.id].map(Math.round), vs_bare: ratio(n, med('node-bare')), ...(same ? { vs_same: ratio(n, med(same)), same_line: same } : {}) };
  }
  return out;
}
