// A schedule: TimerSpecs armed on one loop, each tick turned into an event or a command run,
// limits (count, for, until) enforced, and a status once every timer is done or on a stop.
// It knows nothing of argv, streams, clocks or text: events go to a Reporter.
//
// The schedule's own lifecycle: running ──(stop)──► stopping ──(every run reaped)──► ended,
// or running ──(its last entry is done)──► ended.
import type { RunResult, SkipReason, TickContext } from '../exec/result.js';
import { kindOf } from '../kinds/index.js';
import { clockNow } from '../native/clocks.js';
import { CLOCK_REALTIME } from '../native/libc.js';
import type { TimerSpec } from '../kinds/kind.js';
import type { MissedRange } from '../kinds/wall-clock.js';
import type { Expiration, Loop, LoopNotice } from '../loop/loop.js';
import { Entry, entryStates } from './entry.js';
import type { Reporter, StateEvent, TickEvent } from './events.js';
import { EventHold } from './event-hold.js';
import { handOver } from './handover.js';
import { armWithLimits, untilTicks } from './limits.js';
import type { Supervisor } from './supervisor.js';
import type { RunnerFactory, RunnerHooks, ScheduleEnd, ScheduleOptions } from './schedule-options.js';
import { failsFast, neverStarts } from './run-verdict.js';
import { catchUpTick, tickEvent } from './tick-event.js';

export type { RunnerFactory, RunnerHooks, ScheduleEnd, ScheduleOptions } from './schedule-options.js';

export class Schedule implements Supervisor {
  private entries: Entry[];
  // Entries a reload removed whose command still runs (stop() relays signals to them too).
  private readonly retiring = new Set<Entry>();
  // Entries not yet done, retiring ones included: `done` resolves when this reaches 0.
  private live: number;
  private state: 'running' | 'stopping' | 'ended' = 'running';
  private failFastStatus: number | undefined;
  // Pauses the timers whose events go to a blocked stdout, and lets them catch up once it drains.
  readonly events: EventHold;
  private resolve!: (end: ScheduleEnd) => void;
  readonly done: Promise<ScheduleEnd>;

  constructor(
    private readonly loop: Loop,
    specs: readonly TimerSpec[],
    private readonly reporter: Reporter,
    private readonly makeRunner: RunnerFactory,
    private readonly random: () => number = Math.random,
    private readonly options: ScheduleOptions = {},
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    this.events = new EventHold(loop);
    this.entries = specs.map((s) => new Entry(s));
    this.live = this.entries.length;
  }

  // The wall clock events are stamped with.
  private wallNow(): bigint {
    return this.options.wallNow?.() ?? clockNow(CLOCK_REALTIME);
  }

