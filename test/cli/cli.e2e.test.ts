// The timerstack command without a command to run: events, limits, plans, refusals.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, lines, ndjson, timerstack } from '../helpers/binary.js';

describe('once', () => {
  it('once 0 fires at once: one event, exit 0', async () => {
    const r = await timerstack(['once', '0', '--json']);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'tick', timer: 'timer', tick: 1, expirations: 1 });
    expect(r.stderr).toBe('');
  });

  it('once 300ms waits about that long', async () => {
    const r = await timerstack(['once', '300ms']);
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(300);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stdout).toMatch(/timer tick 1/);
  });
});

describe('every', () => {
  it('--count 5 gives ticks 1..5 with the NDJSON fields, then exit 0', async () => {
    const r = await timerstack(['every', '20ms', '--count', '5', '--json']);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    // A late wake-up (a loaded machine) carries several expirations in one event: the ticks
    // add up to 5 however they were grouped.
    expect(events.reduce((n, e) => n + (e.expirations as number), 0)).toBe(5);
    expect(events.at(-1)!.tick).toBe(5);
    for (let i = 1; i < events.length; i++) expect(events[i]!.tick).toBe((events[i - 1]!.tick as number) + (events[i]!.expirations as number));
    for (const e of events) {
      expect(e.timer).toBe('timer');
      expect(typeof e.expirations).toBe('number');
      expect(typeof e.lateness_us).toBe('number');
      expect(Date.parse(e.time as string)).not.toBeNaN();
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    // scheduled times form an exact 20 ms grid (no drift, no re-arming from "now")
    const ns = events.map((e) => BigInt(Date.parse((e.scheduled as string).replace(/\.\d+Z$/, 'Z'))) * 1_000_000n + fracNs(e.scheduled as string));
    for (let i = 1; i < ns.length; i++) expect(ns[i]! - ns[i - 1]!).toBe(20_000_000n * BigInt((events[i]!.tick as number) - (events[i - 1]!.tick as number)));
  });

  it('the first tick comes after one interval; --after 0 makes it come at once', async () => {
    const slow = await timerstack(['every', '400ms', '--count', '1']);
    expect(slow.ms).toBeGreaterThanOrEqual(400);
    // Side by side in one table, armed against one clock reading: the two first deadlines are
    // exactly one interval apart, whatever the start-up cost of either process.
    const r = await timerstack(['run', '-', '--json'], { input: 'slow: every 400ms --count 1\nfast: every 400ms --count 1 --after 0\n' });
    expect(r.code).toBe(0);
    const [first, second] = ndjson(r.stdout);
    expect([first!.timer, second!.timer]).toEqual(['fast', 'slow']);
    const at = (e: Record<string, unknown>) => BigInt(Date.parse((e.scheduled as string).replace(/\.\d+Z$/, 'Z'))) * 1_000_000n + fracNs(e.scheduled as string);
    expect(at(second!) - at(first!)).toBe(400_000_000n);
  });

  it('--for stops after that long', async () => {
    const r = await timerstack(['every', '50ms', '--for', '275ms', '--json']);
    expect(r.code).toBe(0);
    const ticks = ndjson(r.stdout).reduce((n, e) => n + (e.expirations as number), 0);
    expect(ticks).toBe(5);
  });

  it('a slow reader loses nothing: writes block, the kernel counts the ticks, and they add up', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" every 1ms --count 2000 --json | (sleep 1.2; cat)`], {
      env: baseEnv(),
      encoding: 'utf8',
      timeout: 20_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const events = ndjson(r.stdout);
    expect(events.reduce((n, e) => n + (e.expirations as number), 0)).toBe(2000);
    expect(events.at(-1)!.tick).toBe(2000);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.tick).toBe((events[i - 1]!.tick as number) + (events[i]!.expirations as number));
    }
    // the pipe filled while the reader slept: some wake-up carried many expirations
    expect(Math.max(...events.map((e) => e.expirations as number))).toBeGreaterThan(50);
  });

  it('runs with standard input closed', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" every 10ms --count 2 --json <&-; echo "status=$?" >&2`], { env: baseEnv(), encoding: 'utf8' });
    // Both ticks, on one line when a late wake-up carried them together.
    const ticks = ndjson(r.stdout);
    expect(ticks.reduce((n, t) => n + (t.expirations as number), 0)).toBe(2);
    expect(ticks.at(-1)?.tick).toBe(2);
    expect(r.stderr.trim()).toBe('status=0');
  });

  it('--until stops at a wall-clock time: every tick before it, none after', async () => {
    // The end is a wall-clock instant chosen before the spawn: what is checked is derived from
    // the ticks themselves (their grid from the first), not from when the process came up.
    const until = new Date(Date.now() + 2500);
    const r = await timerstack(['every', '100ms', '--until', until.toISOString(), '--json']);
    expect(r.code).toBe(0);
    expect(Date.now()).toBeGreaterThanOrEqual(until.getTime());
    const events = ndjson(r.stdout);
    const ticks = events.reduce((n, e) => n + (e.expirations as number), 0);
    expect(events.at(-1)!.tick).toBe(ticks);
    const ms = (e: Record<string, unknown>) => Date.parse(e.scheduled as string);
    const first = ms(events[0]!) - 100 * ((events[0]!.tick as number) - 1);
    const last = ms(events.at(-1)!);
    // Every deadline of the grid up to the end was counted, and none after it (ms resolution).
    expect(last).toBe(first + 100 * (ticks - 1));
    expect(last).toBeLessThanOrEqual(until.getTime() + 1);
    expect(last + 100).toBeGreaterThan(until.getTime() - 1);
  });

  it('--align fires on whole wall-clock multiples of the interval', async () => {
    const r = await timerstack(['every', '500ms', '--align', '--count', '2', '--json']);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events.map((e) => e.scheduled)).toEqual(events.map((e) => e.scheduled).filter((t) => /:\d\d(\.5)?Z$/.test(t as string)));
    expect(events).toHaveLength(2);
  });

  it.each(['monotonic', 'boottime', 'realtime'])('--clock %s runs', async (clock) => {
    const r = await timerstack(['every', '20ms', '--count', '2', '--clock', clock, '--json']);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout).at(-1)!.tick).toBe(2);
  });

  it('--jitter delays the event by up to that much', async () => {
    // 12 ticks, each acted on after a random delay in [0, 200 ms): its lateness includes it.
    const r = await timerstack(['every', '20ms', '--count', '12', '--jitter', '200ms', '--json']);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events.reduce((n, e) => n + (e.expirations as number), 0)).toBe(12);
    const lateMs = events.map((e) => (e.lateness_us as number) / 1000).sort((a, b) => a - b);
    expect(lateMs[0]).toBeGreaterThanOrEqual(0);
    // Delayed at all: all 12 under 20 ms has a chance of 0.1^12 without load.
    expect(lateMs.at(-1)).toBeGreaterThanOrEqual(20);
    // Up to 200 ms: the median of uniform delays is 100 ms; a loaded machine adds its own lateness
    // to each, but no more than the whole run took beyond the 12 ticks' 240 ms.
    expect(lateMs[lateMs.length >> 1]).toBeLessThan(200 + Math.max(0, r.ms - 240));
    expect(lateMs.at(-1)).toBeLessThan(r.ms);
  });

  it('--name names the timer in events', async () => {
    const r = await timerstack(['every', '10ms', '--count', '2', '--json', '--name', 'beat']);
    expect(ndjson(r.stdout).map((e) => e.timer)).toEqual(['beat', 'beat']);
  });

  it('ends quietly with status 0 when the reader goes away (| head -1)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" every 5ms | head -1; echo "status=\${PIPESTATUS[0]}" >&2`], {
      env: baseEnv(),
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stderr.trim()).toBe('status=0');
  });
});

