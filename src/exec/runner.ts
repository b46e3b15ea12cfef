// One run of a command per timer tick: an overlap policy, per-run timeouts on the loop's own
// timers, signals to whole process groups, and every outcome reported as data (RunResult).
import { performance } from 'node:perf_hooks';
import { commandEnv, commandLine } from './command-line.js';
import { groupAlive, killGroup } from './groups.js';
import type { OverlapPolicy } from './overlap.js';
import { oneLine, startError, statusOf, type ProcessEnd, type RunResult, type SkipReason, type TickContext } from './result.js';
import { loadExeca, loadedExeca, spawnCommand, type Execa, type Subprocess } from './spawn.js';

export type { OverlapPolicy } from './overlap.js';
export type { ProcessEnd, RunResult, SkipReason, TickContext } from './result.js';
export { commandEnv, commandLine } from './command-line.js';
export { statusOf } from './result.js';
export { loadExeca } from './spawn.js';

export interface CommandOptions {
  timer: string;
  argv: string[];
  shell: boolean;
  overlap: OverlapPolicy;
  timeoutNs?: bigint;
  killAfterNs: bigint;
  schedule: (delayNs: bigint, fn: () => void) => () => void;
  onStart?: (tick: number, pid: number | undefined) => void;
  onResult: (result: RunResult) => void;
  onSkip: (ctx: TickContext, reason: SkipReason) => void;
  env?: NodeJS.ProcessEnv;
  // The shell for `shell` (default /bin/sh), variables added to the environment, and text for the
  // command's standard input (a crontab job's).
  shellPath?: string;
  extraEnv?: Readonly<Record<string, string>>;
  input?: string;
}

interface Run {
  ctx: TickContext;
  state: 'loading' | 'running' | 'dropped';
  pid: number | undefined;
  startedAt: number;
  timedOut: boolean;
  // Set once we have signalled its group (timeout, restart, stop): the SIGKILL deadline.
  cancelKill: (() => void) | undefined;
  cancelTimeout: (() => void) | undefined;
}

