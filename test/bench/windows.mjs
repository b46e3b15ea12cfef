#!/usr/bin/env node
// Lateness at the reader window by window through one run: where the first 400 ticks' figures
// come from (start-up and V8's tier-up) and when a contender settles. The C loop runs first in
// each round, then each command given.
//
//   node test/bench/windows.mjs [--ticks N] [--window W] [--rounds R] 'NAME=ARGV…' …
//   node test/bench/windows.mjs json='node bin/timerstack.js every 5ms --count 400 --json'
//
// Prints, per run, the p50/p90 (µs) of each window of W ticks (every 5 ms; the grid of each run
// anchored at its earliest line, as in the bench's latency rounds).
import { runStamped } from './lib/spawn.mjs';
import { summary } from './lib/stats.mjs';
import { buildHelpers } from './lib/tools.mjs';
import { analyze } from './scenarios/latency.mjs';

const opts = { ticks: 400, window: 50, rounds: 2, commands: [] };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--ticks' || a === '--window' || a === '--rounds') opts[a.slice(2)] = Number(args[++i]);
  else if (a.includes('=')) opts.commands.push([a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1).split(' ')]);
  else throw new Error(`unknown argument ${a} (use --ticks N, --window W, --rounds R, NAME=ARGV)`);
}
const { tools } = buildHelpers();
const all = [...(tools.cloop ? [['c', [tools.cloop, 'tick', '5000000', String(opts.ticks)]]] : []), ...opts.commands];
for (let r = 0; r < opts.rounds; r++) {
  for (const [name, argv] of all) {
    const { lines } = await runStamped(tools, argv, { timeoutMs: opts.ticks * 20 + 20_000 });
    const { lateness } = analyze(lines, 5000);
    const parts = [];
    for (let i = 0; i < lateness.length; i += opts.window) {
      const s = summary(lateness.slice(i, i + opts.window));
      parts.push(`${Math.round(s.p50)}/${Math.round(s.p90)}`);
    }
    console.log(`${name.padEnd(8)} ${parts.join(' ')}`);
  }
}
