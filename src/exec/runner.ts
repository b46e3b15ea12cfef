// One run of a command per timer tick: an overlap policy, per-run timeouts on the loop's own
// timers, signals to whole process groups, and every outcome reported as data (RunResult). A
// run's group is followed until it is empty, after its command has exited too: timerstack never
// ends while a group it started has members (see idle() and stop()).
import { commandEnv, commandLine } from './command-line.js';
import { signalNumber } from './groups.js';
import type { OverlapPolicy } from './overlap.js';
import { adoptOrphans, reapOrphans } from './reaper.js';
import { statusOf, type ProcessEnd, type RunResult, type SkipReason, type TickContext } from './result.js';
import { Run, type RunPlan } from './run.js';

export type { OverlapPolicy } from './overlap.js';
export type { ProcessEnd, RunResult, SkipReason, TickContext } from './result.js';
export { commandEnv, commandLine } from './command-line.js';
export { statusOf } from './result.js';

const SIGTERM = 15;
const SIGKILL = 9;

export interface CommandOptions {
  timer: string;
  argv: string[];
  shell: boolean;
  overlap: OverlapPolicy;
  timeoutNs?: bigint;
  // What --timeout sends (default SIGTERM).
  timeoutSignal?: NodeJS.Signals;
  killAfterNs: bigint;
  schedule: (delayNs: bigint, fn: () => void) => () => void;
  onStart?: (tick: number, pid: number | undefined) => void;
  onResult: (result: RunResult) => void;
  onSkip: (ctx: TickContext, reason: SkipReason) => void;
  env?: NodeJS.ProcessEnv;
  // Variables set for the command on top of `env` (a crontab's NAME=value lines, --env).
  extraEnv?: Readonly<Record<string, string>>;
  // Capture each run's stdout and stderr (one pipe) into its result instead of passing them on.
  capture?: boolean;
  // The shell for `shell` (default /bin/sh: a crontab's SHELL=), and text for the command's
  // standard input (a crontab job's).
  shellPath?: string;
  input?: string;
  cwd?: string;
  // The command reads timerstack's stdin (else /dev/null).
  stdin?: 'inherit' | 'null';
  // --foreground: the command stays in timerstack's process group (the terminal's foreground
  // job); only it is signalled, not what it starts.
  foreground?: boolean;
  lockFile?: string;
}

