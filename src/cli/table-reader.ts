// Reading a run table without blocking the timers and without limit: only a regular file or a
// pipe (standard input may also be a socket or a terminal), read in 64 KiB chunks off the event
// loop's thread and parsed line by line as they come, at most 64 MiB, 1,000,000 lines and 1 MiB
// per line. A device (/dev/zero), a directory or a socket file is refused before it is opened.
import type { Stats } from 'node:fs';
import { fstatSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { UsageError } from '../errors.js';
import type { WallNow } from '../kinds/kind.js';
import { TableParser, type Table, type TableOptions } from '../kinds/table.js';

export const TABLE_LIMITS = { bytes: 64 * 1024 * 1024, lines: 1_000_000, lineBytes: 1024 * 1024 } as const;

const LIMITS_TEXT = 'a table holds at most 64 MiB and 1,000,000 lines';
const CHUNK = 64 * 1024;

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

// The table in `file`, parsed.
export async function readTableFile(file: string, time: WallNow, options: TableOptions = {}): Promise<Table> {
  const lines = new LineSplitter(new TableParser(file, time, options), file);
  const handle = await attempt(file, async () => {
    checkKind(file, await stat(file), undefined);
    return open(file, 'r');
  });
  try {
    // The same file as the one checked (it may have been swapped in between).
    checkKind(file, await attempt(file, () => handle.stat()), undefined);
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await attempt(file, () => handle.read(buffer, 0, CHUNK, null));
      if (bytesRead === 0) break;
      lines.push(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return lines.end();
}

// The table on standard input, parsed; reading stops at the first bad line or limit.
export async function readTableStream(stdin: NodeJS.ReadableStream, time: WallNow): Promise<Table> {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd === 'number') checkKind('standard input', fstatSync(fd), isatty(fd));
  const lines = new LineSplitter(new TableParser('stdin', time), 'stdin');
  for await (const chunk of stdin) lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return lines.end();
}

// A regular file or a pipe; standard input may also be a socket or a terminal (`terminal`).
function checkKind(name: string, st: Stats, terminal: boolean | undefined): void {
  if (st.isFile() || st.isFIFO()) return;
  if (terminal !== undefined && (st.isSocket() || terminal)) return;
  throw new UsageError(`cannot read ${name}: not a regular file or a pipe (${kindName(st)})`, 'EFTYPE');
}

function kindName(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

async function attempt<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new UsageError(`cannot read ${file}: ${READ_ERRORS[code] ?? (err as Error).message}`, code);
  }
}

// Bytes → lines for the parser, with the size limits.
class LineSplitter {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private total = 0;

  constructor(
    private readonly parser: TableParser,
    private readonly source: string,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.total > TABLE_LIMITS.bytes) throw new UsageError(`${this.source}: more than 64 MiB (${LIMITS_TEXT})`, 'EFBIG');
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      this.checkLength(this.partialBytes + piece.length);
      this.line(this.partial.length > 0 ? Buffer.concat([...this.partial, piece]) : piece);
      this.partial = [];
      this.partialBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.partial.push(chunk.subarray(start));
      this.partialBytes += chunk.length - start;
      this.checkLength(this.partialBytes);
    }
  }

  private checkLength(bytes: number): void {
    if (bytes <= TABLE_LIMITS.lineBytes) return;
    throw new UsageError(`${this.source}:${this.parser.lines + 1}: line longer than 1 MiB (is this a binary file?)`, 'EFBIG');
  }

  end(): Table {
    if (this.partial.length > 0) this.line(Buffer.concat(this.partial));
    return this.parser.finish();
  }

  private line(bytes: Buffer): void {
    if (this.parser.lines >= TABLE_LIMITS.lines) throw new UsageError(`${this.source}: more than 1,000,000 lines (${LIMITS_TEXT})`, 'EFBIG');
    this.parser.bytes(bytes);
  }
}