export class CommandRunner {
  private readonly options: CommandOptions;
  private readonly runs = new Set<Run>();
  // Runs waiting for execa to load, in tick order.
  private readonly unspawned: Run[] = [];
  // The one tick waiting for the active run to end (queue and restart).
  private waiting: TickContext | undefined;
  // Groups whose leader has ended but whose other members were still alive after our signal:
  // they get SIGKILL at the deadline armed with that signal.
  private readonly lingering = new Set<Run>();
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];

  constructor(options: CommandOptions) {
    this.options = options;
  }

  get active(): number {
    return this.runs.size;
  }

  // Applies the overlap policy to one tick. Never throws for a command's sake: a command that
  // fails, or cannot even start, is reported through onResult.
  trigger(ctx: TickContext): void {
    if (this.stopping) return this.skip(ctx, 'stopping');
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
        for (const run of [...this.runs]) this.terminate(run, 'SIGTERM', 'overlap');
        this.next();
        return;
      }
    }
  }

  // Relays `signal` to every running group, drops what waits, and resolves once every run has
  // ended and been reaped (SIGKILL for any group still alive killAfterNs after the signal).
  stop(signal: NodeJS.Signals): Promise<void> {
    this.stopping = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) this.skip(waiting, 'stopping');
    for (const run of [...this.runs]) this.terminate(run, signal, 'stopping');
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.settle();
    return drained;
  }

  // Resolves when nothing is running or queued.
  idle(): Promise<void> {
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.settle();
    return idle;
  }

  private skip(ctx: TickContext, reason: SkipReason): void {
    this.options.onSkip(ctx, reason);
  }

  private launch(ctx: TickContext): void {
    const run: Run = {
      ctx,
      state: 'loading',
      pid: undefined,
      startedAt: 0,
      timedOut: false,
      cancelKill: undefined,
      cancelTimeout: undefined,
    };
    this.runs.add(run);
    const execa = loadedExeca();
    if (execa && this.unspawned.length === 0) return this.spawn(run, execa);
    this.unspawned.push(run);
    if (this.unspawned.length > 1) return;
    loadExeca().then(
      (execa) => {
        for (let r = this.unspawned.shift(); r; r = this.unspawned.shift()) if (r.state === 'loading') this.spawn(r, execa);
      },
      (err: unknown) => {
        for (let r = this.unspawned.shift(); r; r = this.unspawned.shift()) {
          if (r.state === 'loading') this.finish(r, { errorCode: 'EEXECA' }, `cannot load execa: ${oneLine(err)}`);
        }
      },
    );
  }

  private spawn(run: Run, execa: Execa): void {
    run.state = 'running';
    run.startedAt = performance.now();
    const line = commandLine(this.options.argv, this.options.shell, this.options.shellPath);
    if (!line) {
      this.options.onStart?.(run.ctx.tick, undefined);
      return this.finish(run, { errorCode: 'EINVAL' }, 'no command given');
    }
    const [file, args] = line;
    let subprocess: Subprocess;
    try {
      subprocess = spawnCommand(execa, file, args, commandEnv(this.options.env ?? process.env, run.ctx, this.options.extraEnv), this.options.input);
    } catch (err) {
      this.options.onStart?.(run.ctx.tick, undefined);
      return this.finish(run, { errorCode: (err as NodeJS.ErrnoException).code ?? 'EEXECA' }, oneLine(err));
    }
    run.pid = subprocess.pid;
    if (run.pid !== undefined && this.options.timeoutNs !== undefined) {
      run.cancelTimeout = this.options.schedule(this.options.timeoutNs, () => {
        run.cancelTimeout = undefined;
        if (run.state !== 'running' || run.cancelKill) return;
        run.timedOut = true;
        this.terminate(run, 'SIGTERM', 'overlap');
      });
    }
    this.options.onStart?.(run.ctx.tick, run.pid);
    subprocess.then(
      (result) => {
        const r = result as { exitCode?: number; signal?: string; failed?: boolean; code?: string; originalMessage?: string; message?: string };
        const started = run.pid !== undefined;
        if (!started || (r.exitCode === undefined && r.signal === undefined)) {
          const code = r.code ?? 'EEXECA';
          return this.finish(run, { errorCode: code }, startError(file, code, r.originalMessage ?? r.message));
        }
        this.finish(run, { exitCode: r.exitCode, signal: r.signal, timedOut: run.timedOut }, undefined);
      },
      (err: unknown) => this.finish(run, { errorCode: 'EEXECA' }, oneLine(err)),
    );
  }

  // Signals a run's group, arming SIGKILL for killAfterNs later; a run not yet started is
  // dropped and reported as skipped.
  private terminate(run: Run, signal: NodeJS.Signals, reason: 'overlap' | 'stopping'): void {
    if (run.state === 'loading') {
      run.state = 'dropped';
      this.runs.delete(run);
      this.skip(run.ctx, reason);
      return;
    }
    if (run.state !== 'running' || run.pid === undefined) return;
    run.cancelTimeout?.();
    run.cancelTimeout = undefined;
    // A second signal for the same run only from stop() (e.g. a relayed SIGINT after a timeout).
    if (run.cancelKill && reason !== 'stopping') return;
    killGroup(run.pid, signal);
    const pgid = run.pid;
    run.cancelKill ??= this.options.schedule(this.options.killAfterNs, () => {
      run.cancelKill = undefined;
      killGroup(pgid, 'SIGKILL');
      if (this.lingering.delete(run)) this.settle();
    });
  }

  private finish(run: Run, end: ProcessEnd, error: string | undefined): void {
    run.cancelTimeout?.();
    run.cancelTimeout = undefined;
    run.state = 'dropped';
    this.runs.delete(run);
    // The leader has ended; other members of a group we signalled still get their SIGKILL.
    if (run.cancelKill) {
      if (run.pid !== undefined && groupAlive(run.pid)) this.lingering.add(run);
      else {
        run.cancelKill();
        run.cancelKill = undefined;
      }
    }
    const durationMs = run.startedAt === 0 ? 0 : Math.round((performance.now() - run.startedAt) * 1000) / 1000;
    this.options.onResult({
      timer: run.ctx.timer,
      tick: run.ctx.tick,
      pid: run.pid,
      status: statusOf(end),
      exitCode: end.exitCode,
      signal: end.signal,
      timedOut: end.timedOut ?? false,
      durationMs,
      error,
    });
    this.next();
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
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
    if (this.lingering.size > 0) return;
    const drained = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of drained) resolve();
  }
}

