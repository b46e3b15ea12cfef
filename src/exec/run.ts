// One run of a command: started, timed out, signalled, and followed until its process group is
// empty. The lifecycle:
//
//   running ──(the leader exited: the result is reported)──► exited ──(group empty)──► gone
//   (a run that cannot start, or whose --lock is held elsewhere, never reaches running)
import { performance } from 'node:perf_hooks';
import { signalName } from './groups.js';
import { ProcessGroup } from './group.js';
import { RunLock } from './lock.js';
import type { ProcessEnd, TickContext } from './result.js';
import { OutputCapture } from './capture.js';
import { StdinFeed } from './input.js';
import { oneLine } from './result.js';
import { startCommand, type CommandStart, type Started } from './spawn.js';
import type { ChildState } from '../native/process.js';

const SIGKILL = 9;

export interface RunPlan extends Omit<CommandStart, 'env' | 'outputFd'> {
  // Capture stdout and stderr (one pipe) for the result, instead of passing them on (--watch).
  capture?: boolean;
  // Text for the command's stdin (a crontab line's % part).
  input?: string;
  timeoutNs?: bigint;
  // What --timeout sends (--signal; SIGTERM by default).
  timeoutSignal: number;
  killAfterNs: bigint;
  lockFile?: string;
  schedule: (delayNs: bigint, fn: () => void) => () => void;
}

export interface RunEvents {
  // The leader ended (or never started: `error` says why); the result can be reported.
  exited(run: Run, end: ProcessEnd, error: string | undefined, output: string | undefined): void;
  // Nothing of the run is left (its lock is released).
  gone(run: Run): void;
}

export type RunState = 'new' | 'running' | 'exited' | 'gone';

export class Run {
  state: RunState = 'new';
  pid: number | undefined;
  startedAt = 0;
  durationMs = 0;
  timedOut = false;
  // Ended by timerstack's own signal for --overlap restart (not a failure of the command).
  restarted = false;
  private group: ProcessGroup | undefined;
  private lock: RunLock | undefined;
  private cancelTimeout: (() => void) | undefined;
  private cancelKill: (() => void) | undefined;
  private capture: OutputCapture | undefined;

  constructor(
    readonly ctx: TickContext,
    private readonly plan: RunPlan,
    private readonly events: RunEvents,
  ) {}

  // Takes the lock and spawns; 'locked' when another run holds it (nothing was started).
  start(env: Record<string, string>): 'started' | 'locked' | 'failed' {
    this.startedAt = performance.now();
    if (this.plan.lockFile !== undefined) {
      const attempt = RunLock.take(this.plan.lockFile);
      if ('busy' in attempt) return 'locked';
      if ('error' in attempt) return this.fail('ELOCK', attempt.error);
      this.lock = attempt.held;
    }
    const started = this.spawn(env);
    if ('error' in started) return this.fail(started.code, started.error);
    this.state = 'running';
    this.pid = started.pid;
    this.group = new ProcessGroup(started.pid, started.pidfd, this.plan.ownGroup, {
      exited: (state) => this.exited(state),
      empty: () => this.gone(),
    });
    if (this.plan.timeoutNs !== undefined) {
      this.cancelTimeout = this.plan.schedule(this.plan.timeoutNs, () => {
        this.cancelTimeout = undefined;
        if (this.state !== 'running' || this.cancelKill) return;
        this.timedOut = true;
        this.terminate(this.plan.timeoutSignal, 'timeout');
      });
    }
    return 'started';
  }

  // Spawns with the run's own stdio: a capture pipe for its output, a pipe fed with its input.
  private spawn(env: Record<string, string>): Started {
    let feed: StdinFeed | undefined;
    try {
      if (this.plan.capture) this.capture = new OutputCapture();
      if (this.plan.input !== undefined) feed = new StdinFeed(this.plan.input);
    } catch (err) {
      return { code: (err as { code?: string }).code ?? 'EIO', error: `cannot run: ${oneLine(err)}` };
    }
    const started = startCommand({
      ...this.plan,
      env,
      ...(feed ? { stdin: feed.readFd } : {}),
      ...(this.capture ? { outputFd: this.capture.writeFd } : {}),
    });
    this.capture?.spawned();
    if ('error' in started) feed?.abandon();
    else feed?.spawned();
    return started;
  }

  // Looks at the leader now (see ProcessGroup.poll).
  poll(): void {
    this.group?.poll();
  }

  // Signals the whole group and arms SIGKILL for killAfterNs later. A run already being ended
  // (timeout, restart) takes a further signal only from a stop.
  terminate(signo: number, why: 'timeout' | 'restart' | 'stop'): void {
    if (!this.group || this.state === 'gone') return;
    this.cancelTimeout?.();
    this.cancelTimeout = undefined;
    if (this.cancelKill && why !== 'stop') return;
    if (why === 'restart' && this.state === 'running') this.restarted = true;
    this.group.signal(signo);
    this.cancelKill ??= this.plan.schedule(this.plan.killAfterNs, () => {
      this.cancelKill = undefined;
      this.group?.signal(SIGKILL);
    });
  }

  // Sends a signal without ending anything (SIGTSTP, SIGCONT), or SIGKILL at once.
  relay(signo: number): void {
    this.group?.signal(signo);
  }

  private exited(state: ChildState): void {
    this.cancelTimeout?.();
    this.cancelTimeout = undefined;
    this.state = 'exited';
    this.durationMs = Math.round((performance.now() - this.startedAt) * 1000) / 1000;
    const end: ProcessEnd =
      state.how === 'exited' ? { exitCode: state.status, timedOut: this.timedOut } : { signal: signalName(state.status) ?? `SIG${state.status}`, timedOut: this.timedOut };
    this.events.exited(this, end, undefined, this.capture?.finish());
  }

  private gone(): void {
    this.cancelKill?.();
    this.cancelKill = undefined;
    this.lock?.release();
    this.lock = undefined;
    this.state = 'gone';
    this.events.gone(this);
  }

  private fail(code: string, error: string): 'failed' {
    this.state = 'exited';
    this.durationMs = Math.round((performance.now() - this.startedAt) * 1000) / 1000;
    this.events.exited(this, { errorCode: code }, error, this.capture?.finish());
    this.gone();
    return 'failed';
  }
}
