// An output stream that fails: the first error is kept, nothing more is written, nothing throws.
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
});
