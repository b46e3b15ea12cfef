import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DEFAULT_KILL_AFTER_NS, alignedDelay, buildSpec, type SpecContext, type TimerSpec } from '../../src/kinds/spec.js';
import { parseWords } from '../../src/grammar/words.js';
import { refusalOf } from '../helpers/refusal.js';

const MS = 1_000_000n;
const S = 1_000_000_000n;
const M = 60n * S;
const H = 60n * M;
const D = 24n * H;

// An ISO 8601 UTC string (whole ms) as nanoseconds since the epoch.
const at = (iso: string): bigint => BigInt(Date.parse(iso)) * MS;

const NOW = at('2026-01-15T12:00:30Z');
const CTX: SpecContext = { nowNs: NOW, utcOffsetNs: 0n, defaultName: 'timer' };

function spec(words: string[], ctx: Partial<SpecContext> = {}): TimerSpec {
  return buildSpec(parseWords(words), { ...CTX, ...ctx });
}

// The error buildSpec threw, checked to be a one-line UsageError.
function refusal(words: string[], ctx: Partial<SpecContext> = {}): UsageError {
  return refusalOf(() => spec(words, ctx));
}

// What every spec has unless an option says otherwise.
const DEFAULTS = {
  name: 'timer',
  jitterNs: 0n,
  overlap: 'skip',
  killAfterNs: DEFAULT_KILL_AFTER_NS,
  shell: false,
  failFast: false,
} as const;

describe('buildSpec: once', () => {
  it.each<[string[], Partial<TimerSpec>]>([
    [['once', '5s'], { kind: 'once', clock: 'monotonic', delayNs: 5n * S, intervalNs: 0n }],
    [['once', '0'], { delayNs: 0n }],
    [['once', 'PT1H30M'], { delayNs: H + 30n * M }],
    [['once', '250ms', '--clock', 'boottime'], { clock: 'boottime', delayNs: 250n * MS }],
    // a relative wait on a wall clock stays relative
    [['once', '5s', '--clock', 'realtime'], { clock: 'realtime', delayNs: 5n * S }],
    [['once', '5s', '--jitter', '1s'], { jitterNs: S }],
    [['once', '5s', '--name', 'tea'], { name: 'tea' }],
    [['once', '5s', '--', 'notify-send', 'tea'], { command: ['notify-send', 'tea'] }],
    [['once', '5s', '--timeout', '3s', '--', 'x'], { timeoutNs: 3n * S, killAfterNs: DEFAULT_KILL_AFTER_NS }],
    [['once', '5s', '--timeout', '3s', '--kill-after', '0', '--', 'x'], { timeoutNs: 3n * S, killAfterNs: 0n }],
    [['once', '5s', '--shell', '--', 'echo $HOME'], { shell: true, command: ['echo $HOME'] }],
    // several durations add up, as with GNU sleep; a bare number in them is seconds
    [['once', '1m', '30s'], { delayNs: 90n * S }],
    [['once', '1h', '30', '0.5'], { delayNs: H + 30n * S + 500n * MS }],
    [['once', '1m', '--name', 'tea', '30s', '--', 'x'], { delayNs: 90n * S, name: 'tea' }],
  ])('%j', (words, expected) => {
    const s = spec(words);
    expect(s).toMatchObject({ ...DEFAULTS, ...expected });
    expect(s.atNs).toBeUndefined();
  });

  it('is exactly this object for `once 5s`', () => {
    expect(spec(['once', '5s'])).toEqual({ ...DEFAULTS, kind: 'once', clock: 'monotonic', delayNs: 5n * S, intervalNs: 0n });
  });

  it('uses the context default name', () => {
    expect(spec(['once', '5s'], { defaultName: 'backup' }).name).toBe('backup');
  });

  it.each([['infinity'], ['inf'], ['Infinity'], ['1m', 'infinity']])('%j never expires', (...words) => {
    const s = spec(['once', ...words]);
    expect(s).toMatchObject({ kind: 'once', forever: true });
    expect(s.delayNs).toBeUndefined();
  });
});

