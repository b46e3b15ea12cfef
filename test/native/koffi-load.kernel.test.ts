// koffi loaded straight from its prebuilt module: the very module koffi's own entry loads, taken
// only where koffi would take it (a glibc node), and the ELF reading that decides it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interpreterOf, loadKoffi, prebuiltKoffi } from '../../src/native/koffi-load.js';
import { repoRoot } from '../helpers/kernel.js';

const dir = mkdtempSync(path.join(tmpdir(), 'koffi-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The first 4 KiB of node, changed by `edit`, as a file of its own.
function nodeHead(name: string, edit: (head: Buffer) => void): string {
  const head = readFileSync(process.execPath).subarray(0, 4096);
  edit(head);
  const file = path.join(dir, name);
  writeFileSync(file, head);
  return file;
}

// Where node's PT_INTERP program header is, read with the same layout readelf uses.
function interpHeader(head: Buffer): { at: number; offset: number; size: number } {
  const phoff = Number(head.readBigUInt64LE(32));
  for (let i = 0; i < head.readUInt16LE(56); i++) {
    const at = phoff + i * head.readUInt16LE(54);
    if (head.readUInt32LE(at) === 3) return { at, offset: Number(head.readBigUInt64LE(at + 8)), size: Number(head.readBigUInt64LE(at + 32)) };
  }
  throw new Error('node has no PT_INTERP');
}

describe('interpreterOf', () => {
  it("names node's dynamic loader as readelf does", (ctx) => {
    const readelf = spawnSync('readelf', ['-l', process.execPath], { encoding: 'utf8' });
    if (readelf.error) {
      console.log(`skipped: readelf is not installed (${readelf.error.message})`);
      ctx.skip();
    }
    const named = /\[Requesting program interpreter: ([^\]]+)\]/.exec(readelf.stdout)?.[1];
    expect(named).toMatch(/^\//);
    expect(interpreterOf(process.execPath)).toBe(named);
  });

  it('reads a musl loader name, up to its NUL', () => {
    const file = nodeHead('musl', (head) => {
      const { offset, size } = interpHeader(head);
      head.fill(0, offset, offset + size);
      head.write('/lib/ld-musl-x86_64.so.1', offset, 'latin1');
    });
    expect(interpreterOf(file)).toBe('/lib/ld-musl-x86_64.so.1');
  });

  it('gives nothing for a program without an interpreter, a truncated ELF, a text file or no file', () => {
    const noInterp = nodeHead('static', (head) => head.writeUInt32LE(0, interpHeader(head).at));
    const truncated = path.join(dir, 'truncated');
    writeFileSync(truncated, readFileSync(process.execPath).subarray(0, 40));
    const text = path.join(dir, 'text');
    writeFileSync(text, '#!/bin/sh\necho not an ELF file, but long enough to have a header of 64 bytes\n');
    expect(interpreterOf(noInterp)).toBeUndefined();
    expect(interpreterOf(truncated)).toBeUndefined();
    expect(interpreterOf(text)).toBeUndefined();
    expect(interpreterOf(path.join(dir, 'missing'))).toBeUndefined();
  });
});

describe('loadKoffi', () => {
  it("gives the native module koffi's own entry gives: the same functions, the same version", () => {
    const direct = loadKoffi() as unknown as Record<string, unknown>;
    const entry = createRequire(path.join(repoRoot, 'package.json'))('koffi') as Record<string, unknown>;
    expect(direct.version).toBe(entry.version);
    // koffi's entry is the module as its default export, and a copy of the module's exports (its
    // wrappers of load and register are set on the module itself).
    expect(entry.default).toBe(direct);
    const keys = Object.keys(entry).filter((k) => k !== 'default');
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) expect(direct[key], key).toBe(entry[key]);
  });

  it('takes the prebuilt module only for a glibc loader and a koffi it can find', () => {
    const here = path.join(repoRoot, 'dist', 'native');
    expect(prebuiltKoffi('/lib64/ld-linux-x86-64.so.2', here)).toBe(loadKoffi());
    expect(prebuiltKoffi('/lib/ld-musl-x86_64.so.1', here)).toBeUndefined();
    expect(prebuiltKoffi('', here)).toBeUndefined();
    // No node_modules/koffi above a temporary folder.
    expect(prebuiltKoffi('/lib64/ld-linux-x86-64.so.2', dir)).toBeUndefined();
  });
});
