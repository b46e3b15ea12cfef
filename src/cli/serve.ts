// Serving specs: the wiring of loop, schedule, sinks and signals for one process, and how the
// process should end. Heavy modules (koffi, the command runner, chalk's formatters) are loaded
// here, when a timer is about to be armed, not for --help or --version.
import { constants as osConstants } from 'node:os';
import { Chalk } from 'chalk';
import { EXIT } from '../errors.js';
import type { TimerSpec } from '../kinds/kind.js';
import type { Loop } from '../loop/loop.js';
import type { Formatter } from '../output/format.js';
import { jsonFormatter } from '../output/json.js';
import { textFormatter } from '../output/text.js';
import type { Reporter } from '../supervise/events.js';
import type { RunnerFactory, Schedule } from '../supervise/schedule.js';
import { colorLevel, line, type ExitResult, type Io, type OutputMode } from './io.js';
import { watchJobControl } from './job-control.js';
import { makeReporter } from './reporter.js';
import { StdoutBatch } from './stdout-batch.js';
import { STOP_SIGNALS, watchStops } from './stop-signals.js';

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
}

export interface ScheduleControl {
  schedule: Schedule;
  loop: Loop;
  reporter: Reporter;
  formatter: Formatter;
  stderr: (text: string) => void;
}

// Arms the specs, reports on the streams, and resolves with how the process should end.
export async function startSchedule(specs: TimerSpec[], mode: OutputMode, io: Io, options: ServeOptions = {}): Promise<ExitResult> {
  const [{ Loop }, { Schedule }, { raiseFdLimit, adoptCallerFdSoftLimit }] = await Promise.all([
    import('../loop/loop.js'),
    import('../supervise/schedule.js'),
    import('../native/fd-limit.js'),
  ]);
  // Commands get the caller's soft limit back (bin/ recorded it before Node raised it).
  adoptCallerFdSoftLimit(io.env);
  raiseFdLimit();
  if (options.init || process.pid === 1) (await import('../exec/reaper.js')).adoptOrphans();
  const errChalk = new Chalk({ level: colorLevel(io.env, io.stderr.isTTY) });
  const out: Formatter = mode.json ? jsonFormatter : textFormatter(new Chalk({ level: colorLevel(io.env, io.stdout.isTTY) }));
  const err: Formatter = mode.json ? jsonFormatter : textFormatter(errChalk);
  const toErr = (text: string) => line(io.stderr, mode.json ? text : `timerstack: ${text}`);
  const makeRunner = await runnerFactory(options.commands || specs.some((s) => s.command), io.env, options.stdin === true);

  let schedule: Schedule | undefined;
  const loop: Loop = new Loop({ onNotice: (n) => schedule?.notice(n), afterDispatch: () => batch.flush() });
  const batch = new StdoutBatch(io.stdout, () => loop.dispatching, () => loop.pause(), () => loop.resume());
  const reporter = makeReporter(mode, out, err, (text) => batch.emit(text), toErr);
  schedule = new Schedule(loop, specs, reporter, makeRunner);
  const running = schedule;

  const stops = watchStops(io, running, loop, options.stopSignals ?? STOP_SIGNALS, () => {
    for (const state of running.states()) toErr(err.state(state));
  }, toErr);
  const unwatchJobs = watchJobControl(io, running);
  let stopCountdown: (() => void) | undefined;
  try {
    running.start();
    options.attach?.({ schedule: running, loop, reporter, formatter: err, stderr: toErr });
    if (options.countdown && io.stderr.isTTY && !mode.quiet && !mode.json) {
      const { startCountdown } = await import('./countdown.js');
      stopCountdown = startCountdown(loop, () => running.remaining(), (text) => io.stderr.write(text), errChalk);
    }
    const end = await running.done;
    if (stops.signal) return { code: EXIT.signalBase + signalNumber(stops.signal), signal: stops.signal };
    return { code: stops.pipeClosed ? EXIT.ok : end.status };
  } finally {
    stopCountdown?.();
    unwatchJobs();
    stops.detach();
    loop.close();
  }
}

// The factory of command runners, loaded before arming (so the first run is not late by the time
// it takes to load); without commands, nothing is loaded. A terminal on stdin is passed only with
// --foreground: outside the terminal's foreground group a read would stop the command (SIGTTIN).
async function runnerFactory(needed: boolean, env: NodeJS.ProcessEnv, passStdin: boolean): Promise<RunnerFactory> {
  if (!needed) return () => { throw new Error('no command runner was loaded'); };
  const [{ CommandRunner }, { isatty }] = await Promise.all([import('../exec/runner.js'), import('node:tty')]);
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
      foreground: spec.foreground,
      stdin: spec.foreground || (passStdin && !isatty(0)) ? 'inherit' : 'null',
      extraEnv: spec.env,
      schedule: hooks.schedule,
      onResult: hooks.onResult,
      onSkip: hooks.onSkip,
      env,
    });
}

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal] ?? 0;
}
