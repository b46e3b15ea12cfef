// write(2) on an fd: standard output's path on every wake-up, as one foreign call. Node's
// fs.writeSync checks its arguments in JavaScript first (measured cold, a write every 3 ms to
// /dev/null under --max-opt=1: 2.0 against 1.0 µs at the median, 6.6–7.8 against 3.3–3.6 µs at
// p90). A failure is thrown as Node's own error for a write ("EPIPE: broken pipe, write", code,
// errno and syscall as fs gives them), so whoever reads it cannot tell the two apart.
import { getSystemErrorMap } from 'node:util';
import { lastErrno, libc, libcLoaded } from './libc.js';

// Writes the first `length` bytes of `bytes`; returns how many the kernel took.
export function writeFd(fd: number, bytes: Uint8Array, length = bytes.length): number {
  const n = (libcLoaded ?? libc()).write(fd, bytes, length);
  if (n >= 0) return n;
  throw writeError(lastErrno());
}

// libuv's names and texts by (negative) errno, made when a write first fails (the map is built
// afresh on each call to getSystemErrorMap).
let uvErrors: Map<number, [string, string]> | undefined;

function writeError(errno: number): NodeJS.ErrnoException {
  uvErrors ??= getSystemErrorMap();
  const [code, text] = uvErrors.get(-errno) ?? [`E${errno}`, `errno ${errno}`];
  return Object.assign(new Error(`${code}: ${text}, write`), { errno: -errno, code, syscall: 'write' });
}
