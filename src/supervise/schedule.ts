// A schedule: TimerSpecs armed on one loop, each tick turned into an event or a command run,
// limits (count, for, until) enforced, and a status once every timer is done or on a stop.
// It knows nothing of argv, streams, clocks or text: events go to a Reporter.
//
// The schedule's own lifecycle: running ──(stop)──► stopping ──(every run reaped)──► ended,
// or running ──(its last entry is done)──► ended.
import type { CommandRunner } from '../exec/runner.js';
import type { RunResult, SkipReason, TickContext } from '../exec/result.js';
import { kindOf } from '../kinds/index.js';
import type { TimerSpec } from '../kinds/kind.js';
import type { Expiration, Loop, LoopNotice } from '../loop/loop.js';
import { Entry } from './entry.js';
import type { Reporter, StateEvent, TickEvent } from './events.js';

export interface RunnerHooks {
  // Calls `fn` after `delayNs` (on the loop's monotonic clock); returns a cancel function.
  schedule: (delayNs: bigint, fn: () => void) => () => void;
  onResult: (result: RunResult) => void;
  onSkip: (ctx: TickContext, reason: SkipReason) => void;
}

export type RunnerFactory = (spec: TimerSpec, hooks: RunnerHooks) => CommandRunner;

export interface ScheduleEnd {
  status: number;
}

export class Schedule {
  private entries: Entry[];
  // Entries a reload removed whose command still runs (stop() relays signals to them too).
  private readonly retiring = new Set<Entry>();
  // Entries not yet done, retiring ones included: `done` resolves when this reaches 0.
  private live: number;
  private state: 'running' | 'stopping' | 'ended' = 'running';
  private failFastStatus: number | undefined;
  private resolve!: (end: ScheduleEnd) => void;
  readonly done: Promise<ScheduleEnd>;

  constructor(
    private readonly loop: Loop,
    specs: readonly TimerSpec[],
    private readonly reporter: Reporter,
    private readonly makeRunner: RunnerFactory,
    private readonly random: () => number = Math.random,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    this.entries = specs.map((s) => new Entry(s));
    this.live = this.entries.length;
  }

  // Arms every timer at once (one clock reading per clock, so equal specs share a timerfd).
  start(): void {
    this.arm(this.entries);
  }

  // Changes the set of timers while running (a `run` table reloaded): the entries named in
  // `remove` are disarmed (a command still running is left to finish), and `add` is armed as
  // new timers. Others are untouched: their schedule, ticks and runs go on. Returns false once
  // the schedule has ended or is stopping.
  replace(add: readonly TimerSpec[], remove: readonly string[]): boolean {
    if (this.state !== 'running') return false;
    const names = new Set(remove);
    const gone = names.size > 0 ? this.entries.filter((e) => names.has(e.spec.name)) : [];
    const fresh = add.map((s) => new Entry(s));
    // Armed before anything is removed: a failure leaves the running timers as they were, and
    // `done` cannot resolve in between.
    this.arm(fresh);
    this.live += fresh.length;
    if (gone.length > 0) this.entries = this.entries.filter((e) => !names.has(e.spec.name));
    for (const entry of fresh) this.entries.push(entry);
    for (const entry of gone) {
      entry.retired = true;
      entry.endTimer();
      // A jittered tick not yet acted on would not run anyway; it must not hold up the end.
      entry.cancelJitters();
      if (entry.state !== 'done') this.retiring.add(entry);
      this.settle(entry);
    }
    return true;
  }

