// A schedule: TimerSpecs armed on one loop, each tick turned into a report or a command run,
// limits (count, for, until) enforced, and an outcome once every timer is done or on a stop.
// It knows nothing of argv, streams or exit handling: reports go to a Reporter.
import type { Expiration, Loop, LoopTimer, TimerOptions } from './loop.js';
import type { TimerSpec } from './spec/timer.js';
import type { RunReport, SkipLine, TickReport, TimerState } from './output/events.js';
import type { CommandRunner, RunResult, TickContext } from './run/command.js';
import { formatInstant } from './spec/time.js';
import { CLOCK_REALTIME, clockNow, isRealtimeClock } from './native/libc.js';

export interface Reporter {
  // A tick of a timer without a command (stdout).
  tick(r: TickReport): void;
  // A tick of a timer with a command (stderr, when verbose).
  commandTick(r: TickReport): void;
  // A finished run (stderr: always when it failed, else when verbose).
  run(r: RunReport): void;
  // Ticks not run (overlap) or missed (the kernel counted more than one expiration).
  skip(r: SkipLine): void;
}

export type RunnerFactory = (spec: TimerSpec, hooks: {
  schedule: (delayNs: bigint, fn: () => void) => () => void;
  onResult: (result: RunResult) => void;
  onSkip: (skip: { timer: string; tick: number; reason: string }) => void;
}) => CommandRunner;

export interface Outcome {
  status: number;
}

interface Entry {
  spec: TimerSpec;
  timer: LoopTimer | undefined;
  limits: LoopTimer[];
  runner: CommandRunner | undefined;
  skipped: number;
  // Jitter-delayed ticks not yet acted on (cancelled by stop()).
  jitters: Set<LoopTimer> | undefined;
  lastStatus: number | undefined;
  settling: boolean;
  done: boolean;
  // Taken out by replace(): no new runs; a run in progress is left to finish.
  removed: boolean;
  // Wall clock minus the timer's clock, read once when armed: scheduled times are reported on
  // the wall clock as an exact grid.
  wallOffset: bigint;
}

export class Schedule {
  private entries: Entry[];
  // Removed entries whose command still runs (stop() relays signals to them too).
  private readonly retiring = new Set<Entry>();
  // Entries not yet done, retiring ones included: `done` resolves when this reaches 0.
  private live: number;
  private ended = false;
  private stopping = false;
  private failFastStatus: number | undefined;
  private resolve!: (o: Outcome) => void;
  readonly done: Promise<Outcome>;

  constructor(
    private readonly loop: Loop,
    specs: readonly TimerSpec[],
    private readonly reporter: Reporter,
    private readonly makeRunner: RunnerFactory,
    private readonly random: () => number = Math.random,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    this.entries = specs.map(newEntry);
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
    if (this.stopping || this.ended) return false;
    const names = new Set(remove);
    const gone = names.size > 0 ? this.entries.filter((e) => names.has(e.spec.name)) : [];
    const fresh = add.map(newEntry);
    // Armed before anything is removed: a failure leaves the running timers as they were, and
    // `done` cannot resolve in between.
    this.arm(fresh);
    this.live += fresh.length;
    if (gone.length > 0) this.entries = this.entries.filter((e) => !names.has(e.spec.name));
    for (const entry of fresh) this.entries.push(entry);
    for (const entry of gone) {
      entry.removed = true;
      this.cancelTimers(entry);
      // A jittered tick not yet acted on would not run anyway; it must not hold up the end.
      this.cancelJitters(entry);
      if (!entry.done) this.retiring.add(entry);
      this.settle(entry);
    }
    return true;
  }

