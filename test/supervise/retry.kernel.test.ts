// Retry against real processes and the real loop's timerfds: the waits come after each attempt
// has ended and grow by the backoff, --attempts and --for end it, stop() reaps what runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommandRunner } from '../../src/exec/runner.js';
import { parseWords } from '../../src/grammar/words.js';
import { buildSpec } from '../../src/kinds/spec.js';
import { Loop } from '../../src/loop/loop.js';
import { clockNow } from '../../src/native/clocks.js';
import { CLOCK_REALTIME } from '../../src/native/libc.js';
import type { AttemptEvent, GiveUpEvent, Reporter } from '../../src/supervise/events.js';
import { Retry } from '../../src/supervise/retry.js';
import type { RunnerFactory } from '../../src/supervise/schedule.js';
import { alive } from '../helpers/procs.js';

const MS = 1_000_000n;
let dir: string;
let loop: Loop;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'timerstack-retry-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => loop?.close());

const runners: RunnerFactory = (spec, hooks) =>
  new CommandRunner({
    timer: spec.name,
    argv: spec.command!,
    shell: spec.shell,
    overlap: spec.overlap,
    ...(spec.timeoutNs !== undefined ? { timeoutNs: spec.timeoutNs } : {}),
    killAfterNs: spec.killAfterNs,
    schedule: hooks.schedule,
    onResult: hooks.onResult,
    onSkip: hooks.onSkip,
  });

function retry(words: string[], random?: () => number) {
  const spec = buildSpec(parseWords(['retry', ...words]), { nowNs: clockNow(CLOCK_REALTIME), utcOffsetNs: 0n, defaultName: 'timer' });
  const attempts: AttemptEvent[] = [];
  const gaveUp: GiveUpEvent[] = [];
  const reporter: Reporter = {
    tick: () => {
      throw new Error('retry reports no ticks');
    },
    commandTick: () => {},
    run: () => {
      throw new Error('retry reports attempts, not runs');
    },
    attempt: (e) => attempts.push(e),
    giveUp: (e) => gaveUp.push(e),
    skip: () => {},
    clockStep: () => {},
    missed: () => {},
    catchUp: () => {},
    problem: () => {},
  };
  loop = new Loop();
  const r = new Retry(loop, spec, reporter, runners, random);
  return { retry: r, attempts, gaveUp };
}

// A script that fails until it has run `succeedAt` times, counting in a file; each run appends
// its start (wall clock, ns) and TIMERSTACK_TICK to a log.
function flaky(name: string, succeedAt: number, runMs = 0): { argv: string[]; log: () => Array<[bigint, number]> } {
  const script = join(dir, `${name}.sh`);
  const count = join(dir, `${name}.count`);
  const log = join(dir, `${name}.log`);
  writeFileSync(
    script,
    `#!/bin/sh\necho "$(date +%s%N) $TIMERSTACK_TICK" >> '${log}'\nn=$(cat '${count}' 2>/dev/null || echo 0)\nn=$((n+1)); echo $n > '${count}'\n${runMs ? `sleep ${runMs / 1000}\n` : ''}[ $n -ge ${succeedAt} ]\n`,
  );
  chmodSync(script, 0o755);
  return {
    argv: [script],
    log: () =>
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const [t, tick] = l.split(' ');
          return [BigInt(t!), Number(tick)] as [bigint, number];
        }),
  };
}


