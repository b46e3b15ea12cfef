// Command-line words that are not UTF-8. Node decodes argv as UTF-8 and turns each invalid byte
// into U+FFFD, so `once 0 -- touch $'f\xe9.txt'` would create another file than the one asked
// for. Such a word is refused instead, proven against the raw bytes in /proc/self/cmdline (a
// U+FFFD the user really typed is fine).
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { quote } from '../grammar/quote.js';

const REPLACEMENT = '\ufffd';

// Throws a UsageError naming the first word of `argv` that was not UTF-8 on the command line.
export function refuseNonUtf8(argv: readonly string[], cmdline: () => Buffer | undefined = readCmdline): void {
  if (!argv.some((word) => word.includes(REPLACEMENT))) return;
  const raw = rawWords(cmdline(), argv.length);
  if (!raw) return;
  // The raw words must be these: each decodes (lossily) to the word Node gave.
  if (raw.some((bytes, i) => bytes.toString('utf8') !== argv[i])) return;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const [i, bytes] of raw.entries()) {
    try {
      decoder.decode(bytes);
    } catch {
      throw new UsageError(`argument ${i + 1} is not UTF-8 text: ${quote(argv[i]!)} (timerstack cannot pass such bytes on unchanged)`, 'EILSEQ');
    }
  }
}

// The last `count` NUL-terminated words of the command line.
function rawWords(cmdline: Buffer | undefined, count: number): Buffer[] | undefined {
  if (!cmdline) return undefined;
  const words: Buffer[] = [];
  let start = 0;
  for (let nul = cmdline.indexOf(0); nul >= 0; nul = cmdline.indexOf(0, start)) {
    words.push(cmdline.subarray(start, nul));
    start = nul + 1;
  }
  return words.length >= count ? words.slice(words.length - count) : undefined;
}

function readCmdline(): Buffer | undefined {
  try {
    return readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
}
