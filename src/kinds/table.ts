// A `run` table: text → one TimerSpec per line, through the command line's own grammar
// (parseWords + buildSpec). Pure: no files, no clocks (the time comes in as an argument).
//
// Decisions worth knowing:
// - A line is split like a POSIX shell line, and only split (grammar/shell-words.ts): nothing is
//   expanded ($VARS, ~, globs); a table is parsed, never evaluated.
// - One timer per line: an unterminated quote or a trailing backslash is an error, not a
//   continuation. A trailing CR (CRLF files) is ignored; other control characters are refused.
// - An optional name comes first, as a word ending in ':' ("backup: every 6h"). Names follow
//   the command line's rule (grammar/name.ts); --name works too, but not both. Unnamed lines
//   are called line-N. Names are unique in a table.
// - Errors are `FILE:LINE: what`; the first bad line refuses the whole table. Nothing of a line
//   is quoted before it is known to be a timer line (its first word, after an optional name, is
//   a timer command; or it has the shape of a crontab line): a table that is really another
//   file (a symlink to /etc/shadow) is not shown in messages.
// - Lines come one at a time (TableParser), so a table can be parsed as it is read.
import { UsageError } from '../errors.js';
import { isCrontabLine } from '../grammar/crontab.js';
import { timerName } from '../grammar/name.js';
import { TIMER_COMMANDS } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { splitLine } from '../grammar/shell-words.js';
import { parseWords } from '../grammar/words.js';
import { crontabEntry, crontabState } from './crontab-entries.js';
import type { SpecContext, TimerSpec, WallNow } from './kind.js';
import { buildSpec } from './spec.js';

export { splitLine } from '../grammar/shell-words.js';

export interface TableEntry {
  // 1-based line number in the table.
  line: number;
  name: string;
  // The line's words without the name, NUL-joined: equal keys mean the same timer, whatever
  // the spacing, quoting or comments (a reload keeps such timers undisturbed).
  key: string;
  spec: TimerSpec;
}

const COLON = 0x3a;
// Control characters other than tab (a line has no LF, and its final CR was dropped); DEL too.
const CONTROL = /[^\t\x20-\x7e\x80-\uffff]/;
const TIMERS: ReadonlySet<string> = new Set(TIMER_COMMANDS);
const NOT_A_TIMER = `not a timer line (a line is "[NAME:] ${TIMER_COMMANDS.join('|')} SPEC [options] [-- COMMAND]", or a crontab line)`;
// What the spec builder prefixes to errors about the positional value; in a table line the
// quoted value already says which word is meant ("unknown unit "x" in "5x"").
const POSITIONAL_PREFIX = /^(?:DURATION|INTERVAL|TIME): (?!must )/;
const BOM = '\ufeff';

export interface TableOptions {
  // A system crontab (/etc/crontab, /etc/cron.d/*): a user name follows the time fields.
  systemCrontab?: boolean;
  // Who timerstack runs as (system crontab lines for another user are refused).
  user?: string;
}

export interface Table {
  entries: TableEntry[];
  // Lines worth a word that refuse nothing (MAILTO= in a crontab), as "SOURCE:LINE: what".
  notes: string[];
}

// A table read line by line: each line is checked and parsed as it comes; finish() gives the
// entries and notes. Every refusal is a UsageError `SOURCE:LINE: what`.
export class TableParser {
  private readonly ctx: SpecContext;
  private readonly entries: TableEntry[] = [];
  private readonly notes: string[] = [];
  private readonly seen = new Map<string, number>();
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly cron: ReturnType<typeof crontabState>;
  private lineNo = 0;

  constructor(
    // How the table is named in messages (the path, or "stdin").
    private readonly source: string,
    time: WallNow,
    options: TableOptions = {},
  ) {
    this.ctx = { nowNs: time.nowNs, utcOffsetNs: time.utcOffsetNs, defaultName: '' };
    this.cron = crontabState({ userField: options.systemCrontab ?? false, ...(options.user !== undefined ? { user: options.user } : {}) });
  }

  get lines(): number {
    return this.lineNo;
  }

  // The next line as bytes (without its LF); invalid UTF-8 is refused naming the line.
  bytes(line: Uint8Array): void {
    let text: string;
    try {
      text = this.decoder.decode(line);
    } catch {
      throw this.error(this.lineNo + 1, 'not UTF-8 text (is this a binary file?)');
    }
    this.text(text);
  }

