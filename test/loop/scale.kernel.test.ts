// Many timers: 100,000 from a `run -` table under a lowered `ulimit -n`, 100,000 on one library
// Loop, and exact per-timer expiration counts when timers share a timerfd or a deadline queue
// and the loop is blocked past several periods.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Loop, type Expiration, type LoopTimer } from '../../src/loop/loop.js';
import { CLOCK_MONOTONIC } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { getFdLimit } from '../../src/native/fd-limit.js';
import { MS, repoRoot, sleepSync, waitFor } from '../helpers/kernel.js';
import { ignoreEpipe } from '../helpers/binary.js';
import { loopsClosedAfterEach } from '../helpers/loops.js';

const BIN = path.join(repoRoot, 'bin/timerstack.js');

const newLoop = loopsClosedAfterEach();

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

// bin/timerstack.js under `ulimit -n <fds>` (soft and hard: it cannot raise it back), input on
// stdin. Not the e2e helper: that one spawns node directly, without a shell to set the limit.
function timerstackUnderUlimit(fds: number, args: string[], input: string, timeoutMs: number): Promise<Run> {
  const started = performance.now();
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const child = spawn('bash', ['-c', `ulimit -n ${fds} && exec "${process.execPath}" "${BIN}" ${quoted}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', ignoreEpipe);
  child.stdin.end(input);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, ms: performance.now() - started });
    });
  });
}

describe('100,000 timers', () => {
  it('a `run -` table of 100,000 timers under ulimit -n 2048: every event reported once, by name, exit 0', async () => {
    const { hard } = getFdLimit();
    expect(hard).toBeGreaterThanOrEqual(2048);
    const N = 100_000;
    const lines: string[] = [];
    // Half the timers share one schedule (one timerfd for them all); the other half each have
    // their own delay: ~1,750 get their own timerfd, the rest go through the deadline queue.
    for (let i = 0; i < N; i++) lines.push(i % 2 === 0 ? 'once 300ms' : `once ${300_000 + i}us`);
    const r = await timerstackUnderUlimit(2048, ['run', '-', '--json'], `${lines.join('\n')}\n`, 60_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = new Set<string>();
    let expirations = 0;
    let problems = 0;
    const events = r.stdout.split('\n').filter((l) => l !== '');
    for (const line of events) {
      const e = JSON.parse(line) as { event: string; timer: string; tick: number; expirations: number };
      names.add(e.timer);
      expirations += e.expirations;
      if (e.event !== 'tick' || e.tick !== 1 || e.expirations !== 1) problems++;
    }
    expect(events).toHaveLength(N);
    expect(names.size).toBe(N);
    expect(names.has('line-1') && names.has(`line-${N}`)).toBe(true);
    expect(expirations).toBe(N);
    expect(problems).toBe(0);
    // About 2-3 s on an idle machine.
    expect(r.ms).toBeLessThan(30_000);
  });

  it('one library Loop holds 100,000 periodic timers on a few hundred fds, each on its own exact grid', async () => {
    const N = 100_000;
    const loop = newLoop({ maxFds: 300 });
    const ticks = new Int32Array(N);
    const sums = new Int32Array(N);
    let problems = 0;
    let finished = 0;
    const started = performance.now();
    const timers = loop.addAll(
      Array.from({ length: N }, (_, i) => ({
        options: { name: `t${i}`, interval: 100n * MS + BigInt(i) * 1000n },
        handler: (e: Expiration) => {
          sums[i]! += e.expirations;
          ticks[i] = e.tick;
          if (e.scheduled !== e.timer.first + BigInt(e.tick - 1) * e.timer.interval || e.time < e.scheduled) problems++;
          if (e.tick >= 2) {
            e.timer.cancel();
            finished++;
          }
        },
      })),
    );
    const armMs = performance.now() - started;
    expect(loop.size).toBe(N);
    expect(loop.fdCount).toBeLessThanOrEqual(301);
    await waitFor(() => finished === N, 20_000, 'every timer to tick twice');
    expect(problems).toBe(0);
    let unequal = 0;
    for (let i = 0; i < N; i++) if (sums[i] !== ticks[i] || ticks[i]! < 2) unequal++;
    expect(unequal).toBe(0);
    expect(loop.size).toBe(0);
    expect(timers).toHaveLength(N);
    // About 0.4 s on an idle machine.
    expect(armMs).toBeLessThan(10_000);
  });
});

// Arms `intervals` (ms) with one clock reading, blocks the loop in the first handler until
// 350 ms after arming, and returns each timer's events.
async function blockedRun(loop: Loop, intervalsMs: number[]): Promise<{ timers: LoopTimer[]; blockEnd: bigint; events: Map<LoopTimer, Expiration[]> }> {
  const events = new Map<LoopTimer, Expiration[]>();
  let blockEnd: bigint | undefined;
  const timers = loop.addAll(
    intervalsMs.map((ms, i) => ({
      options: { name: `t${i}`, interval: BigInt(ms) * MS },
      handler: (e: Expiration) => {
        events.get(e.timer)!.push(e);
        if (blockEnd === undefined) {
          const t = timers[0]!;
          blockEnd = t.first - t.interval + 350n * MS;
          // Atomics.wait: the whole thread (and Node's loop) stops; the kernel keeps counting.
          while (clockNow(CLOCK_MONOTONIC) < blockEnd) sleepSync(Math.max(1, Number((blockEnd - clockNow(CLOCK_MONOTONIC)) / MS)));
        }
      },
    })),
  );
  for (const t of timers) events.set(t, []);
  await waitFor(() => blockEnd !== undefined && timers.every((t) => events.get(t)!.some((e) => e.time >= blockEnd!)), 10_000, 'an event after the block');
  return { timers, blockEnd: blockEnd!, events };
}

// The first event after the block carries every missed period, exactly as the kernel counts:
// tick = 1 + floor((seen - first) / interval), and the expirations of all events add up to it.
function checkExact(timers: LoopTimer[], blockEnd: bigint, events: Map<LoopTimer, Expiration[]>): void {
  for (const t of timers) {
    const list = events.get(t)!;
    const i = list.findIndex((e) => e.time >= blockEnd);
    const after = list[i]!;
    const expected = Number((after.time - t.first) / t.interval) + 1;
    expect({ timer: t.name, tick: after.tick }).toEqual({ timer: t.name, tick: expected });
    const sum = list.slice(0, i + 1).reduce((n, e) => n + e.expirations, 0);
    expect(sum).toBe(after.tick);
    // 350 ms blocked: at least two periods of 130 ms or less were missed in one wake-up.
    expect(after.expirations).toBeGreaterThanOrEqual(2);
    expect(after.scheduled).toBe(t.first + BigInt(after.tick - 1) * t.interval);
  }
}

describe('exact expiration counts when the loop misses periods', () => {
  it('timers sharing one timerfd (identical schedules) each report every missed period', async () => {
    const loop = newLoop();
    const fdsBefore = loop.fdCount;
    const { timers, blockEnd, events } = await blockedRun(loop, [100, 100, 100, 100]);
    expect(loop.fdCount - fdsBefore).toBe(1);
    checkExact(timers, blockEnd, events);
    // One fd, one count: every member saw the same ticks.
    const seq = (t: LoopTimer) => events.get(t)!.map((e) => [e.tick, e.expirations]);
    for (const t of timers) expect(seq(t)).toEqual(seq(timers[0]!));
  });

  it('timers with different schedules in the deadline queue each report their own missed periods', async () => {
    const loop = newLoop({ maxFds: 0 });
    const { timers, blockEnd, events } = await blockedRun(loop, [80, 100, 130, 100, 90]);
    expect(loop.fdCount).toBe(1);
    checkExact(timers, blockEnd, events);
  });

  it('a mix: own fd, shared fd and queue in one loop', async () => {
    const loop = newLoop({ maxFds: 2 });
    const { timers, blockEnd, events } = await blockedRun(loop, [80, 100, 100, 130, 90, 110]);
    checkExact(timers, blockEnd, events);
  });
});
