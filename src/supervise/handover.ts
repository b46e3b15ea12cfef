// A table line changed by a reload while its old command still runs: the new line's ticks meet
// that old run as if it were their own, under the new line's --overlap policy. skip: the tick is
// skipped and reported; queue: one tick waits for the old run to end; restart: the old run is
// stopped (SIGTERM, then SIGKILL after its --kill-after) and the newest tick runs once it is
// gone; parallel: it runs alongside. So old and new never run at once unless parallel says so.
import type { CommandRunner } from '../exec/runner.js';
import type { OverlapPolicy } from '../exec/overlap.js';
import type { SkipReason, TickContext } from '../exec/result.js';
import type { TimerSpec } from '../kinds/kind.js';

export interface HandoverHooks {
  // Runs a tick that waited (the old run is over).
  run(ctx: TickContext): void;
  skip(ctx: TickContext, reason: SkipReason): void;
}

export class Handover {
  // The tick waiting for the old run to end (queue and restart).
  private held: TickContext | undefined;

  constructor(
    private readonly old: CommandRunner,
    private readonly policy: OverlapPolicy,
    private readonly hooks: HandoverHooks,
  ) {}

  // A tick is waiting: the new line is not done before it has run.
  get pending(): boolean {
    return this.held !== undefined;
  }

  // Whether the old run is over (the handover has nothing left to do).
  get over(): boolean {
    return this.old.active === 0 && this.held === undefined;
  }

  // Takes a tick while the old run lasts; false when it may run as usual.
  offer(ctx: TickContext): boolean {
    if (this.over || this.policy === 'parallel') return false;
    if (this.policy === 'skip') {
      this.hooks.skip(ctx, 'overlap');
      return true;
    }
    if (this.policy === 'queue' && this.held) {
      this.hooks.skip(ctx, 'queue-full');
      return true;
    }
    // restart: the newest tick wins, and the old run is asked to end.
    if (this.held) this.hooks.skip(this.held, 'overlap');
    if (this.policy === 'restart') void this.old.stop('SIGTERM');
    this.hold(ctx);
    return true;
  }

  // The waiting tick, if any, is not run (the schedule is stopping): it is handed back.
  drop(): TickContext | undefined {
    const held = this.held;
    this.held = undefined;
    return held;
  }

  private hold(ctx: TickContext): void {
    const first = this.held === undefined;
    this.held = ctx;
    if (!first) return;
    void this.old.idle().then(() => {
      const waiting = this.drop();
      if (waiting) this.hooks.run(waiting);
    });
  }
}

// What a handover needs of a schedule's entry (entry.ts).
export interface HandingOver {
  readonly spec: TimerSpec;
  runner: CommandRunner | undefined;
  handover: Handover | undefined;
}

// The handovers of a reload: each changed line (removed and added under one name) whose old
// command still runs meets that run.
export function handOver<E extends HandingOver>(gone: readonly E[], fresh: readonly E[], hooks: (entry: E) => HandoverHooks): void {
  for (const entry of fresh) {
    const old = gone.find((g) => g.spec.name === entry.spec.name)?.runner;
    if (!old || old.active === 0 || !entry.spec.command) continue;
    entry.handover = new Handover(old, entry.spec.overlap, hooks(entry));
  }
}
