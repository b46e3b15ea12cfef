// The timerstack command running a command per tick: statuses, overlap, timeouts, signals.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, ndjson, timerstack, waitFor } from '../helpers/binary.js';
import { alive } from '../helpers/procs.js';

const dir = mkdtempSync(join(tmpdir(), 'timerstack-e2e-'));


describe('exit statuses', () => {
  it('once exits with the command\'s own status', async () => {
    expect((await timerstack(['once', '0', '--', 'sh', '-c', 'exit 7'])).code).toBe(7);
    expect((await timerstack(['once', '0', '--', 'true'])).code).toBe(0);
  });

  it('127 for a command that does not exist, with a one-line report', async () => {
    const r = await timerstack(['once', '0', '--', 'no-such-command-here']);
    expect(r.code).toBe(127);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/no-such-command-here/);
  });

  it('126 for a file that is not executable', async () => {
    const file = join(dir, 'not-executable.sh');
    writeFileSync(file, '#!/bin/sh\necho hi\n');
    chmodSync(file, 0o644);
    const r = await timerstack(['once', '0', '--', file]);
    expect(r.code).toBe(126);
  });

  it('128+N when the command is killed by signal N, reported with the signal name', async () => {
    const r = await timerstack(['once', '0', '--', 'sh', '-c', 'kill -KILL $$']);
    expect(r.code).toBe(137);
    expect(r.stderr).toMatch(/SIGKILL/);
  });

  it('every goes on after a failing run and reports it; --fail-fast stops with its status', async () => {
    const goOn = await timerstack(['every', '100ms', '--count', '3', '--', 'sh', '-c', 'exit 4']);
    expect(goOn.code).toBe(0);
    expect(lines(goOn.stderr)).toHaveLength(3);
    const fast = await timerstack(['every', '100ms', '--count', '5', '--fail-fast', '--', 'sh', '-c', '[ "$TIMERSTACK_TICK" -lt 2 ] || exit 5']);
    expect(fast.code).toBe(5);
    expect(lines(fast.stderr)).toHaveLength(1);
  });

  it('124 when a run hits --timeout with --fail-fast', async () => {
    const r = await timerstack(['every', '50ms', '--count', '3', '--timeout', '100ms', '--fail-fast', '--', 'sleep', '5']);
    expect(r.code).toBe(124);
    expect(r.ms).toBeLessThan(3000);
  });
});

