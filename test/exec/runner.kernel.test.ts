// The runner against real processes and the real loop's timerfds: every policy, timeouts,
// process groups, statuses and the child's environment.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Loop } from '../../src/loop/loop.js';
import {
  CommandRunner,
  commandEnv,
  commandLine,
  statusOf,
  type CommandOptions,
  type RunResult,
  type SkipReason,
  type TickContext,
} from '../../src/exec/runner.js';
import { procPids, procStat } from '../../src/exec/groups.js';

// A process's command name, or '' once it is gone.
function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

const MS = 1_000_000n;

// A skip as the runner reports it: the tick and the reason.
interface SkipReport {
  timer: string;
  tick: number;
  reason: SkipReason;
}
let loop: Loop;
let dir: string;

beforeAll(() => {
  loop = new Loop();
  dir = mkdtempSync(join(tmpdir(), 'timerstack-run-'));
});

afterAll(() => {
  loop.close();
  rmSync(dir, { recursive: true, force: true });
});

// Everything a runner reported, in order.
type Event =
  | { kind: 'start'; tick: number; pid: number | undefined; at: number }
  | { kind: 'result'; result: RunResult; at: number }
  | { kind: 'skip'; skip: SkipReport };

interface Harness {
  runner: CommandRunner;
  events: Event[];
  results: RunResult[];
  skips: SkipReport[];
  pids: number[];
  // Most runs seen in progress at once.
  maxActive: () => number;
  tick: (n: number) => void;
  // Resolves with the result of tick n.
  result: (n: number) => Promise<RunResult>;
}

// A schedule on the real loop: a one-shot monotonic timerfd per call.
const schedule = (ns: bigint, fn: () => void) => {
  const t = loop.add({ delay: ns }, () => fn());
  return () => t.cancel();
};

function ctx(tick: number, timer = 'timer'): TickContext {
  return { timer, tick, expirations: 1, scheduledNs: BigInt(Date.now()) * MS };
}

function harness(
  options: Partial<CommandOptions> & Pick<CommandOptions, 'argv'>,
  Runner: typeof CommandRunner = CommandRunner,
): Harness {
  const events: Event[] = [];
  const results: RunResult[] = [];
  const skips: SkipReport[] = [];
  const pids: number[] = [];
  const waiters = new Map<number, (r: RunResult) => void>();
  let active = 0;
  let max = 0;
  const runner = new Runner({
    timer: 'timer',
    shell: false,
    overlap: 'parallel',
    killAfterNs: 300n * MS,
    schedule,
    onStart: (tick, pid) => {
      events.push({ kind: 'start', tick, pid, at: performance.now() });
      if (pid !== undefined) pids.push(pid);
      max = Math.max(max, ++active);
    },
    onResult: (result) => {
      active--;
      events.push({ kind: 'result', result, at: performance.now() });
      results.push(result);
      waiters.get(result.tick)?.(result);
    },
    onSkip: (ctx, reason) => {
      const skip = { timer: ctx.timer, tick: ctx.tick, reason };
      events.push({ kind: 'skip', skip });
      skips.push(skip);
    },
    ...options,
  });
  return {
    runner,
    events,
    results,
    skips,
    pids,
    maxActive: () => max,
    tick: (n) => runner.trigger(ctx(n)),
    result: (n) => {
      const done = results.find((r) => r.tick === n);
      return done ? Promise.resolve(done) : new Promise((resolve) => waiters.set(n, resolve));
    },
  };
}

// Runs one tick to its result.
async function runOnce(options: Partial<CommandOptions> & Pick<CommandOptions, 'argv'>): Promise<RunResult> {
  const h = harness(options);
  h.tick(1);
  return h.result(1);
}

// Polls until `check` holds or `ms` have passed; returns whether it held.
async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) return false;
    await sleep(10);
  }
  return true;
}

