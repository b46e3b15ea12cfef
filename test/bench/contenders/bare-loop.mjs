// The least a Node loop on a timerfd can do, for `--lean`'s CPU to be measured against: one
// periodic timerfd in an epoll set watched on Node's own loop (uv_poll, as timerstack waits), then
// koffi epoll_wait(0), read(8), a line, write(1). No streams, no layers.
//   bare-loop.mjs PERIOD_MS COUNT [minimal|text|json]
// minimal (the default): "tick N expirations N", no clock read, no time formatted. text and json:
// timerstack's own tick line (`2026-12-04 03:17:05.469 timer tick 1`, or its NDJSON with the
// wake-up's wall time and the deadline to the nanosecond and the lateness), made the least way:
// the wall clock read once per wake-up, the date part once per second. What printing that line
// costs any Node loop, without timerstack's loop, sources and outlets around it.
import { createRequire } from 'node:module';

const koffi = createRequire(import.meta.url)('koffi');
const [periodMs, count] = process.argv.slice(2, 4).map(Number);
const shape = process.argv[4] ?? 'minimal';
const lib = koffi.load('libc.so.6');
const timerfd_create = lib.func('int timerfd_create(int clockid, int flags)');
const timerfd_settime = lib.func('int timerfd_settime(int fd, int flags, void *new_value, void *old_value)');
const epoll_create1 = lib.func('int epoll_create1(int flags)');
const epoll_ctl = lib.func('int epoll_ctl(int epfd, int op, int fd, void *event)');
const epoll_wait = lib.func('int epoll_wait(int epfd, void *events, int maxevents, int timeout)');
const read = lib.func('long read(int fd, void *buf, unsigned long count)');
const write = lib.func('long write(int fd, void *buf, unsigned long count)');
const clock_gettime = lib.func('int clock_gettime(int clockid, void *ts)');

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
const out = Buffer.alloc(512);
let tick = 0;
const handle = koffi.node.poll(ep, { readable: true }, () => {
  if (epoll_wait(ep, events, 8, 0) <= 0 || read(fd, buf, 8) !== 8) return;
  const n = Number(buf.readBigUInt64LE(0));
  tick += n;
  const len = out.write(line(tick, n), 0);
  write(1, out, len);
  if (tick >= count) handle.close();
});

// The wall clock (CLOCK_REALTIME) in ns.
const timespec = new BigInt64Array(2);
function wallNow() {
  clock_gettime(0, timespec);
  return timespec[0] * 1_000_000_000n + timespec[1];
}

// ISO 8601 UTC to the nanosecond, trailing zeros trimmed (as timerstack's formatInstant).
let isoStart = -1n;
let isoBase = '';
function iso(ns) {
  if (ns < isoStart || ns >= isoStart + 1_000_000_000n) {
    const sec = ns / 1_000_000_000n;
    isoStart = sec * 1_000_000_000n;
    isoBase = new Date(Number(sec) * 1000).toISOString().slice(0, -5);
  }
  let frac = Number(ns - isoStart);
  if (frac === 0) return `${isoBase}Z`;
  let width = 9;
  for (; frac % 10 === 0; width--) frac /= 10;
  return `${isoBase}.${String(frac).padStart(width, '0')}Z`;
}

// Local time to the millisecond, "2026-12-04 03:17:05.469" (as timerstack's text line).
const pad = (v, w = 2) => String(v).padStart(w, '0');
let localSecond = NaN;
let localBase = '';
function local(ns) {
  const ms = Number(ns / 1_000_000n);
  const second = Math.floor(ms / 1000);
  if (second !== localSecond) {
    const d = new Date(second * 1000);
    localSecond = second;
    localBase = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  return `${localBase}.${pad(ms - second * 1000, 3)}`;
}

function line(t, n) {
  if (shape === 'minimal') return `tick ${t} expirations ${n}\n`;
  const now = process.hrtime.bigint();
  const wall = wallNow();
  if (shape === 'text') return `${local(wall)} timer tick ${t}${n > 1 ? ` (${n - 1} missed)` : ''}\n`;
  const deadline = first + period * BigInt(t - 1);
  const offset = wall - now;
  return `{"event":"tick","timer":"timer","tick":${t},"expirations":${n},"time":"${iso(wall)}","scheduled":"${iso(deadline + offset)}","lateness_us":${Math.round(Number(now - deadline)) / 1000}}\n`;
}
