// Job control and the terminal, through the real binary: in a tmux pane (Ctrl-Z, fg, Ctrl-\,
// /dev/tty, --foreground) and with kill(1) (SIGTSTP, SIGCONT, a second SIGTERM).
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { procStat } from '../../src/exec/groups.js';
import { BIN, lines, timerstack, waitFor } from '../helpers/binary.js';
import { TmuxSession, tmuxAvailable } from '../helpers/tmux-session.js';

const dir = mkdtempSync(join(tmpdir(), 'timerstack-jobs-'));
const hasTmux = tmuxAvailable();
if (!hasTmux) console.log('skipping the terminal tests: tmux is not installed (.ci/run installs it)');

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());
// True once `echo $$ > file` has finished: the file exists before the shell has written to it.
const pidWritten = (file: string) => existsSync(file) && /^\d+\n$/.test(readFileSync(file, 'utf8'));

// Waits until `file` grows (a command writing heartbeats is running).
async function grows(file: string, ms = 5000): Promise<boolean> {
  const before = size(file);
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (size(file) > before) return true;
    await sleep(20);
  }
  return false;
}

let session: TmuxSession | undefined;
afterEach(() => {
  session?.kill();
  session = undefined;
});

describe.skipIf(!hasTmux)('at a terminal (tmux)', () => {
  it('Ctrl-Z stops the command too, fg continues it, Ctrl-\\ ends both with 131', async () => {
    const beats = join(dir, 'beats');
    const pidFile = join(dir, 'beat.pid');
    session = new TmuxSession('stop');
    session.type(`${BIN} once 0 -- sh -c 'echo $$ > ${pidFile}; while :; do echo x >> ${beats}; sleep 0.05; done'`);
    await waitFor(() => pidWritten(pidFile) && size(beats) > 0, 10_000);
    const command = pidIn(pidFile);
    const ts = procStat(command)!.ppid;
    session.keys('C-z');
    await session.waitFor(/Stopped/);
    await waitFor(() => procStat(command)?.state === 'T' && procStat(ts)?.state === 'T');
    // Stopped means stopped: no heartbeat for a while.
    const held = size(beats);
    await sleep(300);
    expect(size(beats)).toBe(held);
    session.type('fg');
    expect(await grows(beats)).toBe(true);
    expect(procStat(ts)?.state).not.toBe('T');
    session.keys('C-\\');
    await waitFor(() => procStat(ts) === undefined);
    session.type('echo "status=$?"');
    await session.waitFor(/status=131/);
    expect(procStat(command)).toBeUndefined();
  });

  it('after fg, the ticks missed while stopped are reported as missed, never as overlap', async () => {
    session = new TmuxSession('missed');
    session.type(`${BIN} every 500ms -v -- sh -c 'sleep 0.05'`);
    await session.waitFor(/tick 2: exit 0/);
    session.keys('C-z');
    await session.waitFor(/Stopped/);
    await sleep(1600);
    session.type('fg');
    const after = await session.waitFor(/ticks? not run \(missed\)/);
    await session.waitFor(/tick \d+: exit 0[^\n]*\n(?:.*\n)*.*tick \d+: exit 0/);
    session.keys('C-c');
    expect(after).not.toMatch(/\(overlap\)/);
  });

  it('/dev/tty opens for a command (same session); with --foreground it may read the terminal', async () => {
    session = new TmuxSession('tty');
    session.type(`${BIN} once 0 -- sh -c 'printf "via-%s\\n" tty > /dev/tty'; echo "status=$?"`);
    await session.waitFor(/^via-tty$/m);
    await session.waitFor(/status=0/);
    session.type(`${BIN} once 0 --foreground -- sh -c 'read line < /dev/tty; echo "got-$line"'`);
    await sleep(300);
    session.type('hello');
    await session.waitFor(/^got-hello$/m);
  });

  it('without --foreground a command does not get the terminal as stdin (a read would stop it)', async () => {
    session = new TmuxSession('stdin');
    session.type(`${BIN} once 0 -- cat; echo "status=$?"`);
    await session.waitFor(/status=0/);
  });
});

describe('job control with kill(1)', () => {
  it('SIGTSTP stops timerstack and its command\'s group; SIGCONT continues both', { timeout: 60_000 }, async () => {
    const pidFile = join(dir, 'tstp.pid');
    let failure: unknown;
    const r = await timerstack(['every', '100ms', '--', 'sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], {
      onSpawn: (child) => {
        void (async () => {
          await waitFor(() => pidWritten(pidFile), 10_000);
          const command = pidIn(pidFile);
          await waitFor(() => procStat(command)?.state === 'S', 10_000);
          child.kill('SIGTSTP');
          await waitFor(() => procStat(child.pid!)?.state === 'T' && procStat(command)?.state === 'T');
          child.kill('SIGCONT');
          await waitFor(() => procStat(child.pid!)?.state !== 'T' && procStat(command)?.state === 'S');
          child.kill('SIGTERM');
        })().catch((error: unknown) => {
          failure = error;
          child.kill('SIGKILL');
        });
      },
    });
    expect(failure).toBeUndefined();
    expect(r.signal).toBe('SIGTERM');
    expect(procStat(pidIn(pidFile))).toBeUndefined();
  });

  it('a command that ended while timerstack was stopped is not taken for a running one (no false skip)', async () => {
    // SIGSTOP cannot be caught or relayed: the command goes on and ends while timerstack is held.
    const started = join(dir, 'ran.1');
    const r = await timerstack(['every', '400ms', '--count', '6', '--json', '-v', '--', 'sh', '-c', `: > ${dir}/ran.$TIMERSTACK_TICK; sleep 0.1`], {
      onSpawn: (child) => {
        // Stopped once the first run is under way, for longer than it takes.
        void waitFor(() => existsSync(started)).then(async () => {
          child.kill('SIGSTOP');
          await sleep(1000);
          child.kill('SIGCONT');
        });
      },
    });
    expect(r.code).toBe(0);
    const events = lines(r.stderr).map((l) => JSON.parse(l) as { event: string; tick: number; expirations?: number; reason?: string; skipped?: number; status?: number });
    // The wake-up after SIGCONT carries the ticks missed while stopped; the run that was due then
    // had ended long before, so that tick runs (a later overlap on a loaded machine is genuine).
    const catchUp = events.find((e) => e.event === 'tick' && e.expirations! > 1);
    expect(catchUp).toBeDefined();
    const skips = events.filter((e) => e.event === 'skip' && e.tick === catchUp!.tick);
    expect(skips.map((e) => e.reason)).toEqual(['missed']);
    expect(events.filter((e) => e.event === 'run').every((e) => e.status === 0)).toBe(true);
  });

  it('a second SIGTERM while the commands are waited for sends SIGKILL at once', async () => {
    let ready = '';
    const r = await timerstack(['once', '0', '--kill-after', '20s', '--', 'sh', '-c', 'trap "" TERM; echo ready; sleep 30'], {
      onSpawn: (child) => {
        child.stdout!.on('data', (d: Buffer) => (ready += d.toString()));
        void waitFor(() => ready.includes('ready')).then(async () => {
          child.kill('SIGTERM');
          await sleep(300);
          child.kill('SIGTERM');
        });
      },
    });
    expect(r.signal).toBe('SIGTERM');
    expect(r.ms).toBeLessThan(10_000);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/killed by SIGKILL/)]);
  });
});
