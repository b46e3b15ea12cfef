// Serving specs: the wiring of loop, schedule, sinks and signals for one process, and how the
// process should end. Heavy modules (koffi, the command runner, chalk's formatters) are loaded
// here, when a timer is about to be armed, not for --help or --version.
import { constants as osConstants } from 'node:os';
import { Chalk } from 'chalk';
import { EXIT, TimerstackError } from '../errors.js';
import type { TimerSpec } from '../kinds/kind.js';
import type { Expiration, Loop } from '../loop/loop.js';
import type { Formatter } from '../output/format.js';
import { jsonFormatter } from '../output/json.js';
import { teeReporter } from '../output/metrics.js';
import { textFormatter } from '../output/text.js';
import type { Reporter } from '../supervise/events.js';
import { sampleTick } from '../supervise/tick-event.js';
import type { MissedRange } from '../kinds/wall-clock.js';
import type { RunnerFactory, Schedule, ScheduleOptions } from '../supervise/schedule.js';
import type { Supervisor } from '../supervise/supervisor.js';
import { colorLevel, type ExitResult, type Io, type OutputMode } from './io.js';
import { watchJobControl } from './job-control.js';
import { wallNow } from './now.js';
import type { Outlets } from './outlets.js';
import { ownStdout } from './own-stdout.js';
import { makeReporter } from './reporter.js';
import { serveOutput } from './serve-output.js';
import { STOP_SIGNALS, watchStops } from './stop-signals.js';
import { setTier, tierFor } from './tier-up.js';

export interface ServeOptions {
  countdown?: boolean;
  // Signals that stop the schedule (default SIGINT, SIGTERM, SIGHUP; a file table reloads on
  // SIGHUP instead).
  stopSignals?: readonly NodeJS.Signals[];
  // Load the command runner even if no spec has a command yet (a reload may add one).
  commands?: boolean;
  // Called with the running schedule (the table command hooks SIGHUP reloads here).
  attach?: (control: ScheduleControl) => void;
  // Commands read timerstack's stdin (a lone once or at); else /dev/null.
  stdin?: boolean;
  // --init, or PID 1: reap every orphan, commands or not.
  init?: boolean;
  // Instead of the reporter the output mode chooses (--watch draws the screen itself).
  reporter?: Reporter;
  // Capture each run's stdout and stderr into its result (--watch).
  capture?: boolean;
}

export interface ScheduleControl {
  schedule: Schedule;
  loop: Loop;
  reporter: Reporter;
  formatter: Formatter;
  stderr: (text: string) => void;
}

// Arms the specs, reports on the streams, and resolves with how the process should end.
export async function startSchedule(specs: TimerSpec[], mode: OutputMode, io: Io, outlets: Outlets, options: ServeOptions = {}): Promise<ExitResult> {
  const retrying = specs.length === 1 && specs[0]!.kind === 'retry';
  const [{ Loop }, { Schedule }, { raiseFdLimit, adoptCallerFdSoftLimit }, retry] = await Promise.all([
    import('../loop/loop.js'),
    import('../supervise/schedule.js'),
    import('../native/fd-limit.js'),
    retrying ? import('../supervise/retry.js') : undefined,
  ]);
  // Commands get the caller's soft limit back (bin/ recorded it before Node raised it).
  adoptCallerFdSoftLimit(io.env);
  raiseFdLimit();
  if (options.init || process.pid === 1) (await import('../exec/reaper.js')).adoptOrphans();
  const errChalk = new Chalk({ level: colorLevel(io.env, io.stderr.isTTY, mode.color) });
  const out: Formatter = mode.json ? jsonFormatter : textFormatter(new Chalk({ level: colorLevel(io.env, io.stdout.isTTY, mode.color) }));
  const err: Formatter = mode.json ? jsonFormatter : textFormatter(errChalk);
  const toErr = (text: string) => outlets.err.line(mode.json ? text : `timerstack: ${text}`);
  const commands = options.commands || specs.some((s) => s.command);
  const makeRunner = await runnerFactory(commands, io.env, { capture: options.capture ?? false, passStdin: options.stdin === true });

  // Commands share stdout: events then go through a non-blocking description of its own.
  const own = commands ? ownStdout(io.stdout) : undefined;
  if (own) outlets.useOwnStdout(own);
  let schedule: Supervisor | undefined;
  let table: Schedule | undefined;
  // --metrics: listening before anything is armed; fed the same events as the streams.
  const metrics = mode.metrics === undefined ? undefined : await import('../output/metrics-server.js').then((m) => m.startMetrics(mode.metrics!, () => schedule?.states() ?? []));
  // The warm-up wake formats a sample tick as a real one would be, and drops it.
  const onWarmup = mode.quiet ? undefined : (sample: Expiration) => output.warm(out.tick(sampleTick(sample)));
  const loop: Loop = new Loop({ onNotice: (n) => schedule?.notice(n), afterDispatch: () => output.flush(), warmup: !mode.lean, precise: mode.precise === true, onWarmup });
  const output = serveOutput(loop, () => schedule, () => table?.events, outlets, io.stdout);
  const streams = options.reporter ?? makeReporter(mode, out, err, output.emit, toErr, () => output.beforeRun(), () => outlets.readerLeft);
  const reporter = metrics ? teeReporter(streams, metrics.reporter) : streams;
  table = retry ? undefined : new Schedule(loop, specs, reporter, makeRunner, Math.random, await persistence(specs));
  schedule = table ?? new retry!.Retry(loop, specs[0]!, reporter, makeRunner);
  for (const spec of specs) if (spec.rule && spec.atNs === undefined) toErr(`${spec.name}: the schedule never elapses (${spec.rule.normalized}); nothing to do`);
  const running = schedule;

  // Loaded before arming: a short wait must not be over before its countdown can start.
  const showCountdown = options.countdown && io.stderr.isTTY && io.env.TERM !== 'dumb' && !mode.quiet && !mode.json;
  const countdown = showCountdown ? await import('./countdown.js') : undefined;
  const stops = watchStops(io, running, options.stopSignals ?? STOP_SIGNALS, () => {
    for (const state of running.states()) toErr(err.state(state));
  });
  const unwatchJobs = watchJobControl(io, running);
  try {
    setTier(tierFor(specs));
    running.start();
    if (table) options.attach?.({ schedule: table, loop, reporter, formatter: err, stderr: toErr });
    if (countdown) output.showCountdown(countdown.startCountdown(loop, () => running.remaining(), (text) => outlets.err.draw(text), errChalk));
    const end = await running.done;
    if (stops.signal) return { code: EXIT.signalBase + signalNumber(stops.signal), signal: stops.signal };
    return { code: outlets.readerLeft ? EXIT.ok : end.status };
  } finally {
    output.detach();
    unwatchJobs();
    stops.detach();
    loop.close();
    await metrics?.close();
  }
}

