// Ways for Node to wait on a periodic timerfd, stripped to the bone, to see where timerstack's
// latency goes. Each prints "tick N expirations K lateness_us L" per wake-up, L taken the moment
// JavaScript gets control.   variant.mjs MODE PERIOD_MS COUNT
//   poll   koffi.node.poll (uv_poll) on an epoll fd; epoll_wait(0) + read in the callback
//   direct koffi.node.poll on the timerfd itself; read in the callback (no epoll set)
//   async  epoll_wait(-1) through koffi's .async (a libuv pool thread blocks), then read
//   sync   epoll_wait(-1) on the main thread (blocks Node: a floor, not a design)
//   loop   timerstack's Loop (dist/loop/loop.js) with a handler that writes the line
// Add "fs" as a 4th argument to write with fs.writeSync(1) instead of process.stdout.write.
// On stderr at the end: {"cpu_us", "wakeups"}, the CPU time between the first and last wake-up.
import { createRequire } from 'node:module';
import { writeSync } from 'node:fs';

const [mode, periodMs, countArg, writer] = process.argv.slice(2);
const period = BigInt(Math.round(Number(periodMs) * 1e6));
const count = Number(countArg);
const write = writer === 'fs' ? (s) => writeSync(1, s) : (s) => process.stdout.write(s);
const now = () => process.hrtime.bigint(); // CLOCK_MONOTONIC, like the timerfd
let wakeups = 0;
let cpuFirst;
const counted = () => {
  if (wakeups++ === 0) cpuFirst = process.cpuUsage();
};
process.on('exit', () => {
  const c = process.cpuUsage(cpuFirst);
  process.stderr.write(`${JSON.stringify({ cpu_us: c.user + c.system, wakeups })}\n`);
});

if (mode === 'loop') {
  const { Loop } = await import('../../../dist/loop/loop.js');
  const loop = new Loop();
  const t = loop.add({ interval: period }, (ev) => {
    counted();
    write(`tick ${ev.tick} expirations ${ev.expirations} lateness_us ${ev.latenessUs.toFixed(3)}\n`);
    if (ev.tick >= count) {
      t.cancel();
      loop.close();
    }
  });
} else {
  const koffi = createRequire(import.meta.url)('koffi');
  const lib = koffi.load('libc.so.6');
  const timerfd_create = lib.func('int timerfd_create(int clockid, int flags)');
  const timerfd_settime = lib.func('int timerfd_settime(int fd, int flags, void *new_value, void *old_value)');
  const read = lib.func('long read(int fd, void *buf, unsigned long count)');
  const close = lib.func('int close(int fd)');
  const epoll_create1 = lib.func('int epoll_create1(int flags)');
  const epoll_ctl = lib.func('int epoll_ctl(int epfd, int op, int fd, void *event)');
  const epoll_wait = lib.func('int epoll_wait(int epfd, void *events, int maxevents, int timeout)');
  const CLOEXEC = 0o2000000;
  const NONBLOCK = 0o4000;
  const fd = timerfd_create(1, CLOEXEC | NONBLOCK);
  const first = now() + period;
  const spec = Buffer.alloc(32);
  spec.writeBigInt64LE(period / 1_000_000_000n, 0);
  spec.writeBigInt64LE(period % 1_000_000_000n, 8);
  spec.writeBigInt64LE(first / 1_000_000_000n, 16);
  spec.writeBigInt64LE(first % 1_000_000_000n, 24);
  const ep = epoll_create1(CLOEXEC);
  const ev = Buffer.alloc(16);
  ev.writeUInt32LE(1, 0);
  ev.writeInt32LE(fd, process.arch === 'x64' ? 4 : 8);
  epoll_ctl(ep, 1, fd, ev);
  const events = Buffer.alloc(16 * 8);
  const buf = Buffer.alloc(8);
  let tick = 0;
  const onWake = (seen) => {
    if (read(fd, buf, 8) !== 8) return false;
    counted();
    const n = Number(buf.readBigUInt64LE(0));
    tick += n;
    const late = Number(seen - (first + BigInt(tick - 1) * period)) / 1000;
    write(`tick ${tick} expirations ${n} lateness_us ${late.toFixed(3)}\n`);
    return tick >= count;
  };
  timerfd_settime(fd, 1, spec, null);
  if (mode === 'poll' || mode === 'direct') {
    const target = mode === 'poll' ? ep : fd;
    const handle = koffi.node.poll(target, { readable: true }, () => {
      const seen = now();
      if (mode === 'poll') epoll_wait(ep, events, 8, 0);
      if (onWake(seen)) {
        handle.close();
        close(fd);
        close(ep);
      }
    });
  } else if (mode === 'async') {
    const wait = () =>
      epoll_wait.async(ep, events, 8, -1, (err, n) => {
        const seen = now();
        if (err || n < 1) return wait();
        if (onWake(seen)) {
          close(fd);
          close(ep);
        } else wait();
      });
    wait();
  } else if (mode === 'sync') {
    for (;;) {
      if (epoll_wait(ep, events, 8, -1) < 1) continue;
      if (onWake(now())) break;
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}
