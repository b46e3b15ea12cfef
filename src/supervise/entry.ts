// One timer of a schedule and its lifecycle, as a written state machine:
//
//   armed ──(its timer and limits ended: last tick, a limit, removed, stop)──► draining
//   draining ──(no jittered or handed-over tick waits, no command)──► done
//   draining ──(no jittered or handed-over tick waits, a command)──► waiting
//   waiting ──(the runner went idle and nothing runs)────────────► done
//   waiting ──(the runner went idle, but a run started meanwhile)► draining
//
// `retired` marks an entry a reload took out: it acts on no further tick; a run in progress is
// left to finish (and a changed line's new entry meets it through its `handover`). Once --for
// allows no further tick, the timer is disarmed but the entry stays armed until the --for end.
// Transitions happen only in this file.
import type { CommandRunner } from '../exec/runner.js';
import type { TimerSpec } from '../kinds/kind.js';
import type { LoopTimer } from '../loop/loop.js';
import type { StateEvent } from './events.js';
import type { Handover } from './handover.js';

export type EntryState = 'armed' | 'draining' | 'waiting' | 'done';

export class Entry {
  state: EntryState = 'armed';
  retired = false;
  timer: LoopTimer | undefined;
  limits: LoopTimer[] = [];
  runner: CommandRunner | undefined;
  skipped = 0;
  // Jitter-delayed ticks not yet acted on.
  readonly jitters = new Set<LoopTimer>();
  lastStatus: number | undefined;
  // How many ticks --count and --for allow (set when armed).
  maxTicks: number | undefined;
  handover: Handover | undefined;
  // Run results seen so far.
  results = 0;

  constructor(readonly spec: TimerSpec) {}

  // Whether a tick (or a jittered one coming due) may still act.
  get acting(): boolean {
    return this.state === 'armed' && !this.retired;
  }

  // Its timer and limits are disarmed: no tick will come.
  endTimer(): void {
    this.timer?.cancel();
    for (const t of this.limits) t.cancel();
    this.limits = [];
    if (this.state === 'armed') this.state = 'draining';
  }

  cancelJitters(): void {
    for (const jitter of this.jitters) jitter.cancel();
    this.jitters.clear();
  }

  // Moves on as far as it can; calls `onDone` once when it reaches done.
  settle(onDone: () => void): void {
    if (this.state === 'armed' && this.timer?.armed === false && !this.limits.some((l) => l.armed)) this.state = 'draining';
    if (this.state !== 'draining' || this.jitters.size > 0 || this.handover?.pending) return;
    const runner = this.runner;
    if (!runner) return this.finish(onDone);
    this.state = 'waiting';
    void runner.idle().then(() => {
      if (this.state !== 'waiting') return;
      if (runner.active === 0) return this.finish(onDone);
      this.state = 'draining';
      this.settle(onDone);
    });
  }

  private finish(onDone: () => void): void {
    this.state = 'done';
    onDone();
  }
}

// Each entry's state, for SIGUSR1 (its tick as its limits count it).
export function entryStates(entries: readonly Entry[], timeNs: bigint): StateEvent[] {
  return entries.map((e) => ({
    timer: e.spec.name,
    timeNs,
    tick: Math.min(e.timer?.tick ?? 0, e.maxTicks ?? Infinity),
    skipped: e.skipped,
    remainingNs: e.timer?.armed ? e.timer.remaining() : undefined,
    intervalNs: e.spec.intervalNs,
    running: e.runner?.active ?? 0,
  }));
}
