// writeFd: the bytes asked for and no more, and a failure that reads as Node's own for a write.
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFd } from '../../src/native/fd-write.js';
import { openPipe } from '../../src/native/pipe.js';

const open: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const fd of open.splice(0)) closeSync(fd);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// What `write` throws (fs.writeSync or writeFd, for the same write).
function thrown(write: (fd: number, bytes: Uint8Array) => number, fd: number, bytes: Uint8Array): NodeJS.ErrnoException {
  try {
    write(fd, bytes);
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  throw new Error(`${write.name} did not fail`);
}

describe('writeFd', () => {
  it('writes the first `length` bytes of the buffer, from its own offset', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fd-write-'));
    dirs.push(dir);
    const file = path.join(dir, 'out');
    const fd = openSync(file, 'w');
    open.push(fd);
    const whole = Buffer.from('..hello, world');
    expect(writeFd(fd, whole.subarray(2), 5)).toBe(5);
    expect(writeFd(fd, Buffer.from('!\n'))).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('hello!\n');
  });

  it('fails as fs.writeSync does: ENOSPC on /dev/full', () => {
    const fd = openSync('/dev/full', 'w');
    open.push(fd);
    const bytes = Buffer.from('x\n');
    const ours = thrown(writeFd, fd, bytes);
    const node = thrown(writeSync, fd, bytes);
    expect({ message: ours.message, code: ours.code, errno: ours.errno, syscall: ours.syscall }).toEqual({
      message: node.message,
      code: node.code,
      errno: node.errno,
      syscall: node.syscall,
    });
    expect(ours.code).toBe('ENOSPC');
  });

  it('fails as fs.writeSync does: EPIPE once the read end is closed', () => {
    const pipe = openPipe();
    open.push(pipe.writeFd);
    closeSync(pipe.readFd);
    const bytes = Buffer.from('x');
    const ours = thrown(writeFd, pipe.writeFd, bytes);
    const node = thrown(writeSync, pipe.writeFd, bytes);
    expect(ours.code).toBe('EPIPE');
    expect([ours.message, ours.errno, ours.syscall]).toEqual([node.message, node.errno, node.syscall]);
  });
});
