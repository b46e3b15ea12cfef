// Splitting one line into words the way a POSIX shell does, and only splitting: single quotes
// are literal, double quotes honour \" \\ \$ \` (any other backslash stays), a backslash
// outside quotes escapes the next character, and `#` starts a comment only at the start of a
// word. Nothing is expanded ($VARS, ~, globs): a line is parsed, never evaluated.
import { UsageError } from '../errors.js';

const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const BACKTICK = 0x60;

// Splits one line into words, shell-style (quotes and backslashes, no expansion). Throws a
// UsageError without position; parseTable adds FILE:LINE.
export function splitLine(line: string): string[] {
  const words: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === HASH) break;
    let word = '';
    let start = i;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === SPACE || c === TAB) break;
      if (c === SQUOTE) {
        const close = line.indexOf("'", i + 1);
        if (close < 0) throw new UsageError(`unterminated single quote (the ' at column ${i + 1})`);
        word += line.slice(start, i) + line.slice(i + 1, close);
        i = close + 1;
        start = i;
      } else if (c === DQUOTE) {
        const open = i;
        word += line.slice(start, i);
        start = ++i;
        for (;;) {
          if (i >= n) throw new UsageError(`unterminated double quote (the " at column ${open + 1})`);
          c = line.charCodeAt(i);
          if (c === DQUOTE) break;
          if (c === BACKSLASH && i + 1 < n) {
            const d = line.charCodeAt(i + 1);
            if (d === DQUOTE || d === BACKSLASH || d === DOLLAR || d === BACKTICK) {
              word += line.slice(start, i);
              start = i + 1;
              i += 2;
              continue;
            }
          }
          i++;
        }
        word += line.slice(start, i);
        start = ++i;
      } else if (c === BACKSLASH) {
        if (i + 1 >= n) throw new UsageError('backslash at the end of the line (a timer is one line: no continuation lines)');
        word += line.slice(start, i);
        start = i + 1;
        i += 2;
      } else {
        i++;
      }
    }
    words.push(word + line.slice(start, i));
  }
  return words;
}
