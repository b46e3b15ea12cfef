// `timerstack retry` through the real binary, with real commands: a script that fails twice and
// then succeeds (its state in a file), giving up, --for, signals, the plan, refusals.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, ndjson, timerstack, waitFor } from '../helpers/binary.js';
import { alive } from '../helpers/procs.js';

const dir = mkdtempSync(join(tmpdir(), 'timerstack-retry-e2e-'));

// Fails on its first two runs and succeeds on the third, counting in `state`.
function failsTwice(name: string): { script: string; state: string } {
  const script = join(dir, `${name}.sh`);
  const state = join(dir, `${name}.state`);
  writeFileSync(script, `#!/bin/sh\nn=$(cat '${state}' 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > '${state}'\necho "run $n"\n[ $n -ge 3 ]\n`);
  chmodSync(script, 0o755);
  return { script, state };
}


describe('timerstack retry', () => {
  it('runs a script that fails twice until it succeeds: exit 0, the failures on stderr, stdout the command\'s', async () => {
    const { script, state } = failsTwice('text');
    const r = await timerstack(['retry', '--backoff', '50ms', '--', script]);
    expect(r.code).toBe(0);
    expect(readFileSync(state, 'utf8').trim()).toBe('3');
    expect(lines(r.stdout)).toEqual(['run 1', 'run 2', 'run 3']);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^timerstack: timer attempt 1 of 10 failed: exit 1 after \d+ms; next in 50ms$/),
      expect.stringMatching(/^timerstack: timer attempt 2 of 10 failed: exit 1 after \d+ms; next in 100ms$/),
    ]);
  });

  it('--json: an attempt event per attempt on stderr (the success with -v), snake_case, with a time', async () => {
    const { script } = failsTwice('json');
    const r = await timerstack(['retry', '--json', '-v', '--backoff', '40ms:1.5', '--name', 'up', '--', script]);
    expect(r.code).toBe(0);
    const events = ndjson(r.stderr);
    expect(events.map((e) => [e.event, e.attempt, e.status, e.wait_ms])).toEqual([
      ['attempt', 1, 1, 40],
      ['attempt', 2, 1, 60],
      ['attempt', 3, 0, null],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ timer: 'up', max_attempts: 10, signal: null, timed_out: false });
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(typeof e.pid).toBe('number');
    }
    // the attempts end in order, each at least its wait after the one before
    const times = events.map((e) => Date.parse(e.time as string));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(39);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(59);
  });

  it('gives up after --attempts with the last attempt\'s status', async () => {
    const r = await timerstack(['retry', '--attempts', '3', '--backoff', '20ms', '--json', '--', 'sh', '-c', 'exit $((TIMERSTACK_TICK + 10))']);
    expect(r.code).toBe(13);
    const events = ndjson(r.stderr);
    expect(events.map((e) => e.event)).toEqual(['attempt', 'attempt', 'attempt', 'give_up']);
    expect(events.at(-1)).toMatchObject({ event: 'give_up', attempts: 3, reason: 'attempts', status: 13 });
    expect(events[2]).toMatchObject({ attempt: 3, status: 13, wait_ms: null });
  });

  it('--for ends a hung attempt with 124 and leaves nothing running', async () => {
    const r = await timerstack(['retry', '--for', '400ms', '--kill-after', '1s', '--json', '--', 'sleep', '30']);
    expect(r.code).toBe(124);
    expect(r.ms).toBeGreaterThanOrEqual(400);
    expect(r.ms).toBeLessThan(10_000);
    const [attempt, giveUp] = ndjson(r.stderr);
    expect(attempt).toMatchObject({ event: 'attempt', attempt: 1, max_attempts: null, timed_out: true, signal: 'SIGTERM', status: 124 });
    expect(giveUp).toMatchObject({ event: 'give_up', reason: 'for', status: 124 });
    expect(alive(attempt!.pid as number)).toBe(false);
  });

  it('a command that is not found: 127 at once, not retried', async () => {
    const r = await timerstack(['retry', '--', 'no-such-command-for-retry-e2e']);
    expect(r.code).toBe(127);
    expect(lines(r.stderr)).toEqual([
      'timerstack: timer attempt 1 of 10 failed: no-such-command-for-retry-e2e: command not found (ENOENT)',
      'timerstack: timer gave up: the command cannot be started (status 127)',
    ]);
  });

  it('SIGINT during a wait: no further attempt, ends by SIGINT at once', async () => {
    const count = join(dir, 'sigint.count');
    let err = '';
    const r = await timerstack(['retry', '--backoff', '1h', '--shell', '--', `echo x >> ${count}; exit 1`], {
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        void waitFor(() => err.includes('next in 1h')).then(() => child.kill('SIGINT'));
      },
    });
    expect(r.signal).toBe('SIGINT');
    expect(lines(readFileSync(count, 'utf8'))).toHaveLength(1);
  });

  it('SIGTERM during an attempt is relayed to it and waited for', async () => {
    const marker = join(dir, 'got-term');
    const pidFile = join(dir, 'term.pid');
    let out = '';
    const r = await timerstack(['retry', '--shell', '--', `echo $$ > ${pidFile}; trap 'echo got > ${marker}; exit 1' TERM; sleep 30 & echo $! >> ${pidFile}; echo started; wait`], {
      onSpawn: (child) => {
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        void waitFor(() => out.includes('started')).then(() => child.kill('SIGTERM'));
      },
    });
    expect(r.signal).toBe('SIGTERM');
    expect(existsSync(marker)).toBe(true);
    for (const pid of readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)) expect(alive(pid)).toBe(false);
    // the attempt the signal ended is reported; no other attempt was made
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^timerstack: timer attempt 1 of 10 failed: exit 1 after /)]);
  });

  it('--dry-run prints the plan and runs nothing', async () => {
    const marker = join(dir, 'dry-run-ran');
    const r = await timerstack(['retry', '--dry-run', '--attempts', '4', '--backoff', '2s:3', '--', 'touch', marker]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`timer: retry on monotonic, up to 4 attempts, the first at once, then after each failure a wait of 2s, 6s, 18s, runs "touch" ${JSON.stringify(marker)}\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    [['retry'], 'timerstack: retry needs a command after -- (see \'timerstack --help\')'],
    [['retry', '5s', '--', 'true'], 'timerstack: retry: unexpected argument "5s" (put the command after --) (see \'timerstack --help\')'],
    [['retry', '--backoff', '1s:0.5', '--', 'true'], 'timerstack: --backoff: FACTOR: must be at least 1, or the waits would shrink (got "0.5") (see \'timerstack --help\')'],
    [['retry', '--count', '2', '--', 'true'], 'timerstack: option --count does not apply to retry (see \'timerstack --help\')'],
  ])('refuses %j in one line, exit 125, running nothing', async (args, message) => {
    const r = await timerstack(args);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });

  it('shell completion knows the command and its options', async () => {
    expect((await timerstack(['--get-yargs-completions', 'timerstack', 'ret'])).stdout).toBe('retry\n');
    expect(lines((await timerstack(['--get-yargs-completions', 'timerstack', 'retry', '--a'])).stdout)).toEqual(['--attempts']);
    expect(lines((await timerstack(['--get-yargs-completions', 'timerstack', 'retry', '--b'])).stdout)).toEqual(['--backoff']);
    // --count belongs to every, not to retry
    expect(lines((await timerstack(['--get-yargs-completions', 'timerstack', 'retry', '--c'])).stdout)).toEqual(['--clock', '--chdir', '--color']);
  });
});
