// Output streams that go away, fill up or stall: a reader that leaves is noticed at once; a dead
// stderr stops reporting without stopping the commands; an unwritable stdout is one line and 125;
// a stalled reader holds up only the timers that print to it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, lines, ndjson, waitFor } from '../helpers/binary.js';

const TS = `"${process.execPath}" "${BIN}"`;

function bash(script: string, timeout = 20_000) {
  return spawnSync('bash', ['-c', script], { env: baseEnv(), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
}

// A word no other test uses, so `pgrep -f` finds only this test's processes.
const unique = () => `${(Math.random() * 900 + 100).toFixed(6)}`;

// Whether a process whose command line starts with `command` exists.
function alive(command: string): boolean {
  return spawnSync('pgrep', ['-f', `^${command}`]).status === 0;
}

describe('a reader of stdout that leaves is noticed at once', () => {
  it('with a command: `every 3s --after 0 -- date | head -1` ends before the next tick, status 0', () => {
    const r = bash(`{ ${TS} every 3s --after 0 -- date +%s%N; echo "status=$? end=$(date +%s%N)" >&2; } | head -1`);
    const tickNs = BigInt(r.stdout.trim());
    const end = /status=(\d+) end=(\d+)/.exec(r.stderr);
    expect(end, r.stderr).not.toBeNull();
    expect(end![1]).toBe('0');
    // It noticed the reader leaving, not its next write: it ended before the next tick was due.
    expect(BigInt(end![2]!)).toBeLessThan(tickNs + 3_000_000_000n);
    expect(r.stderr.replace(/status=.*\n/, '')).toBe('');
  });

  it('`every 300ms -- date | head -3`: three lines, then status 0, nothing reported', () => {
    const r = bash(`${TS} every 300ms -- date | head -3; echo "status=\${PIPESTATUS[0]}" >&2`);
    expect(lines(r.stdout)).toHaveLength(3);
    expect(r.stderr.trim()).toBe('status=0');
  });

  it('`every 100ms -- yes | head -c 1M`: status 0, yes is gone, nothing reported', () => {
    const word = unique();
    const r = bash(`${TS} every 100ms -- sh -c 'exec yes ${word}' | head -c 1M | wc -c; echo "status=\${PIPESTATUS[0]}" >&2`);
    expect(r.stdout.trim()).toBe('1048576');
    expect(r.stderr.trim()).toBe('status=0');
    expect(alive(`yes ${word}`)).toBe(false);
  });

  it('without a command: `every 1h --after 0 | head -1` ends at once, not an hour later', () => {
    const r = bash(`${TS} every 1h --after 0 | head -1; echo "status=\${PIPESTATUS[0]}" >&2`, 10_000);
    expect(r.signal).toBeNull();
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stderr.trim()).toBe('status=0');
  });
});

describe('a standard error that cannot be written', () => {
  it('2>/dev/full: the commands still run, and the status says reports were lost (125)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-stderr-'));
    const log = path.join(dir, 'runs');
    const r = bash(`${TS} every 50ms -v --count 4 -- sh -c 'echo x >> ${log}' 2>/dev/full; echo "status=$?"`);
    expect(r.stdout.trim()).toBe('status=125');
    expect(readFileSync(log, 'utf8')).toBe('x\nx\nx\nx\n');
  });

  it('2>/dev/full with a command still running: SIGTERM stops it properly (143), nothing left behind', async () => {
    const word = unique();
    const child = spawn('bash', ['-c', `exec ${TS} every 50ms -v -- sleep ${word} 2>/dev/full`], { env: baseEnv(), stdio: 'ignore' });
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
    await waitFor(() => alive(`sleep ${word}`), 10_000);
    // Still running after reports failed (a crash would have ended it by now: ticks come every 50 ms).
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    const [code, signal] = await closed;
    expect([code, signal]).toEqual([null, 'SIGTERM']);
    expect(alive(`sleep ${word}`)).toBe(false);
  });

  it('2>&1 | head -c 10: the reader left (status 0), and the command is stopped', () => {
    const word = unique();
    const r = bash(`${TS} every 50ms -v -- sleep ${word} 2>&1 | head -c 10; echo; echo "status=\${PIPESTATUS[0]}"`);
    expect(r.stdout).toMatch(/status=0\s*$/);
    expect(alive(`sleep ${word}`)).toBe(false);
  });
});

