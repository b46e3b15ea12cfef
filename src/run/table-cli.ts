// `timerstack run FILE|-`: read a table, print its plan (--check) or serve every timer from one
// process. A table read from a file is re-read on SIGHUP: unchanged lines keep their timers,
// the rest are armed or disarmed; a bad new table is refused and the running timers stay.
import { readFileSync } from 'node:fs';
import { EXIT, TimerstackError, UsageError } from '../errors.js';
import type { ParsedWords } from '../spec/words.js';
import type { ExitResult, Io, OutputMode, ScheduleControl, StartOptions, startSchedule } from '../cli.js';
import { formatPlan } from '../output/plan.js';
import { decodeTable, diffTable, parseTable, type TableEntry } from './table.js';
import { wallNow } from '../spec/now.js';

export interface TableDeps {
  start: typeof startSchedule;
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};


function readFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new UsageError(`cannot read ${file}: ${READ_ERRORS[code] ?? (err as Error).message}`, code);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

// The table's timers by name, each with its line key (what a reload compares).
function keysOf(entries: readonly TableEntry[]): Map<string, string> {
  return new Map(entries.map((e) => [e.name, e.key]));
}

export async function runTable(words: ParsedWords, mode: OutputMode, io: Io, deps: TableDeps): Promise<ExitResult> {
  const file = words.positional;
  if (file === undefined) throw new UsageError('run: missing FILE (a table of timers, or - for standard input)');
  const fromStdin = file === '-';
  const source = fromStdin ? 'stdin' : file;
  const bytes = fromStdin ? await readAll(io.stdin) : readFile(file);
  const entries = parseTable(decodeTable(bytes, source), source, wallNow());
  const specs = entries.map((e) => e.spec);

  if (words.options.has('check')) {
    io.stdout.write(`${formatPlan(specs, mode.json).join('\n')}\n`);
    return { code: EXIT.ok };
  }
  if (fromStdin) return deps.start(specs, mode, io);

  let current = keysOf(entries);
  let detach: (() => void) | undefined;
  const report = (control: ScheduleControl, json: Record<string, unknown>, text: string) =>
    control.stderr(mode.json ? JSON.stringify(json) : text);

  // Re-reads the file and applies the difference; never throws (it runs from a signal).
  const reload = (control: ScheduleControl) => {
    let next: TableEntry[];
    try {
      next = parseTable(decodeTable(readFile(file), source), source, wallNow());
    } catch (err) {
      const message = err instanceof TimerstackError ? err.message : String(err);
      report(control, { event: 'reload-refused', file, error: message }, `reload refused: ${message} (the timers keep running as they were)`);
      return;
    }
    const diff = diffTable(current, next);
    try {
      if (!control.schedule.replace(diff.add, diff.remove)) return;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      report(control, { event: 'reload-refused', file, error: message }, `reload refused: ${message} (the timers keep running as they were)`);
      return;
    }
    current = keysOf(next);
    const changed = diff.remove.length - diff.removed;
    const counts = { kept: diff.kept, changed, added: diff.add.length - changed, removed: diff.removed };
    report(
      control,
      { event: 'reload', file, ...counts },
      `reloaded ${file}: ${counts.kept} kept, ${counts.changed} changed, ${counts.added} added, ${counts.removed} removed`,
    );
  };

  const options: StartOptions = {
    stopSignals: ['SIGINT', 'SIGTERM'],
    commands: true,
    attach: (control) => {
      const onHup = () => reload(control);
      io.signals.on('SIGHUP', onHup);
      detach = () => io.signals.off('SIGHUP', onHup);
    },
  };
  try {
    return await deps.start(specs, mode, io, options);
  } finally {
    detach?.();
  }
}
