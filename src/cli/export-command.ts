// `timerstack export systemd|kubernetes TABLE...|SPEC [options]`: the words → the timers to
// export (each table line, or one spec written as on the command line) and the export's own
// options, found anywhere before `--`. The translating and writing is in export-output.ts.
import { UsageError } from '../errors.js';
import { DIR, IMAGE, NAMESPACE, USER } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { parseWords, wordTokens } from '../grammar/words.js';
import { KINDS } from '../kinds/index.js';
import { buildSpec } from '../kinds/spec.js';
import { decodeTable, parseTable } from '../kinds/table.js';
import { shellWords } from '../export/common.js';
import type { ExitResult, Io } from './io.js';
import { wallNow } from './now.js';
import { readAll, readFile } from './run-table.js';
import { writeExport, type ExportEntry, type ExportRequest, type ExportTarget } from './export-output.js';

const TARGETS: readonly ExportTarget[] = ['systemd', 'kubernetes'];
const OWN_OPTIONS = new Set([USER.name, DIR.name, IMAGE.name, NAMESPACE.name]);
const TARGET_OF: Record<string, ExportTarget> = { user: 'systemd', dir: 'systemd', image: 'kubernetes', namespace: 'kubernetes' };

// Runs the export; `help` is called for `export --help`.
export async function exportCommand(argv: readonly string[], io: Io, help: () => Promise<ExitResult>): Promise<ExitResult> {
  const target = argv[1];
  if (target === undefined || target === '--help' || target === '-h') {
    if (target === undefined) throw new UsageError('export: missing TARGET (systemd or kubernetes)');
    return help();
  }
  if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`export: unknown target ${quote(target)} (use systemd or kubernetes)`);
  const split = splitWords(argv.slice(2), target as ExportTarget);
  if (split.help) return help();
  const request: ExportRequest = { target: target as ExportTarget, options: split.options, cwd: process.cwd() };
  const entries = split.spec ? [specEntry(split.spec)] : await tableEntries(split.files, io);
  return writeExport(request, entries, io);
}

interface SplitWords {
  options: Map<string, string | true>;
  // The spec's words (the timer command first), or the table files.
  spec: string[] | undefined;
  files: string[];
  help: boolean;
}

// The export's options from anywhere before `--`; the rest is a spec (when it starts with a kind
// of timer) or table files.
function splitWords(words: readonly string[], target: ExportTarget): SplitWords {
  const out: SplitWords = { options: new Map(), spec: undefined, files: [], help: false };
  const rest: string[] = [];
  for (const token of wordTokens(['export', ...words])) {
    if (token.kind === 'help') out.help = true;
    else if (token.kind === 'command') rest.push('--', ...token.argv);
    else if (token.kind === 'positional') rest.push(token.word);
    else if (token.kind === 'unknown') throw new UsageError(`unknown option ${quote(token.spelled)}`);
    else if (OWN_OPTIONS.has(token.def.name)) {
      if (TARGET_OF[token.def.name] !== target) throw new UsageError(`option --${token.def.name} applies to export ${TARGET_OF[token.def.name]}, not ${target}`);
      if (token.value === undefined) throw new UsageError(`option --${token.def.name} needs a value (${token.def.arg})`);
      if (token.def.type === 'flag' && token.value !== true) throw new UsageError(`option --${token.def.name} takes no value`);
      out.options.set(token.def.name, token.value);
    } else if (token.def.scope === 'process') {
      throw new UsageError(`option ${token.spelled} does not apply to export`);
    } else {
      // The option's name and value as two words (the walker reads them back the same way).
      if (token.value === true) rest.push(token.spelled);
      else rest.push(`--${token.def.name}`, ...(token.value === undefined ? [] : [token.value]));
    }
  }
  if (out.help) return out;
  const first = rest[0];
  if (first !== undefined && Object.hasOwn(KINDS, first)) out.spec = rest;
  else if (first === undefined) throw new UsageError(`export ${target}: missing TABLE files or a SPEC (once|every|at ... -- COMMAND)`);
  else {
    const bad = rest.find((w) => w.startsWith('-') && w !== '-');
    if (bad !== undefined) throw new UsageError(`export ${target}: ${quote(bad)} belongs in a table line, not after TABLE`);
    out.files = rest;
  }
  return out;
}

// One timer written as on the command line.
function specEntry(words: string[]): ExportEntry {
  const spec = buildSpec(parseWords(words, 'table'), { ...wallNow(), defaultName: 'timer' });
  return { label: spec.name, source: shellWords(words), spec };
}

// The timers of every table, labelled FILE:LINE; a name used twice would write one unit over
// another, so it is refused.
async function tableEntries(files: readonly string[], io: Io): Promise<ExportEntry[]> {
  const entries: ExportEntry[] = [];
  const seen = new Map<string, string>();
  const now = wallNow();
  for (const file of files) {
    const source = file === '-' ? 'stdin' : file;
    const bytes = file === '-' ? await readAll(io.stdin) : readFile(file);
    for (const entry of parseTable(decodeTable(bytes, source), source, now)) {
      const label = `${source}:${entry.line}`;
      const first = seen.get(entry.name);
      if (first !== undefined) throw new UsageError(`${label}: the name ${quote(entry.name)} is also on ${first}`);
      seen.set(entry.name, label);
      entries.push({ label: `${label}: ${entry.name}`, source: `${label}: ${shellWords(entry.key.split('\0'))}`, spec: entry.spec });
    }
  }
  return entries;
}
