// How values are written in systemd unit files: command lines for ExecStart= (systemd.service(5)
// "Command lines", systemd.syntax(7) "Quoting"), time spans (systemd.time(7)), unit names. Pure.
import { UsageError } from '../errors.js';
import { quote } from '../grammar/quote.js';

// A word needs double quotes when it is empty, holds whitespace, a quote, a backslash or a
// control character (all but the first written as C escapes inside the quotes).
const NEEDS_QUOTES = /[\s"'\\\p{Cc}]/u;
const C_ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\v': '\\v', '\f': '\\f', '\b': '\\b', '\x07': '\\a' };
// What a bare executable name may not start with: ExecStart='s prefixes (@ - : + !).
const EXEC_PREFIX = /^[@\-:+!]/;

// `%` starts a specifier and `$` a variable in every setting that expands them: both doubled.
export function escapeSpecifiers(text: string): string {
  return text.replace(/%/g, '%%');
}

// One argument of a command line: specifiers and variables doubled, quoted when it has to be.
// The executable (`first`) is not searched for variables, so its `$` stays single.
export function commandWord(word: string, first = false): string {
  const specifiers = escapeSpecifiers(word);
  const literal = first ? specifiers : specifiers.replace(/\$/g, '$$$$');
  // A lone ";" would separate two command lines.
  if (literal === ';') return '\\;';
  if (literal !== '' && !NEEDS_QUOTES.test(literal)) return literal;
  const body = literal.replace(/[\\"\p{Cc}]/gu, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    const code = c.charCodeAt(0);
    // \xNN is a byte: the C1 controls (U+0080…) are written as code points.
    return C_ESCAPES[c] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
  return `"${body}"`;
}

// The value of ExecStart= for an argv whose first word is an absolute path or a bare name
// (systemd looks bare names up in its own fixed search path).
export function execStart(argv: readonly string[]): string {
  const file = argv[0]!;
  // systemd's own rule for the executable's name (string_is_safe): no quotes, backslashes or controls.
  if (/[\p{Cc}"'\\]/u.test(file)) throw new UsageError(`command ${quote(file)}: systemd refuses quotes, backslashes and control characters in the executable's name`);
  if (!file.startsWith('/') && (file.includes('/') || EXEC_PREFIX.test(file))) {
    throw new UsageError(`command ${quote(file)}: ExecStart= needs an absolute path or a plain name`);
  }
  return argv.map((word, i) => commandWord(word, i === 0)).join(' ');
}

// One Environment= assignment: quoted when needed, with C escapes; `$` is not expanded there.
export function environmentLine(name: string, value: string): string {
  const text = escapeSpecifiers(`${name}=${value}`);
  if (text !== '' && !NEEDS_QUOTES.test(text)) return text;
  return `"${text.replace(/[\\"\p{Cc}]/gu, (c) => (c === '\\' || c === '"' ? `\\${c}` : (C_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)))}"`;
}

// One line of StandardInputText=: specifiers doubled, backslashes and controls as C escapes, and
// leading or trailing blanks escaped (systemd trims them from a value).
export function dataLine(text: string): string {
  const body = escapeSpecifiers(text).replace(/[\\\p{Cc}]/gu, (c) => (c === '\\' ? '\\\\' : (C_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)));
  return body.replace(/^ +| +$/g, (blanks) => '\\x20'.repeat(blanks.length));
}

const SPAN_UNITS: ReadonlyArray<readonly [bigint, string]> = [
  [86_400_000_000_000n, 'd'],
  [3_600_000_000_000n, 'h'],
  [60_000_000_000n, 'min'],
  [1_000_000_000n, 's'],
  [1_000_000n, 'ms'],
  [1000n, 'us'],
];

// Nanoseconds as a systemd time span ("1h 30min", "250ms", "0"); systemd counts in
// microseconds, so a remainder below one is refused, naming `what`.
export function timeSpan(ns: bigint, what: string): string {
  if (ns % 1000n !== 0n) throw new UsageError(`${what}: systemd counts time in microseconds (${ns} ns is not a whole number of them)`);
  if (ns === 0n) return '0';
  const parts: string[] = [];
  let rest = ns;
  for (const [size, unit] of SPAN_UNITS) {
    if (rest >= size) {
      parts.push(`${rest / size}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

// The characters systemd allows in unit names, of which the table's timer names use a subset;
// "@" would make a template. 256 bytes at most, suffix included.
const UNIT_NAME = /^[A-Za-z0-9_.:-]+$/;

// The timer's name as the name of its units (NAME.timer, NAME.service).
export function unitName(name: string): string {
  if (!UNIT_NAME.test(name) || name.length > 248) {
    throw new UsageError(`the name ${quote(name)} cannot name a unit (use letters, digits, "_", "." and "-"; --name sets it)`);
  }
  return name;
}
