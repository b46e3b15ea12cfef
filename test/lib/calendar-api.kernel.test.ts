// The library's cron(), calendar() and nextElapses(): real absolute realtime timers, whole-second
// elapses, count and abort, persistent catch-up, and the pure elapse list.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { calendar, cron, nextElapses } from '../../src/lib/calendar-api.js';
import { clockNow } from '../../src/native/clocks.js';
import { CLOCK_REALTIME } from '../../src/native/libc.js';

const S = 1_000_000_000n;
const MS = 1_000_000n;
const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-lib-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cron() and calendar()', () => {
  it("cron('* * * * * *', { count: 2 }) yields two whole-second elapses, one second apart", async () => {
    const start = clockNow(CLOCK_REALTIME);
    const seen: bigint[] = [];
    for await (const ev of cron('* * * * * *', { count: 2, tz: 'UTC' })) {
      expect(ev.time >= ev.scheduled).toBe(true);
      seen.push(ev.scheduled);
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]! % S).toBe(0n);
    expect(seen[0]! > start).toBe(true);
    expect(seen[1]! - seen[0]!).toBe(S);
  });

  it('calendar() stops when the signal aborts, and rejects the pending next()', async () => {
    const ac = new AbortController();
    const it = calendar('*:*:0/1', { signal: ac.signal });
    const first = await it.next();
    expect(first.done).toBe(false);
    const pending = it.next();
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('persistent: a missed elapse is yielded at once, with how many were missed, and stamped', async () => {
    const stamp = path.join(dir, 'lib.stamp');
    const fiveSecondsAgo = new Date(Math.floor(Date.now() / 1000) * 1000 - 5000).toISOString();
    writeFileSync(stamp, `${fiveSecondsAgo.replace('.000', '')}\n`);
    const it = cron('* * * * * *', { tz: 'UTC', persistent: stamp });
    const t0 = clockNow(CLOCK_REALTIME);
    const first = await it.next();
    const t1 = clockNow(CLOCK_REALTIME);
    await it.return!();
    expect(first.done).toBe(false);
    expect(first.value!.expirations).toBeGreaterThanOrEqual(4);
    // at once: due at the moment cron() was called, not at the next whole second after it
    expect(first.value!.scheduled <= t0).toBe(true);
    expect(first.value!.time <= t1).toBe(true);
    expect(readFileSync(stamp, 'utf8').trim()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('refuses a bad expression or zone with a UsageError', () => {
    expect(() => cron('61 * * * *')).toThrow(UsageError);
    expect(() => calendar('daily', { tz: 'Mars/Base' })).toThrow(/unknown time zone "Mars\/Base"/);
    expect(() => cron('* * * * *', { count: 0 })).toThrow(/count must be a positive integer/);
  });
});

describe('nextElapses()', () => {
  it('lists the next elapses strictly after from, in the zone', () => {
    const from = BigInt(Date.parse('2027-03-26T12:00:00Z')) * MS;
    expect(nextElapses('cron', '0 9 * * 1-5', { from, tz: 'Europe/Berlin', count: 2 })).toEqual([
      BigInt(Date.parse('2027-03-29T07:00:00Z')) * MS,
      BigInt(Date.parse('2027-03-30T07:00:00Z')) * MS,
    ]);
    expect(nextElapses('calendar', 'quarterly', { from: '2027-01-15T10:20:30Z', tz: 'Asia/Kolkata', count: 1 })).toEqual([BigInt(Date.parse('2027-03-31T18:30:00Z')) * MS]);
    expect(nextElapses('cron', '0 0 30 2 *')).toEqual([]);
  });
});
