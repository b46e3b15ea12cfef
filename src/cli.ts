// The command line: argv → spec → schedule, and back to an exit status. The only module that
// knows argv, stdout, stderr, signals and exit codes.
import { readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { Chalk } from 'chalk';
import { EXIT, TimerstackError, UsageError } from './errors.js';
import { parseWords } from './spec/words.js';
import { buildSpec, type TimerSpec } from './spec/timer.js';
import { wallNow } from './spec/now.js';
import { assertLinux } from './native/libc.js';
import { jsonFormatter, textFormatter, type Formatter } from './output/events.js';
import { formatPlan } from './output/plan.js';
import type { CommandName } from './spec/options.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  // Where signal handlers go (the process, in production).
  signals: Pick<NodeJS.Process, 'on' | 'off'>;
}

export interface ExitResult {
  code: number;
  // Set when timerstack was stopped by a signal: bin/ ends the process by that same signal.
  signal?: NodeJS.Signals;
}

export interface OutputMode {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

// Colour level for one stream: NO_COLOR wins, then FORCE_COLOR, then "is it a terminal".
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 3 ? 3 : n >= 1 ? (Math.floor(n) as 1 | 2) : 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return /-256(color)?$/.test(env.TERM ?? '') || env.COLORTERM ? 2 : 1;
}

function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}

export async function main(argv: readonly string[], io: Io): Promise<ExitResult> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof TimerstackError) {
      const hint = err instanceof UsageError ? " (see 'timerstack --help')" : '';
      line(io.stderr, `timerstack: ${err.message}${hint}`);
      return { code: err.exitCode };
    }
    throw err;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<ExitResult> {
  const first = argv[0];
  if (first === '--version' || first === '-V') {
    line(io.stdout, version());
    return { code: EXIT.ok };
  }
  if (first === undefined) throw new UsageError('missing command (once, every, at, run or completion)');
  if (first === '--help' || first === '-h' || first === 'help') {
    const { helpText } = await import('./help.js');
    const topic = first === 'help' ? (argv[1] as CommandName | undefined) : undefined;
    io.stdout.write(await helpText(topic));
    return { code: EXIT.ok };
  }
  if (first === '--get-yargs-completions' || first === 'completion') {
    const { completion } = await import('./help.js');
    io.stdout.write(await completion(argv, io.env));
    return { code: EXIT.ok };
  }
  // Elsewhere than Linux nothing can be armed: say so before reading the rest.
  assertLinux();
  const words = parseWords(argv, 'cli');
  if (words.help) {
    const { helpText } = await import('./help.js');
    io.stdout.write(await helpText(words.command));
    return { code: EXIT.ok };
  }
  const mode: OutputMode = {
    json: words.options.has('json'),
    quiet: words.options.has('quiet'),
    verbose: words.options.has('verbose'),
  };
  if (words.command === 'run') {
    const { runTable } = await import('./run/table-cli.js');
    return runTable(words, mode, io, { start: startSchedule });
  }
  const spec = buildSpec(words, { ...wallNow(), defaultName: 'timer' });
  if (words.options.has('dry-run')) {
    for (const text of formatPlan([spec], mode.json)) line(io.stdout, text);
    return { code: EXIT.ok };
  }
  return startSchedule([spec], mode, io, { countdown: spec.kind !== 'every' });
}

export interface StartOptions {
  countdown?: boolean;
  // Signals that stop the schedule (default SIGINT, SIGTERM, SIGHUP; a file table reloads on
  // SIGHUP instead).
  stopSignals?: readonly NodeJS.Signals[];
  // Load the command runner even if no spec has a command yet (a reload may add one).
  commands?: boolean;
  // Called with the running schedule (the table command hooks SIGHUP reloads here).
  attach?: (control: ScheduleControl) => void;
}

export interface ScheduleControl {
  schedule: import('./schedule.js').Schedule;
  loop: import('./loop.js').Loop;
  reporter: import('./schedule.js').Reporter;
  formatter: Formatter;
  stderr: (text: string) => void;
}

