// `timerstack run FILE|-`: read a table, print its plan (--check, -n) or serve every timer from
// one process. A table read from a file is re-read on SIGHUP: unchanged lines keep their timers,
// the rest are armed or disarmed; a bad new table is refused and the running timers stay.
// Reading never blocks the running timers (table-reader.ts); SIGHUPs during a reload make one
// more reload once it is done.
import { realpathSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { EXIT, TimerstackError, UsageError } from '../errors.js';
import type { ParsedWords } from '../grammar/words.js';
import { formatInstant } from '../grammar/time.js';
import { diffTable, type TableEntry, type TableOptions } from '../kinds/table.js';
import { formatPlan } from '../output/plan.js';
import type { ExitResult, Io, OutputMode } from './io.js';
import { wallNow } from './now.js';
import type { Outlets } from './outlets.js';
import { startSchedule, type ScheduleControl, type ServeOptions } from './serve.js';
import { readTableFile, readTableStream } from './table-reader.js';
import { checkCommands, commandWarnings } from './preflight.js';
import { STOP_SIGNALS } from './stop-signals.js';

// A system crontab (cronie's: /etc/crontab and the files in /etc/cron.d) names a user after the
// time fields; timerstack runs commands as itself, so it needs to know who that is.
function tableOptions(file: string | undefined): TableOptions {
  let real: string | undefined;
  try {
    real = file === undefined ? undefined : realpathSync(file);
  } catch {
    real = file;
  }
  const systemCrontab = real === '/etc/crontab' || (real !== undefined && path.dirname(real) === '/etc/cron.d');
  return systemCrontab ? { systemCrontab, user: userInfo().username } : {};
}

// The table's timers by name, each with its line key (what a reload compares).
function keysOf(entries: readonly TableEntry[]): Map<string, string> {
  return new Map(entries.map((e) => [e.name, e.key]));
}

export async function runTable(words: ParsedWords, mode: OutputMode, io: Io, outlets: Outlets): Promise<ExitResult> {
  const file = words.positional;
  if (file === undefined) throw new UsageError('run: missing FILE (a table of timers, or - for standard input)');
  const fromStdin = file === '-';
  const now = wallNow();
  const tableOpts = tableOptions(fromStdin ? undefined : file);
  const table = fromStdin ? await readTableStream(io.stdin, now) : await readTableFile(file, now, tableOpts);
  const entries = table.entries;
  for (const note of table.notes) outlets.err.line(`timerstack: ${note}`);
  const specs = entries.map((e) => e.spec);

  if (words.options.has('check')) {
    for (const text of formatPlan(specs, mode.json, now.nowNs)) outlets.out.line(text);
    const source = fromStdin ? 'stdin' : file;
    const where = entries.map((e) => ({ where: `${source}:${e.line}: ${e.name}`, spec: e.spec }));
    for (const text of commandWarnings(where, io.env)) outlets.err.line(`timerstack: ${text}`);
    return { code: EXIT.ok };
  }
  checkCommands(specs);
  const init = words.options.has('init');
  if (fromStdin) return startSchedule(specs, mode, io, outlets, { init });

  const reloader = new Reloader(file, entries, mode.json, tableOpts);
  let detach: (() => void) | undefined;
  const options: ServeOptions = {
    stopSignals: STOP_SIGNALS.filter((s) => s !== 'SIGHUP'),
    commands: true,
    init,
    attach: (control) => {
      const onHup = () => reloader.reload(control);
      io.signals.on('SIGHUP', onHup);
      detach = () => io.signals.off('SIGHUP', onHup);
    },
  };
  try {
    return await startSchedule(specs, mode, io, outlets, options);
  } finally {
    detach?.();
  }
}

// SIGHUP for a table read from a file: re-read it and apply the difference to the running
// schedule. A refused table (or a failure arming it) leaves the timers as they were.
class Reloader {
  // The running timers by name, each with its line key (what a reload compares).
  private current: Map<string, string>;
  private state: 'idle' | 'reading' | 'again' = 'idle';

  constructor(
    private readonly file: string,
    entries: readonly TableEntry[],
    private readonly json: boolean,
    private readonly options: TableOptions,
  ) {
    this.current = keysOf(entries);
  }

  // Re-reads the file and applies the difference; never throws (it runs from a signal). A
  // SIGHUP while reading asks for one more reading after this one.
  reload(control: ScheduleControl): void {
    if (this.state !== 'idle') {
      this.state = 'again';
      return;
    }
    this.state = 'reading';
    void this.read(control).finally(() => {
      const again = this.state === 'again';
      this.state = 'idle';
      if (again) this.reload(control);
    });
  }

  private async read(control: ScheduleControl): Promise<void> {
    let next: TableEntry[];
    try {
      next = (await readTableFile(this.file, wallNow(), this.options)).entries;
    } catch (err) {
      return this.refused(control, err instanceof TimerstackError ? err.message : String(err));
    }
    const diff = diffTable(this.current, next);
    try {
      if (!control.schedule.replace(diff.add, diff.remove)) return;
    } catch (err) {
      return this.refused(control, err instanceof Error ? err.message : String(err));
    }
    this.current = keysOf(next);
    const changed = diff.remove.length - diff.removed;
    const counts = { kept: diff.kept, changed, added: diff.add.length - changed, removed: diff.removed };
    const text = `reloaded ${this.file}: ${counts.kept} kept, ${counts.changed} changed, ${counts.added} added, ${counts.removed} removed`;
    this.report(control, { event: 'reload', file: this.file, ...counts }, text);
  }

  private refused(control: ScheduleControl, message: string): void {
    const text = `reload refused: ${message} (the timers keep running as they were)`;
    this.report(control, { event: 'reload-refused', file: this.file, error: message }, text);
  }

  private report(control: ScheduleControl, json: Record<string, unknown>, text: string): void {
    control.stderr(this.json ? JSON.stringify({ event: json.event, time: formatInstant(wallNow().nowNs), ...json }) : text);
  }
}
