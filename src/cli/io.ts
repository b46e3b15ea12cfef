// What the command line works with: the process's streams, environment and signal source
// (passed in, so tests give their own), how it ends, and the output mode the flags choose.
import { readFileSync } from 'node:fs';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  // Where signal handlers go (the process, in production).
  signals: Pick<NodeJS.Process, 'on' | 'off'>;
}

export interface ExitResult {
  code: number;
  // Set when timerstack was stopped by a signal: bin/ ends the process by that same signal.
  signal?: NodeJS.Signals;
}

export interface OutputMode {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

// The package's version, from the first package.json named timerstack above this file (tsc's
// dist/cli/io.js, or the CLI bundle in dist/bin/).
export function version(): string {
  for (let rel = '../package.json', up = 0; up < 4; rel = `../${rel}`, up++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'timerstack') return pkg.version;
    } catch {
      // not there: one folder up
    }
  }
  return 'unknown';
}

// Colour level for one stream: NO_COLOR wins, then FORCE_COLOR, then "is it a terminal".
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 3 ? 3 : n >= 1 ? (Math.floor(n) as 1 | 2) : 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return /-256(color)?$/.test(env.TERM ?? '') || env.COLORTERM ? 2 : 1;
}

// Writes one line.
export function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}