describe('Retry', () => {
  it('runs until the command succeeds: status 0, one event per attempt, TIMERSTACK_TICK is the attempt', async () => {
    const cmd = flaky('twice', 3);
    const { retry: r, attempts, gaveUp } = retry(['--backoff', '20ms', '--', ...cmd.argv]);
    r.start();
    expect(await r.done).toEqual({ status: 0 });
    expect(attempts.map((a) => [a.attempt, a.status, a.waitNs])).toEqual([
      [1, 1, 20n * MS],
      [2, 1, 40n * MS],
      [3, 0, undefined],
    ]);
    expect(attempts.every((a) => a.attempts === 10)).toBe(true);
    expect(cmd.log().map(([, tick]) => tick)).toEqual([1, 2, 3]);
    expect(gaveUp).toEqual([]);
    expect(loop.size).toBe(0);
  });

  it('arms each wait after the attempt ended, not on a grid', async () => {
    // Each run takes 150 ms and fails; the waits are 100 ms: a 100 ms grid would start runs
    // 100 ms apart, while waiting after each end puts them at least 250 ms apart.
    const cmd = flaky('slow', 99, 150);
    const { retry: r, attempts } = retry(['--attempts', '3', '--backoff', '100ms:1', '--', ...cmd.argv]);
    r.start();
    expect(await r.done).toEqual({ status: 1 });
    const starts = cmd.log().map(([t]) => t);
    expect(starts).toHaveLength(3);
    for (let k = 1; k < 3; k++) {
      // the next start comes a whole wait after the end was reported (1 ms for the stamps)
      expect(starts[k]! - attempts[k - 1]!.timeNs).toBeGreaterThanOrEqual(99n * MS);
      expect(starts[k]! - starts[k - 1]!).toBeGreaterThanOrEqual(250n * MS);
    }
  });

  it('gives up after --attempts with the last status', async () => {
    const { retry: r, attempts, gaveUp } = retry(['--attempts', '3', '--backoff', '10ms', '--', 'sh', '-c', 'exit $((TIMERSTACK_TICK + 3))']);
    r.start();
    expect(await r.done).toEqual({ status: 6 });
    expect(attempts.map((a) => a.status)).toEqual([4, 5, 6]);
    expect(attempts.at(-1)!.waitNs).toBeUndefined();
    expect(gaveUp).toMatchObject([{ timer: 'timer', attempts: 3, reason: 'attempts', status: 6 }]);
    expect(loop.size).toBe(0);
  });

  it('adds jitter to each wait, drawn afresh', async () => {
    const draws = [0.5, 0.25];
    const { retry: r, attempts } = retry(['--attempts', '3', '--backoff', '10ms', '--jitter', '40ms', '--', 'false'], () => draws.shift()!);
    r.start();
    await r.done;
    expect(attempts.map((a) => a.waitNs)).toEqual([30n * MS, 30n * MS, undefined]);
  });

  it('--for cuts a hung attempt at its end: status 124, reason "for", nothing left running', async () => {
    const { retry: r, attempts, gaveUp } = retry(['--for', '300ms', '--timeout', '1h', '--kill-after', '1s', '--', 'sleep', '30']);
    const started = process.hrtime.bigint();
    r.start();
    expect(await r.done).toEqual({ status: 124 });
    const elapsed = process.hrtime.bigint() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300n * MS);
    // far from the 30 s the command would take (and the --timeout of 1 h)
    expect(elapsed).toBeLessThan(10_000n * MS);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ attempt: 1, timedOut: true, signal: 'SIGTERM', status: 124, attempts: undefined });
    expect(alive(attempts[0]!.pid!)).toBe(false);
    expect(gaveUp).toMatchObject([{ reason: 'for', status: 124, attempts: 1 }]);
    expect(loop.size).toBe(0);
  });

  it('--for: an attempt that could not start before the end is not waited for', async () => {
    const { retry: r, attempts, gaveUp } = retry(['--for', '1s', '--backoff', '10s', '--', 'false']);
    const started = process.hrtime.bigint();
    r.start();
    expect(await r.done).toEqual({ status: 124 });
    // given up as soon as the first attempt ended, not when --for ran out
    expect(process.hrtime.bigint() - started).toBeLessThan(1000n * MS);
    expect(attempts).toMatchObject([{ attempt: 1, status: 1, waitNs: undefined }]);
    expect(gaveUp).toMatchObject([{ reason: 'for', status: 124, attempts: 1 }]);
    expect(loop.size).toBe(0);
  });

  it('a command that cannot be started is not tried again', async () => {
    const { retry: r, attempts, gaveUp } = retry(['--', 'no-such-command-for-retry']);
    r.start();
    expect(await r.done).toEqual({ status: 127 });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.error).toMatch(/command not found/);
    expect(gaveUp).toMatchObject([{ reason: 'cannot-start', status: 127 }]);
  });

  it('stop() during a wait cancels it; no further attempt', async () => {
    const { retry: r, attempts } = retry(['--backoff', '10s', '--', 'false']);
    r.start();
    while (attempts.length === 0) await new Promise((res) => setTimeout(res, 5));
    expect(r.current).toBe('waiting');
    expect(r.remaining()).toBeGreaterThan(0n);
    await r.stop('SIGTERM');
    expect(await r.done).toEqual({ status: 0 });
    expect(attempts).toHaveLength(1);
    expect(loop.size).toBe(0);
  });

  it('stop() during an attempt relays the signal and waits for it', async () => {
    const { retry: r, attempts, gaveUp } = retry(['--', 'sleep', '30']);
    r.start();
    while (r.states()[0]!.running === 0) await new Promise((res) => setTimeout(res, 5));
    expect(r.states()[0]).toMatchObject({ tick: 1, running: 1 });
    await r.stop('SIGINT', 130);
    expect(await r.done).toEqual({ status: 130 });
    expect(attempts).toMatchObject([{ attempt: 1, signal: 'SIGINT', status: 130, waitNs: undefined }]);
    expect(alive(attempts[0]!.pid!)).toBe(false);
    expect(gaveUp).toEqual([]);
  });
});