// Dead: no /proc entry (reaped), or a zombie that is not ours to reap (an orphan handed to a PID 1
// that does not reap, as in some containers).
function dead(pid: number): boolean {
  const stat = procStat(pid);
  return stat === undefined || (stat.state === 'Z' && stat.ppid !== process.pid);
}

const order = (h: Harness) =>
  h.events.map((e) => (e.kind === 'start' ? `start ${e.tick}` : e.kind === 'result' ? `end ${e.result.tick}` : `skip ${e.skip.tick} ${e.skip.reason}`));

describe('statusOf', () => {
  it.each([
    [{ exitCode: 0 }, 0],
    [{ exitCode: 3 }, 3],
    [{ signal: 'SIGKILL' }, 137],
    [{ signal: 'SIGTERM' }, 143],
    [{ signal: 'SIGINT' }, 130],
    [{ signal: 'SIGTERM', timedOut: true }, 124],
    [{ exitCode: 0, timedOut: true }, 124],
    [{ signal: 'SIGKILL', timedOut: true }, 137],
    [{ errorCode: 'ENOENT' }, 127],
    [{ errorCode: 'EACCES' }, 126],
    [{ errorCode: 'ENOEXEC' }, 126],
    [{ errorCode: 'EAGAIN' }, 125],
    [{}, 1],
  ])('%j → %i', (outcome, status) => {
    expect(statusOf(outcome)).toBe(status);
  });
});

describe('commandLine and commandEnv', () => {
  it('runs argv directly, or joins it for sh -c', () => {
    expect(commandLine(['printf', '%s', '$HOME;x'], false)).toEqual(['printf', ['%s', '$HOME;x']]);
    expect(commandLine(['echo $HOME', '&& true'], true)).toEqual(['/bin/sh', ['-c', 'echo $HOME && true']]);
    expect(commandLine([], false)).toBeUndefined();
    expect(commandLine([], true)).toBeUndefined();
  });

  it('adds exactly the four TIMERSTACK_* variables and drops undefined ones', () => {
    const env = commandEnv({ A: '1', B: undefined }, { timer: 't', tick: 7, expirations: 2, scheduledNs: 1_735_689_600_000_000_000n });
    expect(env).toEqual({
      A: '1',
      TIMERSTACK_TIMER: 't',
      TIMERSTACK_TICK: '7',
      TIMERSTACK_EXPIRATIONS: '2',
      TIMERSTACK_SCHEDULED: '2025-01-01T00:00:00Z',
    });
  });
});

