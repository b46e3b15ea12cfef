// Start-up of builds side by side: `node test/bench/startup-ab.mjs NAME=BIN...` times
// `BIN once 0` for each build and `node -e 0`, alternating, 20 rounds (ROUNDS=N for more); prints the medians and
// their ratio to `node -e 0`. (`npm run bench` times this build alone; --ab covers latency only.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const builds = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf('=');
  return at < 0 ? [arg, path.resolve(arg)] : [arg.slice(0, at), path.resolve(arg.slice(at + 1))];
});
if (builds.length === 0) {
  console.error('usage: node test/bench/startup-ab.mjs NAME=path/to/bin/timerstack.js...');
  process.exit(2);
}
const ms = (argv) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1));
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: status ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const times = new Map([['node -e 0', []], ...builds.map(([name]) => [name, []])]);
for (let round = 0; round < Number(process.env.ROUNDS ?? 20); round++) {
  times.get('node -e 0').push(ms([process.execPath, '-e', '0']));
  for (const [name, bin] of builds) times.get(name).push(ms([bin, 'once', '0']));
}
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const base = median(times.get('node -e 0'));
for (const [name, list] of times) console.log(`${name.padEnd(12)} ${median(list).toFixed(1).padStart(7)} ms  ${(median(list) / base).toFixed(2)}x node -e 0`);
