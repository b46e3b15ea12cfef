import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { colorLevel, main, version, type Io } from '../../src/cli/main.js';
import { EXIT, PlatformError, SyscallError, TimerstackError, UsageError } from '../../src/errors.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// In-memory streams, env and signal source for main(); out()/err() give what was written.
function memoryIo(env: NodeJS.ProcessEnv = {}, tty: { stdout?: boolean; stderr?: boolean } = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty.stdout });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty.stderr });
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const signals = new EventEmitter();
  const io: Io = { stdout, stderr, stdin: new PassThrough(), env, signals: signals as unknown as Io['signals'] };
  return { io, stdout, signals, out: () => out, err: () => err };
}

// main() with in-memory io, once what it wrote has come through the streams.
async function run(argv: string[], env: NodeJS.ProcessEnv = {}, tty: { stdout?: boolean; stderr?: boolean } = {}) {
  const m = memoryIo(env, tty);
  const result = await main(argv, m.io);
  await new Promise(setImmediate);
  return { ...result, stdout: m.out(), stderr: m.err() };
}

// Starts main() on a long timer and waits until it is armed and listening for signals.
async function started(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const m = memoryIo(env);
  const done = main(argv, m.io);
  await vi.waitFor(() => expect(m.signals.listenerCount('SIGINT')).toBe(1), { interval: 5 });
  return { ...m, done };
}

describe('colorLevel', () => {
  it.each<[NodeJS.ProcessEnv, boolean | undefined, number]>([
    // not a terminal: no colour unless forced
    [{}, undefined, 0],
    [{}, false, 0],
    [{ TERM: 'xterm-256color' }, false, 0],
    // a terminal: by TERM and COLORTERM
    [{}, true, 1],
    [{ TERM: 'xterm' }, true, 1],
    [{ TERM: 'dumb' }, true, 0],
    [{ TERM: 'xterm-256color' }, true, 2],
    [{ TERM: 'screen-256' }, true, 2],
    [{ TERM: 'xterm', COLORTERM: 'truecolor' }, true, 2],
    // FORCE_COLOR, terminal or not
    [{ FORCE_COLOR: '0' }, true, 0],
    [{ FORCE_COLOR: 'false' }, true, 0],
    [{ FORCE_COLOR: '1' }, false, 1],
    [{ FORCE_COLOR: '2' }, false, 2],
    [{ FORCE_COLOR: '3' }, undefined, 3],
    [{ FORCE_COLOR: '' }, false, 1],
    [{ FORCE_COLOR: 'true' }, false, 1],
    [{ FORCE_COLOR: '7' }, false, 3],
    [{ FORCE_COLOR: '1', TERM: 'dumb' }, false, 1],
    // NO_COLOR, when not empty, wins over everything
    [{ NO_COLOR: '1' }, true, 0],
    [{ NO_COLOR: '1', FORCE_COLOR: '3' }, true, 0],
    [{ NO_COLOR: '' }, true, 1],
    [{ NO_COLOR: '', FORCE_COLOR: '2' }, false, 2],
  ])('%j, tty %s: level %d', (env, isTTY, level) => {
    expect(colorLevel(env, isTTY)).toBe(level);
  });
});

describe('colorLevel with --color', () => {
  it.each<[NodeJS.ProcessEnv, boolean | undefined, 'auto' | 'always' | 'never', number]>([
    // never: none, whatever the environment and the stream
    [{ FORCE_COLOR: '3' }, true, 'never', 0],
    [{ TERM: 'xterm-256color' }, true, 'never', 0],
    // always: also into a pipe, and over NO_COLOR; the depth from FORCE_COLOR, else TERM
    [{}, false, 'always', 1],
    [{ NO_COLOR: '1' }, false, 'always', 1],
    [{ TERM: 'xterm-256color' }, false, 'always', 2],
    [{ TERM: 'dumb' }, true, 'always', 1],
    [{ FORCE_COLOR: '3', NO_COLOR: '1' }, undefined, 'always', 3],
    [{ FORCE_COLOR: '0' }, false, 'always', 1],
    // auto: as without the option
    [{ NO_COLOR: '1' }, true, 'auto', 0],
    [{}, true, 'auto', 1],
  ])('%j, tty %s, --color %s: level %d', (env, isTTY, when, level) => {
    expect(colorLevel(env, isTTY, when)).toBe(level);
  });
});