describe('overlap policies', () => {
  it('skip: a tick during a run is reported and not run', async () => {
    const h = harness({ argv: ['sleep', '0.4'], overlap: 'skip' });
    // Ticks from a real periodic timerfd, every 50 ms, four of them.
    let n = 0;
    const timer = loop.add({ interval: 50n * MS }, (ev) => {
      n += 1;
      h.runner.trigger({ ...ctx(ev.tick), expirations: ev.expirations });
      if (n === 4) timer.cancel();
    });
    await eventually(() => n === 4);
    await h.runner.idle();
    expect(h.maxActive()).toBe(1);
    expect(h.results.length + h.skips.length).toBe(4);
    expect(h.skips.length).toBeGreaterThanOrEqual(2);
    expect(h.skips.every((s) => s.reason === 'overlap')).toBe(true);
    expect(h.results[0]!.tick).toBe(1);
  });

  it('queue: one waits and runs after the active one, a further one is queue-full', async () => {
    const h = harness({ argv: ['sleep', '0.3'], overlap: 'queue' });
    h.tick(1);
    await sleep(50);
    h.tick(2);
    await sleep(50);
    h.tick(3);
    expect(h.runner.active).toBe(1);
    await h.runner.idle();
    expect(order(h)).toEqual(['start 1', 'skip 3 queue-full', 'end 1', 'start 2', 'end 2']);
    expect(h.maxActive()).toBe(1);
  });

  it('parallel: runs overlap', async () => {
    const h = harness({ argv: ['sleep', '0.5'], overlap: 'parallel' });
    for (let n = 1; n <= 3; n++) {
      h.tick(n);
      await sleep(40);
    }
    expect(h.runner.active).toBe(3);
    await h.runner.idle();
    expect(h.maxActive()).toBe(3);
    expect(h.skips).toEqual([]);
    expect(h.results.map((r) => r.status)).toEqual([0, 0, 0]);
  });

  it('restart: SIGTERM ends the old run, then the new one starts', async () => {
    const h = harness({ argv: ['sleep', '5'], overlap: 'restart', killAfterNs: 2000n * MS });
    h.tick(1);
    await eventually(() => h.pids.length === 1);
    await sleep(50);
    h.tick(2);
    const first = await h.result(1);
    expect(first).toMatchObject({ tick: 1, signal: 'SIGTERM', status: 143, timedOut: false, exitCode: undefined });
    expect(first.durationMs).toBeLessThan(2000);
    expect(await eventually(() => h.pids.length === 2)).toBe(true);
    await h.runner.stop('SIGTERM');
    expect(order(h)).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(h.results[1]).toMatchObject({ tick: 2, signal: 'SIGTERM', status: 143 });
  });

  it('restart: the newest tick wins while the old run is dying', async () => {
    // The old run takes its time to die (TERM trapped, exits after 0.2 s).
    const h = harness({
      argv: ['trap "sleep 0.2; exit 0" TERM; sleep 5 & wait'],
      shell: true,
      overlap: 'restart',
      killAfterNs: 2000n * MS,
    });
    h.tick(1);
    await eventually(() => h.pids.length === 1);
    await sleep(100);
    h.tick(2);
    h.tick(3);
    await h.result(1);
    await eventually(() => h.pids.length === 2);
    await h.runner.stop('SIGKILL');
    expect(order(h)).toEqual(['start 1', 'skip 2 overlap', 'end 1', 'start 3', 'end 3']);
    expect(h.results[0]).toMatchObject({ tick: 1, status: 0 });
  });
});

