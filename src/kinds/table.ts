// A `run` table: text → one TimerSpec per line, through the command line's own grammar
// (parseWords + buildSpec). Pure: no files, no clocks (the time comes in as an argument).
//
// Decisions worth knowing:
// - A line is split like a POSIX shell line, and only split (grammar/shell-words.ts): nothing is
//   expanded ($VARS, ~, globs); a table is parsed, never evaluated.
// - One timer per line: an unterminated quote or a trailing backslash is an error, not a
//   continuation. A trailing CR (CRLF files) is ignored; other control characters are refused.
// - An optional name comes first, as a word ending in ':' ("backup: every 6h"). Names are
//   [A-Za-z0-9_.-]+ (so they are safe in TIMERSTACK_TIMER and in file names); --name works too,
//   but not both. Unnamed lines are called line-N. Names are unique in a table.
// - Errors are `FILE:LINE: what`; the first bad line refuses the whole table.
import { UsageError } from '../errors.js';
import { TIMER_COMMANDS } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { splitLine } from '../grammar/shell-words.js';
import { isCrontabLine } from '../grammar/crontab.js';
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
// Control characters other than tab, LF and CR (a CR is allowed only before LF); DEL too.
const CONTROL = /[^\t\n\r\x20-\x7e\x80-\uffff]|\r(?!\n)/;
const CONTROL_NO_CR = /[^\t\n\r\x20-\x7e\x80-\uffff]/;
const NAME = /^[A-Za-z0-9_.-]+$/;
// What the spec builder prefixes to errors about the positional value; in a table line the
// quoted value already says which word is meant ("unknown unit "x" in "5x"").
const POSITIONAL_PREFIX = /^(?:DURATION|INTERVAL|TIME): (?!must )/;

// Bytes → text; invalid UTF-8 is refused naming the first bad line. A BOM is dropped.
export function decodeTable(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let line = 1;
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl < 0 ? bytes.length : nl;
      try {
        decoder.decode(bytes.subarray(start, end));
      } catch {
        break;
      }
      if (nl < 0) break;
      start = nl + 1;
      line++;
    }
    throw new UsageError(`${source}:${line}: not UTF-8 text (is this a binary file?)`);
  }
}

function lineError(source: string, line: number, message: string): UsageError {
  return new UsageError(`${source}:${line}: ${message}`);
}

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

// The table's timers, in order; the first bad line (or an empty table) throws a UsageError
// `SOURCE:LINE: what`. `source` is how the table is named in messages (the path, or "stdin").
export function parseTable(text: string, source: string, time: WallNow, options: TableOptions = {}): TableEntry[] {
  return readTable(text, source, time, options).entries;
}

// parseTable, with the notes.
export function readTable(text: string, source: string, time: WallNow, options: TableOptions = {}): Table {
  const control = (text.indexOf('\r') < 0 ? CONTROL_NO_CR : CONTROL).exec(text);
  if (control) {
    const at = countLines(text, control.index);
    const cp = control[0].charCodeAt(0);
    throw lineError(source, at, `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (is this a binary file?)`);
  }
  const ctx: SpecContext = { nowNs: time.nowNs, utcOffsetNs: time.utcOffsetNs, defaultName: '' };
  const cron = crontabState({ userField: options.systemCrontab ?? false, ...(options.user !== undefined ? { user: options.user } : {}) });
  const notes: string[] = [];
  const entries: TableEntry[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i]!;
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
    const lineNo = i + 1;
    let entry: TableEntry | undefined;
    try {
      if (isCrontabLine(text)) {
        ctx.defaultName = `line-${lineNo}`;
        const result = crontabEntry(text, ctx, cron);
        if (result && 'note' in result) notes.push(`${source}:${lineNo}: ${result.note}`);
        else if (result) entry = { line: lineNo, name: result.spec.name, key: result.key, spec: result.spec };
      } else {
        entry = parseLine(text, lineNo, ctx);
      }
    } catch (err) {
      if (err instanceof UsageError) throw lineError(source, lineNo, err.message.replace(POSITIONAL_PREFIX, ''));
      throw err;
    }
    if (!entry) continue;
    const first = seen.get(entry.name);
    if (first !== undefined) throw lineError(source, lineNo, `duplicate name ${quote(entry.name)} (first on line ${first})`);
    seen.set(entry.name, lineNo);
    entries.push(entry);
  }
  if (entries.length === 0) throw new UsageError(`no timers in ${source}`);
  return { entries, notes };
}

// One line → its entry, or undefined for a blank or comment line.
function parseLine(text: string, line: number, ctx: SpecContext): TableEntry | undefined {
  const words = splitLine(text);
  if (words.length === 0) return undefined;
  let name: string | undefined;
  const head = words[0]!;
  if (head.length > 0 && head.charCodeAt(head.length - 1) === COLON) {
    name = head.slice(0, -1);
    checkName(name, `${name}:`);
    words.shift();
    if (words.length === 0) throw new UsageError(`missing timer after ${quote(head)} (${TIMER_COMMANDS.join(', ')})`);
  }
  const parsed = parseWords(words, 'table');
  const option = parsed.options.get('name');
  if (option !== undefined) {
    if (name !== undefined) throw new UsageError(`name given twice (${quote(`${name}:`)} and --name ${quote(String(option))})`);
    name = String(option);
    checkName(name, `--name ${name}`);
  }
  ctx.defaultName = name ?? `line-${line}`;
  const spec = buildSpec(parsed, ctx);
  return { line, name: spec.name, key: words.join('\0'), spec };
}

function checkName(name: string, spelled: string): void {
  if (!NAME.test(name)) {
    throw new UsageError(`bad timer name ${quote(spelled)} (use letters, digits, "_", "." and "-")`);
  }
}

// 1-based line number of the character at `index`.
function countLines(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
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
