// `timerstack run FILE|-`: read a table, print its plan (--check) or serve every timer from one
// process. A table read from a file is re-read on SIGHUP: unchanged lines keep their timers,
// the rest are armed or disarmed; a bad new table is refused and the running timers stay.
import { readFileSync, realpathSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { EXIT, TimerstackError, UsageError } from '../errors.js';
import type { ParsedWords } from '../grammar/words.js';
import { formatInstant } from '../grammar/time.js';
import { decodeTable, diffTable, readTable, type TableEntry, type TableOptions } from '../kinds/table.js';
import { formatPlan } from '../output/plan.js';
import type { ExitResult, Io, OutputMode } from './io.js';
import { wallNow } from './now.js';
import { startSchedule, type ScheduleControl, type ServeOptions } from './serve.js';
import { STOP_SIGNALS } from './stop-signals.js';
import { checkCommands, commandWarnings } from './preflight.js';

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

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

export function readFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new UsageError(`cannot read ${file}: ${READ_ERRORS[code] ?? (err as Error).message}`, code);
  }
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

// The table's timers by name, each with its line key (what a reload compares).
function keysOf(entries: readonly TableEntry[]): Map<string, string> {
  return new Map(entries.map((e) => [e.name, e.key]));
}

export async function runTable(words: ParsedWords, mode: OutputMode, io: Io): Promise<ExitResult> {
  const file = words.positional;
  if (file === undefined) throw new UsageError('run: missing FILE (a table of timers, or - for standard input)');
  const fromStdin = file === '-';
  const source = fromStdin ? 'stdin' : file;
  const bytes = fromStdin ? await readAll(io.stdin) : readFile(file);
  const now = wallNow();
  const tableOpts = tableOptions(fromStdin ? undefined : file);
  const table = readTable(decodeTable(bytes, source), source, now, tableOpts);
  const entries = table.entries;
  for (const note of table.notes) io.stderr.write(`timerstack: ${note}\n`);
  const specs = entries.map((e) => e.spec);

  if (words.options.has('check')) {
    io.stdout.write(`${formatPlan(specs, mode.json, now.nowNs).join('\n')}\n`);
    const where = entries.map((e) => ({ where: `${source}:${e.line}: ${e.name}`, spec: e.spec }));
    for (const text of commandWarnings(where, io.env)) io.stderr.write(`timerstack: ${text}\n`);
    return { code: EXIT.ok };
  }
  checkCommands(specs);
  const init = words.options.has('init');
  if (fromStdin) return startSchedule(specs, mode, io, { init });

  const reloader = new Reloader(file, source, entries, mode.json, tableOpts);
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
    return await startSchedule(specs, mode, io, options);
  } finally {
    detach?.();
  }
}

// SIGHUP for a table read from a file: re-read it and apply the difference to the running
// schedule. A refused table (or a failure arming it) leaves the timers as they were.
class Reloader {
  // The running timers by name, each with its line key (what a reload compares).
  private current: Map<string, string>;

  constructor(
    private readonly file: string,
    private readonly source: string,
    entries: readonly TableEntry[],
    private readonly json: boolean,
    private readonly options: TableOptions,
  ) {
    this.current = keysOf(entries);
  }

  // Re-reads the file and applies the difference; never throws (it runs from a signal).
  reload(control: ScheduleControl): void {
    let next: TableEntry[];
    try {
      next = readTable(decodeTable(readFile(this.file), this.source), this.source, wallNow(), this.options).entries;
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