describe('buildSpec: every', () => {
  it.each<[string[], Partial<TimerSpec>]>([
    // the first expiration after one interval, unless --after says otherwise
    [['every', '5s'], { kind: 'every', clock: 'monotonic', delayNs: 5n * S, intervalNs: 5n * S }],
    [['every', '1h30m', '--after', '10s'], { delayNs: 10n * S, intervalNs: H + 30n * M }],
    [['every', '5s', '--after', '0'], { delayNs: 0n, intervalNs: 5n * S }],
    // limits
    [['every', '5s', '--count', '3'], { count: 3 }],
    [['every', '5s', '--for', '1m'], { forNs: M }],
    [['every', '5s', '--until', '2026-01-15T13:00:00Z'], { untilNs: at('2026-01-15T13:00:00Z') }],
    [['every', '5s', '--until', '@1768478435.5'], { untilNs: NOW + 5500n * MS }],
    [['every', '5s', '--count', '3', '--for', '1m', '--until', '2026-01-16T00:00:00Z'], { count: 3, forNs: M, untilNs: at('2026-01-16T00:00:00Z') }],
    // runs
    [['every', '5s', '--overlap', 'queue', '--', 'x'], { overlap: 'queue', command: ['x'] }],
    [['every', '5s', '--fail-fast', '--', 'x'], { failFast: true }],
    [['every', '5s', '--jitter', '500ms'], { jitterNs: 500n * MS }],
    [['every', '5s', '--clock', 'boottime-alarm'], { clock: 'boottime-alarm', delayNs: 5n * S }],
    // the process options of a command
    [['every', '5s', '--keep-going', '--', 'x'], { keepGoing: true }],
    [['every', '5s', '--foreground', '--', 'x'], { foreground: true }],
    [['every', '5s', '--chdir', '/srv', '--', 'x'], { chdir: '/srv' }],
    [['every', '5s', '--lock', 'l.lock', '--', 'x'], { lock: 'l.lock' }],
    [['every', '5s', '--env', 'A=1', '--env', 'B=x=y', '--env', 'A=', '--', 'x'], { env: { A: '', B: 'x=y' } }],
    [['every', '5s', '--timeout', '1s', '-s', 'INT', '--', 'x'], { timeoutSignal: 'SIGINT' }],
    [['every', '5s', '--timeout', '1s', '--signal', 'sighup', '--', 'x'], { timeoutSignal: 'SIGHUP' }],
    [['every', '5s', '--timeout', '1s', '-s9', '--', 'x'], { timeoutSignal: 'SIGKILL' }],
  ])('%j', (words, expected) => {
    const s = spec(words);
    expect(s).toMatchObject({ ...DEFAULTS, ...expected });
    expect(s.atNs).toBeUndefined();
  });

  it('leaves limits out when not given', () => {
    const s = spec(['every', '5s']);
    expect(s).not.toHaveProperty('count');
    expect(s).not.toHaveProperty('forNs');
    expect(s).not.toHaveProperty('untilNs');
    expect(s).not.toHaveProperty('command');
    expect(s).not.toHaveProperty('timeoutNs');
  });
});

