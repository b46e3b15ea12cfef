// Small helpers shared by the native suites: blocking sleeps, /proc fdinfo, polling waits.
import { readFileSync } from 'node:fs';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const MS = 1_000_000n;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const distDir = path.join(repoRoot, 'dist');

const sleeper = new Int32Array(new SharedArrayBuffer(4));

// Blocks this thread (and Node's event loop) for `ms` milliseconds.
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export function hrNow(): bigint {
  return process.hrtime.bigint();
}

export interface FdInfo {
  flags: number;
  clockid?: number;
  ticks?: bigint;
  settimeFlags?: number;
  raw: string;
}

// The kernel's own view of an fd (/proc/self/fdinfo): open flags, and for a timerfd its clock.
export function fdinfo(fd: number): FdInfo {
  const raw = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  const field = (name: string) => raw.match(new RegExp(`^${name}:\\s*(\\S+)`, 'm'))?.[1];
  const flags = field('flags');
  if (flags === undefined) throw new Error(`no flags in fdinfo of fd ${fd}:\n${raw}`);
  const info: FdInfo = { flags: parseInt(flags, 8), raw };
  const clockid = field('clockid');
  if (clockid !== undefined) info.clockid = Number(clockid);
  const ticks = field('ticks');
  if (ticks !== undefined) info.ticks = BigInt(ticks);
  const settimeFlags = field('settime flags');
  if (settimeFlags !== undefined) info.settimeFlags = parseInt(settimeFlags, 8);
  return info;
}

// Resolves once `cond()` holds; rejects after `timeoutMs` with `what` in the message.
export async function waitFor(cond: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// Runs a Node ESM snippet in a child process; returns its output, status and wall time.
export function runNode(
  source: string,
  options: { timeoutMs?: number; argv0?: string[] } = {},
): SpawnSyncReturns<string> & { ms: number } {
  const start = hrNow();
  const args = [...(options.argv0 ?? []), process.execPath, '--input-type=module', '-e', source];
  const [cmd, ...rest] = args;
  const result = spawnSync(cmd!, rest, {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 10_000,
    cwd: repoRoot,
  });
  return Object.assign(result, { ms: Number(hrNow() - start) / 1e6 });
}

// Which of these programs are on PATH.
export function which(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const out = r.stdout.trim();
  return r.status === 0 && out ? out : undefined;
}
