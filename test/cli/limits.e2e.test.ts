// When timers end, through the real binary: --for exact like --count (also with a command), an
// end no tick can reach refused, --until HH:MM today's; sleep's habits (once 1m 30s, infinity)
// and relative times (at now, at +1s).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, lines, ndjson, timerstack } from '../helpers/binary.js';

describe('--for', () => {
  it('every 1ms --for 1s with a command: exactly the 1000 ticks the kernel counted in 1 s', async () => {
    const r = await timerstack(['every', '1ms', '--for', '1s', '--json', '-v', '--', 'true'], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const ticks = ndjson(r.stderr).filter((e) => e.event === 'tick');
    // Runs and missed ticks together: every expiration up to the end, none after it.
    expect(ticks.reduce((n, e) => n + (e.expirations as number), 0)).toBe(1000);
    expect(ticks.at(-1)!.tick).toBe(1000);
  });

  it('every 20ms --for 110ms without a command: exactly 5 ticks, and it ends at 110 ms, not at the 5th', async () => {
    const r = await timerstack(['every', '20ms', '--for', '110ms', '--json']);
    expect(r.code).toBe(0);
    const ticks = ndjson(r.stdout);
    expect(ticks.reduce((n, e) => n + (e.expirations as number), 0)).toBe(5);
    expect(r.ms).toBeGreaterThanOrEqual(110);
  });
});

describe('an end no tick can reach is refused', () => {
  it.each([
    [['every', '1s', '--after', '5s', '--for', '2s'], 'timerstack: --for 2s ends before the first expiration (in 5s): no tick could happen'],
    [['every', '10s', '--until', '+5s'], 'timerstack: --until: "+5s" comes before the first expiration (in 10s): no tick could happen'],
    [['every', '1s', '--until', 'now'], 'timerstack: --until: "now" is in the past'],
  ])('%j', async (args, message) => {
    const r = await timerstack(args);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message} (see 'timerstack --help')\n`);
  });

  it('--until HH:MM that passed today is refused, not taken for tomorrow', async () => {
    // A minute ago, in the local zone (skipped just after midnight, when that was yesterday).
    const ago = new Date(Date.now() - 60_000);
    if (ago.getDate() !== new Date().getDate()) return console.log('skipped: a minute ago was yesterday');
    const hhmm = `${String(ago.getHours()).padStart(2, '0')}:${String(ago.getMinutes()).padStart(2, '0')}`;
    const r = await timerstack(['every', '1s', '--until', hhmm]);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(`timerstack: --until: "${hhmm}" is in the past (see 'timerstack --help')\n`);
  });
});

describe("sleep's habits", () => {
  it('once 0.3 0.2: several durations add up (0.5 s)', async () => {
    const r = await timerstack(['once', '0.3', '0.2', '--json']);
    expect(r.code).toBe(0);
    const [e] = ndjson(r.stdout);
    // Scheduled half a second after it was armed: the event's own lateness says how late.
    expect(r.ms).toBeGreaterThanOrEqual(500);
    expect(e).toMatchObject({ tick: 1, expirations: 1 });
  });

  it('once infinity waits until stopped (SIGTERM: 143), with no countdown and no event', async () => {
    let pid = 0;
    const r = await timerstack(['once', 'infinity'], {
      onSpawn: (child) => {
        pid = child.pid!;
        setTimeout(() => child.kill('SIGTERM'), 500);
      },
    });
    expect(pid).toBeGreaterThan(0);
    expect(r.signal).toBe('SIGTERM');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });

  it('at now fires at once; at +300ms after 300 ms', async () => {
    const now = await timerstack(['at', 'now', '--json']);
    expect(now.code).toBe(0);
    expect(ndjson(now.stdout)).toHaveLength(1);
    const soon = await timerstack(['at', '+300ms', '--json']);
    expect(soon.code).toBe(0);
    const [e] = ndjson(soon.stdout);
    expect(soon.ms).toBeGreaterThanOrEqual(300);
    expect(Date.parse(e!.time as string)).toBeGreaterThanOrEqual(Date.parse(e!.scheduled as string));
  });

  it('at tomorrow 09:00 --dry-run: tomorrow at 09:00 local time, in two words', () => {
    const r = spawnSync(process.execPath, [BIN, 'at', 'tomorrow', '09:00', '--dry-run', '--json'], { env: baseEnv({ TZ: 'Asia/Tokyo' }), encoding: 'utf8' });
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as { first_time: string };
    const first = new Date(plan.first_time);
    // 09:00 in Tokyo is 00:00 UTC, on tomorrow's date there.
    expect(plan.first_time).toMatch(/T00:00:00Z$/);
    const tokyoToday = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const tokyoFirst = new Date(first.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
    expect(Date.parse(tokyoFirst) - Date.parse(tokyoToday)).toBe(86_400_000);
  });

  it('a run table takes them too', async () => {
    const r = await timerstack(['run', '-', '--check'], { input: 'a: once 1m 30s\nb: at tomorrow 09:00\nc: once infinity\n' });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([
      'a: once on monotonic, first in 1m30s, prints events',
      expect.stringMatching(/^b: at on realtime, first at \d{4}-\d\d-\d\d 09:00:00[+-]\d\d:\d\d, prints events$/),
      'c: once on monotonic, never (waits until stopped), prints events',
    ]);
  });
});
