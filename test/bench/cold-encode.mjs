// A tick line made and encoded cold, as a tick 5 ms after the last one runs it: each way is
// timed once per 5 ms sleep (with some allocation between, as a wake-up's other work does), in
// turn, 800 times. Run under --max-opt=1 for the CLI's baseline tier:
//   node --max-opt=1 test/bench/cold-encode.mjs   (after npm run build)
import { jsonFormatter } from '../../dist/output/json.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const scratch = Buffer.allocUnsafe(1 << 18);
const event = { timer: 'timer', tick: 1, expirations: 1, timeNs: 1764753239679344902n, scheduledNs: 1764753239678737105n, zone: undefined, latenessUs: 50.042 };
const ways = {
  'format only': (e) => jsonFormatter.tick(e).length,
  'format + Buffer.from': (e) => Buffer.from(`${jsonFormatter.tick(e)}\n`).length,
  'format + write into a kept buffer': (e) => scratch.write(`${jsonFormatter.tick(e)}\n`, 0),
};
const times = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
const junk = [];
let sink = 0;
for (let i = 0; i < 1000; i++) {
  for (const [name, way] of Object.entries(ways)) {
    Atomics.wait(sleeper, 0, 0, 5);
    for (let j = 0; j < 2000; j++) junk[j & 63] = { j, s: `x${j}` };
    event.tick++;
    event.timeNs += 5_000_173n;
    event.scheduledNs += 5_000_000n;
    const t0 = process.hrtime.bigint();
    sink += way(event);
    const ns = Number(process.hrtime.bigint() - t0);
    if (i >= 200) times[name].push(ns);
  }
}
for (const [name, t] of Object.entries(times)) {
  t.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} p50 ${(t[t.length >> 1] / 1000).toFixed(2)} µs  p90 ${(t[Math.floor(t.length * 0.9)] / 1000).toFixed(2)} µs`);
}
if (sink === 0) console.log('');
