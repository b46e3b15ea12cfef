// What reaches the terminal and the logs, through the real binary: names refused alike on the
// command line and in tables, words that are not UTF-8, at's clocks, local plans, the state
// line, failure lines that say things once, -q, run -n, and event stamps that agree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, lines, ndjson, timerstack, waitFor } from '../helpers/binary.js';
import { holdsTimerfd } from '../helpers/procs.js';

const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-messages-'));

// An ISO 8601 UTC instant with up to nine fractional digits, as ns.
function ns(iso: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

describe('names: one rule for the command line and tables', () => {
  it.each([['a:b'], ['my timer'], ['\x1b[31m'], ['tab\there']])('%j is refused in both, with the same clear message', async (name) => {
    const cli = await timerstack(['every', '1s', '--name', name]);
    const table = await timerstack(['run', '-', '--check'], { input: `every 1s --name '${name}'\n` });
    for (const r of [cli, table]) {
      expect(r.code).toBe(125);
      expect(lines(r.stderr)).toHaveLength(1);
      // A table line refuses an escape character anywhere in it, before it looks at the name.
      if (r === table && name.includes('\x1b')) {
        expect(r.stderr).toContain('stdin:1: control character U+001B');
        continue;
      }
      expect(r.stderr).toContain('--name: bad timer name');
      expect(r.stderr).toContain('(use letters, digits, "_", "." and "-")');
      // Never the raw escape on the terminal.
      expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    }
  });

  it('a name that is fine on the command line is fine in a table', async () => {
    const cli = await timerstack(['every', '1s', '--name', 'web-1.ünï_x', '--dry-run']);
    const table = await timerstack(['run', '-', '--check'], { input: 'web-1.ünï_x: every 1s\n' });
    expect(cli.stdout).toBe(table.stdout);
    expect(cli.stdout).toMatch(/^web-1\.ünï_x: every/);
  });
});

describe('words that are not UTF-8', () => {
  it("once 0 -- touch $'f\\xe9.txt': refused in one line, nothing run", () => {
    const r = spawnSync('bash', ['-c', `cd "${dir}" && "${process.execPath}" "${BIN}" once 0 -- touch $'f\\xe9.txt'; echo "status=$?" >&2; ls`], { env: baseEnv(), encoding: 'utf8' });
    expect(lines(r.stderr)).toEqual(['timerstack: argument 5 is not UTF-8 text: "f\ufffd.txt" (timerstack cannot pass such bytes on unchanged) (see \'timerstack --help\')', 'status=125']);
    expect(r.stdout).not.toMatch(/\.txt/);
  });

  it('a U+FFFD that was typed is passed on as it is', () => {
    const r = spawnSync(process.execPath, [BIN, 'once', '0', '--', 'echo', 'a\ufffdb'], { env: baseEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('a\ufffdb\n');
  });
});

describe('help, plans and states', () => {
  it('at --help offers only the clocks at accepts', async () => {
    const r = await timerstack(['at', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('[choices: "realtime", "realtime-alarm"]');
    expect(r.stdout).not.toMatch(/"monotonic"|"boottime"/);
  });

  it('a plan prints local time with its offset; --json keeps UTC', () => {
    const run = (json: string[]) => spawnSync(process.execPath, [BIN, 'at', '2030-06-01T12:00:00Z', '--dry-run', ...json], { env: baseEnv({ TZ: 'America/New_York' }), encoding: 'utf8' });
    expect(run([]).stdout).toBe('timer: at on realtime, first at 2030-06-01 08:00:00-04:00, prints events\n');
    expect(JSON.parse(run(['--json']).stdout)).toMatchObject({ first_time: '2030-06-01T12:00:00Z' });
  });

  it('the SIGUSR1 state line says the time left in seconds', async () => {
    let err = '';
    const r = await timerstack(['every', '1h', '--name', 'web'], {
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        void (async () => {
          // Wait until it is armed (before Node runs timerstack's code, SIGUSR1 is Node's own).
          await waitFor(() => holdsTimerfd(child.pid!), 10_000);
          child.kill('SIGUSR1');
          await waitFor(() => err.includes('next in'));
          child.kill('SIGTERM');
        })();
      },
    });
    expect(r.signal).toBe('SIGTERM');
    expect(r.stderr).toMatch(/^timerstack: web: tick 0, 0 skipped, 0 running, next in \d{4}\.\d{3} s, every 1h\n$/);
  });
});

describe('failed runs', () => {
  it('say their status once: "exit 1 after …"', async () => {
    const r = await timerstack(['every', '10ms', '--count', '1', '--', 'false']);
    expect(r.stderr).toMatch(/^timerstack: timer tick 1: exit 1 after \d+ms\n$/);
  });

  it('with -q, a failed run is not reported: the status speaks', async () => {
    const r = await timerstack(['once', '0', '-q', '--', 'sh', '-c', 'exit 3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('');
  });
});

describe('run -n', () => {
  it('means --check', async () => {
    const file = path.join(dir, 'timers.txt');
    writeFileSync(file, 'a: every 5s\n');
    const n = await timerstack(['run', file, '-n']);
    const check = await timerstack(['run', file, '--check']);
    expect(n.code).toBe(0);
    expect(n.stdout).toBe(check.stdout);
    expect(n.stdout).toBe('a: every on monotonic, first in 5s, then every 5s, prints events\n');
  });
});

describe('event stamps', () => {
  it("a tick's time and lateness agree when another timer's command starts in the same wake-up", async () => {
    // b's command starts first in each wake-up; a's deadlines are 1 ns later (its own timerfd).
    const r = await timerstack(['run', '-', '--json'], { input: 'b: every 50ms --count 12 -- true\na: every 50000001ns --count 12\n', timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    const ticks = ndjson(r.stdout).filter((e) => e.timer === 'a');
    expect(ticks.length).toBeGreaterThan(0);
    for (const e of ticks) {
      const wallLatenessUs = Number(ns(e.time as string) - ns(e.scheduled as string)) / 1000;
      expect(Math.abs(wallLatenessUs - (e.lateness_us as number))).toBeLessThan(1000);
    }
  });

  it('with --jitter, the time is when the event was acted on (its lateness includes the jitter)', async () => {
    // Each line's arrival at this reader, against its stamp and its due time.
    const arrivals: Array<{ line: string; atNs: bigint }> = [];
    let partial = '';
    const r = await timerstack(['every', '50ms', '--count', '8', '--jitter', '40ms', '--json'], {
      onSpawn: (child) =>
        child.stdout!.on('data', (d: Buffer) => {
          const atNs = BigInt(Date.now()) * 1_000_000n;
          const parts = (partial + d.toString()).split('\n');
          partial = parts.pop()!;
          for (const line of parts) arrivals.push({ line, atNs });
        }),
    });
    expect(r.code).toBe(0);
    const lag: number[] = [];
    const late: number[] = [];
    for (const { line, atNs } of arrivals) {
      const e = JSON.parse(line) as { time: string; scheduled: string; lateness_us: number };
      const wallLatenessUs = Number(ns(e.time) - ns(e.scheduled)) / 1000;
      expect(Math.abs(wallLatenessUs - e.lateness_us)).toBeLessThan(1000);
      lag.push(Number(atNs - ns(e.time)) / 1e6);
      late.push(wallLatenessUs / 1000);
    }
    // Stamped when written, after the jitter: it reaches the reader sooner after its time than
    // its time came after its due time (the random delay, up to 40 ms).
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
    expect(median(lag)).toBeLessThan(median(late));
  });
});