// What --persistent timers need: the stamp files, and what each missed while timerstack was
// not running (a stamp that cannot be read refuses the start, before anything is armed).
async function persistence(specs: readonly TimerSpec[]): Promise<ScheduleOptions> {
  if (!specs.some((s) => s.persistent !== undefined)) return {};
  const [{ fileStamps }, { missedSince }] = await Promise.all([import('../supervise/stamps.js'), import('../kinds/wall-clock.js')]);
  const { nowNs } = wallNow();
  const catchUps = new Map<string, MissedRange>();
  for (const spec of specs) {
    if (spec.persistent === undefined || !spec.rule) continue;
    const last = fileStamps.read(spec.persistent);
    const missed = last === undefined ? undefined : missedSince(spec.rule, last, nowNs);
    if (missed) catchUps.set(spec.name, missed);
  }
  return { stamps: fileStamps, catchUps, startedNs: nowNs };
}

// The factory of command runners, loaded before arming (so the first run is not late by the time
// it takes to load); without commands, nothing is loaded. A terminal on stdin is passed only with
// --foreground: outside the terminal's foreground group a read would stop the command (SIGTTIN).
async function runnerFactory(needed: boolean, env: NodeJS.ProcessEnv, { capture, passStdin }: { capture: boolean; passStdin: boolean }): Promise<RunnerFactory> {
  if (!needed) return () => { throw new Error('no command runner was loaded'); };
  let loaded: [typeof import('../exec/runner.js'), typeof import('node:tty')];
  try {
    loaded = await Promise.all([import('../exec/runner.js'), import('node:tty')]);
  } catch (err) {
    throw await loadFailure('the command runner', err);
  }
  const [{ CommandRunner }, { isatty }] = loaded;
  return (spec, hooks) =>
    new CommandRunner({
      timer: spec.name,
      argv: spec.command!,
      shell: spec.shell,
      overlap: spec.overlap,
      ...(spec.timeoutNs !== undefined ? { timeoutNs: spec.timeoutNs } : {}),
      ...(spec.timeoutSignal !== undefined ? { timeoutSignal: spec.timeoutSignal } : {}),
      ...(spec.chdir !== undefined ? { cwd: spec.chdir } : {}),
      ...(spec.lock !== undefined ? { lockFile: spec.lock } : {}),
      killAfterNs: spec.killAfterNs,
      foreground: spec.foreground ?? false,
      stdin: spec.foreground || (passStdin && !isatty(0)) ? 'inherit' : 'null',
      schedule: hooks.schedule,
      onResult: hooks.onResult,
      onSkip: hooks.onSkip,
      env,
      ...(spec.shellPath !== undefined ? { shellPath: spec.shellPath } : {}),
      ...(spec.env !== undefined ? { extraEnv: spec.env } : {}),
      ...(spec.input !== undefined ? { input: spec.input } : {}),
      capture,
    });
}

// One line for a library that would not load. With the open-file limit nearly reached, Node's
// module loader says ERR_MODULE_NOT_FOUND for a file it could not open: that is EMFILE.
async function loadFailure(what: string, err: unknown): Promise<TimerstackError> {
  const code = (err as NodeJS.ErrnoException).code;
  const { getFdLimit, openFdCount } = await import('../native/fd-limit.js');
  const exhausted = code === 'EMFILE' || code === 'ENFILE' || getFdLimit().soft - openFdCount() < FD_HEADROOM;
  if (exhausted) return new TimerstackError('EMFILE', `too many open files (EMFILE) while loading ${what}: raise \`ulimit -n\``);
  return new TimerstackError(code ?? 'ELOAD', `cannot load ${what}: ${String((err as Error).message ?? err).split('\n')[0]}`);
}

// Fewer fds left than this while a module failed to load: the limit is why.
const FD_HEADROOM = 16;

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal] ?? 0;
}
