// --watch: the command's output full-screen under a header (interval, command, tick, last
// status, run time, time), redrawn after each run and whenever asked (a resized terminal). It is
// the schedule's Reporter; it draws, and tells its owner (cli/watch.ts) after each run whether
// what the screen shows of the output changed.
import { formatDuration } from '../grammar/duration.js';
import type { MissedEvent, Reporter, RunEvent, SkipEvent, TickEvent } from '../supervise/events.js';
import { spread, toRows, type Row } from './watch-cells.js';
import { ENTER_SCREEN, LEAVE_SCREEN, changedCells, drawFrame, sameRows } from './watch-screen.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface WatchViewOptions {
  intervalNs: bigint;
  // The command as the header shows it.
  command: string;
  differences: boolean;
  write: (text: string) => void;
  size: () => TerminalSize;
  // After each run: its result, and whether the screen's part of its output differs from the
  // run before's (never for the first run).
  onRun?: (run: RunEvent, changed: boolean) => void;
}

export class WatchView implements Reporter {
  private state: 'closed' | 'open' | 'left' = 'closed';
  private output: string | undefined;
  private before: string | undefined;
  private last: { run: RunEvent; timeNs: bigint | undefined } | undefined;
  // Ticks whose run has started and not ended, with their wall-clock time.
  private readonly running = new Map<number, bigint>();
  private skipped = 0;

  constructor(private readonly options: WatchViewOptions) {}

  // The last run's output, as the screen showed it.
  get lastOutput(): string | undefined {
    return this.output;
  }

  // Switches to the full screen and draws.
  open(): void {
    if (this.state !== 'closed') return;
    this.state = 'open';
    this.options.write(ENTER_SCREEN);
    this.draw();
  }

  // Gives the terminal back as it was; once.
  close(): void {
    if (this.state !== 'open') return;
    this.state = 'left';
    this.options.write(LEAVE_SCREEN);
  }

  // Draws the whole screen again at the terminal's size now (after a resize; after SIGCONT,
  // `enter` switches to the full screen first, as a shell may have switched back).
  redraw(enter = false): void {
    if (this.state !== 'open') return;
    if (enter) this.options.write(ENTER_SCREEN);
    this.draw();
  }

  tick(_e: TickEvent): void {
    // A watched timer always has a command: its ticks come as commandTick.
  }

  // A run started: the header says so.
  commandTick(e: TickEvent): void {
    this.running.set(e.tick, e.timeNs);
    this.draw();
  }

  // A run ended: its output is the new screen (what failed to start, its reason).
  run(e: RunEvent): void {
    const timeNs = this.running.get(e.tick);
    this.running.delete(e.tick);
    const output = e.error ? `${e.error}\n` : (e.output ?? '');
    const { width, bodyRows } = this.layout();
    const changed = this.output !== undefined && !sameRows(toRows(this.output, width, bodyRows), toRows(output, width, bodyRows));
    this.before = this.output;
    this.output = output;
    this.last = { run: e, timeNs };
    this.draw();
    this.options.onRun?.(e, changed);
  }

  // Ticks not run (overlap): counted in the header.
  skip(e: SkipEvent): void {
    this.skipped += e.skipped;
    this.draw();
  }

  // Expirations of a computed schedule (every --align by days) a clock step jumped over.
  missed(e: MissedEvent): void {
    this.skipped += e.count;
    this.draw();
  }

  // retry's, calendar's and --persistent's events: not for a watched `every`.
  attempt(): void {}

  giveUp(): void {}

  catchUp(): void {}

  problem(): void {}

  clockStep(): void {}

  // The terminal's size now, and the rows left for the output under the header.
  private layout(): { width: number; height: number; bodyRows: number } {
    const { columns, rows } = this.options.size();
    const width = Math.max(1, columns);
    const height = Math.max(1, rows);
    return { width, height, bodyRows: Math.max(0, height - 2) };
  }

  // One frame: the header, and the last output with what changed if asked.
  private draw(): void {
    if (this.state !== 'open') return;
    const { width, height, bodyRows } = this.layout();
    const body: Row[] = toRows(this.output ?? '', width, bodyRows);
    const changed = this.options.differences && this.before !== undefined ? changedCells(toRows(this.before, width, bodyRows), body) : undefined;
    const every = `Every ${formatDuration(this.options.intervalNs)}:`;
    const header = spread(`${every} ${this.options.command}`, this.statuses(), width, every.length);
    this.options.write(drawFrame({ header, body, ...(changed ? { changed } : {}) }, width, height));
  }

  // The right part of the header, from the longest to the shortest:
  // "running · tick 14 · exit 0 · 12ms · 3 skipped · 2026-11-27 15:50:02" … "tick 14 · exit 0".
  private statuses(): string[] {
    const [runningTick, runningTime] = [...this.running][0] ?? [];
    const timeNs = this.last?.timeNs ?? runningTime;
    const time = timeNs === undefined ? '' : localTime(timeNs);
    const state = this.last ? [`tick ${this.last.run.tick}`, ending(this.last.run)] : [];
    const took = this.last ? [formatMs(this.last.run.durationMs)] : [];
    const running = runningTick === undefined ? [] : [this.last ? 'running' : `tick ${runningTick} running`];
    const skipped = this.skipped > 0 ? [`${this.skipped} skipped`] : [];
    const variants = [
      [...running, ...state, ...took, ...skipped, time],
      [...running, ...state, ...took, ...skipped, time.slice(11)],
      [...running, ...state, ...skipped, time.slice(11)],
      [...running, ...state, time.slice(11)],
      [...running, ...state],
      state.length > 0 ? state : running,
    ];
    return variants.map((parts) => parts.filter((p) => p !== '').join(' · '));
  }
}

// How a run ended, short: "exit 0", "SIGTERM (143)", "timed out (124)", "not started (127)".
function ending(r: RunEvent): string {
  if (r.error) return `not started (${r.status})`;
  if (r.timedOut) return `timed out (${r.status})`;
  if (r.signal) return `${r.signal} (${r.status})`;
  return `exit ${r.status}`;
}

// A run's duration: "12ms", "1.50s".
function formatMs(ms: number): string {
  return ms < 999.5 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

// Local wall time as "2026-11-27 15:50:02".
function localTime(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