  // Arms every timer at once (one clock reading per clock, so equal specs share a timerfd), then
  // lets --persistent timers catch up on what they missed.
  start(): void {
    this.arm(this.entries);
    for (const entry of this.entries) {
      const missed = this.options.catchUps?.get(entry.spec.name);
      if (missed && entry.acting) this.catchUp(entry, missed);
    }
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
    handOver(gone, fresh, (entry) => ({ run: (ctx) => this.handedOver(entry, ctx), skip: (ctx, reason) => this.skipped(entry, ctx, reason) }));
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
      const waiting = entry.handover?.drop();
      if (waiting) this.skipped(entry, waiting, 'stopping');
    }
    await Promise.all(all.map((e) => e.runner?.stop(signal ?? 'SIGTERM')));
    this.end(status);
  }

  // Job control (SIGTSTP, SIGCONT) and a second stop signal (SIGKILL): see Supervisor.
  relay(signal: NodeJS.Signals): void {
    for (const entry of [...this.entries, ...this.retiring]) entry.runner?.relay(signal);
  }
  killNow(): void {
    for (const entry of [...this.entries, ...this.retiring]) entry.runner?.killNow();
  }

  // A notice from the loop (the CLI passes the loop's notices here): a clock step, and for a
  // computed schedule the elapses it jumped over (counted, not run).
  notice(notice: LoopNotice): void {
    if (notice.kind !== 'clock-step') return;
    this.reporter.clockStep({ timer: notice.timer?.name ?? notice.clock, timeNs: this.wallNow() });
    const entry = notice.timer && this.entries.find((e) => e.timer === notice.timer);
    if (!entry || !notice.missed) return;
    entry.skipped += notice.missed.count;
    const { count, first, last } = notice.missed;
    this.reporter.missed({ timer: entry.spec.name, timeNs: this.wallNow(), count, firstNs: first, lastNs: last });
    this.settle(entry);
  }

  states(): StateEvent[] {
    return entryStates(this.entries, this.wallNow());
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
    const armed = armWithLimits(
      this.loop,
      entries,
      (entry) => kindOf(entry.spec.kind).timer(entry.spec),
      (entry) => (ev: Expiration) => this.onTick(entry, ev),
      (entry) => () => this.finish(entry),
    );
    for (const entry of armed) this.events.track(entry);
    // A schedule with no elapse ahead at all (cron's 30 February) is done before it starts.
    for (const entry of entries) {
      if (entry.timer) continue;
      entry.endTimer();
      this.settle(entry);
    }
  }

  private runnerHooks(entry: Entry): RunnerHooks {
    return {
      schedule: (delayNs, fn) => {
        const t = this.loop.add({ delay: delayNs, clock: 'monotonic' }, fn);
        return () => t.cancel();
      },
      onResult: (r) => this.onResult(entry, r),
      onSkip: (ctx, reason) => this.skipped(entry, ctx, reason),
    };
  }

  // A tick of a changed line that waited for the old line's run.
  private handedOver(entry: Entry, ctx: TickContext): void {
    if (this.state === 'running') entry.runner?.trigger(ctx);
    else this.skipped(entry, ctx, 'stopping');
    this.settle(entry);
  }

  private skipped(entry: Entry, ctx: TickContext, reason: SkipReason): void {
    entry.skipped++;
    this.reporter.skip({ timer: ctx.timer, timeNs: this.wallNow(), tick: ctx.tick, skipped: 1, reason });
  }

  private onTick(entry: Entry, ev: Expiration): void {
    if (this.state !== 'running' || !entry.acting) return;
    const { spec } = entry;
    const cap = untilTicks(spec, ev);
    if (cap !== undefined) entry.maxTicks = Math.min(entry.maxTicks ?? cap, cap);
    const event = tickEvent(entry, ev);
    const reached = entry.maxTicks !== undefined && ev.tick >= entry.maxTicks;
    // --count reached, or its last tick: done. --for allows no more: disarmed, but it ends when
    // its time is up.
    const last = ev.final || (reached && spec.count !== undefined && ev.tick >= spec.count);
    if (last) entry.endTimer();
    else if (reached) entry.timer?.cancel();
    if (event.expirations > 0) {
      if (spec.jitterNs > 0n) this.afterJitter(entry, event);
      else this.act(entry, event);
    }
    if (last) this.settle(entry);
  }

  // Acts on a tick after a random delay up to --jitter (a pending one is cancelled by stop()),
  // stamped with when it is acted on.
  private afterJitter(entry: Entry, event: TickEvent): void {
    const delay = BigInt(Math.floor(this.random() * Number(entry.spec.jitterNs)));
    const jitter = this.loop.add({ delay, clock: 'monotonic' }, (late) => {
      entry.jitters.delete(jitter);
      const acted = { ...event, timeNs: late.wallTime, latenessUs: Number(late.wallTime - event.scheduledNs) / 1000 };
      if (this.state === 'running' && !entry.retired) this.act(entry, acted);
      this.settle(entry);
    });
    entry.jitters.add(jitter);
  }

  // Elapses missed while timerstack was not running: reported, then acted on once.
  private catchUp(entry: Entry, missed: MissedRange): void {
    const { spec } = entry;
    this.reporter.catchUp({ timer: spec.name, timeNs: this.wallNow(), count: missed.count, firstNs: missed.firstNs, lastNs: missed.lastNs });
    this.act(entry, catchUpTick(spec, missed, this.options.startedNs ?? missed.lastNs));
  }

  // A tick reported, or its command run (missed expirations reported first); a --persistent
  // timer keeps the instant it acted on.
  private act(entry: Entry, event: TickEvent): void {
    this.stamp(entry, event.scheduledNs);
    if (!entry.runner) return this.reporter.tick(event);
    this.reporter.commandTick(event);
    if (event.expirations > 1) {
      entry.skipped += event.expirations - 1;
      this.reporter.skip({ timer: event.timer, timeNs: event.timeNs, tick: event.tick, skipped: event.expirations - 1, reason: 'missed' });
    }
    const ctx = { timer: event.timer, tick: event.tick, expirations: event.expirations, scheduledNs: event.scheduledNs };
    if (entry.handover?.offer(ctx)) return;
    entry.runner.trigger(ctx);
  }

  private stamp(entry: Entry, instantNs: bigint): void {
    const file = entry.spec.persistent;
    if (file === undefined || !this.options.stamps) return;
    try {
      this.options.stamps.write(file, instantNs);
    } catch (err) {
      this.reporter.problem({ timer: entry.spec.name, timeNs: this.wallNow(), message: `--persistent: cannot write ${file}: ${(err as Error).message}` });
    }
  }

  private onResult(entry: Entry, r: RunResult): void {
    entry.lastStatus = r.status;
    this.reporter.run({ ...r, timeNs: this.wallNow() });
    if (this.state === 'running' && (failsFast(entry, r) || (entry.results++ === 0 && neverStarts(entry, r)))) {
      this.failFastStatus = r.status;
      void this.stop('SIGTERM', r.status);
      return;
    }
    this.settle(entry);
  }

  // A limit (--for, --until) was reached: every expiration the kernel counted up to it is
  // acted on first (also for a timer paused by blocked output).
  private finish(entry: Entry): void {
    entry.timer?.flush();
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
