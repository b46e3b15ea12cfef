// Heap bytes allocated per tick by the real CLI path (main() from dist/cli/main.js, in this process):
// V8's used heap size read at each write, deltas across a scavenge dropped, less the cost of the
// reading itself. Also CPU µs per tick. Prints one JSON object.   alloc.mjs PERIOD COUNT [--json]
import { Writable } from 'node:stream';
import { getHeapStatistics } from 'node:v8';
import { main } from '../../../dist/cli/main.js';

const [period, count, ...rest] = process.argv.slice(2);
const used = () => getHeapStatistics().used_heap_size;
// What one reading allocates (the smallest positive delta of two readings in a row).
let probe = Infinity;
for (let i = 0; i < 1000; i++) {
  const a = used();
  const b = used();
  if (b > a) probe = Math.min(probe, b - a);
}
const deltas = [];
let prev;
let writes = 0;
let cpuFirst;
let cpuLast;
const stdout = new Writable({
  write(chunk, _enc, cb) {
    const h = used();
    if (prev !== undefined && h >= prev) deltas.push(h - prev);
    if (writes++ === 0) cpuFirst = process.cpuUsage();
    else cpuLast = process.cpuUsage(cpuFirst);
    prev = used();
    cb();
  },
});
const result = await main(['every', period, '--count', count, ...rest], {
  stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signals: process,
});
deltas.sort((a, b) => a - b);
const upper = deltas.slice(Math.floor(deltas.length / 2));
process.stdout.write(`${JSON.stringify({
  code: result.code,
  writes,
  bytes_per_tick_median: deltas[Math.floor(deltas.length / 2)] - probe,
  probe_bytes: probe,
  upper_half_min: upper[0] - probe,
  // CPU between the first and the last write, per wake-up (module loading excluded).
  cpu_us_per_tick: Math.round((cpuLast.user + cpuLast.system) / (writes - 1)),
})}\n`);
