// The least a Node loop on a timerfd can do, for `--lean`'s CPU to be measured against: one
// periodic timerfd in an epoll set watched on Node's own loop (uv_poll, as timerstack waits), then
// koffi epoll_wait(0), read(8), a minimal line, write(1). No formatting of times, no streams.
//   bare-loop.mjs PERIOD_MS COUNT
import { createRequire } from 'node:module';

const koffi = createRequire(import.meta.url)('koffi');
const [periodMs, count] = process.argv.slice(2).map(Number);
const lib = koffi.load('libc.so.6');
const timerfd_create = lib.func('int timerfd_create(int clockid, int flags)');
const timerfd_settime = lib.func('int timerfd_settime(int fd, int flags, void *new_value, void *old_value)');
const epoll_create1 = lib.func('int epoll_create1(int flags)');
const epoll_ctl = lib.func('int epoll_ctl(int epfd, int op, int fd, void *event)');
const epoll_wait = lib.func('int epoll_wait(int epfd, void *events, int maxevents, int timeout)');
const read = lib.func('long read(int fd, void *buf, unsigned long count)');
const write = lib.func('long write(int fd, void *buf, unsigned long count)');

const CLOEXEC = 0o2000000;
const fd = timerfd_create(1, CLOEXEC | 0o4000);
const ep = epoll_create1(CLOEXEC);
const ev = Buffer.alloc(16);
ev.writeUInt32LE(1, 0);
ev.writeInt32LE(fd, process.arch === 'x64' ? 4 : 8);
epoll_ctl(ep, 1, fd, ev);
const period = BigInt(periodMs * 1e6);
const first = process.hrtime.bigint() + period;
const spec = Buffer.alloc(32);
spec.writeBigInt64LE(period / 1_000_000_000n, 0);
spec.writeBigInt64LE(period % 1_000_000_000n, 8);
spec.writeBigInt64LE(first / 1_000_000_000n, 16);
spec.writeBigInt64LE(first % 1_000_000_000n, 24);
timerfd_settime(fd, 1, spec, null);
const events = Buffer.alloc(16 * 8);
const buf = Buffer.alloc(8);
const out = Buffer.alloc(128);
let tick = 0;
const handle = koffi.node.poll(ep, { readable: true }, () => {
  if (epoll_wait(ep, events, 8, 0) <= 0 || read(fd, buf, 8) !== 8) return;
  const n = Number(buf.readBigUInt64LE(0));
  tick += n;
  const len = out.write(`tick ${tick} expirations ${n}\n`, 0);
  write(1, out, len);
  if (tick >= count) handle.close();
});