  private arm(entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (entry.spec.command) entry.runner = this.makeRunner(entry.spec, this.runnerHooks(entry));
    }
    const timers = this.loop.addAll(
      entries.map((entry) => ({ options: timerOptions(entry.spec), handler: (ev: Expiration) => this.onTick(entry, ev) })),
    );
    const offsets = new Map<number, bigint>();
    timers.forEach((t, i) => {
      const entry = entries[i]!;
      entry.timer = t;
      let offset = offsets.get(t.clockid);
      if (offset === undefined) {
        offset = isRealtimeClock(t.clockid) ? 0n : clockNow(CLOCK_REALTIME) - clockNow(t.clockid);
        offsets.set(t.clockid, offset);
      }
      entry.wallOffset = offset;
    });
    for (const entry of entries) this.armLimits(entry);
  }

  // Stops arming and relays `signal` to running commands; resolves `done` once all are reaped.
  async stop(signal: NodeJS.Signals | undefined, status = 0): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const entry of this.entries) this.cancelTimers(entry);
    const all = [...this.entries, ...this.retiring];
    for (const entry of all) this.cancelJitters(entry);
    await Promise.all(all.map((e) => (e.runner ? e.runner.stop(signal ?? 'SIGTERM') : undefined)));
    this.end({ status });
  }

  states(): TimerState[] {
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

  private runnerHooks(entry: Entry) {
    return {
      schedule: (delayNs: bigint, fn: () => void) => {
        const t = this.loop.add({ delay: delayNs, clock: 'monotonic' }, fn);
        return () => t.cancel();
      },
      onResult: (r: RunResult) => this.onResult(entry, r),
      onSkip: (s: { timer: string; tick: number; reason: string }) => {
        entry.skipped++;
        this.reporter.skip({ timer: s.timer, tick: s.tick, skipped: 1, reason: s.reason });
      },
    };
  }

  private armLimits(entry: Entry): void {
    const { spec, timer } = entry;
    if (!timer) return;
    if (spec.forNs !== undefined) {
      entry.limits.push(this.loop.add({ clock: spec.clock, delay: spec.forNs }, () => this.finish(entry)));
    }
    if (spec.untilNs !== undefined) {
      entry.limits.push(this.loop.add({ clock: spec.clock.startsWith('realtime') ? spec.clock : 'realtime', at: spec.untilNs }, () => this.finish(entry)));
    }
  }

  private onTick(entry: Entry, ev: Expiration): void {
    if (this.stopping || entry.done || entry.removed) return;
    const { spec } = entry;
    // With --count N, expirations past the Nth (a late wake-up can carry several) are beyond
    // the limit: the report stops at tick N, so the ticks reported add up to exactly N.
    const over = spec.count !== undefined && ev.tick > spec.count ? ev.tick - spec.count : 0;
    const report: TickReport = {
      timer: spec.name,
      tick: ev.tick - over,
      expirations: ev.expirations - over,
      timeNs: ev.wallTime,
      scheduledNs: ev.scheduled - BigInt(over) * spec.intervalNs + entry.wallOffset,
      latenessUs: ev.latenessUs + (over * Number(spec.intervalNs)) / 1000,
    };
    const last = spec.intervalNs === 0n || (spec.count !== undefined && ev.tick >= spec.count);
    if (last) this.cancelTimers(entry);
    const act = () => {
      if (!entry.runner) {
        this.reporter.tick(report);
        return;
      }
      this.reporter.commandTick(report);
      if (report.expirations > 1) {
        entry.skipped += report.expirations - 1;
        this.reporter.skip({ timer: spec.name, tick: report.tick, skipped: report.expirations - 1, reason: 'missed' });
      }
      const ctx: TickContext = {
        timer: spec.name,
        tick: report.tick,
        expirations: report.expirations,
        scheduledIso: formatInstant(report.scheduledNs),
      };
      entry.runner.trigger(ctx);
    };
    if (spec.jitterNs > 0n) {
      const delay = BigInt(Math.floor(this.random() * Number(spec.jitterNs)));
      const jitter = this.loop.add({ delay, clock: 'monotonic' }, () => {
        entry.jitters?.delete(jitter);
        if (!this.stopping && !entry.removed) act();
        this.settle(entry);
      });
      (entry.jitters ??= new Set()).add(jitter);
    } else {
      act();
    }
    if (last) this.settle(entry);
  }

  private onResult(entry: Entry, r: RunResult): void {
    entry.lastStatus = r.status;
    this.reporter.run(r);
    if (r.status !== 0 && entry.spec.failFast && !this.stopping) {
      this.failFastStatus = r.status;
      void this.stop('SIGTERM', r.status);
      return;
    }
    this.settle(entry);
  }

  private finish(entry: Entry): void {
    this.cancelTimers(entry);
    this.settle(entry);
  }

  private cancelJitters(entry: Entry): void {
    for (const jitter of entry.jitters ?? []) jitter.cancel();
    entry.jitters = undefined;
  }

  private cancelTimers(entry: Entry): void {
    entry.timer?.cancel();
    for (const t of entry.limits) t.cancel();
    entry.limits = [];
  }

  // An entry is done when its timer has ended, no jittered tick waits, and no run is left
  // (idle() also covers a run still being started).
  private settle(entry: Entry): void {
    if (entry.done || entry.settling || entry.timer?.armed || (entry.jitters?.size ?? 0) > 0) return;
    const runner = entry.runner;
    if (runner) {
      entry.settling = true;
      void runner.idle().then(() => {
        entry.settling = false;
        if (runner.active === 0) this.markDone(entry);
        else this.settle(entry);
      });
      return;
    }
    this.markDone(entry);
  }

  private markDone(entry: Entry): void {
    if (entry.done) return;
    entry.done = true;
    this.retiring.delete(entry);
    // Once stopping, stop() ends the schedule, after every run and its process group is gone.
    if (--this.live === 0 && !this.stopping) this.end({ status: this.outcomeStatus() });
  }

  private end(outcome: Outcome): void {
    this.ended = true;
    this.resolve(outcome);
  }

  private outcomeStatus(): number {
    if (this.failFastStatus !== undefined) return this.failFastStatus;
    // A single once/at timer with a command exits with the command's status.
    const only = this.entries.length === 1 ? this.entries[0]! : undefined;
    if (only && only.spec.kind !== 'every' && only.lastStatus !== undefined) return only.lastStatus;
    return 0;
  }
}

function newEntry(spec: TimerSpec): Entry {
  return {
    spec,
    timer: undefined,
    limits: [],
    runner: undefined,
    skipped: 0,
    jitters: undefined,
    lastStatus: undefined,
    settling: false,
    done: false,
    removed: false,
    wallOffset: 0n,
  };
}

export function timerOptions(spec: TimerSpec): TimerOptions {
  const options: TimerOptions = { name: spec.name, clock: spec.clock, interval: spec.intervalNs };
  if (spec.atNs !== undefined) options.at = spec.atNs;
  else options.delay = spec.delayNs ?? spec.intervalNs;
  return options;
}