describe('buildSpec: every --align', () => {
  it.each<[string, bigint, string[], Partial<TimerSpec>]>([
    // the next wall-clock multiple, on the realtime clock by default, as an absolute instant
    ['12:00:30Z', 0n, ['every', '1m'], { clock: 'realtime', atNs: at('2026-01-15T12:01:00Z') }],
    ['12:00:30Z', 0n, ['every', '1h'], { clock: 'realtime', atNs: at('2026-01-15T13:00:00Z') }],
    ['12:00:30Z', 0n, ['every', '15s'], { clock: 'realtime', atNs: at('2026-01-15T12:00:45Z') }],
    ['12:00:30Z', 0n, ['every', '1d'], { clock: 'realtime', atNs: at('2026-01-16T00:00:00Z') }],
    // strictly after now: on a boundary, the next one
    ['12:01:00Z', 0n, ['every', '1m'], { atNs: at('2026-01-15T12:02:00Z') }],
    // local hours: 12:00:30Z is 17:30:30 at +05:30, so the next local hour is 18:00 = 12:30Z
    ['12:00:30Z', 5n * H + 30n * M, ['every', '1h'], { atNs: at('2026-01-15T12:30:00Z') }],
    // local midnight at -08:00 is 08:00Z: days follow the zone's calendar (--tz, else TZ)
    ['12:00:30Z', -8n * H, ['every', '1d', '--tz', 'America/Los_Angeles'], { atNs: at('2026-01-16T08:00:00Z') }],
    // a minute does not care for a whole-hour offset
    ['12:00:30Z', 3n * H, ['every', '1m'], { atNs: at('2026-01-15T12:01:00Z') }],
    // realtime-alarm keeps its clock and the absolute instant
    ['12:00:30Z', 0n, ['every', '1m', '--clock', 'realtime-alarm'], { clock: 'realtime-alarm', atNs: at('2026-01-15T12:01:00Z') }],
    ['12:00:30Z', 0n, ['every', '1m', '--clock', 'realtime'], { clock: 'realtime', atNs: at('2026-01-15T12:01:00Z') }],
  ])('at %s, offset %s ns: %j', (now, offset, words, expected) => {
    const s = spec([...words, '--align'], { nowNs: at(`2026-01-15T${now}`), utcOffsetNs: offset });
    expect(s).toMatchObject({ intervalNs: expect.any(BigInt), ...expected });
    expect(s.delayNs).toBeUndefined();
  });

  it.each<[string]>([['monotonic'], ['boottime'], ['boottime-alarm']])(
    'on --clock %s, is the same alignment as a relative delay',
    (clock) => {
      const s = spec(['every', '1m', '--align', '--clock', clock]);
      expect(s).toMatchObject({ clock, delayNs: 30n * S, intervalNs: M });
      expect(s.atNs).toBeUndefined();
    },
  );
});

describe('alignedDelay', () => {
  it.each<[bigint, bigint, bigint, bigint]>([
    [0n, 0n, M, M],
    [1n, 0n, M, M - 1n],
    [M - 1n, 0n, M, 1n],
    [M, 0n, M, M],
    [90n * S, 0n, M, 30n * S],
    // the offset moves the grid
    [0n, 30n * S, M, 30n * S],
    [0n, -30n * S, M, 30n * S],
    [0n, -1n, M, 1n],
    [at('2026-01-15T12:00:30Z'), 5n * H + 30n * M, H, 29n * M + 30n * S],
    // a grid that does not divide the day still counts from the local epoch
    [7n * S, 0n, 7n * S, 7n * S],
    [8n * S, 0n, 7n * S, 6n * S],
    [1n, 0n, 1n, 1n],
  ])('alignedDelay(%s, %s, %s) = %s', (now, offset, interval, expected) => {
    expect(alignedDelay(now, offset, interval)).toBe(expected);
  });

  it('is always in (0, interval]', () => {
    for (let now = -50n; now < 50n; now++) {
      for (const offset of [-7n, 0n, 3n]) {
        const d = alignedDelay(now, offset, 7n);
        expect(d > 0n && d <= 7n).toBe(true);
        expect((now + offset + d) % 7n).toBe(0n);
      }
    }
  });
});