  // Stops arming and relays `signal` to running commands; resolves `done` once all are reaped.
  async stop(signal: NodeJS.Signals | undefined, status = 0): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    const all = [...this.entries, ...this.retiring];
    for (const entry of all) {
      entry.endTimer();
      entry.cancelJitters();
    }
    await Promise.all(all.map((e) => e.runner?.stop(signal ?? 'SIGTERM')));
    this.end(status);
  }

  // Sends `signal` to every command's process group without stopping anything (SIGTSTP and
  // SIGCONT: job control).
  relay(signal: NodeJS.Signals): void {
    for (const entry of [...this.entries, ...this.retiring]) entry.runner?.relay(signal);
  }

  // SIGKILL to every command's process group at once (a second stop signal while stopping).
  killNow(): void {
    for (const entry of [...this.entries, ...this.retiring]) entry.runner?.killNow();
  }

  // A notice from the loop (the CLI passes the loop's notices here).
  notice(notice: LoopNotice): void {
    if (notice.kind === 'clock-step') this.reporter.clockStep({ timer: notice.timer?.name ?? notice.clock });
  }

  states(): StateEvent[] {
    return this.entries.map((e) => ({
      timer: e.spec.name,
      tick: Math.min(e.timer?.tick ?? 0, e.spec.count ?? Infinity),
      skipped: e.skipped,
      remainingNs: e.timer?.armed ? e.timer.remaining() : undefined,
      intervalNs: e.spec.intervalNs,
      running: e.runner?.active ?? 0,
    }));
  }

  // The first timer's remaining time (for a countdown), or undefined when it is not armed.
  remaining(): bigint | undefined {
    const t = this.entries[0]?.timer;
    return t?.armed ? t.remaining() : undefined;
  }

  private arm(entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (entry.spec.command) entry.runner = this.makeRunner(entry.spec, this.runnerHooks(entry));
    }
    const timers = this.loop.addAll(
      entries.map((entry) => ({ options: kindOf(entry.spec.kind).timer(entry.spec), handler: (ev: Expiration) => this.onTick(entry, ev) })),
    );
    timers.forEach((t, i) => (entries[i]!.timer = t));
    for (const entry of entries) this.armLimits(entry);
  }

  private runnerHooks(entry: Entry): RunnerHooks {
    return {
      schedule: (delayNs, fn) => {
        const t = this.loop.add({ delay: delayNs, clock: 'monotonic' }, fn);
        return () => t.cancel();
      },
      onResult: (r) => this.onResult(entry, r),
      onSkip: (ctx, reason) => {
        entry.skipped++;
        this.reporter.skip({ timer: ctx.timer, tick: ctx.tick, skipped: 1, reason });
      },
    };
  }

  private armLimits(entry: Entry): void {
    const { spec } = entry;
    if (spec.forNs !== undefined) {
      entry.limits.push(this.loop.add({ clock: spec.clock, delay: spec.forNs }, () => this.finish(entry)));
    }
    if (spec.untilNs !== undefined) {
      const clock = spec.clock.startsWith('realtime') ? spec.clock : 'realtime';
      entry.limits.push(this.loop.add({ clock, at: spec.untilNs }, () => this.finish(entry)));
    }
  }

  private onTick(entry: Entry, ev: Expiration): void {
    if (this.state !== 'running' || !entry.acting) return;
    const { spec } = entry;
    const event = tickEvent(entry, ev);
    const last = ev.final || (spec.count !== undefined && ev.tick >= spec.count);
    if (last) entry.endTimer();
    if (spec.jitterNs > 0n) this.afterJitter(entry, event);
    else this.act(entry, event);
    if (last) this.settle(entry);
  }

  // Acts on a tick after a random delay up to --jitter (a pending one is cancelled by stop()).
  private afterJitter(entry: Entry, event: TickEvent): void {
    const delay = BigInt(Math.floor(this.random() * Number(entry.spec.jitterNs)));
    const jitter = this.loop.add({ delay, clock: 'monotonic' }, () => {
      entry.jitters.delete(jitter);
      if (this.state === 'running' && !entry.retired) this.act(entry, event);
      this.settle(entry);
    });
    entry.jitters.add(jitter);
  }

  // A tick reported, or its command run (missed expirations reported first).
  private act(entry: Entry, event: TickEvent): void {
    if (!entry.runner) return this.reporter.tick(event);
    this.reporter.commandTick(event);
    if (event.expirations > 1) {
      entry.skipped += event.expirations - 1;
      this.reporter.skip({ timer: event.timer, tick: event.tick, skipped: event.expirations - 1, reason: 'missed' });
    }
    entry.runner.trigger({ timer: event.timer, tick: event.tick, expirations: event.expirations, scheduledNs: event.scheduledNs });
  }

  private onResult(entry: Entry, r: RunResult): void {
    entry.lastStatus = r.status;
    const first = entry.results++ === 0;
    this.reporter.run(r);
    if (this.state === 'running' && (failsFast(entry, r) || (first && neverStarts(entry, r)))) {
      this.failFastStatus = r.status;
      void this.stop('SIGTERM', r.status);
      return;
    }
    this.settle(entry);
  }

  // A limit (--for, --until) was reached.
  private finish(entry: Entry): void {
    entry.endTimer();
    this.settle(entry);
  }

  private settle(entry: Entry): void {
    entry.settle(() => {
      this.retiring.delete(entry);
      // Once stopping, stop() ends the schedule, after every run and its process group is gone.
      if (--this.live === 0 && this.state === 'running') this.end(this.outcomeStatus());
    });
  }

  private end(status: number): void {
    this.state = 'ended';
    this.resolve({ status });
  }

  private outcomeStatus(): number {
    if (this.failFastStatus !== undefined) return this.failFastStatus;
    // A single once/at timer with a command exits with the command's status.
    const only = this.entries.length === 1 ? this.entries[0]! : undefined;
    if (only && kindOf(only.spec.kind).single && only.lastStatus !== undefined) return only.lastStatus;
    return 0;
  }
}

// --fail-fast and a failed run; a run timerstack itself ended for --overlap restart is not one.
function failsFast(entry: Entry, r: RunResult): boolean {
  return r.status !== 0 && entry.spec.failFast && !r.restarted;
}

// The first run could not start because the command is not there (127) or not executable (126):
// no later run will do better, so the schedule ends with that status (unless --keep-going).
function neverStarts(entry: Entry, r: RunResult): boolean {
  return r.pid === undefined && (r.status === 126 || r.status === 127) && !entry.spec.keepGoing;
}

// The tick as reported: on the wall clock, and with --count N, expirations past the Nth (a late
// wake-up can carry several) left out, so the ticks reported add up to exactly N.
function tickEvent(entry: Entry, ev: Expiration): TickEvent {
  const { spec } = entry;
  const over = spec.count !== undefined && ev.tick > spec.count ? ev.tick - spec.count : 0;
  return {
    timer: spec.name,
    tick: ev.tick - over,
    expirations: ev.expirations - over,
    timeNs: ev.wallTime,
    scheduledNs: ev.scheduled - BigInt(over) * spec.intervalNs + ev.timer.wallOffset,
    latenessUs: ev.latenessUs + (over * Number(spec.intervalNs)) / 1000,
  };
}
