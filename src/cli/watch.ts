// `every --watch`: procps watch on the drift-free grid. Checks that it can draw (a terminal on
// stdout that can move its cursor), serves the one timer with the full screen as its reporter
// and each run's output captured, and gives the terminal back however it ends — then leaves the
// last output on the shell's screen (not after a signal: Ctrl-C means "away with it").
import { UsageError } from '../errors.js';
import type { ParsedWords } from '../grammar/words.js';
import type { TimerSpec } from '../kinds/kind.js';
import { formatPlan } from '../output/plan.js';
import { WatchView } from '../output/watch.js';
import { wallNow } from './now.js';
import { line, type ExitResult, type Io, type OutputMode } from './io.js';
import { startSchedule } from './serve.js';

const NEEDS_WATCH = ['differences', 'exit-on-change', 'exit-on-error'] as const;
const NOT_WITH_WATCH = ['json', 'quiet', 'verbose'] as const;

// Refuses what cannot be watched; the plan for --dry-run; else the screen until the timer ends.
export async function watchEvery(words: ParsedWords, spec: TimerSpec, mode: OutputMode, io: Io): Promise<ExitResult> {
  checkWords(words, spec);
  // The first run at once, as watch does (--after and --align say otherwise).
  if (!words.options.has('after') && !words.options.has('align')) spec.delayNs = 0n;
  if (words.options.has('exit-on-error')) spec.failFast = true;
  if (words.options.has('dry-run')) {
    for (const text of formatPlan([spec], false, wallNow().nowNs)) line(io.stdout, `${text}, on a full screen`);
    return { code: 0 };
  }
  checkTerminal(io);
  return serveScreen(words, spec, mode, io);
}

// The options that need --watch, and the ones it cannot go with.
function checkWords(words: ParsedWords, spec: TimerSpec): void {
  if (!words.options.has('watch')) {
    const given = NEEDS_WATCH.find((name) => words.options.has(name))!;
    throw new UsageError(`--${given} needs --watch${given === 'exit-on-error' ? ' (without it, --fail-fast)' : ''}`);
  }
  if (!spec.command) throw new UsageError('--watch needs a command after --');
  const clash = NOT_WITH_WATCH.find((name) => words.options.has(name));
  if (clash) throw new UsageError(`--watch cannot be combined with --${clash} (the screen shows the runs)`);
}

// A terminal on stdout that can move its cursor, or one line and 125.
function checkTerminal(io: Io): void {
  if (!io.stdout.isTTY) throw new UsageError('--watch needs a terminal on standard output (it redraws the screen); in a pipe, use every without --watch');
  if (io.env.TERM === 'dumb' || io.env.TERM === '') throw new UsageError('--watch needs a terminal that can move its cursor (TERM is "dumb")');
}

// Serves the timer on the full screen; the exits, the redraws and the terminal given back.
async function serveScreen(words: ParsedWords, spec: TimerSpec, mode: OutputMode, io: Io): Promise<ExitResult> {
  const exitOnChange = words.options.has('exit-on-change');
  let stop: (() => void) | undefined;
  let changedAt: number | undefined;
  let failed: { tick: number; status: number } | undefined;
  const view = new WatchView({
    intervalNs: spec.intervalNs,
    command: shown(spec),
    differences: words.options.has('differences'),
    write: (text) => io.stdout.write(text),
    size: () => ({ columns: io.stdout.columns ?? 80, rows: io.stdout.rows ?? 24 }),
    onRun: (run, changed) => {
      if (run.status !== 0 && spec.failFast) failed ??= { tick: run.tick, status: run.status };
      if (!changed || !exitOnChange || changedAt !== undefined) return;
      changedAt = run.tick;
      stop?.();
    },
  });
  const redraw = () => view.redraw();
  // After a stop and `fg`, the shell may have put its own screen back.
  const reenter = () => view.redraw(true);
  // Whatever ends the process, the terminal is given back (the write is synchronous on a TTY).
  const restore = () => view.close();
  io.stdout.on('resize', redraw);
  io.signals.on('SIGCONT', reenter);
  io.signals.on('exit', restore);
  let result: ExitResult;
  try {
    view.open();
    result = await startSchedule([spec], mode, io, {
      reporter: view,
      capture: true,
      attach: (control) => (stop = () => void control.schedule.stop(undefined, 0)),
    });
  } finally {
    view.close();
    io.stdout.off('resize', redraw);
    io.signals.off('SIGCONT', reenter);
    io.signals.off('exit', restore);
  }
  if (result.signal) return result;
  const last = view.lastOutput;
  if (last) io.stdout.write(last.endsWith('\n') ? last : `${last}\n`);
  if (changedAt !== undefined) line(io.stderr, `timerstack: the output changed at tick ${changedAt}`);
  else if (failed) line(io.stderr, `timerstack: tick ${failed.tick} failed with status ${failed.status}`);
  return result;
}

// The command as the header shows it: a shell string as given, else argv quoted for sh.
function shown(spec: TimerSpec): string {
  const argv = spec.command ?? [];
  if (spec.shell) return argv.join(' ');
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

