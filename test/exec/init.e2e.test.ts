// timerstack as PID 1 (a container's entrypoint) and with --init, in pid namespaces of its own
// (unshare --pid --fork --mount-proc, no container tool needed): orphans reaped, nothing left
// behind, SIGTERM ends it with 143, and a group number given to another process is never hit.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { procStat } from '../../src/exec/groups.js';
import { BIN, ignoreEpipe, lines, ndjson, waitFor } from '../helpers/binary.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' });
const canUnshare = probe.status === 0;
if (!canUnshare) console.log('skipping the PID 1 tests: `unshare --pid --fork --mount-proc` is not allowed here (it needs root or a user namespace)');

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs `unshare --pid --fork --mount-proc ARGV…`, with `input` on stdin; `watch` gets the pid of
// the namespace's PID 1 (seen from here) once it is there.
function unshared(argv: string[], input = '', watch?: (pid1: number) => void): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', ignoreEpipe);
    child.stdin.end(input);
    if (watch) void waitFor(() => pid1Of(child.pid!) !== undefined, 10_000).then(() => watch(pid1Of(child.pid!)!));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// The child of `unshare`: PID 1 in the namespace.
function pid1Of(unsharePid: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (procStat(Number(entry))?.ppid === unsharePid) return Number(entry);
  }
  return undefined;
}

// A table of 1,000 `once` timers, 2 ms apart (each fires exactly once: 1,000 runs, none missed),
// each run leaving a grandchild behind: `(sleep 0.02 &)` exits at once, the sleep is orphaned.
const TABLE = Array.from({ length: 1000 }, (_, i) => `t${i}: once ${i * 2}ms -- sh -c '(sleep 0.02 &); true'`).join('\n');

describe.skipIf(!canUnshare)('in a pid namespace of its own', () => {
  it('with --init: 1,000 runs that leave a background grandchild leave no zombie and no orphan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timerstack-init-'));
    const r = await unshared(['sh', fixture('ns-leftovers.sh'), dir, BIN, 'run', '-', '--init', '--json', '-v'], TABLE);
    expect(lines(r.stdout)[0]).toBe('status=0');
    const runs = ndjson(readFileSync(join(dir, 'events'), 'utf8')).filter((e) => e.event === 'run');
    expect(runs).toHaveLength(1000);
    expect(runs.every((e) => e.status === 0)).toBe(true);
    // Only the namespace's PID 1 is left: every sleep ended and was reaped, no zombie was handed on.
    expect(lines(r.stdout).slice(1).map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(['1 (sh)']);
  }, 60_000);

  it('as PID 1: the same 1,000 runs; once they are done, the namespace holds no zombie and no orphan', async () => {
    // A last timer lists every process of the namespace from inside it, once nothing but PID 1 and
    // itself is left (5 while it counts: timerstack, its sh, the $(…) subshell, ls and wc) or 20 s
    // have passed (the runs may take a while on a loaded machine).
    const list = 'for f in /proc/[0-9]*/stat; do read -r l 2>/dev/null < $f && echo "$l"; done';
    const census = `census: once 3s -- sh -c 'i=0; while [ $(ls -d /proc/[0-9]* 2>/dev/null | wc -l) -gt 5 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; ${list}'`;
    const r = await unshared([BIN, 'run', '-', '--json', '-v'], `${TABLE}\n${census}\n`);
    expect(r.code).toBe(0);
    expect(ndjson(r.stderr).filter((e) => e.event === 'run' && e.status === 0)).toHaveLength(1001);
    // pid (comm) state: timerstack as PID 1 and the census's own shell, running; nothing else.
    const left = lines(r.stdout).map((l) => l.split(' ').slice(0, 3));
    expect(left.map(([pid, comm]) => `${pid} ${comm}`)).toEqual(['1 (node)', expect.stringMatching(/^\d+ \(sh\)$/)]);
    expect(left.every(([, , state]) => state !== 'Z')).toBe(true);
  }, 60_000);

  it('as PID 1, SIGTERM ends it with 143 once its commands have ended on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timerstack-pid1-'));
    const marks = join(dir, 'marks');
    const script = `trap 'echo term >> ${marks}; exit 0' TERM; : > ${dir}/ready; sleep 30 & wait`;
    const r = await unshared([BIN, 'every', '100ms', '--json', '-v', '--', 'sh', '-c', script], '', (pid1) => {
      void waitFor(() => readdirSync(dir).includes('ready'), 10_000).then(() => process.kill(pid1, 'SIGTERM'));
    });
    expect(r.code).toBe(143);
    // The command's shell ended on timerstack's SIGTERM (not on the namespace's teardown).
    expect(readFileSync(marks, 'utf8')).toBe('term\n');
    const runs = ndjson(r.stderr).filter((e) => e.event === 'run');
    expect(runs.at(-1)).toMatchObject({ status: 0 });
  }, 30_000);

  it('never signals a group number that another process was given (ns_last_pid)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timerstack-reuse-'));
    const r = await unshared(['bash', fixture('pid-reuse.sh'), dir, BIN]);
    const [line] = lines(r.stdout);
    const m = /^victim=(\d+) pgid=(\d+) (alive|killed)$/.exec(line ?? '');
    expect(m, r.stdout + r.stderr).not.toBeNull();
    // The number was really reused, and the process that got it lived past the old deadline.
    expect(m![1]).toBe(m![2]);
    expect(m![3]).toBe('alive');
  }, 30_000);
});
