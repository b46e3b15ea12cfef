// What a command's processes can count on, through the real binary: a run's process group is
// followed until it is empty (also after the command itself has exited), never signalled once it
// could be someone else's, its stdin and terminal, its limits, and the process options
// (--chdir, --env, --lock, --signal, --keep-going).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ignoreEpipe, lines, ndjson, timerstack, waitFor } from '../helpers/binary.js';

const dir = mkdtempSync(join(tmpdir(), 'timerstack-proc-'));

// Whether a process exists at all (a zombie counts: it is not reaped).
const exists = (pid: number) => existsSync(`/proc/${pid}`);
const numbers = (file: string) => readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

// Runs `sh -c script` (its output) with the caller's limits.
function sh(script: string, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', ignoreEpipe);
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a run\'s process group is followed until it is empty', () => {
  it('a member that ignores SIGTERM gets SIGKILL after --kill-after, even once the command has exited', async () => {
    const pidFile = join(dir, 'ignorer');
    const r = await timerstack(['once', '0', '--timeout', '300ms', '--kill-after', '1s', '--', 'sh', '-c', `(trap "" TERM; exec sleep 7) & echo $! > ${pidFile}; wait`]);
    expect(r.code).toBe(124);
    const [sleeper] = numbers(pidFile);
    expect(exists(sleeper!)).toBe(false);
    // The timeout, then the full --kill-after (the member never gave up), not the sleep's 7 s.
    expect(r.ms).toBeGreaterThan(1200);
    expect(r.ms).toBeLessThan(6500);
  });

  it('--overlap restart: a member of the old run that ignores SIGTERM gets SIGKILL after --kill-after', async () => {
    // Tick 1's member would sleep 30 s; tick 2 restarts the run and itself lasts 3 s. The old
    // member must be gone before that second run ends (the SIGKILL 500 ms after the restart),
    // not only when the schedule's end stops everything.
    const pidFile = join(dir, 'restart-ignorer');
    let gone = false;
    let secondRunEnded = false;
    let goneFirst: boolean | undefined;
    const r = await timerstack(['every', '300ms', '--count', '2', '--overlap', 'restart', '--kill-after', '500ms', '--json', '-v', '--',
      'sh', '-c', `(trap "" TERM; exec sleep $((33 - 30 * ($TIMERSTACK_TICK - 1)))) & echo $! >> ${pidFile}; wait`], {
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => {
          if (/"event":"run"[^\n]*"tick":2/.test(d.toString())) secondRunEnded = true;
        });
        void waitFor(() => existsSync(pidFile), 10_000)
          .then(() => waitFor(() => (gone = !exists(numbers(pidFile)[0]!)) || secondRunEnded, 20_000))
          .then(() => (goneFirst = gone && !secondRunEnded));
      },
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(0);
    expect(goneFirst).toBe(true);
    for (const pid of numbers(pidFile)) expect(exists(pid), `sleep ${pid}`).toBe(false);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('the stop ends as soon as the group is empty, not after the full --kill-after', async () => {
    const pidFile = join(dir, 'slow-exit');
    const r = await timerstack(['once', '0', '--timeout', '200ms', '--kill-after', '20s', '--', 'sh', '-c', `(trap "sleep 0.2; exit 0" TERM; sleep 10 & wait) & echo $! > ${pidFile}; wait`]);
    expect(r.code).toBe(124);
    expect(exists(numbers(pidFile)[0]!)).toBe(false);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('SIGTERM leaves no orphan of runs whose command has already exited', async () => {
    const pidFile = join(dir, 'background');
    let runs = 0;
    const r = await timerstack(['every', '100ms', '--json', '-v', '--', 'sh', '-c', `sleep 30 & echo $! >> ${pidFile}`], {
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => (runs += (d.toString().match(/"event":"run"/g) ?? []).length));
        void waitFor(() => runs >= 2).then(() => child.kill('SIGTERM'));
      },
    });
    expect(r.signal).toBe('SIGTERM');
    const pids = numbers(pidFile);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect(exists(pid), `background sleep ${pid}`).toBe(false);
  });

  it('at the end of the schedule, what a run left in its group is ended (SIGTERM) before timerstack exits', async () => {
    const pidFile = join(dir, 'left');
    const marks = join(dir, 'left.marks');
    const ready = join(dir, 'left.ready');
    // The command exits once its background subshell has set its trap.
    const r = await timerstack(['once', '0', '--', 'sh', '-c', `(trap "echo term >> ${marks}; exit 0" TERM; sleep 30 & : > ${ready}; wait) & echo $! > ${pidFile}; while [ ! -e ${ready} ]; do sleep 0.01; done`]);
    expect(r.code).toBe(0);
    expect(readFileSync(marks, 'utf8')).toBe('term\n');
    expect(exists(numbers(pidFile)[0]!)).toBe(false);
    expect(r.ms).toBeLessThan(5000);
  });

  it('a background process that left the group (setsid) is not waited for', async () => {
    const pidFile = join(dir, 'daemon');
    // The command exits once the daemon leads a session of its own.
    const r = await timerstack(['once', '0', '--', 'sh', '-c', `setsid sleep 3 </dev/null >/dev/null 2>&1 & p=$!; while [ "$(cut -d' ' -f6 /proc/$p/stat)" != "$p" ]; do sleep 0.01; done; echo $p > ${pidFile}`]);
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(2500);
    const [daemon] = numbers(pidFile);
    expect(exists(daemon!)).toBe(true);
    process.kill(daemon!, 'SIGKILL');
  });
});

describe('the command\'s session, terminal and stdin', () => {
  it('runs in a process group of its own in timerstack\'s session (setpgid, not setsid)', async () => {
    const r = await timerstack(['once', '0', '--', 'sh', '-c', 'cut -d" " -f5,6 /proc/$$/stat; echo $$']);
    const [ids, pid] = lines(r.stdout);
    const [pgid, sid] = ids!.split(' ').map(Number);
    expect(pgid).toBe(Number(pid));
    expect(r.code).toBe(0);
    // The session is the test's own (timerstack's): not a new one led by the command.
    expect(sid).toBe(Number(readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ')[3]));
    expect(sid).not.toBe(pgid);
  });

  it.each([
    ['once', ['once', '0']],
    ['at', ['at', '@0', '--late', 'run']],
  ])('%s passes stdin through', async (_, args) => {
    const r = await timerstack([...args, '--', 'cat'], { input: 'data\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('data\n');
  });

  it('every gives commands /dev/null (runs may overlap; one would take what the next expects)', async () => {
    const r = await timerstack(['every', '50ms', '--count', '2', '--', 'cat'], { input: 'data\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('stdin from a slow writer and a large stdout into a slow reader: blocking for the command', async () => {
    // Node puts its own pipes in non-blocking mode; a command sharing them would fail with EAGAIN.
    const r = await sh(`(sleep 0.3; echo late) | node ${BIN} once 0 -- sh -c 'cat; head -c 3000000 /dev/zero' | (sleep 0.5; wc -c)`);
    expect(r.stderr).toBe('');
    expect(Number(r.stdout.trim())).toBe(5 + 3_000_000);
  });
});

// The installed command is bin/timerstack.js run as a program (its sh lines record the caller's
// limit before Node raises its own); `node bin/timerstack.js` skips them.
describe('limits the command inherits', () => {
  it('gets the caller\'s open-file soft limit, not the one Node raised for timerstack', async () => {
    const r = await sh(`ulimit -Sn 1024; ${BIN} once 0 -- sh -c 'ulimit -Sn; env | grep -c TIMERSTACK_CALLER'`);
    expect(lines(r.stdout)).toEqual(['1024', '0']);
  });

  it('gets it also while timerstack holds more fds than that', async () => {
    // 1,500 timers with schedules of their own: 1,500 timerfds open while the probe runs.
    const table = Array.from({ length: 1500 }, (_, i) => `t${i}: once ${2_000_000 + i}us`);
    // The probe lists its own fds (ls's: no pipeline whose ends a shell may still hold).
    table.push(`probe: once 0 -- sh -c 'ulimit -Sn; exec ls -l /proc/self/fd'`);
    const r = await sh(`ulimit -Sn 1024; ${BIN} run - --json`, `${table.join('\n')}\n`);
    // The probe's lines, among the other timers' events.
    const [soft, ...listing] = lines(r.stdout).filter((l) => !l.startsWith('{'));
    expect(soft).toBe('1024');
    // Nothing of timerstack's (timerfds, pidfds, its epoll: anonymous inodes; its pipes) leaks
    // into the command: it has no more fds than the same listing run without timerstack (stdio,
    // the directory ls reads, and whatever this test itself was given).
    const fds = listing.filter((l) => l.includes(' -> '));
    expect(fds.filter((l) => l.includes('anon_inode'))).toEqual([]);
    const direct = await sh(`sh -c 'exec ls -l /proc/self/fd' < /dev/null`);
    expect(fds.length).toBeLessThanOrEqual(lines(direct.stdout).filter((l) => l.includes(' -> ')).length);
  }, 30_000);
});

describe('process options', () => {
  it('--chdir runs the command there; a missing directory is refused before anything runs', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'here.sh'), '#!/bin/sh\npwd\n', { mode: 0o755 });
    const r = await timerstack(['once', '0', '--chdir', sub, '--', './here.sh']);
    expect(r.stdout.trim()).toBe(sub);
    const bad = await timerstack(['once', '0', '--chdir', join(dir, 'nope'), '--', 'true']);
    expect(bad.code).toBe(125);
    expect(lines(bad.stderr)).toEqual([`timerstack: --chdir: ${join(dir, 'nope')}: no such directory`]);
  });

  it('--env sets variables, in order, the last one winning', async () => {
    const r = await timerstack(['once', '0', '--env', 'A=1', '--env', 'B=two words', '--env', 'A=3', '--', 'sh', '-c', 'echo "$A|$B"']);
    expect(r.stdout).toBe('3|two words\n');
  });

  it('-s/--signal is what --timeout sends', async () => {
    const r = await timerstack(['once', '0', '--timeout', '200ms', '-s', 'INT', '--', 'sh', '-c', 'trap "echo got INT; exit 3" INT; echo ready; while :; do sleep 0.05; done']);
    expect(r.code).toBe(124);
    expect(r.stdout).toBe('ready\ngot INT\n');
  });

  it('--lock: two instances never run the command at once; a run that cannot take it is a reported skip', async () => {
    const lock = join(dir, 'job.lock');
    const log = join(dir, 'lock.log');
    const args = ['every', '100ms', '--count', '6', '--lock', lock, '--json', '--', 'sh', '-c', `echo start >> ${log}; sleep 0.25; echo end >> ${log}`];
    const [a, b] = await Promise.all([timerstack(args), timerstack(args)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const seen = readFileSync(log, 'utf8').trim().split('\n');
    // Strictly alternating: a start is always followed by its end.
    for (let i = 0; i < seen.length; i += 2) expect(seen.slice(i, i + 2)).toEqual(['start', 'end']);
    const skips = [...ndjson(a.stderr), ...ndjson(b.stderr)].filter((e) => e.event === 'skip' && e.reason === 'locked');
    expect(skips.length).toBeGreaterThan(0);
    expect(existsSync(lock)).toBe(true);
  });

  it('--lock on a file that cannot be opened is refused before anything runs', async () => {
    const r = await timerstack(['once', '0', '--lock', join(dir, 'no-dir', 'x.lock'), '--', 'true']);
    expect(r.code).toBe(125);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^timerstack: --lock: .*no-dir\/x\.lock: /);
  });
});

describe('a command that can never start', () => {
  it('ends every with 127 at the first run, unless --keep-going', async () => {
    const r = await timerstack(['every', '50ms', '--count', '3', '--', 'no-such-command-here']);
    expect(r.code).toBe(127);
    expect(lines(r.stderr)).toHaveLength(1);
    const going = await timerstack(['every', '50ms', '--count', '3', '--keep-going', '--', 'no-such-command-here']);
    expect(going.code).toBe(0);
    expect(lines(going.stderr)).toHaveLength(3);
  });

  it('ends every with 126 when it is not executable', async () => {
    const file = join(dir, 'not-x');
    writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const r = await timerstack(['every', '50ms', '--count', '3', '--', file]);
    expect(r.code).toBe(126);
  });

  it('--dry-run and run --check warn about a command not found on PATH, and still exit 0', async () => {
    const dry = await timerstack(['every', '1s', '--dry-run', '--', 'no-such-command-here', 'x']);
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toHaveLength(1);
    expect(lines(dry.stderr)).toEqual(['timerstack: warning: timer: no-such-command-here: command not found on PATH']);
    const table = join(dir, 'check.txt');
    writeFileSync(table, 'ok: every 1s -- true\nbad: every 1s -- no-such-command-here\nsh: every 1s --shell -- no-such-command-here\n');
    const check = await timerstack(['run', table, '--check']);
    expect(check.code).toBe(0);
    expect(lines(check.stderr)).toEqual([`timerstack: warning: ${table}:2: bad: no-such-command-here: command not found on PATH`]);
  });
});

describe('--overlap restart --fail-fast', () => {
  it('does not stop on timerstack\'s own restart SIGTERM', async () => {
    const r = await timerstack(['every', '200ms', '--count', '3', '--overlap', 'restart', '--fail-fast', '--json', '-v', '--', 'sleep', '0.6']);
    expect(r.code).toBe(0);
    const runs = ndjson(r.stderr).filter((e) => e.event === 'run');
    expect(runs.map((e) => [e.tick, e.status, e.restarted])).toEqual([
      [1, 143, true],
      [2, 143, true],
      [3, 0, false],
    ]);
  });
});
