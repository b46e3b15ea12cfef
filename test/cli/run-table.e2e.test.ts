// `timerstack run FILE|-` end to end: tables from files and stdin, --check, refusals with
// FILE:LINE, commands per timer, SIGHUP reloads (kept, changed, added, removed, refused).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ndjson, timerstack, waitFor } from '../helpers/binary.js';
import { holdsTimerfd } from '../helpers/procs.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function tableFile(text: string, name = `t${++files}.txt`): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

type Event = Record<string, unknown> & { timer: string; tick: number };

function ticksOf(events: Event[], timer: string): number[] {
  return events.filter((e) => e.event === 'tick' && e.timer === timer).map((e) => e.tick);
}

function events(stdout: string): Event[] {
  return ndjson(stdout) as Event[];
}

// ns since the epoch of an event's ISO time ("…T15:50:00.123456789Z").
function isoNs(iso: string): bigint {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(iso)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

const TABLE = 'a: every 60ms --count 3\nb: once 80ms\n\n# unnamed\nevery 70ms --count 2\n';

describe('timerstack run', () => {
  it('serves a file table: every timer named in its events, each with its own limits; ends when all are done', async () => {
    const r = await timerstack(['run', tableFile(TABLE), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ev = events(r.stdout);
    expect(ticksOf(ev, 'a')).toEqual([1, 2, 3]);
    expect(ticksOf(ev, 'b')).toEqual([1]);
    expect(ticksOf(ev, 'line-5')).toEqual([1, 2]);
    expect(ev).toHaveLength(6);
  });

  it('reads the table from standard input with -', async () => {
    const r = await timerstack(['run', '-'], { input: TABLE });
    expect(r.code).toBe(0);
    const text = r.stdout.split('\n').filter(Boolean);
    expect(text).toHaveLength(6);
    expect(text.filter((l) => / a tick \d/.test(l))).toHaveLength(3);
    expect(text.some((l) => / line-5 tick 2$/.test(l))).toBe(true);
  });

  it('--check validates and prints the plan without arming anything', async () => {
    const file = tableFile('backup: every 6h --jitter 10m -- ./backup.sh\nheartbeat: every 5s --overlap queue -- curl -fsS http://localhost:8080/ping\nonce 1h\n');
    const text = await timerstack(['run', file, '--check']);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    const plan = text.stdout.trim().split('\n');
    expect(plan).toHaveLength(3);
    expect(plan[0]).toMatch(/^backup: every on monotonic, first in 6h, then every 6h, jitter up to 10m, runs "\.\/backup\.sh", overlap skip$/);
    expect(plan[1]).toMatch(/^heartbeat: .*overlap queue/);
    expect(plan[2]).toMatch(/^line-3: once/);
    const json = await timerstack(['run', '-', '--check', '--json'], { input: 'x: every 1s --count 5\n' });
    expect(json.code).toBe(0);
    expect(ndjson(json.stdout)).toEqual([expect.objectContaining({ timer: 'x', kind: 'every', interval_ns: '1000000000', count: 5 })]);
  });

  it.each([
    ['a bad unit', 'tick: every 1s\nbad: every 5x\n', 'timers.txt:2: unknown unit "x" in "5x"'],
    ['a duplicate name', 'a: every 1s\n\na: once 2s\n', 'timers.txt:3: duplicate name "a" (first on line 1)'],
    ['a process option in a line', 'a: every 1s --json\n', 'timers.txt:1: option --json belongs on the command line, not in a table line'],
    ['an unterminated quote', "a: every 1s -- echo 'hi\n", 'timers.txt:1: unterminated single quote'],
    ['an empty table', '# nothing here\n', 'no timers in timers.txt'],
    ['binary junk', '\x7fELF\x02\x01\x01\0\0\0', 'timers.txt:1: control character'],
  ])('refuses %s before arming anything: exit 125 naming the file and line', async (_what, text, message) => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    writeFileSync(path.join(cwd, 'timers.txt'), text);
    const r = await timerstack(['run', 'timers.txt'], { cwd });
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`timerstack: ${message}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses bad stdin as "stdin", a missing file, and a missing FILE', async () => {
    const stdin = await timerstack(['run', '-'], { input: 'every 1s\nevery soon\n' });
    expect(stdin.code).toBe(125);
    expect(stdin.stderr).toContain('stdin:2: ');
    const junk = await timerstack(['run', '-'], { input: Buffer.from([0x61, 0x0a, 0xff, 0xfe]).toString('latin1') });
    expect(junk.code).toBe(125);
    const missing = await timerstack(['run', path.join(dir, 'nope.txt')]);
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain(`cannot read ${path.join(dir, 'nope.txt')}: no such file`);
    const none = await timerstack(['run']);
    expect(none.code).toBe(125);
    expect(none.stderr).toContain('run: missing FILE');
  });

  it('runs each timer\'s own command with its own name and tick', async () => {
    const file = tableFile(
      'a: once 20ms -- sh -c \'echo "$TIMERSTACK_TIMER $TIMERSTACK_TICK"\'\n' +
        'b: every 150ms --count 2 -- sh -c "echo \\"\\$TIMERSTACK_TIMER \\$TIMERSTACK_TICK\\""\n',
    );
    const r = await timerstack(['run', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['a 1', 'b 1', 'b 2']);
  });

  it('relays SIGTERM to every running command and ends by it', async () => {
    const file = tableFile('a: once 0 -- sleep 30\nb: once 0 -- sleep 30\nc: every 100ms\n');
    const r = await timerstack(['run', file], {
      onSpawn: (child) => setTimeout(() => child.kill('SIGTERM'), 700),
    });
    expect(r.signal).toBe('SIGTERM');
    expect(r.ms).toBeLessThan(8000);
  });

  it('SIGUSR1 prints the state of every timer', async () => {
    const file = tableFile('first: every 100ms\nsecond: every 1h\n');
    let child: ChildProcess | undefined;
    let stderr = '';
    const done = timerstack(['run', file], {
      onSpawn: (c) => {
        child = c;
        c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      },
    });
    await waitFor(() => child !== undefined);
    await waitFor(() => holdsTimerfd(child!.pid!), 10_000);
    child!.kill('SIGUSR1');
    await waitFor(() => /second:/.test(stderr));
    child!.kill('SIGINT');
    const r = await done;
    expect(r.signal).toBe('SIGINT');
    expect(r.stderr).toMatch(/first: tick \d+/);
    expect(r.stderr).toMatch(/second: tick 0, .*every 1h/);
  });

  it('SIGHUP stops a table read from stdin, as for single timers', async () => {
    const r = await timerstack(['run', '-'], {
      input: 'a: every 100ms\n',
      onSpawn: (child) => setTimeout(() => child.kill('SIGHUP'), 600),
    });
    expect(r.signal).toBe('SIGHUP');
  });

  it('SIGHUP re-reads the file: unchanged timers undisturbed, changed re-armed, the rest added or removed; a bad table is refused', async () => {
    const file = tableFile('a: every 100ms\nb: every 100ms\nc: every 100ms\n');
    let child: ChildProcess | undefined;
    let out = '';
    let err = '';
    const done = timerstack(['run', file, '--json'], {
      timeoutMs: 20_000,
      onSpawn: (c) => {
        child = c;
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      },
    });
    const count = (timer: string) => ticksOf(events(out.slice(0, out.lastIndexOf('\n') + 1)), timer).length;
    await waitFor(() => count('a') >= 2 && count('b') >= 2 && count('c') >= 2, 10_000);

    writeFileSync(file, 'a:   every 100ms   # the same words\nb: every 150ms\nd: every 100ms\n');
    child!.kill('SIGHUP');
    await waitFor(() => err.includes('"event":"reload"'), 10_000);
    const cAtReload = count('c');
    await waitFor(() => count('d') >= 3, 10_000);

    writeFileSync(file, 'a: every 100ms\nb: every 5x\ne: every 100ms\n');
    child!.kill('SIGHUP');
    await waitFor(() => err.includes('reload-refused'), 10_000);
    const dAtRefusal = count('d');
    await waitFor(() => count('d') >= dAtRefusal + 2, 10_000);
    child!.kill('SIGTERM');
    const r = await done;
    expect(r.signal).toBe('SIGTERM');

    const diag = ndjson(r.stderr);
    expect(diag[0]).toEqual({ event: 'reload', time: expect.stringMatching(ISO), file, kept: 1, changed: 1, added: 1, removed: 1 });
    expect(diag[1]).toEqual({ event: 'reload-refused', time: expect.stringMatching(ISO), file, error: `${file}:2: unknown unit "x" in "5x"` });
    expect(diag).toHaveLength(2);

    const ev = events(r.stdout);
    // a: never re-armed — ticks count on, on the same 100 ms grid from before the reload.
    const a = ev.filter((e) => e.timer === 'a');
    expect(a.map((e) => e.tick)).toEqual(a.map((_, i) => i + 1));
    const grid = a.map((e) => isoNs(e.scheduled as string));
    for (let i = 1; i < grid.length; i++) expect(grid[i]! - grid[i - 1]!).toBe(100_000_000n);
    // b: changed, so armed afresh (its ticks start again at 1, now 150 ms apart).
    const b = ticksOf(ev, 'b');
    const restart = b.indexOf(1, 1);
    expect(restart).toBeGreaterThan(0);
    expect(b.slice(restart)).toEqual(b.slice(restart).map((_, i) => i + 1));
    // c: removed (at most a tick in flight after the reload); d: added; e: never (refused).
    expect(ticksOf(ev, 'c').length).toBeLessThanOrEqual(cAtReload + 1);
    expect(ticksOf(ev, 'd').length).toBeGreaterThanOrEqual(dAtRefusal + 2);
    expect(ticksOf(ev, 'e')).toEqual([]);
  });

  it('a timer removed by a reload lets its running command finish', async () => {
    const file = tableFile("slow: once 0 -- sh -c 'echo slow started; sleep 0.5; echo slow finished'\nkeep: every 100ms --count 30 -- true\n");
    let child: ChildProcess | undefined;
    let out = '';
    const done = timerstack(['run', file], {
      onSpawn: (c) => {
        child = c;
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      },
    });
    // The reload comes while slow runs (not before the first table was read).
    await waitFor(() => out.includes('slow started'), 10_000);
    writeFileSync(file, 'keep: every 100ms --count 30 -- true\n');
    child!.kill('SIGHUP');
    await waitFor(() => out.includes('slow finished'), 10_000);
    child!.kill('SIGTERM');
    const r = await done;
    expect(r.stderr).toContain('reloaded');
    expect(r.stderr).toContain('0 added, 1 removed');
  });

  it('a removed timer\'s jittered tick, not yet run, does not hold up the end', async () => {
    const file = tableFile('late: once 10ms --jitter 1h -- echo never\nb: every 100ms --count 6\n');
    let child: ChildProcess | undefined;
    let out = '';
    const done = timerstack(['run', file], { onSpawn: (c) => ((child = c), c.stdout!.on('data', (d: Buffer) => (out += d.toString()))) });
    // The first table is armed once b ticks.
    await waitFor(() => out.includes(' b tick 1'), 10_000);
    writeFileSync(file, 'b: every 100ms --count 6\n');
    child!.kill('SIGHUP');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('never');
    expect(r.stderr).toContain('1 kept, 0 changed, 0 added, 1 removed');
  });

  it('a reload may add a command to a table that had none, and ends when the new timers are done', async () => {
    const file = tableFile('a: every 100ms --count 5\n');
    let child: ChildProcess | undefined;
    let err = '';
    let out = '';
    const done = timerstack(['run', file], {
      onSpawn: (c) => {
        child = c;
        c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      },
    });
    await waitFor(() => out.includes(' a tick 1'), 10_000);
    writeFileSync(file, 'a: every 100ms --count 5\nb: once 100ms -- sh -c "echo from b"\n');
    child!.kill('SIGHUP');
    const r = await done;
    expect(err).toContain('1 kept, 0 changed, 1 added, 0 removed');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('from b');
    expect(r.stdout.match(/ a tick \d/g)).toHaveLength(5);
  });
});