// Arms the specs, reports on the streams, and resolves with how the process should end.
export async function startSchedule(specs: TimerSpec[], mode: OutputMode, io: Io, options: StartOptions = {}): Promise<ExitResult> {
  const [{ Loop }, { Schedule }, { raiseFdLimit }] = await Promise.all([
    import('./loop.js'),
    import('./schedule.js'),
    import('./native/libc.js'),
  ]);
  raiseFdLimit();
  const outChalk = new Chalk({ level: colorLevel(io.env, io.stdout.isTTY) });
  const errChalk = new Chalk({ level: colorLevel(io.env, io.stderr.isTTY) });
  const out: Formatter = mode.json ? jsonFormatter : textFormatter(outChalk);
  const err: Formatter = mode.json ? jsonFormatter : textFormatter(errChalk);
  const toErr = (text: string) => line(io.stderr, mode.json ? text : `timerstack: ${text}`);

  const needsRunner = options.commands || specs.some((s) => s.command);
  const runnerModule = needsRunner ? await import('./run/command.js') : undefined;
  // Loaded before arming, so the first run is not late by the time it takes to load.
  await runnerModule?.loadExeca();
  // Events of one wake-up are written with one write() (200,000 lines a second would otherwise
  // be 200,000 system calls); outside a wake-up, a line is written at once.
  // When the reader is slower than the timers, stop reading expirations until it has caught
  // up (the kernel keeps counting them): memory stays flat and no tick is lost.
  let pending = '';
  let awaitingDrain = false;
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    // One Buffer, not the concatenated string: while it waits in a pipe's write queue it takes
    // half the memory (measured: 100,000 timers through `| cat`, peak RSS 390 → 270 MB).
    if (!io.stdout.write(Buffer.from(text)) && !awaitingDrain) {
      awaitingDrain = true;
      loop.pause();
      io.stdout.once('drain', () => {
        awaitingDrain = false;
        loop.resume();
      });
    }
  };
  const loop = new Loop({
    onNotice: (n) => {
      if (n.kind === 'clock-step') toErr(err.clockStep(n.timer?.name ?? n.clock));
    },
    afterDispatch: flush,
  });
  const emit = (text: string) => {
    pending += `${text}\n`;
    if (!loop.dispatching || pending.length > 65_536) flush();
  };

  const reporter = {
    tick: (r: Parameters<Formatter['tick']>[0]) => {
      if (!mode.quiet) emit(out.tick(r));
    },
    commandTick: (r: Parameters<Formatter['tick']>[0]) => {
      if (mode.verbose) toErr(err.tick(r));
    },
    run: (r: Parameters<Formatter['run']>[0]) => {
      if (mode.verbose || r.status !== 0) toErr(err.run(r));
    },
    skip: (r: Parameters<Formatter['skip']>[0]) => toErr(err.skip(r)),
  };

  const schedule = new Schedule(loop, specs, reporter, (spec, hooks) => {
    const command = spec.command!;
    return new runnerModule!.CommandRunner({
      timer: spec.name,
      argv: command,
      shell: spec.shell,
      overlap: spec.overlap,
      ...(spec.timeoutNs !== undefined ? { timeoutNs: spec.timeoutNs } : {}),
      killAfterNs: spec.killAfterNs,
      schedule: hooks.schedule,
      onResult: hooks.onResult,
      onSkip: hooks.onSkip,
      env: io.env,
    });
  });

  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) return;
    stoppedBy = signal;
    void schedule.stop(signal);
  };
  const onUsr1 = () => {
    for (const state of schedule.states()) toErr(err.state(state));
  };
  // A reader that went away (`| head -1`) ends timerstack quietly with status 0.
  let pipeClosed = false;
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    // No drain will come: the loop must run again for the stop (kill-after timers live on it).
    loop.resume();
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
      pipeClosed = true;
      void schedule.stop(undefined);
      return;
    }
    toErr(`cannot write to standard output: ${e.message}`);
    void schedule.stop(undefined, EXIT.failure);
  };
  const stopSignals = options.stopSignals ?? STOP_SIGNALS;
  for (const s of stopSignals) io.signals.on(s, onSignal);
  io.signals.on('SIGUSR1', onUsr1);
  io.stdout.on('error', onStdoutError);

  let stopCountdown: (() => void) | undefined;
  try {
    schedule.start();
    options.attach?.({ schedule, loop, reporter, formatter: err, stderr: toErr });
    if (options.countdown && io.stderr.isTTY && !mode.quiet && !mode.json) {
      const { startCountdown } = await import('./output/countdown.js');
      stopCountdown = startCountdown(loop, () => schedule.remaining(), (text) => io.stderr.write(text), errChalk);
    }
    const outcome = await schedule.done;
    if (stoppedBy) return { code: EXIT.signalBase + signalNumber(stoppedBy), signal: stoppedBy };
    return { code: pipeClosed ? EXIT.ok : outcome.status };
  } finally {
    stopCountdown?.();
    for (const s of stopSignals) io.signals.off(s, onSignal);
    io.signals.off('SIGUSR1', onUsr1);
    io.stdout.off('error', onStdoutError);
    loop.close();
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal] ?? 0;
}