describe('timeouts', () => {
  it('SIGTERM at the timeout: status 124', async () => {
    const r = await runOnce({ argv: ['sleep', '5'], timeoutNs: 100n * MS });
    expect(r).toMatchObject({ status: 124, timedOut: true, signal: 'SIGTERM', exitCode: undefined, error: undefined });
    expect(r.durationMs).toBeGreaterThanOrEqual(90);
    expect(r.durationMs).toBeLessThan(2000);
  });

  it('SIGKILL killAfterNs later when TERM is ignored', async () => {
    const r = await runOnce({
      argv: ['trap "" TERM; sleep 5'],
      shell: true,
      timeoutNs: 200n * MS,
      killAfterNs: 200n * MS,
    });
    // As timeout(1) does: a run that had to be killed says so (137), timedOut tells why.
    expect(r).toMatchObject({ status: 137, timedOut: true, signal: 'SIGKILL' });
    expect(r.durationMs).toBeGreaterThanOrEqual(350);
    expect(r.durationMs).toBeLessThan(2000);
  });

  it('the whole process group goes: a grandchild dies with its shell', async () => {
    const file = join(dir, 'grandchild.pid');
    const r = await runOnce({
      argv: [`sleep 30 & echo $! > ${file}; wait`],
      shell: true,
      timeoutNs: 200n * MS,
    });
    expect(r).toMatchObject({ status: 124, timedOut: true });
    const grandchild = Number(readFileSync(file, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(await eventually(() => dead(grandchild), 500)).toBe(true);
  });

  it('a grandchild that ignores TERM and outlives its shell gets SIGKILL after killAfterNs', async () => {
    const file = join(dir, 'stubborn.pid');
    const h = harness({
      argv: [`sh -c 'trap "" TERM; exec sleep 30' & echo $! > ${file}; wait`],
      shell: true,
      timeoutNs: 200n * MS,
      killAfterNs: 600n * MS,
    });
    const t0 = performance.now();
    h.tick(1);
    const r = await h.result(1);
    expect(r).toMatchObject({ status: 124, timedOut: true, signal: 'SIGTERM' });
    const grandchild = Number(readFileSync(file, 'utf8'));
    expect(dead(grandchild)).toBe(false);
    // stop() waits for that SIGKILL too: once it resolves, the grandchild is gone (a few ms to die).
    await h.runner.stop('SIGTERM');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(700);
    expect(await eventually(() => dead(grandchild), 100)).toBe(true);
  });
});

describe('statuses of real commands', () => {
  it('exit 3 → 3', async () => {
    expect(await runOnce({ argv: ['exit 3'], shell: true })).toMatchObject({ status: 3, exitCode: 3, signal: undefined, timedOut: false });
  });

  it('killed by SIGKILL → 137 and the signal name', async () => {
    const r = await runOnce({ argv: ['kill -KILL $$'], shell: true });
    expect(r).toMatchObject({ status: 137, signal: 'SIGKILL', exitCode: undefined, timedOut: false });
    expect(r.pid).toBeGreaterThan(0);
  });

  it('a missing command → 127 with one line', async () => {
    const r = await runOnce({ argv: ['timerstack-no-such-command-xyz', 'a'] });
    expect(r).toMatchObject({ status: 127, pid: undefined, exitCode: undefined, signal: undefined });
    expect(r.error).toMatch(/timerstack-no-such-command-xyz: command not found \(ENOENT\)/);
    expect(r.error).not.toContain('\n');
  });

  it('a file without the x bit → 126', async () => {
    const file = join(dir, 'not-executable.sh');
    writeFileSync(file, '#!/bin/sh\nexit 0\n');
    chmodSync(file, 0o644);
    const r = await runOnce({ argv: [file] });
    expect(r).toMatchObject({ status: 126, pid: undefined });
    expect(r.error).toMatch(/EACCES/);
  });

  it('an empty argv is a result, not an exception', async () => {
    const r = await runOnce({ argv: [] });
    expect(r.status).toBe(125);
    expect(r.error).toBe('no command given');
  });
});

describe('arguments and environment', () => {
  it('without shell, argv is passed literally', async () => {
    const file = join(dir, 'literal.txt');
    const r = await runOnce({
      argv: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], process.argv[2])', file, '$HOME;echo x'],
    });
    expect(r.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('$HOME;echo x');
  });

  it('with shell, the string goes to sh -c', async () => {
    const file = join(dir, 'shell.txt');
    const r = await runOnce({ argv: ['printf %s "$HOME;x"', `> ${file}`], shell: true });
    expect(r.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${process.env.HOME};x`);
  });

  it.each([
    ['process.env', undefined],
    ['a given base', { PATH: process.env.PATH, ONLY_THIS: 'yes' }],
  ])('the child gets %s plus exactly the four TIMERSTACK_* variables', async (_, base) => {
    const file = join(dir, `env-${base ? 'base' : 'process'}.json`);
    const h = harness({
      argv: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))', file],
      ...(base ? { env: base } : {}),
    });
    const scheduledIso = '2030-05-06T07:08:09.123Z';
    h.runner.trigger({ timer: 'backup', tick: 42, expirations: 3, scheduledNs: BigInt(Date.parse(scheduledIso)) * MS });
    expect((await h.result(42)).status).toBe(0);
    const child = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const parent = base ?? process.env;
    const added = ['TIMERSTACK_EXPIRATIONS', 'TIMERSTACK_SCHEDULED', 'TIMERSTACK_TICK', 'TIMERSTACK_TIMER'];
    expect(Object.keys(child).sort()).toEqual([...Object.keys(parent), ...added].sort());
    for (const [k, v] of Object.entries(parent)) expect(child[k]).toBe(v);
    expect(child).toMatchObject({
      TIMERSTACK_TIMER: 'backup',
      TIMERSTACK_TICK: '42',
      TIMERSTACK_EXPIRATIONS: '3',
      TIMERSTACK_SCHEDULED: scheduledIso,
    });
  });
});

describe('stop', () => {
  it('relays the signal to every running group, waits, and leaves no zombie', async () => {
    const h = harness({
      argv: [`trap 'echo got > ${dir}/mark.$TIMERSTACK_TICK; exit 0' TERM; sleep 5 & : > ${dir}/trapped.$TIMERSTACK_TICK; wait`],
      shell: true,
      overlap: 'parallel',
      killAfterNs: 3000n * MS,
    });
    h.tick(1);
    h.tick(2);
    await eventually(() => h.pids.length === 2);
    // Both shells have set their trap and started their sleep (they say so after both).
    expect(await eventually(() => existsSync(join(dir, 'trapped.1')) && existsSync(join(dir, 'trapped.2')), 10_000)).toBe(true);
    // …and each `sleep 5 &` has become sleep: a SIGTERM that reaches the forked shell before its
    // exec can be lost by the shell, and the stop would then wait for --kill-after (not ours).
    const sleeping = (leader: number) =>
      procPids().some((pid) => procStat(pid)?.ppid === leader && readComm(pid) === 'sleep');
    expect(await eventually(() => h.pids.every(sleeping), 10_000)).toBe(true);
    const t0 = performance.now();
    await h.runner.stop('SIGTERM');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(h.runner.active).toBe(0);
    expect(h.results.map((r) => r.status)).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'mark.1'), 'utf8')).toBe('got\n');
    expect(readFileSync(join(dir, 'mark.2'), 'utf8')).toBe('got\n');
    for (const pid of h.pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
    h.tick(3);
    expect(h.skips).toEqual([{ timer: 'timer', tick: 3, reason: 'stopping' }]);
  });

  it('drops the queued tick and SIGKILLs a run that ignores the signal', async () => {
    const h = harness({ argv: ['trap "" TERM; sleep 5'], shell: true, overlap: 'queue', killAfterNs: 200n * MS });
    h.tick(1);
    h.tick(2);
    await eventually(() => h.pids.length === 1);
    await sleep(100);
    const t0 = performance.now();
    await h.runner.stop('SIGTERM');
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(2000);
    expect(order(h)).toEqual(['start 1', 'skip 2 stopping', 'end 1']);
    expect(h.results[0]).toMatchObject({ signal: 'SIGKILL', status: 137, timedOut: false });
    expect(existsSync(`/proc/${h.pids[0]}`)).toBe(false);
  });

  it('resolves at once when nothing runs', async () => {
    const h = harness({ argv: ['true'] });
    await h.runner.stop('SIGTERM');
    await h.runner.idle();
    expect(h.runner.active).toBe(0);
  });
});

describe('a crontab job\'s run: its shell, its variables, its standard input', () => {
  it('runs through the given shell with the extra variables and the input on stdin', async () => {
    const out = join(dir, 'crontab-run.txt');
    const h = harness({
      argv: [`printf '%s|%s|' "$0" "$GREETING" > ${out}; cat >> ${out}`],
      shell: true,
      shellPath: '/bin/bash',
      extraEnv: { GREETING: 'hello' },
      input: 'line one\nline two\n',
    });
    h.tick(1);
    expect((await h.result(1)).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('/bin/bash|hello|line one\nline two\n');
  });

  it('without input, the command still reads an empty standard input', async () => {
    const out = join(dir, 'crontab-noinput.txt');
    const h = harness({ argv: [`cat > ${out}; echo done >> ${out}`], shell: true });
    h.tick(1);
    expect((await h.result(1)).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('done\n');
  });
});
