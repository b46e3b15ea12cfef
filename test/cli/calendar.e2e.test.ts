// cron and calendar timers through the real binary: on whole seconds with lateness reported,
// with a command, --persistent catch-up and refusals, and a run table reloaded with a calendar
// line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, lines, ndjson, timerstack, waitFor } from '../helpers/binary.js';

const S = 1_000_000_000n;
const MS = 1_000_000n;
const ns = (iso: string): bigint => {
  const [whole, frac = ''] = iso.replace(/Z$/, '').split('.');
  return BigInt(Date.parse(`${whole}Z`)) * MS + BigInt((frac + '000000000').slice(0, 9));
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'timerstack-calendar-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calendar timers', () => {
  it("cron '* * * * * *' --count 3 fires on whole seconds, one apart, never early, lateness reported", async () => {
    const r = await timerstack(['cron', '* * * * * *', '--count', '3', '--json'], { timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    const ticks = ndjson(r.stdout);
    expect(ticks.map((t) => t.tick)).toEqual([1, 2, 3]);
    const scheduled = ticks.map((t) => ns(String(t.scheduled)));
    for (const s of scheduled) expect(s % S).toBe(0n);
    expect(scheduled[1]! - scheduled[0]!).toBe(S);
    expect(scheduled[2]! - scheduled[1]!).toBe(S);
    for (const t of ticks) {
      const late = ns(String(t.time)) - ns(String(t.scheduled));
      expect(late >= 0n).toBe(true);
      expect(Math.abs(Number(late) / 1000 - Number(t.lateness_us))).toBeLessThan(1);
      expect(t.scheduled_local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
  });

  it('calendar with a command: each run sees its own whole-second TIMERSTACK_SCHEDULED', async () => {
    const r = await timerstack(['calendar', '*:*:0/1', '--count', '2', '--', 'sh', '-c', 'echo "$TIMERSTACK_TICK $TIMERSTACK_SCHEDULED"'], { timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    const out = lines(r.stdout).map((l) => l.split(' '));
    expect(out.map(([tick]) => tick)).toEqual(['1', '2']);
    expect(ns(out[1]![1]!) - ns(out[0]![1]!)).toBe(S);
  });

  it('--persistent: elapses missed while not running run once at start, reported; the stamp moves on', async () => {
    const stamp = path.join(dir, 'hourly.stamp');
    const threeHoursAgo = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000 + 60_000).toISOString().replace('.000', '');
    writeFileSync(stamp, `${threeHoursAgo}\n`);
    const r = await timerstack(['cron', '0 * * * *', '--tz', 'UTC', '--persistent', stamp, '--for', '300ms', '--json', '--', 'sh', '-c', 'echo "ran $TIMERSTACK_EXPIRATIONS"'], { timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['ran 3']);
    const [catchUp] = ndjson(r.stderr).filter((e) => e.event === 'catch-up');
    expect(catchUp).toMatchObject({ event: 'catch-up', timer: 'timer', missed: 3 });
    const lastFullHour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString().replace('.000', '');
    expect(catchUp!.last).toBe(lastFullHour);
    expect(readFileSync(stamp, 'utf8')).toBe(`${lastFullHour}\n`);
  });

  it('--persistent: nothing missed, nothing run; no stamp yet, nothing run', async () => {
    const stamp = path.join(dir, 'fresh.stamp');
    const r = await timerstack(['cron', '0 0 1 1 *', '--persistent', stamp, '--for', '200ms', '--', 'echo', 'ran'], { timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('--persistent: a corrupt stamp is refused in one line, nothing run', async () => {
    const stamp = path.join(dir, 'corrupt.stamp');
    writeFileSync(stamp, 'last tuesday\n');
    const r = await timerstack(['cron', '* * * * *', '--persistent', stamp, '--', 'echo', 'ran']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/--persistent: ".*corrupt.stamp" does not hold an instant/);
  });

  it('a schedule that never elapses says so and exits 0 at once', async () => {
    const r = await timerstack(['cron', '0 0 30 2 *', '--', 'echo', 'never']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/never elapses \(0 0 30 2 \*\); nothing to do/);
  });

  it('a run table reloaded with a calendar line arms it; crontab lines are checked with the rest', async () => {
    const file = path.join(dir, 'table.txt');
    writeFileSync(file, 'boot: once 0\nkeep: every 10s\n');
    let child: ChildProcess | undefined;
    let out = '';
    const done = timerstack(['run', file, '--json'], {
      onSpawn: (c) => {
        child = c;
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      },
      timeoutMs: 20_000,
    });
    // The table is armed once its first timer has fired.
    await waitFor(() => out.includes('"boot"'), 15_000);
    // The crontab line's command writes nothing: it runs for real when the test crosses a
    // 5-minute boundary, and its output shares timerstack's stdout (an "echo" there broke the
    // NDJSON read below in CI at 10:00:00).
    writeFileSync(file, 'boot: once 0\nkeep: every 10s\nsecond: calendar "*:*:0/1" --count 2\nCRON_TZ=UTC\n*/5 * * * * true\n');
    let err = '';
    child!.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child!.kill('SIGHUP');
    await waitFor(() => ndjson(out).filter((e) => e.timer === 'second').length === 2, 15_000);
    child!.kill('SIGTERM');
    const r = await done;
    expect(r.signal).toBe('SIGTERM');
    expect(ndjson(err).find((e) => e.event === 'reload')).toMatchObject({ kept: 2, added: 2, removed: 0 });
  });
});

describe('run --check with crontab lines', () => {
  it('prints each line\'s next elapse, and MAILTO is noted once', async () => {
    const file = path.join(dir, 'crontab');
    writeFileSync(file, 'MAILTO=root\nCRON_TZ=UTC\n15 3 * * * /usr/bin/backup\n@daily echo hi %input\n');
    const r = await timerstack(['run', file, '--check'], { env: baseEnv({ TZ: 'UTC' }) });
    expect(r.code).toBe(0);
    const plan = lines(r.stdout);
    expect(plan[0]).toMatch(/^line-3: cron on realtime, cron "15 3 \* \* \*" in UTC, first at \d{4}-\d\d-\d\dT03:15:00\+00:00, runs sh -c "\/usr\/bin\/backup"/);
    expect(plan[1]).toMatch(/^line-4: cron on realtime, cron "0 0 \* \* \*" in UTC, first at \d{4}-\d\d-\d\dT00:00:00\+00:00/);
    expect(lines(r.stderr)).toEqual([`timerstack: ${file}:1: MAILTO=root is not supported: timerstack sends no mail (failed runs are reported on stderr)`]);
  });
});
