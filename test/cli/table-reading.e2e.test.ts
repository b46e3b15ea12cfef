// Reading run tables: only files and pipes, within limits, without blocking running timers, and
// without showing what a table that is really another file holds; a changed line's old run.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, lines, timerstack, waitFor } from '../helpers/binary.js';

const TS = `"${process.execPath}" "${BIN}"`;
const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-tables-'));

function bash(script: string, timeout = 30_000) {
  return spawnSync('bash', ['-c', script], { env: baseEnv(), encoding: 'utf8', timeout, maxBuffer: 16 * 1024 * 1024 });
}

// The one line a refused table gives, and its status.
function refused(script: string): { line: string; status: string } {
  const r = bash(`${script}; echo "status=$?" >&2`);
  const [line = '', status = '', ...rest] = lines(r.stderr);
  expect(rest).toEqual([]);
  expect(r.stdout).toBe('');
  return { line, status };
}

describe('what may be a table', () => {
  it.each([
    ['/dev/zero', 'a character device'],
    ['/dev/null', 'a character device'],
    [dir, 'a directory'],
  ])('run %s: refused before it is read', (file, what) => {
    expect(refused(`${TS} run ${file}`)).toEqual({ line: `timerstack: cannot read ${file}: not a regular file or a pipe (${what}) (see 'timerstack --help')`, status: 'status=125' });
  });

  it('`yes | run -`: refused at its first line, at once', () => {
    expect(refused(`yes | ${TS} run -`)).toEqual({ line: expect.stringMatching(/^timerstack: stdin:1: not a timer line /), status: 'status=125' });
  });

  it('a line longer than 1 MiB is refused', () => {
    const r = refused(`head -c 2000000 /dev/zero | tr '\\0' a | ${TS} run -`);
    expect(r).toEqual({ line: expect.stringMatching(/^timerstack: stdin:1: line longer than 1 MiB/), status: 'status=125' });
  });

  it('more than 1,000,000 lines are refused', () => {
    const r = refused(`yes '# a comment' | head -n 1000001 | ${TS} run -`);
    expect(r.line).toMatch(/^timerstack: stdin: more than 1,000,000 lines \(a table holds at most 64 MiB and 1,000,000 lines\)/);
  });

  it('more than 64 MiB is refused, without reading it all into memory', () => {
    const comment = `# ${'x'.repeat(200)}`;
    const rss = (script: string) => Number(/rss=(\d+)/.exec(bash(`${script} 2>&1; true`).stdout)?.[1] ?? 'NaN');
    const r = bash(`yes '${comment}' | head -c 80000000 | ${TS} run -; true`);
    expect(r.stderr).toMatch(/^timerstack: stdin: more than 64 MiB/);
    // Peak memory, against timerstack doing nothing (--version): far less than the 64 MiB read.
    const idleKb = rss(`/usr/bin/time -f 'rss=%M' ${TS} --version`);
    const readingKb = rss(`yes '${comment}' | head -c 80000000 | /usr/bin/time -f 'rss=%M' ${TS} run -`);
    if (Number.isNaN(idleKb) || Number.isNaN(readingKb)) return console.log('peak memory not checked: no /usr/bin/time');
    expect(readingKb - idleKb).toBeLessThan(32 * 1024);
  });

  it('a table of 100,000 timers from a file is read (far below the limits)', () => {
    const file = path.join(dir, 'many.txt');
    writeFileSync(file, Array.from({ length: 100_000 }, (_, i) => `every ${1000 + i}s`).join('\n'));
    const r = bash(`${TS} run ${file} --check | wc -l`);
    expect(r.stdout.trim()).toBe('100000');
  });
});

describe('a table that is another file', () => {
  it.each([
    ['root:$6$s3cr3tsalt$hash:19000:0:99999:7:::\n', 's3cr3t'],
    ['hunter2 is the password\n', 'hunter2'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n', 'OPENSSH'],
  ])('is refused without quoting it (%j)', (content, secret) => {
    const target = path.join(dir, `secret-${secret}`);
    writeFileSync(target, content);
    const link = path.join(dir, `table-${secret}.txt`);
    symlinkSync(target, link);
    const r = refused(`${TS} run ${link}`);
    expect(r.status).toBe('status=125');
    expect(r.line).toMatch(/:1: (not a timer line|missing timer after the name)/);
    expect(r.line.replace(link, '')).not.toContain(secret);
  });
});

describe('reloading', () => {
  it('a SIGHUP reading a table that does not come (a FIFO) does not hold up the running timers', async () => {
    const fifo = path.join(dir, 'fifo-table');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [BIN, 'run', fifo], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, signal) => resolve(signal)));
    let writer = await writerOf(fifo);
    writeSync(writer, 'a: every 20ms\n');
    closeSync(writer);
    await waitFor(() => ticks(out) >= 2, 10_000);
    child.kill('SIGHUP');
    // The reload waits for a writer of the FIFO; meanwhile a goes on.
    const before = ticks(out);
    await waitFor(() => ticks(out) >= before + 10, 10_000);
    writer = await writerOf(fifo);
    writeSync(writer, 'a: every 20ms\nb: every 20ms\n');
    closeSync(writer);
    await waitFor(() => err.includes('reloaded'), 10_000);
    child.kill('SIGTERM');
    expect(await closed).toBe('SIGTERM');
    expect(err).toContain('1 kept, 0 changed, 1 added, 0 removed');
  });

  it('a changed --overlap skip line waits for its old run: old and new never run at once', async () => {
    const file = path.join(dir, 'overlap.txt');
    const line = (tag: string) => `job: every 100ms --overlap skip -- sh -c 'echo ${tag}-start; sleep 1; echo ${tag}-end'\n`;
    writeFileSync(file, line('old'));
    let child: ChildProcess | undefined;
    let out = '';
    const done = timerstack(['run', file], { timeoutMs: 20_000, onSpawn: (c) => ((child = c), c.stdout!.on('data', (d: Buffer) => (out += d.toString()))) });
    await waitFor(() => out.includes('old-start'), 10_000);
    writeFileSync(file, line('new'));
    child!.kill('SIGHUP');
    await waitFor(() => out.includes('new-end'), 15_000);
    child!.kill('SIGTERM');
    const r = await done;
    const events = lines(r.stdout);
    // Each start is followed by its own end before anything else starts.
    for (let i = 0; i < events.length; i++) {
      const start = /^(old|new)-start$/.exec(events[i]!);
      if (start && i + 1 < events.length) expect(events[i + 1]).toBe(`${start[1]}-end`);
    }
    expect(events.indexOf('new-start')).toBeGreaterThan(events.indexOf('old-end'));
    // The new line's ticks while the old run lasted were skipped, and said so.
    expect(r.stderr).toMatch(/job tick \d+: 1 tick not run \(overlap\)/);
  });
});

function ticks(out: string): number {
  return (out.match(/ a tick \d+/g) ?? []).length;
}

// Opens the FIFO for writing once a reader waits on it (a non-blocking open fails until then).
async function writerOf(fifo: string): Promise<number> {
  let fd = -1;
  await waitFor(() => {
    try {
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      return true;
    } catch {
      return false;
    }
  }, 10_000);
  return fd;
}