export class CommandRunner {
  private readonly options: CommandOptions;
  private readonly plan: RunPlan | undefined;
  // Runs whose command is still running.
  private readonly runs = new Set<Run>();
  // Runs whose command has exited but whose group still has members.
  private readonly lingering = new Set<Run>();
  // The one tick waiting for the active run to end (queue and restart).
  private waiting: TickContext | undefined;
  private stopping = false;
  // Set once no tick will come (idle() was asked): what is left of earlier runs is ended.
  private ending = false;
  // Lingering runs already sent SIGTERM for that reason.
  private readonly released = new WeakSet<Run>();
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];

  constructor(options: CommandOptions) {
    this.options = options;
    const line = commandLine(options.argv, options.shell, options.shellPath);
    if (line) {
      this.plan = {
        file: line[0],
        args: line[1],
        stdin: options.stdin ?? 'null',
        ownGroup: !options.foreground,
        timeoutSignal: signalNumber(options.timeoutSignal ?? 'SIGTERM') ?? SIGTERM,
        killAfterNs: options.killAfterNs,
        schedule: options.schedule,
        ...(options.timeoutNs !== undefined ? { timeoutNs: options.timeoutNs } : {}),
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        ...(options.lockFile !== undefined ? { lockFile: options.lockFile } : {}),
        ...(options.capture ? { capture: true } : {}),
        ...(options.input !== undefined ? { input: options.input } : {}),
      };
    }
    // What a command leaves behind is re-parented here, not to PID 1, and reaped here.
    adoptOrphans();
  }

  // Commands running now (their group's leader has not exited).
  get active(): number {
    return this.runs.size;
  }

  // Applies the overlap policy to one tick. Never throws for a command's sake: a command that
  // fails, or cannot even start, is reported through onResult.
  trigger(ctx: TickContext): void {
    if (this.stopping) return this.skip(ctx, 'stopping');
    // An exit not yet read from its pidfd must not count as a running command.
    for (const run of [...this.runs]) run.poll();
    const busy = this.runs.size > 0;
    switch (this.options.overlap) {
      case 'parallel':
        return this.launch(ctx);
      case 'skip':
        return busy ? this.skip(ctx, 'overlap') : this.launch(ctx);
      case 'queue':
        if (!busy) return this.launch(ctx);
        if (this.waiting) return this.skip(ctx, 'queue-full');
        this.waiting = ctx;
        return;
      case 'restart': {
        if (!busy) return this.launch(ctx);
        // The newest tick wins: one already waiting for the old run to die is dropped.
        const superseded = this.waiting;
        this.waiting = ctx;
        if (superseded) this.skip(superseded, 'overlap');
        for (const run of [...this.runs]) run.terminate(SIGTERM, 'restart');
        this.next();
        return;
      }
    }
  }

  // Relays `signal` to every group it started (running or lingering), drops what waits, and
  // resolves once every group is empty (SIGKILL for any still there killAfterNs later).
  stop(signal: NodeJS.Signals): Promise<void> {
    this.stopping = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) this.skip(waiting, 'stopping');
    const signo = signalNumber(signal) ?? SIGTERM;
    for (const run of [...this.runs, ...this.lingering]) run.terminate(signo, 'stop');
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.settle();
    return drained;
  }

  // SIGKILL to every group at once (a second stop signal).
  killNow(): void {
    for (const run of [...this.runs, ...this.lingering]) run.relay(SIGKILL);
  }

  // Sends a signal to every group without ending anything (SIGTSTP, SIGCONT for job control).
  relay(signal: NodeJS.Signals): void {
    const signo = signalNumber(signal);
    if (signo === undefined) return;
    for (const run of [...this.runs, ...this.lingering]) run.relay(signo);
  }

  // Resolves when nothing runs or waits and every group it started is empty. Asked once no tick
  // will come: the members left in earlier runs' groups then get SIGTERM (SIGKILL killAfterNs
  // later), so that nothing a run started outlives timerstack.
  idle(): Promise<void> {
    this.ending = true;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.settle();
    return idle;
  }

  private skip(ctx: TickContext, reason: SkipReason): void {
    this.options.onSkip(ctx, reason);
  }

  private launch(ctx: TickContext): void {
    if (!this.plan) {
      this.options.onStart?.(ctx.tick, undefined);
      return this.report(ctx, { errorCode: 'EINVAL' }, 'no command given', undefined, 0, false, undefined);
    }
    const run = new Run(ctx, this.plan, {
      exited: (r, end, error, output) => this.exited(r, end, error, output),
      gone: (r) => this.gone(r),
    });
    this.runs.add(run);
    const env = commandEnv(this.options.env ?? process.env, ctx, this.options.extraEnv);
    const outcome = run.start(env);
    if (outcome === 'locked') {
      this.runs.delete(run);
      return this.skip(ctx, 'locked');
    }
    if (outcome === 'started') this.options.onStart?.(ctx.tick, run.pid);
  }

  private exited(run: Run, end: ProcessEnd, error: string | undefined, output: string | undefined): void {
    if (run.pid === undefined) this.options.onStart?.(run.ctx.tick, undefined);
    this.runs.delete(run);
    if (run.state !== 'gone') this.lingering.add(run);
    this.report(run.ctx, end, error, run.pid, run.durationMs, run.restarted, output);
    this.next();
  }

  private gone(run: Run): void {
    this.lingering.delete(run);
    this.settle();
  }

  private report(ctx: TickContext, end: ProcessEnd, error: string | undefined, pid: number | undefined, durationMs: number, restarted: boolean, output: string | undefined): void {
    this.options.onResult({
      timer: ctx.timer,
      tick: ctx.tick,
      pid,
      status: statusOf(end),
      exitCode: end.exitCode,
      signal: end.signal,
      timedOut: end.timedOut ?? false,
      restarted,
      durationMs,
      error,
      ...(output !== undefined ? { output } : {}),
    });
  }

  // Starts the waiting tick once nothing runs, then wakes idle() and stop() waiters.
  private next(): void {
    if (this.waiting && this.runs.size === 0 && !this.stopping) {
      const ctx = this.waiting;
      this.waiting = undefined;
      this.launch(ctx);
    }
    this.settle();
  }

  private settle(): void {
    if (this.runs.size > 0 || this.waiting) return;
    if (this.ending && !this.stopping) {
      for (const run of this.lingering) {
        if (this.released.has(run)) continue;
        this.released.add(run);
        run.terminate(SIGTERM, 'stop');
      }
    }
    if (this.lingering.size > 0) return;
    // A member that died just before its group was found empty may be a zombie here still.
    if (this.idleWaiters.length > 0 || this.drainWaiters.length > 0) reapOrphans();
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
    const drained = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of drained) resolve();
  }
}
