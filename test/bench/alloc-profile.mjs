// Where a wake-up's heap bytes go: V8's sampling heap profiler, objects collected since included,
// over the CLI's path run in this process (main() from dist/cli/main.js, stdout as given), from
// 1.5 s in to the end; bytes per tick by allocating function and its caller, on stderr.
//   node test/bench/alloc-profile.mjs [--dist OTHER/dist/cli/main.js] every 5ms [--lean] [--json] --count 1300 > /dev/null
// Deterministic where CPU time is not: it tells allocation cuts apart on a noisy machine.
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SKIP_MS = 1500;
let args = process.argv.slice(2);
let dist = new URL('../../dist/cli/main.js', import.meta.url).href;
if (args[0] === '--dist') {
  dist = pathToFileURL(resolve(args[1])).href;
  args = args.slice(2);
}
const { main } = await import(dist);
const session = new Session();
session.connect();
const sampling = { samplingInterval: 16, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
setTimeout(() => void session.post('HeapProfiler.startSampling', sampling), SKIP_MS);
const count = Number(args[args.indexOf('--count') + 1]);
await main(args, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, signals: process });
const { profile } = await session.post('HeapProfiler.stopSampling');
// Ticks in the sampled part (the period taken from `every PERIOD`, in ms).
const periodMs = parseFloat(args[1]);
const ticks = count - Math.round(SKIP_MS / periodMs);
const stacks = new Map();
const walk = (node, stack) => {
  const here = [...stack, `${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber + 1}`];
  stacks.set(node.id, here);
  for (const child of node.children ?? []) walk(child, here);
};
walk(profile.head, []);
const bytes = new Map();
let total = 0;
for (const { nodeId, size } of profile.samples) {
  const key = stacks.get(nodeId).slice(-2).reverse().join(' < ');
  bytes.set(key, (bytes.get(key) ?? 0) + size);
  total += size;
}
process.stderr.write(`${Math.round(total / ticks)} bytes a tick over ${ticks} ticks (${dist})\n`);
for (const [key, n] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 20)) process.stderr.write(`${String(Math.round(n / ticks)).padStart(7)}  ${key}\n`);
