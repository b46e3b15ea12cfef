// A run's process group against real processes: spawned by posix_spawn into a group of its own
// in this session, followed through pidfds until no member is left, the leader held as a zombie
// until then, and orphans adopted (this process becomes a child subreaper) and reaped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessGroup } from '../../src/exec/group.js';
import { procStat } from '../../src/exec/groups.js';
import { adoptOrphans, adoptsOrphans, isClaimed, reapOrphans } from '../../src/exec/reaper.js';
import { startCommand, type CommandStart } from '../../src/exec/spawn.js';
import { isChildSubreaper, type ChildState } from '../../src/native/process.js';

let dir: string;

beforeAll(() => {
  adoptOrphans();
  dir = mkdtempSync(join(tmpdir(), 'timerstack-group-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Waits until `check` holds (polling every 5 ms), or fails after `ms`.
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not reached');
    await sleep(5);
  }
}

interface Followed {
  group: ProcessGroup;
  exit: Promise<ChildState>;
  empty: Promise<number>;
}

// Starts `sh -c script` in a group of its own and follows it.
function follow(script: string, extra: Partial<CommandStart> = {}): Followed {
  const started = startCommand({ file: 'sh', args: ['-c', script], env: { PATH: process.env.PATH ?? '/bin:/usr/bin' }, stdin: 'null', ownGroup: true, ...extra });
  if ('error' in started) throw new Error(started.error);
  let exited!: (s: ChildState) => void;
  let emptied!: (at: number) => void;
  const exit = new Promise<ChildState>((r) => (exited = r));
  const empty = new Promise<number>((r) => (emptied = r));
  const group = new ProcessGroup(started.pid, started.pidfd, extra.ownGroup ?? true, { exited, empty: () => emptied(performance.now()) });
  return { group, exit, empty };
}

const pidsIn = (file: string) => readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);

describe('spawning', () => {
  it('puts the command in a new group of this session: pgid = its pid, sid = ours', async () => {
    const out = join(dir, 'ids');
    const f = follow(`cut -d' ' -f5,6 /proc/$$/stat > ${out}`);
    const state = await f.exit;
    expect(state).toMatchObject({ how: 'exited', status: 0 });
    const [pgid, sid] = pidsIn(out);
    expect(pgid).toBe(f.group.pid);
    expect(sid).toBe(Number(readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ')[3]));
    await f.empty;
  });

  it('reports a start failure as an errno name and a line, not an exception', () => {
    expect(startCommand({ file: 'no-such-program-here', args: [], env: { PATH: '/usr/bin' }, stdin: 'null', ownGroup: true })).toMatchObject({ code: 'ENOENT' });
    const script = join(dir, 'plain.sh');
    writeFileSync(script, 'echo hi\n', { mode: 0o644 });
    expect(startCommand({ file: script, args: [], env: {}, stdin: 'null', ownGroup: true })).toMatchObject({ code: 'EACCES' });
    expect(startCommand({ file: 'true', args: [], env: { PATH: '/usr/bin:/bin' }, cwd: join(dir, 'nowhere'), stdin: 'null', ownGroup: true })).toMatchObject({
      code: 'ECHDIR',
      error: `--chdir ${join(dir, 'nowhere')}: no such directory`,
    });
  });

  it('runs a file without #! through /bin/sh, as execvp does', async () => {
    const script = join(dir, 'no-shebang');
    writeFileSync(script, `echo ran > ${join(dir, 'no-shebang.out')}\n`, { mode: 0o755 });
    const started = startCommand({ file: script, args: [], env: {}, stdin: 'null', ownGroup: true });
    if ('error' in started) throw new Error(started.error);
    const group = new ProcessGroup(started.pid, started.pidfd, true, { exited: () => {}, empty: () => {} });
    await until(() => group.state === 'empty');
    expect(readFileSync(join(dir, 'no-shebang.out'), 'utf8')).toBe('ran\n');
  });
});

describe('a group is followed until it is empty', () => {
  it('holds the leader as a zombie while a member lives, and ends the moment the member exits', async () => {
    const pids = join(dir, 'member');
    const f = follow(`sleep 0.4 & echo $! > ${pids}`);
    const exit = await f.exit;
    expect(exit).toMatchObject({ how: 'exited', status: 0 });
    expect(f.group.state).toBe('lingering');
    const [member] = pidsIn(pids);
    // The leader's zombie keeps its pid (and so the group's number) taken.
    expect(procStat(f.group.pid)).toMatchObject({ state: 'Z', ppid: process.pid });
    expect(isClaimed(f.group.pid)).toBe(true);
    // The member was re-parented here, not to PID 1: this process is its subreaper.
    expect(procStat(member!)).toMatchObject({ ppid: process.pid, pgrp: f.group.pid });
    const emptyAt = await f.empty;
    // The member's own end is what ended the group: it is gone (reaped), and so is the leader.
    expect(existsSync(`/proc/${member}`)).toBe(false);
    expect(existsSync(`/proc/${f.group.pid}`)).toBe(false);
    expect(isClaimed(f.group.pid)).toBe(false);
    expect(performance.now() - emptyAt).toBeLessThan(1000);
  });

  it('finds members further down: a grandchild whose parent exits later', async () => {
    const pids = join(dir, 'deep');
    const f = follow(`(sleep 0.2; sleep 0.2 & echo $! > ${pids}) & exit 0`);
    await f.exit;
    await f.empty;
    const [grandchild] = pidsIn(pids);
    expect(existsSync(`/proc/${grandchild}`)).toBe(false);
  });

  it('signals every member while it has any, and nothing once empty', async () => {
    const marks = join(dir, 'marks');
    const f = follow(`(trap 'echo term >> ${marks}; exit 0' TERM; : > ${marks}; while :; do sleep 0.05; done) & exit 0`);
    await f.exit;
    await until(() => existsSync(marks));
    f.group.signal(15);
    await f.empty;
    expect(readFileSync(marks, 'utf8')).toBe('term\n');
    // Empty: the number is free again, and it is never signalled (no throw, no effect).
    expect(() => f.group.signal(9)).not.toThrow();
  });

  it('with a group that is not its own (--foreground): only the leader is followed and signalled', async () => {
    const started = startCommand({ file: 'sh', args: ['-c', 'sleep 5'], env: { PATH: process.env.PATH! }, stdin: 'null', ownGroup: false });
    if ('error' in started) throw new Error(started.error);
    expect(procStat(started.pid)?.pgrp).toBe(procStat(process.pid)?.pgrp);
    let state: ChildState | undefined;
    const group = new ProcessGroup(started.pid, started.pidfd, false, { exited: (s) => (state = s), empty: () => {} });
    group.signal(15);
    await until(() => group.state === 'empty');
    expect(state).toMatchObject({ how: 'killed', status: 15 });
  });
});

describe('orphans', () => {
  it('makes this process a child subreaper', () => {
    expect(adoptsOrphans()).toBe(true);
    expect(isChildSubreaper()).toBe(true);
  });

  it('reaps an orphan that left every group, and never a child that child_process owns', async () => {
    // A child of Node's own child_process: libuv reaps it; the reaper must leave it alone.
    const owned = spawn('sh', ['-c', 'exit 7'], { stdio: 'ignore' });
    const ownedExit = new Promise<number | null>((resolve) => owned.on('exit', resolve));
    const pids = join(dir, 'escaped');
    // A daemon-style escape: setsid leaves the run's group; its parent exits, so it comes here.
    const f = follow(`setsid sh -c 'sleep 0.2' & echo $! > ${pids}; sleep 0.05`);
    await f.exit;
    await f.empty;
    const [escaped] = pidsIn(pids);
    await until(() => procStat(escaped!)?.state === 'Z' || procStat(escaped!) === undefined);
    reapOrphans();
    await until(() => procStat(escaped!) === undefined);
    expect(await ownedExit).toBe(7);
  });
});
