// --persistent: the instant of a timer's last run, kept in a file that survives timerstack
// (systemd's Persistent=, snooze's timefile). One line, ISO 8601 UTC; written atomically (a
// temporary file in the same folder, fsync, rename, then the folder fsync'd).
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { quote } from '../grammar/quote.js';
import { formatInstant, parseTime } from '../grammar/time.js';

export interface StampStore {
  // The instant stored in `file`; undefined when it does not exist yet.
  read(file: string): bigint | undefined;
  write(file: string, instantNs: bigint): void;
}

const MAX_STAMP = 256;

// Reads a stamp; a file that exists but cannot be read, or does not hold one instant, is refused
// with one line (timerstack must not guess when the last run was).
export function readStamp(file: string): bigint | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`--persistent: cannot read ${quote(file)}: ${code ?? (err as Error).message}`);
  }
  const line = text.trim();
  if (line.length > MAX_STAMP || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(line)) {
    throw new UsageError(`--persistent: ${quote(file)} does not hold an instant (expected one ISO 8601 UTC line, got ${quote(line)})`);
  }
  return parseTime(line, 0n).instantNs;
}

export function writeStamp(file: string, instantNs: bigint): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, `${formatInstant(instantNs)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // a folder that cannot be opened for fsync (some file systems): the rename stands
  }
}

export const fileStamps: StampStore = { read: readStamp, write: writeStamp };