describe('at', () => {
  it('fires at a wall-clock time a few seconds ahead', async () => {
    // Whole seconds, at least 2 s ahead: still ahead when a loaded machine starts it slowly.
    const target = new Date(Date.now() + 3000);
    target.setMilliseconds(0);
    const iso = target.toISOString();
    const r = await timerstack(['at', iso, '--json']);
    expect(r.code).toBe(0);
    const [event] = ndjson(r.stdout);
    expect(Date.parse(event!.time as string)).toBeGreaterThanOrEqual(target.getTime());
    // Due exactly then; how late it was seen, its own lateness says (ms resolution here).
    expect(event!.scheduled).toBe(iso.replace('.000Z', 'Z'));
    expect(Math.abs(Date.parse(event!.time as string) - target.getTime() - (event!.lateness_us as number) / 1000)).toBeLessThan(2);
  });

  it('refuses a time in the past unless --late run', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const refused = await timerstack(['at', past]);
    expect(refused.code).toBe(125);
    expect(refused.stderr).toMatch(/in the past/);
    expect(refused.stdout).toBe('');
    const ran = await timerstack(['at', past, '--late', 'run', '--json']);
    expect(ran.code).toBe(0);
    expect(ndjson(ran.stdout)).toHaveLength(1);
  });
});

