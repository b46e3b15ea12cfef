// `retry`: one command, run until it succeeds, with a wait armed on the loop after each failed
// attempt has ended (never on a grid: a slow attempt pushes the next one back). Its lifecycle,
// as a written state machine:
//
//   waiting ──(the wait ended)──────────────────────────────────────────────► running
//   waiting ──(the wait was delivered after --for ended)────────────────────► ended (124)
//   running ──(it succeeded)────────────────────────────────────────────────► ended (0)
//   running ──(it failed; an attempt is left and its wait ends within --for)► waiting
//   running ──(it failed; no attempt is left, or none fits in --for)────────► ended (its status, or 124)
//   running ──(it could not be started: not found, not executable)──────────► ended (127, 126)
//   waiting, running ──(stop)──► stopping ──(the attempt reaped)────────────► ended
//
// --for is kept without reading a clock here: the first attempt's timer gives the start on the
// timer's clock, each wait's timer its absolute end, and an attempt's timeout is cut to what is
// left of --for when it starts, so a hung attempt ends with it.
import type { CommandRunner } from '../exec/runner.js';
import type { RunResult } from '../exec/result.js';
import { EXIT } from '../errors.js';
import { kindOf } from '../kinds/index.js';
import type { TimerSpec } from '../kinds/kind.js';
import { jittered, nextWait } from '../kinds/retry.js';
import { DEFAULT_BACKOFF } from '../grammar/backoff.js';
import type { Expiration, Loop, LoopNotice, LoopTimer } from '../loop/loop.js';
import { clockNow } from '../native/clocks.js';
import { CLOCK_REALTIME } from '../native/libc.js';
import type { GiveUpEvent, Reporter, StateEvent } from './events.js';
import type { RunnerFactory, RunnerHooks } from './schedule.js';
import type { Supervisor, SupervisorEnd } from './supervisor.js';

export type RetryState = 'waiting' | 'running' | 'stopping' | 'ended';

type Next =
  | { kind: 'done' }
  | { kind: 'give-up'; reason: GiveUpEvent['reason']; status: number }
  | { kind: 'wait'; timer: LoopTimer; waitNs: bigint };

export class Retry implements Supervisor {
  private state: RetryState = 'waiting';
  private attempt = 0;
  // The wait before the next attempt (the first one's: none, it fires at once).
  private wait: LoopTimer | undefined;
  private baseWaitNs: bigint | undefined;
  // The end of --for, absolute on the timer's clock.
  private deadline: bigint | undefined;
  // The running attempt's timeout is what was left of --for (not --timeout).
  private cutByFor = false;
  private runner: CommandRunner | undefined;
  // Every attempt's runner: what an earlier attempt left in its process group is followed too.
  private readonly runners: CommandRunner[] = [];
  private resolve!: (end: SupervisorEnd) => void;
  readonly done: Promise<SupervisorEnd>;

  constructor(
    private readonly loop: Loop,
    private readonly spec: TimerSpec,
    private readonly reporter: Reporter,
    private readonly makeRunner: RunnerFactory,
    private readonly random: () => number = Math.random,
    // Wall-clock now in ns since the epoch, to stamp events.
    private readonly wallNow: () => bigint = () => clockNow(CLOCK_REALTIME),
  ) {
    this.done = new Promise((r) => (this.resolve = r));
  }

  // Where the attempts are (for tests).
  get current(): RetryState {
    return this.state;
  }

  // Arms the first attempt (at once); --for counts from here.
  start(): void {
    const first = kindOf(this.spec.kind).timer(this.spec);
    if (!first) throw new Error('a retry spec has no first attempt');
    this.wait = this.loop.add(first, (ev) => this.onWaitEnded(ev));
    if (this.spec.forNs !== undefined) this.deadline = this.wait.first + this.spec.forNs;
  }

  // Cancels a wait, relays `signal` to a running attempt and waits for it to be reaped.
  async stop(signal: NodeJS.Signals | undefined, status = 0): Promise<void> {
    if (this.state === 'stopping' || this.state === 'ended') return;
    this.state = 'stopping';
    this.wait?.cancel();
    await Promise.all(this.runners.map((r) => r.stop(signal ?? 'SIGTERM')));
    this.end(status);
  }

  // Sends `signal` to every attempt's process group without stopping anything (job control).
  relay(signal: NodeJS.Signals): void {
    for (const r of this.runners) r.relay(signal);
  }

  // SIGKILL to every attempt's process group at once (a second stop signal).
  killNow(): void {
    for (const r of this.runners) r.killNow();
  }

  // A clock step, reported (waits are relative: nothing to re-arm).
  notice(notice: LoopNotice): void {
    if (notice.kind === 'clock-step') this.reporter.clockStep({ timer: notice.timer?.name ?? notice.clock, timeNs: this.wallNow() });
  }