describe('buildSpec: at', () => {
  it.each<[string[], Partial<TimerSpec>]>([
    [['at', '2026-01-15T18:00:00Z'], { kind: 'at', clock: 'realtime', atNs: at('2026-01-15T18:00:00Z'), intervalNs: 0n }],
    [['at', '2026-01-15T18:00:00+05:30'], { atNs: at('2026-01-15T12:30:00Z') }],
    [['at', '@1768478431.25'], { atNs: NOW + 1250n * MS }],
    [['at', '2026-01-15T18:00:00Z', '--clock', 'realtime-alarm'], { clock: 'realtime-alarm' }],
    // --late run with a future time changes nothing
    [['at', '2026-01-15T18:00:00Z', '--late', 'run'], { atNs: at('2026-01-15T18:00:00Z') }],
    [['at', '2026-01-15T18:00:00Z', '--', 'date'], { command: ['date'] }],
  ])('%j', (words, expected) => {
    const s = spec(words);
    expect(s).toMatchObject({ ...DEFAULTS, ...expected });
    expect(s.delayNs).toBeUndefined();
  });

  it.each<[string]>([['2026-01-15T12:00:00Z'], ['2026-01-15T12:00:30Z'], ['@0']])(
    'runs %s (not in the future) at once with --late run',
    (time) => {
      const s = spec(['at', time, '--late', 'run']);
      expect(s).toMatchObject({ kind: 'at', clock: 'realtime', delayNs: 0n });
      expect(s.atNs).toBeUndefined();
    },
  );

  it('is due 1 ns after now', () => {
    expect(spec(['at', '@1768478430.000000001']).atNs).toBe(NOW + 1n);
  });

  it.each<[string[], Partial<TimerSpec>]>([
    // now is not late: at once
    [['at', 'now'], { delayNs: 0n }],
    [['at', '+0'], { delayNs: 0n }],
    [['at', '+5m'], { atNs: NOW + 5n * M }],
    // two words: tomorrow HH:MM, or a date and a time (CTX is UTC)
    [['at', 'tomorrow', '09:00'], { atNs: at('2026-01-16T09:00:00Z') }],
    [['at', 'today', '18:00'], { atNs: at('2026-01-15T18:00:00Z') }],
    [['at', '2026-01-15', '18:00'], { atNs: at('2026-01-15T18:00:00Z') }],
  ])('%j', (words, expected) => {
    expect(spec(words, { utcOffsetNs: 0n })).toMatchObject(expected);
  });
});