describe('main: usage errors', () => {
  it.each<[string[], string | RegExp]>([
    [[], 'missing command (once, every, at, cron, calendar, retry, next, run, export or completion)'],
    [['evry', '5s'], /^unknown command "evry"/],
    [['every'], 'every: missing INTERVAL'],
    [['every', '0'], /^INTERVAL: must be greater than 0/],
    [['every', '5s', '--bogus'], 'unknown option "--bogus"'],
    [['once', '5s', '--count', '3'], 'option --count does not apply to once'],
    [['every', '5s', 'echo'], 'unexpected argument "echo" (put a command after --)'],
    [['every', '5s', '--count'], 'option --count needs a value (N)'],
    [['every', '5s', '--count', '0'], '--count: must be a positive integer (got "0")'],
    [['every', '5s', '--', ''], '"--" with no command after it'],
    [['every', '5s', '--shell'], '--shell needs a command after --'],
    [['once', '5s', '--timeout', '1s'], '--timeout needs a command after --'],
    [['at', 'noon'], /^TIME: not a time/],
    [['at', '2000-01-01T00:00:00Z'], /^TIME: "2000-01-01T00:00:00Z" is in the past/],
    [['at', '2099-01-01T00:00:00Z', '--clock', 'monotonic', '--dry-run'], /^--clock: at needs a wall clock/],
    [['once', '-5s'], /^DURATION: negative durations/],
    [['every', '5s', '--name', 'a b', '--dry-run'], /^--name: /],
    [['every', '5s', '--x\n\u001b[31m'], /^unknown option "--x\\n\\u001b\[31m"$/],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(125);
    expect(r.signal).toBeUndefined();
    expect(r.stdout).toBe('');
    // exactly one line, the message with a pointer to help
    expect(r.stderr).toMatch(/^timerstack: [^\n]*\n$/);
    const text = r.stderr.slice('timerstack: '.length, -1);
    expect(text.endsWith(" (see 'timerstack --help')")).toBe(true);
    const bare = text.slice(0, -" (see 'timerstack --help')".length);
    if (typeof message === 'string') expect(bare).toBe(message);
    else expect(bare).toMatch(message);
  });
});

describe('main: --version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    const r = await run([flag]);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(version()).toBe(pkg.version);
  });
});

describe('main: --dry-run', () => {
  it('every 1h30m --after 10s --dry-run --json: one plan object', async () => {
    const r = await run(['every', '1h30m', '--after', '10s', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      timer: 'timer',
      kind: 'every',
      clock: 'monotonic',
      absolute: false,
      value_ns: '10000000000',
      interval_ns: '5400000000000',
      count: null,
    });
  });

  it('at: an absolute plan on the realtime clock', async () => {
    const r = await run(['at', '2099-01-01T00:00:00Z', '-n', '--json', '--name', 'y2k99']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      timer: 'y2k99',
      kind: 'at',
      clock: 'realtime',
      absolute: true,
      value_ns: '4070908800000000000',
      first_time: '2099-01-01T00:00:00Z',
    });
  });

  it('every 1m --align: the next whole minute of the wall clock', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const plan = JSON.parse((await run(['every', '1m', '--align', '--dry-run', '--json'])).stdout);
    const first = BigInt(plan.value_ns);
    expect(plan).toMatchObject({ clock: 'realtime', absolute: true, interval_ns: '60000000000' });
    expect(first % 60_000_000_000n).toBe(0n);
    expect(first > before && first <= before + 60_000_000_000n + 1_000_000_000n).toBe(true);
  });

  it('as text', async () => {
    const r = await run(['every', '5s', '--count', '3', '--dry-run']);
    expect(r).toEqual({ code: 0, stdout: 'timer: every on monotonic, first in 5s, then every 5s, 3 times, prints events\n', stderr: '' });
  });
});