describe('--dry-run plans', () => {
  it('gives value_ns and interval_ns as decimal strings', async () => {
    const r = await timerstack(['every', '1h30m', '--after', '10s', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const [plan] = ndjson(r.stdout);
    expect(plan).toMatchObject({ clock: 'monotonic', value_ns: '10000000000', interval_ns: '5400000000000' });
  });

  it.each([
    ['90', 90_000_000_000n],
    ['0.5', 500_000_000n],
    ['.5s', 500_000_000n],
    ['250ms', 250_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1h 30min', 5_400_000_000_000n],
    ['1min 30s', 90_000_000_000n],
    ['1h15m30.918273645s', 4_530_918_273_645n],
    ['55s500ms', 55_500_000_000n],
    ['1.5m', 90_000_000_000n],
    ['2d', 172_800_000_000_000n],
    ['1w', 604_800_000_000_000n],
    ['10us', 10_000n],
    ['10µs', 10_000n],
    ['7ns', 7n],
    ['3 seconds', 3_000_000_000n],
    ['2 hours', 7_200_000_000_000n],
    ['PT1M30S', 90_000_000_000n],
    ['P1DT2H', 93_600_000_000_000n],
  ])('every %s plans an interval of %s ns', async (text, ns) => {
    const r = await timerstack(['every', text, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const [plan] = ndjson(r.stdout);
    expect(plan!.interval_ns).toBe(String(ns));
    expect(plan!.value_ns).toBe(String(ns));
  });

  it('a plan in text names clock, first expiry, interval and limits', async () => {
    const r = await timerstack(['every', '5s', '--count', '3', '--dry-run']);
    expect(r.stdout).toMatch(/monotonic/);
    expect(r.stdout).toMatch(/first in 5s/);
    expect(r.stdout).toMatch(/every 5s/);
    expect(r.stdout).toMatch(/3 times/);
  });

  it('--align plans the next wall-clock multiple on the realtime clock', async () => {
    const r = await timerstack(['every', '1m', '--align', '--dry-run', '--json']);
    const [plan] = ndjson(r.stdout);
    expect(plan!.clock).toBe('realtime');
    expect(plan!.absolute).toBe(true);
    const at = BigInt(plan!.value_ns as string);
    const offsetNs = BigInt(-new Date().getTimezoneOffset()) * 60_000_000_000n;
    expect((at + offsetNs) % 60_000_000_000n).toBe(0n);
  });
});

describe('refused input: exit 125, one line on stderr, nothing on stdout, nothing armed', () => {
  it.each([
    [[]],
    [['sometimes', '5s']],
    [['every']],
    [['every', '0']],
    [['every', '-5s']],
    [['once', '-1']],
    [['every', '5x']],
    [['every', '1h30']],
    [['every', '1e3']],
    [['every', '0x10']],
    [['every', '1M']],
    [['every', '1y']],
    [['every', '300y']],
    [['every', '9223372037s']],
    [['every', '']],
    [['every', 'x'.repeat(100_000)]],
    [['every', '5s', '--count', '0']],
    [['every', '5s', '--count', '1.5']],
    [['every', '5s', '--count', '-3']],
    [['every', '5s', '--count', 'abc']],
    [['every', '5s', '--bogus']],
    [['every', '5s', '--overlap', 'sometimes']],
    [['every', '5s', '--clock', 'sundial']],
    [['every', '5s', '--timeout', '1s']],
    [['every', '5s', '--overlap', 'queue']],
    [['every', '5s', '--fail-fast']],
    [['once', '1s', '--kill-after', '1s']],
    [['every', '5s', '--']],
    [['every', '5s', '--', '']],
    [['every', '5s', 'echo']],
    [['once', '5s', '--count', '3']],
    [['at', '25:99']],
    [['at', '12:60']],
    [['at', '2026-02-30T00:00']],
    [['at', 'tomorrowish']],
    [['every', '5s', '--for', '-1s']],
    [['every', '5s', '--until', '25:00']],
    [['every', '\u00ff\u0001\u0002\ufffd']],
    [['every', '5s', '--align', '--after', '1s']],
  ])('%j', async (args) => {
    const r = await timerstack(args as string[]);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    const err = lines(r.stderr);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^timerstack: /);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.each([
    ['every', "$'\\xff\\xfe5s'"],
    ['at', "$'\\xc3\\x28'"],
    ['every', "$'5s\\x1b[31m'"],
  ])('invalid UTF-8 and control bytes in %s %s: exit 125, one line', (command, word) => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${command} ${word}`], { env: baseEnv(), encoding: 'utf8' });
    expect(r.status).toBe(125);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\x1b/);
  });

  it('a 100,000-character duration is answered at once', async () => {
    const r = await timerstack(['every', '1'.repeat(100_000) + 's']);
    expect(r.code).toBe(125);
    expect(r.ms).toBeLessThan(3000);
  });
});

describe('colour and terminals', () => {
  it('no colour escapes in a pipe, and none with NO_COLOR even when forced by a terminal', async () => {
    const piped = await timerstack(['once', '0']);
    expect(piped.stdout).not.toMatch(/\x1b\[/);
    const forced = await timerstack(['once', '0'], { env: baseEnv({ FORCE_COLOR: '1' }) });
    expect(forced.stdout).toMatch(/\x1b\[/);
    const no = await timerstack(['once', '0'], { env: baseEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }) });
    expect(no.stdout).not.toMatch(/\x1b\[/);
  });

  it('--color always colours a pipe, over NO_COLOR; --color never keeps a terminal plain; a bad WHEN is refused', async () => {
    const always = await timerstack(['once', '0', '--color=always'], { env: baseEnv({ NO_COLOR: '1' }) });
    expect(always.stdout).toMatch(/\x1b\[\d+m/);
    const never = await timerstack(['once', '0', '--color', 'never'], { env: baseEnv({ FORCE_COLOR: '3' }) });
    expect(never.stdout).not.toMatch(/\x1b\[/);
    const cmd = `"${process.execPath}" "${BIN}" once 0 --color never`;
    const tty = spawnSync('script', ['-qfec', cmd, '/dev/null'], { env: baseEnv({ TERM: 'xterm-256color' }), encoding: 'utf8', timeout: 10_000 });
    expect(tty.stdout).toMatch(/timer tick 1/);
    expect(tty.stdout).not.toMatch(/\x1b\[\d+m/);
    const auto = spawnSync('script', ['-qfec', cmd.replace('never', 'auto'), '/dev/null'], { env: baseEnv({ TERM: 'xterm-256color' }), encoding: 'utf8', timeout: 10_000 });
    expect(auto.stdout).toMatch(/\x1b\[\d+m/);
    const bad = await timerstack(['once', '0', '--color', 'sometimes']);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([125, '', 'timerstack: --color: unknown value "sometimes" (use auto, always or never) (see \'timerstack --help\')\n']);
  });

  it('shows a countdown on a terminal and clears it; nothing of the kind in a pipe', () => {
    const cmd = `"${process.execPath}" "${BIN}" once 700ms`;
    const tty = spawnSync('script', ['-qfec', cmd, '/dev/null'], { env: baseEnv({ TERM: 'xterm' }), encoding: 'utf8', timeout: 10_000 });
    expect(tty.status).toBe(0);
    expect(tty.stdout.replace(/\x1b\[\d+m/g, '')).toMatch(/00:00\.\d left/);
    expect(tty.stdout).toMatch(/\r\x1b\[K/);
    const piped = spawnSync(process.execPath, [BIN, 'once', '300ms'], { env: baseEnv(), encoding: 'utf8' });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).not.toMatch(/left/);
  });
});

describe('the fd budget', () => {
  it.each([20, 21, 22, 24, 32])('with ulimit -n %i: a tick, or one clear line and exit 125 — never a stack trace', (n) => {
    const r = spawnSync('bash', ['-c', `ulimit -n ${n}; "${process.execPath}" "${BIN}" every 10ms --count 1`], { env: baseEnv(), encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0) {
      expect(lines(r.stdout)).toHaveLength(1);
    } else {
      expect(r.status).toBe(125);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^timerstack: .*(EMFILE|too many open files)/);
    }
  });
});

describe('--version', () => {
  it('prints the package version', async () => {
    const r = await timerstack(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

function fracNs(iso: string): bigint {
  const m = /\.(\d+)Z$/.exec(iso);
  return m ? BigInt(m[1]!.padEnd(9, '0')) : 0n;
}
