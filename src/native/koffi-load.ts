// Loads koffi's native module straight from its prebuilt package where that is certain to be
// the right one, and through koffi's own entry otherwise.
//
// koffi's entry finds its prebuilt module by reading the ELF header of the node binary (glibc or
// musl), through a CommonJS shim that copies every property of node:fs (which loads fs/promises
// and the fs streams); 6-7 ms of a ~95 ms `once 0`, against ~2 ms for the path below. Its
// JavaScript adds only deprecated aliases on top of the module's exports, which timerstack does
// not use. The direct path is taken when node is a glibc program (its ELF names glibc's loader)
// and the module's version is koffi's own; anything else (musl, another layout, a mismatch) goes
// through koffi's entry, so the fast path can only ever choose what koffi would have chosen.
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as KoffiModule from 'koffi';

export type Koffi = typeof KoffiModule;
export type LibraryHandle = KoffiModule.LibraryHandle;

/** koffi, loaded the fastest way that gives the module koffi's entry would load. */
export function loadKoffi(): Koffi {
  return prebuiltKoffi() ?? (createRequire(import.meta.url)('koffi') as Koffi);
}

/**
 * koffi's prebuilt glibc module for this machine, loaded; undefined where koffi's entry must
 * choose (another C library, another layout, a version that is not koffi's).
 *
 * npm puts the prebuilt package beside koffi (hoisted) or inside it. koffi itself is looked for as
 * Node looks for a bare name, in node_modules/ of `from` and of each folder above it: resolving it
 * with Node's own resolvers cost ~2 ms here (either resolver's first use), most of the load.
 */
export function prebuiltKoffi(
  interpreter: string | undefined = interpreterOf(process.execPath),
  from: string = path.dirname(fileURLToPath(import.meta.url)),
): Koffi | undefined {
  if (process.platform !== 'linux' || interpreter === undefined || !/\/ld-linux[^/]*$/.test(interpreter)) return undefined;
  const koffiDir = findPackage('koffi', from);
  if (!koffiDir) return undefined;
  try {
    const { version } = JSON.parse(readFileSync(path.join(koffiDir, 'package.json'), 'utf8')) as { version: string };
    const file = `@koromix/koffi-linux-${process.arch}/linux_${process.arch}/koffi.node`;
    const found = [path.join(koffiDir, '..', file), path.join(koffiDir, 'node_modules', file)].find((f) => existsSync(f));
    if (!found) return undefined;
    const native = createRequire(import.meta.url)(found) as Koffi & { version?: string };
    return native.version === version ? native : undefined;
  } catch {
    return undefined;
  }
}

function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const PT_INTERP = 3;

/**
 * The program interpreter (dynamic loader) an ELF executable names, as koffi reads it to choose
 * between its glibc and musl builds: /lib64/ld-linux-x86-64.so.2 on glibc, /lib/ld-musl-*.so.1
 * on musl. Undefined for anything but a 64-bit little-endian ELF whose headers and interpreter
 * lie in its first 4 KiB (where linkers put them).
 */
export function interpreterOf(file: string): string | undefined {
  const head = Buffer.alloc(4096);
  let length: number;
  try {
    const fd = openSync(file, 'r');
    try {
      length = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (length < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return undefined;
  const phoff = Number(head.readBigUInt64LE(32));
  const phentsize = head.readUInt16LE(54);
  const phnum = head.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 56 > length) return undefined;
    if (head.readUInt32LE(at) !== PT_INTERP) continue;
    const offset = Number(head.readBigUInt64LE(at + 8));
    const size = Number(head.readBigUInt64LE(at + 32));
    if (offset + size > length) return undefined;
    const name = head.toString('latin1', offset, offset + size);
    return name.slice(0, name.indexOf('\0') < 0 ? name.length : name.indexOf('\0')) || undefined;
  }
  return undefined;
}