describe('main: running timers (no commands)', () => {
  beforeAll(async () => {
    // Loaded once, so the countdown is not late by the time a cold import takes.
    await import('../../src/output/countdown.js');
  });

  it('once 0 --json: one tick as NDJSON, status 0', async () => {
    const r = await run(['once', '0', '--json', '--name', 'now']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'tick', timer: 'now', tick: 1, expirations: 1 });
  });

  it('every 5ms --count 3 --json: ticks adding up to 3', async () => {
    const r = await run(['every', '5ms', '--count', '3', '--json']);
    expect(r.code).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events.reduce((n, e) => n + e.expirations, 0)).toBe(3);
    expect(events.at(-1).tick).toBe(3);
  });

  it('text events, no colour on a pipe', async () => {
    const r = await run(['once', '0'], { FORCE_COLOR: undefined, TERM: 'xterm-256color' });
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} timer tick 1\n$/);
  });

  it('colour when forced', async () => {
    const r = await run(['once', '0'], { FORCE_COLOR: '1' });
    expect(r.stdout).toMatch(/\u001b\[/);
  });

  it('-q: nothing on stdout', async () => {
    expect(await run(['once', '0', '-q'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a countdown on a terminal stderr, cleared at the end', async () => {
    const r = await run(['once', '100ms'], { NO_COLOR: '1' }, { stderr: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^(\r\u001b\[K\d\d:\d\d\.\d left)+\r\u001b\[K$/);
    expect(r.stdout).toMatch(/ timer tick 1\n$/);
  });

  it.each<[string[], { stderr?: boolean }]>([
    [['once', '20ms'], {}],
    [['once', '20ms', '--json'], { stderr: true }],
    [['once', '20ms', '-q'], { stderr: true }],
    [['every', '10ms', '--count', '1'], { stderr: true }],
  ])('no countdown for %j (stderr a tty: %j)', async (argv, tty) => {
    expect((await run(argv, {}, tty)).stderr).toBe('');
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])('%s stops it with 128+N and names the signal', async (signal, code) => {
    const m = await started(['every', '1h']);
    m.signals.emit(signal, signal);
    expect(await m.done).toEqual({ code, signal });
    // Its handlers are gone.
    expect(m.signals.listenerCount(signal)).toBe(0);
    expect(m.signals.listenerCount('SIGUSR1')).toBe(0);
  });

  it('SIGUSR1 reports the state on stderr and goes on', async () => {
    const m = await started(['every', '1h', '--name', 'hourly']);
    m.signals.emit('SIGUSR1', 'SIGUSR1');
    m.signals.emit('SIGINT', 'SIGINT');
    expect((await m.done).code).toBe(130);
    expect(m.err()).toMatch(/^timerstack: hourly: tick 0, 0 skipped, 0 running, next in [0-9a-z]+, every 1h\n$/);
    expect(m.out()).toBe('');
  });

  it('SIGUSR1 with --json: a state object', async () => {
    const m = await started(['every', '1h', '--json']);
    m.signals.emit('SIGUSR1', 'SIGUSR1');
    m.signals.emit('SIGTERM', 'SIGTERM');
    await m.done;
    const state = JSON.parse(m.err());
    expect(state).toMatchObject({ event: 'state', timer: 'timer', tick: 0, interval_ns: '3600000000000' });
    expect(BigInt(state.remaining_ns) <= 3_600_000_000_000n).toBe(true);
  });

  it('a reader that went away (EPIPE) ends it quietly with status 0', async () => {
    const m = await started(['every', '1h']);
    m.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(await m.done).toEqual({ code: 0 });
    expect(m.err()).toBe('');
  });

  it('another stdout error ends it with status 125 and a line on stderr', async () => {
    const m = await started(['every', '1h']);
    m.stdout.emit('error', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    expect(await m.done).toEqual({ code: 125 });
    await new Promise(setImmediate);
    expect(m.err()).toBe('timerstack: cannot write to standard output: no space left on device\n');
  });
});

describe('errors', () => {
  it('exit statuses', () => {
    expect(EXIT).toEqual({
      ok: 0,
      failure: 125,
      usage: 125,
      timedOut: 124,
      cannotRun: 125,
      notExecutable: 126,
      notFound: 127,
      signalBase: 128,
    });
  });

  it.each<[string, string, number, TimerstackError]>([
    ['UsageError', 'EUSAGE', 125, new UsageError('bad')],
    ['UsageError', 'ECLOSED', 125, new UsageError('closed', 'ECLOSED')],
    ['SyscallError', 'EMFILE', 125, new SyscallError('timerfd_create', 'EMFILE', 24, 'too many open files')],
    ['PlatformError', 'EPLATFORM', 125, new PlatformError('not Linux')],
    ['TimerstackError', 'EX', 125, new TimerstackError('EX', 'x')],
  ])('%s: code %s, exit %d', (name, code, exitCode, error) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(TimerstackError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exitCode);
  });

  it('SyscallError keeps the call and errno', () => {
    const e = new SyscallError('timerfd_settime', 'EINVAL', 22, 'invalid argument');
    expect(e).toMatchObject({ syscall: 'timerfd_settime', errno: 22, code: 'EINVAL', message: 'invalid argument' });
  });
});
