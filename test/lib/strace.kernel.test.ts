// What the library really asks of the kernel, seen by strace: the flags it creates timerfds with,
// absolute arming, EPOLLIN-only registration, and a non-blocking drain.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLOCK_MONOTONIC } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { MS, distDir, which } from '../helpers/kernel.js';

const strace = which('strace');
if (!strace) console.warn('skipping the strace test: strace is not installed');

describe('system calls (strace)', () => {
  it.skipIf(!strace)("once('30ms') makes the calls it should, and no others", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-strace-'));
    const traceFile = path.join(dir, 'trace');
    const program = `
      import { once } from ${JSON.stringify(path.join(distDir, 'index.js'))};
      const e = await once('30ms');
      console.log(JSON.stringify({ tick: e.tick, expirations: e.expirations }));`;
    const before = clockNow(CLOCK_MONOTONIC);
    let trace: string;
    let r: ReturnType<typeof spawnSync>;
    try {
      r = spawnSync(
        strace!,
        ['-f', '-o', traceFile, '-e', 'trace=timerfd_create,timerfd_settime,epoll_ctl,epoll_wait,epoll_create1',
          process.execPath, '--input-type=module', '-e', program],
        { encoding: 'utf8', timeout: 15_000 },
      );
      trace = readFileSync(traceFile, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const after = clockNow(CLOCK_MONOTONIC);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(String(r.stdout))).toEqual({ tick: 1, expirations: 1 });
    const lines = trace.split('\n');

    // Two timerfds, close-on-exec and non-blocking, on CLOCK_MONOTONIC: the timer's, then the
    // warm-up wake's.
    const creates = lines.filter((l) => l.includes('timerfd_create('));
    expect(creates).toHaveLength(2);
    // (strace pads short calls before " = result" in its output file.)
    const [tfd, wfd] = creates.map((c) => {
      const created = c.match(/timerfd_create\(CLOCK_MONOTONIC, TFD_CLOEXEC\|TFD_NONBLOCK\)\s+= (\d+)$/);
      expect(created, c).not.toBeNull();
      return created![1]!;
    }) as [string, string];

    // Armed once, with an absolute deadline 30 ms after a moment inside the child's lifetime.
    const settimes = lines.filter((l) => l.includes(`timerfd_settime(${tfd},`));
    expect(settimes).toHaveLength(1);
    const armed = settimes[0]!.match(
      /TFD_TIMER_ABSTIME, \{it_interval=\{tv_sec=0, tv_nsec=0\}, it_value=\{tv_sec=(\d+), tv_nsec=(\d+)\}\}/,
    );
    expect(armed, settimes[0]).not.toBeNull();
    const deadline = BigInt(armed![1]!) * 1_000_000_000n + BigInt(armed![2]!);
    expect(deadline).toBeGreaterThanOrEqual(before + 30n * MS);
    expect(deadline).toBeLessThanOrEqual(after);

    // The warm-up wake: armed once, absolute, 150 µs before that deadline.
    const warmups = lines.filter((l) => l.includes(`timerfd_settime(${wfd},`) && l.includes('TFD_TIMER_ABSTIME'));
    expect(warmups).toHaveLength(1);
    const warm = warmups[0]!.match(/it_value=\{tv_sec=(\d+), tv_nsec=(\d+)\}/)!;
    expect(deadline - (BigInt(warm[1]!) * 1_000_000_000n + BigInt(warm[2]!))).toBe(150_000n);

    // Registered for EPOLLIN in an epoll set of its own, then removed after firing.
    const adds = lines.filter((l) => new RegExp(`epoll_ctl\\(\\d+, EPOLL_CTL_ADD, ${tfd}, `).test(l));
    expect(adds).toHaveLength(1);
    expect(adds[0]).toMatch(new RegExp(`\\{events=EPOLLIN, data=\\{u32=${tfd}, u64=${tfd}\\}\\}\\)\\s+= 0$`));
    const epfd = adds[0]!.match(/epoll_ctl\((\d+),/)![1]!;
    expect(lines.some((l) => new RegExp(`epoll_create1\\(EPOLL_CLOEXEC\\)\\s+= ${epfd}$`).test(l))).toBe(true);
    expect(lines.some((l) => new RegExp(`epoll_ctl\\(${epfd}, EPOLL_CTL_DEL, ${tfd}, `).test(l))).toBe(true);

    // Our epoll set is drained without blocking (timeout 0) and reported the timerfd.
    // (A call another thread interrupted in the trace shows as "<unfinished ...>": skip those.)
    const waits = lines.filter((l) => l.includes(`epoll_wait(${epfd},`) && !l.includes('unfinished'));
    expect(waits.length).toBeGreaterThanOrEqual(1);
    for (const w of waits) expect(w).toMatch(/, 1024, 0\)\s+= \d+$/);
    expect(waits.some((w) => w.includes(`{events=EPOLLIN, data={u32=${tfd}, u64=${tfd}}}`))).toBe(true);
    // …and only when uv_poll saw it readable: Node's own epoll watches it.
    expect(lines.some((l) => new RegExp(`epoll_ctl\\(\\d+, EPOLL_CTL_ADD, ${epfd}, \\{events=EPOLLIN`).test(l))).toBe(true);

    // Never EPOLLOUT: a timerfd is always writable, and would spin the loop.
    expect(lines.filter((l) => l.includes('EPOLLOUT'))).toEqual([]);
  });
});