  // The state line for SIGUSR1: the attempt as the tick, the wait as the time to the next.
  states(): StateEvent[] {
    return [
      {
        timer: this.spec.name,
        tick: this.attempt,
        skipped: 0,
        remainingNs: this.wait?.armed ? this.wait.remaining() : undefined,
        intervalNs: 0n,
        running: this.runner?.active ?? 0,
        timeNs: this.wallNow(),
      },
    ];
  }

  // The time left of the current wait.
  remaining(): bigint | undefined {
    return this.wait?.armed ? this.wait.remaining() : undefined;
  }

  // A wait ended: the next attempt starts, its timeout cut to what is left of --for.
  private onWaitEnded(ev: Expiration): void {
    if (this.state !== 'waiting') return;
    this.wait = undefined;
    const left = this.deadline === undefined ? undefined : this.deadline - ev.time;
    if (left !== undefined && left <= 0n) return this.giveUp('for', EXIT.timedOut);
    this.state = 'running';
    this.attempt++;
    const { timeoutNs } = this.spec;
    this.cutByFor = left !== undefined && (timeoutNs === undefined || left <= timeoutNs);
    const spec = this.cutByFor ? { ...this.spec, timeoutNs: left } : this.spec;
    this.runner = this.makeRunner(spec, this.hooks());
    this.runners.push(this.runner);
    this.runner.trigger({ timer: this.spec.name, tick: this.attempt, expirations: 1, scheduledNs: ev.scheduled + ev.timer.wallOffset });
  }

  // What an attempt's runner is given: its timers on the loop, and where its results go.
  private hooks(): RunnerHooks {
    return {
      // The attempt's timeout on the timer's own clock, the one --for is measured on.
      schedule: (delayNs, fn) => {
        const t = this.loop.add({ delay: delayNs, clock: this.spec.clock }, fn);
        return () => t.cancel();
      },
      onResult: (r) => this.onResult(r),
      onSkip: (ctx, reason) => this.reporter.skip({ timer: ctx.timer, timeNs: this.wallNow(), tick: ctx.tick, skipped: 1, reason }),
    };
  }

  // An attempt ended: reported, then done, given up, or a wait armed for the next one.
  private onResult(r: RunResult): void {
    if (this.state !== 'running') return this.report(r, undefined);
    const next = this.next(r);
    if (next.kind === 'wait') {
      this.wait = next.timer;
      this.state = 'waiting';
      return this.report(r, next.waitNs);
    }
    this.report(r, undefined);
    if (next.kind === 'done') this.end(EXIT.ok);
    else this.giveUp(next.reason, next.status);
  }

  // What follows an attempt: nothing (it succeeded), giving up, or the wait before the next one.
  private next(r: RunResult): Next {
    if (r.status === 0) return { kind: 'done' };
    if (this.cutByFor && r.timedOut) return { kind: 'give-up', reason: 'for', status: r.status };
    if (r.error !== undefined && (r.status === EXIT.notFound || r.status === EXIT.notExecutable)) {
      return { kind: 'give-up', reason: 'cannot-start', status: r.status };
    }
    const { attempts } = this.spec;
    if (attempts !== undefined && this.attempt >= attempts) return { kind: 'give-up', reason: 'attempts', status: r.status };
    const base = nextWait(this.spec.backoff ?? DEFAULT_BACKOFF, this.baseWaitNs);
    const waitNs = jittered(base, this.spec.jitterNs, this.random);
    const timer = this.loop.add({ name: this.spec.name, clock: this.spec.clock, delay: waitNs }, (ev) => this.onWaitEnded(ev));
    // Its absolute end, read from the armed timer: an attempt that could not start before --for
    // ends is not waited for.
    if (this.deadline !== undefined && timer.first >= this.deadline) {
      timer.cancel();
      return { kind: 'give-up', reason: 'for', status: EXIT.timedOut };
    }
    this.baseWaitNs = base;
    return { kind: 'wait', timer, waitNs };
  }

  // The attempt event for a run that ended, with the wait that follows it.
  private report(r: RunResult, waitNs: bigint | undefined): void {
    this.reporter.attempt({ ...r, attempt: this.attempt, attempts: this.spec.attempts, waitNs, timeNs: this.wallNow() });
  }

  // Reports giving up and ends with `status`.
  private giveUp(reason: GiveUpEvent['reason'], status: number): void {
    this.reporter.giveUp({ timer: this.spec.name, attempts: this.attempt, reason, status, timeNs: this.wallNow() });
    this.end(status);
  }

  // The one way to `ended`: resolves `done` once nothing the attempts started is left (a runner
  // ends what an attempt left in its group: SIGTERM, then SIGKILL after --kill-after).
  private end(status: number): void {
    this.state = 'ended';
    void Promise.all(this.runners.map((r) => r.idle())).then(() => this.resolve({ status }));
  }
}