describe('the command\'s world', () => {
  it('stdout belongs to the command; the TIMERSTACK_* variables are set', async () => {
    const r = await timerstack(['every', '100ms', '--count', '2', '--name', 'job', '--', 'sh', '-c', 'echo "$TIMERSTACK_TIMER $TIMERSTACK_TICK $TIMERSTACK_EXPIRATIONS $TIMERSTACK_SCHEDULED"']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^job 1 1 \d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(out[1]).toMatch(/^job 2 1 /);
    expect(r.stderr).toBe('');
  });

  it('without --shell the argv is executed as is; with --shell it is one sh -c string', async () => {
    const plain = await timerstack(['once', '0', '--', 'printf', '%s', '$HOME;echo x']);
    expect(plain.stdout).toBe('$HOME;echo x');
    const shell = await timerstack(['once', '0', '--shell', '--', 'printf %s "$((6*7))"']);
    expect(shell.stdout).toBe('42');
  });

  it('--verbose reports ticks and results on stderr', async () => {
    const r = await timerstack(['every', '100ms', '--count', '2', '--verbose', '--json', '--', 'true']);
    const events = ndjson(r.stderr);
    expect(events.filter((e) => e.event === 'tick')).toHaveLength(2);
    expect(events.filter((e) => e.event === 'run' && e.status === 0)).toHaveLength(2);
  });
});

describe('overlap policies with a slow command', () => {
  it('skip (the default): ticks during a run are not run, and each is reported', async () => {
    const r = await timerstack(['every', '50ms', '--count', '6', '--json', '--', 'sleep', '0.18']);
    expect(r.code).toBe(0);
    const skips = ndjson(r.stderr).filter((e) => e.event === 'skip');
    expect(skips.length).toBeGreaterThanOrEqual(2);
    for (const s of skips) expect(s.reason).toMatch(/overlap|missed/);
  });

  it('parallel: runs overlap', async () => {
    const log = join(dir, 'parallel.log');
    const r = await timerstack(['every', '30ms', '--count', '3', '--overlap', 'parallel', '--shell', '--', `echo start >> ${log}; sleep 0.2; echo end >> ${log}`]);
    expect(r.code).toBe(0);
    expect(readFileSync(log, 'utf8').split('\n').slice(0, 3)).toEqual(['start', 'start', 'start']);
  });

  it('queue: at most one waits, the rest are reported', async () => {
    const log = join(dir, 'queue.log');
    const r = await timerstack(['every', '30ms', '--count', '5', '--overlap', 'queue', '--json', '--shell', '--', `echo "$TIMERSTACK_TICK" >> ${log}; sleep 0.1`]);
    expect(r.code).toBe(0);
    const ran = readFileSync(log, 'utf8').trim().split('\n');
    const skipped = ndjson(r.stderr).filter((e) => e.event === 'skip');
    expect(ran.length + skipped.length).toBe(5);
    expect(ran.length).toBeGreaterThanOrEqual(2);
    expect(skipped.length).toBeGreaterThanOrEqual(1);
  });

  it('restart: the running one is terminated and a new one starts', async () => {
    // The third run is the last: it is not restarted, and runs to its end.
    const r = await timerstack(['every', '80ms', '--count', '3', '--overlap', 'restart', '--json', '--verbose', '--', 'sleep', '1']);
    expect(r.code).toBe(0);
    const runs = ndjson(r.stderr).filter((e) => e.event === 'run');
    expect(runs.map((e) => e.signal)).toEqual(['SIGTERM', 'SIGTERM', null]);
    expect(runs.map((e) => e.tick)).toEqual([1, 2, 3]);
    expect(r.ms).toBeLessThan(4000);
  }, 15_000);
});

describe('timeouts', () => {
  it('--timeout terminates a run, which is reported', async () => {
    const r = await timerstack(['once', '0', '--timeout', '150ms', '--', 'sleep', '5']);
    expect(r.code).toBe(124);
    expect(r.stderr).toMatch(/timed out/);
    expect(r.ms).toBeLessThan(3000);
  });

  it('--kill-after sends SIGKILL to a run that ignores SIGTERM', async () => {
    const r = await timerstack(['once', '0', '--timeout', '100ms', '--kill-after', '200ms', '--shell', '--', 'trap "" TERM; sleep 5']);
    expect(r.code).toBe(137);
    expect(r.ms).toBeLessThan(3000);
  });
});

describe('signals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
    ['SIGUSR2', 140],
    ['SIGALRM', 142],
  ] as const)('%s is relayed to the running command, waited for, then timerstack ends by it', async (signal, _status) => {
    const marker = join(dir, `got-${signal}`);
    const pidFile = join(dir, `pid-${signal}`);
    let seen = '';
    const r = await timerstack(['every', '20ms', '--kill-after', '1s', '--shell', '--', `echo $$ > ${pidFile}; trap 'echo got > ${marker}; exit 0' ${signal.slice(3)}; sleep 5 & echo $! >> ${pidFile}; echo started; wait`], {
      onSpawn: (child) => {
        child.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
        void waitFor(() => seen.includes('started')).then(() => child.kill(signal));
      },
    });
    expect(r.signal).toBe(signal);
    expect(existsSync(marker)).toBe(true);
    // The shell and the sleep it left in its process group (which ignores SIGINT) are gone.
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('kills a command that ignores the signal after --kill-after, and leaves no process behind', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    let seen = '';
    const r = await timerstack(['once', '0', '--kill-after', '300ms', '--shell', '--', `trap "" TERM; echo $$ > ${pidFile}; echo started; sleep 30 & echo $! >> ${pidFile}; wait`], {
      onSpawn: (child) => {
        child.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
        void waitFor(() => seen.includes('started')).then(() => child.kill('SIGTERM'));
      },
    });
    expect(r.signal).toBe('SIGTERM');
    expect(r.ms).toBeLessThan(5000);
    for (const pid of readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)) expect(alive(pid)).toBe(false);
  });

  it('SIGUSR1 prints each timer\'s state on stderr and goes on', async () => {
    let err = '';
    const r = await timerstack(['every', '30ms', '--count', '12', '--json'], {
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        // After the first tick: its handler is installed by then. (Before Node has run any of
        // timerstack's code, SIGUSR1 is Node's own: see the README's Guarantees.)
        let sent = false;
        child.stdout!.on('data', () => {
          if (!sent) child.kill('SIGUSR1');
          sent = true;
        });
      },
    });
    expect(r.code).toBe(0);
    const states = ndjson(r.stderr).filter((e) => e.event === 'state');
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({ timer: 'timer', interval_ns: '30000000' });
    expect(BigInt(states[0]!.remaining_ns as string)).toBeLessThanOrEqual(30_000_000n);
    expect(ndjson(r.stdout)).toHaveLength(12);
  });
});
