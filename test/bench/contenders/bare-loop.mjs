// The least a Node loop on a timerfd can do, for `--lean`'s CPU to be measured against: one
// periodic timerfd in an epoll set watched on Node's own loop (uv_poll, as timerstack waits), then
// koffi epoll_wait(0), read(8), a line, write(1). No streams, no layers.
//   bare-loop.mjs PERIOD_MS COUNT [minimal|text|json]
// minimal (the default): "tick N expirations N", no clock read, no time formatted. text and json:
// timerstack's own tick line, made by its own formatters (dist/output: run `npm run build` first)
// from one event object kept for the run, with the wall clock read once per wake-up. What
// printing that line costs any Node loop, without timerstack's loop, sources and outlets. Those two
// run on the V8 tier timerstack chooses for a few sleeping timers (baseline code only), so that
// TurboFan compiling the formatters is not counted against the reference.
import { createRequire } from 'node:module';

const koffi = createRequire(import.meta.url)('koffi');
const [periodMs, count] = process.argv.slice(2, 4).map(Number);
const shape = process.argv[4] ?? 'minimal';
// Loaded only for a line of timerstack's: the minimal loop stays as small as it was.
const formatter = shape === 'minimal' ? undefined : await formatterFor(shape);
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

async function formatterFor(name) {
  (await import('../../../dist/cli/tier-up.js')).setTier('baseline');
  if (name === 'json') return (await import('../../../dist/output/json.js')).jsonFormatter;
  if (name !== 'text') {
    console.error(`bare-loop.mjs: the line is minimal, text or json, not "${name}"`);
    process.exit(2);
  }
  const [{ textFormatter }, { Chalk }] = await Promise.all([import('../../../dist/output/text.js'), import('chalk')]);
  return textFormatter(new Chalk({ level: 0 }));
}

// The tick event the formatter is given, filled in at each wake-up.
const event = { timer: 'timer', tick: 0, expirations: 0, timeNs: 0n, scheduledNs: 0n, latenessUs: 0, zone: undefined };

function line(t, n) {
  if (!formatter) return `tick ${t} expirations ${n}\n`;
  const now = process.hrtime.bigint();
  const wall = wallNow();
  const deadline = first + period * BigInt(t - 1);
  event.tick = t;
  event.expirations = n;
  event.timeNs = wall;
  event.scheduledNs = deadline + (wall - now);
  event.latenessUs = Number(now - deadline) / 1000;
  return `${formatter.tick(event)}\n`;
}