describe('buildSpec refuses', () => {
  it.each<[string[], string | RegExp]>([
    // the positional
    [['once'], 'once: missing DURATION'],
    [['every'], 'every: missing INTERVAL'],
    [['at'], 'at: missing TIME'],
    [['once', 'soon'], /^DURATION: /],
    [['once', '-5s'], 'DURATION: negative durations are not allowed: "-5s"'],
    [['every', '0'], 'INTERVAL: must be greater than 0 (got "0")'],
    [['every', 'PT0S'], 'INTERVAL: must be greater than 0 (got "PT0S")'],
    [['every', '5x'], 'INTERVAL: unknown unit "x" in "5x"'],
    [['at', 'noon'], /^TIME: not a time /],
    [['at', '25:00'], /^TIME: hour 25 out of range/],
    // a time already past
    [['at', '2026-01-15T12:00:00Z'], 'TIME: "2026-01-15T12:00:00Z" is in the past (use --late run to run now)'],
    [['at', '2026-01-15T12:00:30Z'], /^TIME: .* is in the past/],
    [['at', '2026-01-15T12:00:00Z', '--late', 'error'], /^TIME: .* is in the past/],
    [['at', '2026-01-15T18:00:00Z', '--late', 'never'], '--late: unknown policy "never" (use error or run)'],
    // clocks
    [['at', '2026-01-15T18:00:00Z', '--clock', 'monotonic'], '--clock: at needs a wall clock (realtime or realtime-alarm), not monotonic'],
    [['at', '2026-01-15T18:00:00Z', '--clock', 'boottime'], /^--clock: at needs a wall clock/],
    [['at', '2026-01-15T18:00:00Z', '--clock', 'boottime-alarm'], /^--clock: at needs a wall clock/],
    [['every', '5s', '--clock', 'tai'], /^--clock: unknown clock "tai" \(use monotonic, /],
    [['once', '5s', '--clock', 'Monotonic'], /^--clock: unknown clock "Monotonic"/],
    // durations of options name the option
    [['every', '5s', '--after', 'soon'], /^--after: /],
    [['every', '5s', '--after', '-1s'], '--after: negative durations are not allowed: "-1s"'],
    [['every', '5s', '--for', '0'], '--for: must be greater than 0'],
    [['every', '5s', '--for', '1y'], /^--for: months and years/],
    [['every', '5s', '--jitter', 'x'], /^--jitter: /],
    [['once', '5s', '--kill-after', '1', '--timeout', '1x', '--', 'x'], /^--(timeout|kill-after): /],
    [['once', '5s', '--kill-after', 'x', '--', 'x'], /^--kill-after: /],
    [['once', '5s', '--timeout', '0', '--', 'x'], '--timeout: must be greater than 0'],
    // --until
    [['every', '5s', '--until', 'later'], /^--until: not a time /],
    [['every', '5s', '--until', '2026-01-15T12:00:30Z'], '--until: "2026-01-15T12:00:30Z" is in the past'],
    [['every', '5s', '--until', '2026-01-14T00:00:00Z'], /^--until: .* is in the past$/],
    [['every', '5s', '--until', 'now'], '--until: "now" is in the past'],
    // no tick can happen before the end
    [['every', '1s', '--after', '5s', '--for', '2s'], '--for 2s ends before the first expiration (in 5s): no tick could happen'],
    [['every', '10s', '--for', '9s'], '--for 9s ends before the first expiration (in 10s): no tick could happen'],
    [['every', '10s', '--until', '+5s'], '--until: "+5s" comes before the first expiration (in 10s): no tick could happen'],
    // several words only where they add up or make one time
    [['every', '1m', '30s'], 'unexpected argument "30s" (put a command after --)'],
    [['once', '5s', 'echo', 'hi'], 'unexpected argument "echo" (put a command after --)'],
    [['once', '1m', '3x'], 'DURATION: unknown unit "x" in "3x"'],
    [['at', '2026-01-15T18:00:00Z', 'date'], 'unexpected argument "date" (put a command after --)'],
    [['at', 'tomorrow', 'noon'], /^TIME: "tomorrow" needs a time of day after it/],
    // --overlap
    [['every', '5s', '--overlap', 'drop', '--', 'x'], '--overlap: unknown policy "drop" (use skip, queue, parallel or restart)'],
    // options that need a command
    [['once', '5s', '--timeout', '3s'], '--timeout needs a command after --'],
    [['every', '5s', '--shell'], '--shell needs a command after --'],
    [['at', '2026-01-15T18:00:00Z', '--shell'], '--shell needs a command after --'],
    // --align with --after
    [['every', '1m', '--align', '--after', '5s'], '--align and --after cannot be combined'],
    // the process options of a command
    [['every', '5s', '--env', 'A=1'], '--env needs a command after --'],
    [['every', '5s', '--lock', 'f'], '--lock needs a command after --'],
    [['every', '5s', '--chdir', '/'], '--chdir needs a command after --'],
    [['every', '5s', '--foreground'], '--foreground needs a command after --'],
    [['every', '5s', '--keep-going'], '--keep-going needs a command after --'],
    [['once', '5s', '--env', 'A', '--', 'x'], '--env: "A" is not NAME=VALUE (a name of letters, digits and _, not starting with a digit)'],
    [['once', '5s', '--env', '1A=x', '--', 'x'], /^--env: "1A=x" is not NAME=VALUE/],
    [['once', '5s', '--env', '=x', '--', 'x'], /^--env: "=x" is not NAME=VALUE/],
    [['once', '5s', '--env', 'TIMERSTACK_TICK=1', '--', 'x'], '--env: TIMERSTACK_TICK is set by timerstack for each run'],
    [['once', '5s', '--chdir', '', '--', 'x'], '--chdir: DIR must not be empty'],
    [['once', '5s', '--lock', '', '--', 'x'], '--lock: FILE must not be empty'],
    [['once', '5s', '--timeout', '1s', '-s', 'NOPE', '--', 'x'], '--signal: unknown signal "NOPE" (use a name such as TERM, INT, HUP, KILL, or a number)'],
    [['once', '5s', '--timeout', '1s', '-s', '0', '--', 'x'], /^--signal: unknown signal "0"/],
    [['once', '5s', '--timeout', '1s', '-s', '99', '--', 'x'], /^--signal: unknown signal "99"/],
    [['once', '5s', '-s', 'INT', '--', 'x'], '--signal: needs --timeout (it is the signal the timeout sends)'],
  ])('%j', (words, message) => {
    const error = refusal(words);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('refuses a command that is not a timer', () => {
    expect(() => buildSpec(parseWords(['run', 'f']), CTX)).toThrow(new UsageError('run is not a timer command'));
  });

  it('names the option or argument in every refusal', () => {
    // Messages above start with the option (--x), the argument (NAME:) or the command.
    const starts = /^(--[a-z-]+[: ]|[A-Z]+: |(once|every|at): |run )/;
    for (const words of [
      ['every', '0'],
      ['every', '5s', '--count', '0'],
      ['once', '5s', '--name', ''],
      ['at', 'x'],
      ['every', '5s', '--until', 'x'],
      ['every', '1m', '--align', '--after', '1s'],
    ]) {
      expect(refusal(words).message).toMatch(starts);
    }
  });
});

describe('buildSpec --count', () => {
  it.each<[string, number]>([
    ['1', 1],
    ['3', 3],
    ['60', 60],
    // leading zeros are a decimal number, not octal
    ['01', 1],
    ['007', 7],
    ['0000000000000001', 1],
    // up to 15 digits, all safe integers
    ['999999999999999', 999_999_999_999_999],
  ])('accepts %j as %d', (text, n) => {
    expect(spec(['every', '5s', '--count', text]).count).toBe(n);
  });

  it.each<[string]>([
    ['0'],
    ['00'],
    ['1.5'],
    ['1.0'],
    ['-1'],
    ['+3'],
    ['1e3'],
    ['0x10'],
    ['abc'],
    [''],
    [' 3'],
    ['3 '],
    ['３'],
    ['٣'],
    ['Infinity'],
    // 16 digits: past what is sure to be an exact JavaScript number
    ['1000000000000000'],
    ['9007199254740993'],
  ])('refuses %j', (text) => {
    expect(refusal(['every', '5s', `--count=${text}`]).message).toBe(`--count: must be a positive integer (got ${JSON.stringify(text)})`);
  });
});

describe('buildSpec --name', () => {
  it.each<[string]>([['web'], ['web-1'], ['a.b_c'], ['ünïcødé'], ['--json'], ['x'.repeat(200)]])('accepts %j', (name) => {
    expect(spec(['every', '5s', `--name=${name}`]).name).toBe(name);
  });

  // One rule with table lines: letters, digits, _ . - (no spaces, colons, control or escape
  // characters, which would reach the terminal in every event line).
  it.each<[string, string]>([
    ['', '--name: bad timer name "" (use letters, digits, "_", "." and "-")'],
    ['a b', '--name: bad timer name "a b" (use letters, digits, "_", "." and "-")'],
    ['my timer', '--name: bad timer name "my timer" (use letters, digits, "_", "." and "-")'],
    ['a:b', '--name: bad timer name "a:b" (use letters, digits, "_", "." and "-")'],
    [' ', '--name: bad timer name " " (use letters, digits, "_", "." and "-")'],
    ['a\tb', '--name: bad timer name "a\\tb" (use letters, digits, "_", "." and "-")'],
    ['a\nb', '--name: bad timer name "a\\nb" (use letters, digits, "_", "." and "-")'],
    ['a\0b', '--name: bad timer name "a\\u0000b" (use letters, digits, "_", "." and "-")'],
    ['\x1b[31m', '--name: bad timer name "\\u001b[31m" (use letters, digits, "_", "." and "-")'],
    ['a\u00a0b', '--name: bad timer name "a\u00a0b" (use letters, digits, "_", "." and "-")'],
    ['a\u2028b', '--name: bad timer name "a\\u2028b" (use letters, digits, "_", "." and "-")'],
    ['a\u202eb', '--name: bad timer name "a\\u202eb" (use letters, digits, "_", "." and "-")'],
  ])('refuses %j', (name, message) => {
    expect(refusal(['every', '5s', `--name=${name}`]).message).toBe(message);
  });
});
