// timerstack's library at scale: N timers on one Loop (dist/loop/loop.js), timer i with period
// BASE_NS + i*STEP_NS, TICKS expirations each, one NDJSON line per expiration written once per
// wake-up (as the CLI does). On stderr, one JSON object: arming time, CPU after arming,
// expirations, wall time, peak RSS.   lib-scale.mjs N BASE_NS STEP_NS TICKS
import { Loop } from '../../../dist/loop/loop.js';
import { raiseFdLimit } from '../../../dist/native/fd-limit.js';

const [n, base, step, ticks] = process.argv.slice(2).map(Number);
raiseFdLimit();
let pending = '';
const loop = new Loop({
  afterDispatch: () => {
    if (pending === '') return;
    process.stdout.write(pending);
    pending = '';
  },
});
let left = n;
let expirations = 0;
let cpu0;
const t0 = process.hrtime.bigint();
const list = [];
for (let i = 0; i < n; i++) {
  const name = `t${i}`;
  list.push({
    options: { name, interval: BigInt(base) + BigInt(i) * BigInt(step) },
    handler: (ev) => {
      expirations += ev.expirations;
      pending += `{"event":"tick","timer":"${name}","tick":${ev.tick},"expirations":${ev.expirations},"lateness_us":${Math.round(ev.latenessUs)}}\n`;
      if (pending.length > 65536) {
        process.stdout.write(pending);
        pending = '';
      }
      if (ev.tick >= ticks) {
        ev.timer.cancel();
        if (--left === 0) finish();
      }
    },
  });
}
loop.addAll(list);
const armNs = Number(process.hrtime.bigint() - t0);
cpu0 = process.cpuUsage();
const fdCount = loop.fdCount;

function finish() {
  const cpu = process.cpuUsage(cpu0);
  setImmediate(() => {
    loop.close();
    process.stderr.write(`${JSON.stringify({
      timers: n,
      arm_ns: armNs,
      cpu_us: cpu.user + cpu.system,
      expirations,
      wall_ns: Number(process.hrtime.bigint() - t0),
      timerfds: fdCount,
      maxrss_kb: process.resourceUsage().maxRSS,
    })}\n`);
  });
}