  // The next line as text (without its LF).
  text(line: string): void {
    const lineNo = ++this.lineNo;
    let text = lineNo === 1 && line.startsWith(BOM) ? line.slice(1) : line;
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
    const control = CONTROL.exec(text);
    if (control) {
      const cp = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      throw this.error(lineNo, `control character U+${cp} (is this a binary file?)`);
    }
    let entry: TableEntry | undefined;
    try {
      entry = this.entryOf(text, lineNo);
    } catch (err) {
      if (err instanceof UsageError) throw this.error(lineNo, err.message.replace(POSITIONAL_PREFIX, ''));
      throw err;
    }
    if (!entry) return;
    const first = this.seen.get(entry.name);
    if (first !== undefined) throw this.error(lineNo, `duplicate name ${quote(entry.name)} (first on line ${first})`);
    this.seen.set(entry.name, lineNo);
    this.entries.push(entry);
  }

  // The table's timers, in order, and its notes; an empty table is refused, naming it.
  finish(): Table {
    if (this.entries.length === 0) throw new UsageError(`no timers in ${this.source}`);
    return { entries: this.entries, notes: this.notes };
  }

  // A crontab line (cronie's grammar) or a timer line; undefined for a blank, a comment or a note.
  private entryOf(text: string, lineNo: number): TableEntry | undefined {
    if (!isCrontabLine(text)) return parseLine(text, lineNo, this.ctx);
    this.ctx.defaultName = `line-${lineNo}`;
    const result = crontabEntry(text, this.ctx, this.cron);
    if (result && 'note' in result) this.notes.push(`${this.source}:${lineNo}: ${result.note}`);
    else if (result) return { line: lineNo, name: result.spec.name, key: result.key, spec: result.spec };
    return undefined;
  }

  private error(line: number, message: string): UsageError {
    return new UsageError(`${this.source}:${line}: ${message}`);
  }
}

// Bytes → text; invalid UTF-8 is refused naming the first bad line. A BOM is dropped.
export function decodeTable(bytes: Uint8Array, source: string): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    for (let start = 0, nl = bytes.indexOf(0x0a); nl >= 0 && isUtf8(decoder, bytes.subarray(start, nl)); nl = bytes.indexOf(0x0a, start)) {
      start = nl + 1;
      line++;
    }
    throw new UsageError(`${source}:${line}: not UTF-8 text (is this a binary file?)`);
  }
}

function isUtf8(decoder: { decode(bytes: Uint8Array): string }, bytes: Uint8Array): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// The table's timers, in order; the first bad line (or an empty table) throws a UsageError
// `SOURCE:LINE: what`. `source` is how the table is named in messages (the path, or "stdin").
export function parseTable(text: string, source: string, time: WallNow, options: TableOptions = {}): TableEntry[] {
  return readTable(text, source, time, options).entries;
}

// parseTable, with the notes.
export function readTable(text: string, source: string, time: WallNow, options: TableOptions = {}): Table {
  const parser = new TableParser(source, time, options);
  for (const line of text.split('\n')) parser.text(line);
  return parser.finish();
}

// One line → its entry, or undefined for a blank or comment line.
function parseLine(text: string, line: number, ctx: SpecContext): TableEntry | undefined {
  const words = splitLine(text);
  if (words.length === 0) return undefined;
  const head = words[0]!;
  const named = head.length > 0 && head.charCodeAt(head.length - 1) === COLON;
  if (named) {
    words.shift();
    if (words.length === 0) throw new UsageError(`missing timer after the name (${TIMER_COMMANDS.join(', ')})`);
  }
  // Until the line is known to be a timer line, nothing of it is quoted.
  if (!TIMERS.has(words[0]!)) throw new UsageError(NOT_A_TIMER);
  let name = named ? timerName(head.slice(0, -1), head) : undefined;
  const parsed = parseWords(words, 'table');
  const option = parsed.options.get('name');
  if (option !== undefined && name !== undefined) {
    throw new UsageError(`name given twice (${quote(`${name}:`)} and --name ${quote(String(option))})`);
  }
  ctx.defaultName = name ?? `line-${line}`;
  const spec = buildSpec(parsed, ctx);
  name = spec.name;
  return { line, name, key: words.join('\0'), spec };
}

export interface TableDiff {
  // Specs to arm (new lines, and changed lines under their new spec).
  add: TimerSpec[];
  // Names of running timers to disarm (lines gone or changed).
  remove: string[];
  // How many timers stay as they are, and how many of `remove` are gone from the table (the
  // others changed).
  kept: number;
  removed: number;
}

// What a reload changes: `current` maps each running timer's name to its line key.
export function diffTable(current: ReadonlyMap<string, string>, next: readonly TableEntry[]): TableDiff {
  const add: TimerSpec[] = [];
  const remove: string[] = [];
  const names = new Set<string>();
  let kept = 0;
  for (const entry of next) {
    names.add(entry.name);
    const key = current.get(entry.name);
    if (key === entry.key) {
      kept++;
      continue;
    }
    if (key !== undefined) remove.push(entry.name);
    add.push(entry.spec);
  }
  let removed = 0;
  for (const name of current.keys()) {
    if (names.has(name)) continue;
    remove.push(name);
    removed++;
  }
  return { add, remove, kept, removed };
}