describe('a standard output that cannot be written: one line, status 125, no stack trace', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-full-'));
  const table = path.join(dir, 'timers.txt');
  writeFileSync(table, 'a: every 1s\n');
  it.each([
    ['once 10ms'],
    ['--version'],
    ['--help'],
    ['every --help'],
    ['every 1s --dry-run'],
    [`run ${table} --check`],
    [`run ${table} -n`],
  ])('%s > /dev/full', (args) => {
    const r = bash(`${TS} ${args} > /dev/full; echo "status=$?" >&2`);
    expect(r.stderr).toBe('timerstack: cannot write to standard output: no space left on device (ENOSPC)\nstatus=125\n');
  });

  it('with --json the line is an NDJSON error event', () => {
    const r = bash(`${TS} every 1s --dry-run --json > /dev/full; echo "status=$?"`);
    const [event, status] = lines(r.stderr.length ? r.stderr : '');
    expect(r.stdout.trim()).toBe('status=125');
    expect(status).toBeUndefined();
    expect(JSON.parse(event!)).toEqual({ event: 'error', error: 'cannot write to standard output: no space left on device (ENOSPC)', code: 'ENOSPC', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
  });
});

describe('a stalled reader holds up only the timers that print to it', () => {
  it('a --timeout and the other timers go on, and SIGTERM ends it at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-stall-'));
    const word = unique();
    const file = path.join(dir, 'timers.txt');
    writeFileSync(file, `p: every 1ms\nslow: once 300ms --timeout 1s -- sleep ${word}\nbeat: every 100ms -- true\n`);
    // stdout is a pipe nobody reads (its 64 KiB fill within a second of p's ticks).
    const fifo = path.join(dir, 'stdout');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    const child = spawn(process.execPath, [BIN, 'run', file, '--json', '-v'], { env: baseEnv(), stdio: ['ignore', writer, 'pipe'] });
    closeSync(writer);
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    const runs = (timer: string) => ndjson(err.slice(0, err.lastIndexOf('\n') + 1)).filter((e) => e.event === 'run' && e.timer === timer);

    // The timeout fires on time although stdout has been stalled since long before.
    await waitFor(() => runs('slow').length === 1, 15_000);
    expect(runs('slow')[0]).toMatchObject({ timed_out: true, signal: 'SIGTERM', status: 124 });
    expect(runs('slow')[0]!.duration_ms as number).toBeLessThan(1000 + 10_000);
    // The pipe is full (the kernel buffer holds 64 KiB, p writes ~50 KB a second): beat goes on.
    await new Promise((r) => setTimeout(r, 1000));
    const before = runs('beat').length;
    await waitFor(() => runs('beat').length >= before + 5, 10_000);

    // SIGTERM while the reader still stalls: it ends at once (the lines held back are dropped).
    child.kill('SIGTERM');
    expect(await closed).toBe('SIGTERM');
    expect(alive(`sleep ${word}`)).toBe(false);
    closeSync(reader);
  });

  it('a slow reader, with commands sharing stdout: every tick accounted, every line whole', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-slow-'));
    const file = path.join(dir, 'timers.txt');
    writeFileSync(file, 'p: every 1ms --count 1500\nc: every 50ms --count 10 -- true\n');
    const r = bash(`${TS} run ${file} --json | (sleep 1; cat)`);
    const ticks = ndjson(r.stdout).filter((e) => e.timer === 'p');
    expect(ticks.reduce((n, e) => n + (e.expirations as number), 0)).toBe(1500);
    expect(ticks.at(-1)!.tick).toBe(1500);
    // Whole lines (each parsed above), in order: each tick is the last plus its expirations.
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.tick).toBe((ticks[i - 1]!.tick as number) + (ticks[i]!.expirations as number));
  });
});

describe('startup failures: one line', () => {
  it('tight ulimit -n with a command: one line naming EMFILE, never a stack trace or ERR_MODULE_NOT_FOUND', () => {
    // Below 18 Node itself cannot start; from 20 on (with these pipes for stdio) timerstack
    // arms its timer and the command's spawn is what meets the limit (see the report).
    for (const n of [18, 19]) {
      const r = bash(`ulimit -n ${n}; ${TS} once 0 -- true; echo "status=$?" >&2`);
      expect(lines(r.stderr)).toEqual([expect.stringMatching(/^timerstack: .*EMFILE.*too many open files/), 'status=125']);
    }
  });

  const rtc = (() => {
    try {
      return spawnSync('ls', ['/sys/class/rtc'], { encoding: 'utf8' }).stdout.trim() !== '';
    } catch {
      return false;
    }
  })();
  if (rtc) console.log('the no-RTC test is skipped: this machine has a real-time clock');

  it.skipIf(rtc).each([
    ['every 1s --count 1 --clock realtime-alarm'],
    ['every 1s --align --count 1 --clock realtime-alarm'],
    ['once 1s --clock boottime-alarm'],
  ])('%s without an RTC: says the machine has no alarm clock, 125, before anything is armed', (args) => {
    const r = bash(`${TS} ${args}; echo "status=$?" >&2`, 10_000);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^timerstack: --clock \S+-alarm: this machine has no real-time clock \(RTC\)/), 'status=125']);
  });

  it.skipIf(rtc)('at with realtime-alarm without an RTC: the same line, never a crash when it fires', () => {
    const when = new Date(Date.now() + 1500).toISOString();
    const r = bash(`${TS} at ${when} --clock realtime-alarm; echo "status=$?" >&2`, 10_000);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/no real-time clock/), 'status=125']);
  });

  // Without an RTC, timerfd_create(CLOCK_REALTIME_ALARM) succeeds as root (clock_gettime is what
  // fails, EINVAL) and fails with EPERM without CAP_WAKE_ALARM: both must give the same line.
  const strace = spawnSync('sh', ['-c', 'command -v strace && command -v setpriv']).status === 0;
  it.skipIf(rtc || !strace).each([['root', ''], ['an unprivileged user', 'setpriv --reuid=65534 --regid=65534 --clear-groups']])(
    'every 1s --align --clock realtime-alarm as %s: the no-RTC line, 125, and no timer armed (strace)',
    (_who, prefix) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-alarm-'));
      const trace = path.join(dir, 'trace');
      const r = bash(`strace -f -qq -o ${trace} -e trace=timerfd_create,timerfd_settime ${prefix} ${TS} every 1s --align --count 2 --clock realtime-alarm; echo "status=$?" >&2`, 15_000);
      expect(lines(r.stderr)).toEqual([expect.stringMatching(/^timerstack: --clock realtime-alarm: this machine has no real-time clock \(RTC\)/), 'status=125']);
      expect(readFileSync(trace, 'utf8').split('\n').filter((l) => /timerfd_/.test(l))).toEqual([]);
    },
  );
});
