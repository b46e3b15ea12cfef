// An output stream that fails: the first error is kept, nothing more is written, nothing throws.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Outlet, describeFailure, readerGone } from '../../src/cli/outlet.js';

function failing(code: string) {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      written.push(String(chunk));
      cb(Object.assign(new Error(`${code}: no space left on device, write`), { code }));
    },
  });
  return { stream, written };
}

describe('Outlet', () => {
  it('keeps the first error, tells who asked, and writes nothing after it', async () => {
    const { stream, written } = failing('ENOSPC');
    const out = new Outlet(stream);
    const seen: string[] = [];
    out.onFailure((e) => seen.push(e.code!));
    out.line('one');
    await out.settled();
    expect(out.failure?.code).toBe('ENOSPC');
    out.line('two');
    expect(written).toEqual(['one\n']);
    expect(seen).toEqual(['ENOSPC']);
    // Asking later still tells.
    out.onFailure((e) => seen.push(`late ${e.code}`));
    expect(seen).toEqual(['ENOSPC', 'late ENOSPC']);
  });

  it('runs beforeWrite before each line, not before a redraw', () => {
    const chunks: string[] = [];
    const out = new Outlet(new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }));
    out.beforeWrite = () => chunks.push('[clear]');
    out.draw('countdown');
    out.line('event');
    expect(chunks).toEqual(['countdown', '[clear]', 'event\n']);
  });

  it('describes failures in one line, and knows a reader that left', () => {
    expect(describeFailure(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toBe('no space left on device (ENOSPC)');
    expect(readerGone(Object.assign(new Error('EPIPE'), { code: 'EPIPE' }))).toBe(true);
    expect(readerGone(Object.assign(new Error('x'), { code: 'EIO' }))).toBe(false);
  });

  describe('writeDirect with a borrowed buffer: what the stream keeps is a copy', () => {
    // A stream that keeps its chunks (as a queue waiting for 'drain' would), with an fd or none.
    function keeping(fd?: number) {
      const kept: Buffer[] = [];
      const stream = new Writable({ write: (c: Buffer, _e, cb) => (kept.push(c), cb()) });
      if (fd !== undefined) Object.defineProperty(stream, 'fd', { value: fd });
      return { stream, kept };
    }
    const line = () => Buffer.from('{"event":"tick","tick":1}\n');

    it('a stream without an fd', () => {
      const { stream, kept } = keeping();
      const buf = line();
      new Outlet(stream).writeDirect(buf, true);
      buf.fill(0x78);
      expect(Buffer.concat(kept).toString()).toBe('{"event":"tick","tick":1}\n');
    });

    it('a stream with something queued already', () => {
      const devNull = openSync('/dev/null', 'w');
      try {
        const { stream, kept } = keeping(devNull);
        stream.cork();
        stream.write('queued\n');
        const buf = line();
        new Outlet(stream).writeDirect(buf, true);
        buf.fill(0x78);
        stream.uncork();
        expect(Buffer.concat(kept).toString()).toBe('queued\n{"event":"tick","tick":1}\n');
      } finally {
        closeSync(devNull);
      }
    });

    it('a full pipe (EAGAIN): the rest goes through the stream, copied', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'outlet-'));
      const fifo = path.join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        const filler = Buffer.alloc(4096, 0x2e);
        let full = 0;
        for (;;) {
          try {
            full += writeSync(writer, filler);
          } catch (error) {
            expect((error as NodeJS.ErrnoException).code).toBe('EAGAIN');
            break;
          }
        }
        const { stream, kept } = keeping(writer);
        const buf = line();
        new Outlet(stream).writeDirect(buf, true);
        buf.fill(0x78);
        expect(Buffer.concat(kept).toString()).toBe('{"event":"tick","tick":1}\n');
        // Nothing of it went into the pipe: only the filler is there.
        const back = Buffer.alloc(full + 4096);
        let got = 0;
        for (;;) {
          try {
            got += readSync(reader, back, got, back.length - got, null);
          } catch (error) {
            expect((error as NodeJS.ErrnoException).code).toBe('EAGAIN');
            break;
          }
        }
        expect(got).toBe(full);
        expect(back.subarray(0, full).every((b) => b === 0x2e)).toBe(true);
      } finally {
        closeSync(writer);
        closeSync(reader);
        rmSync(dir, { recursive: true });
      }
    });
  });
});
