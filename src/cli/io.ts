// What the command line works with: the process's streams, environment and signal source
// (passed in, so tests give their own), how it ends, and the output mode the flags choose.
import { readFileSync } from 'node:fs';
import type { ColorWhen } from '../grammar/options.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
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
  // --metrics ADDR, as given.
  metrics?: string;
  // --color: auto (the environment and the stream decide), always, never.
  color: ColorWhen;
  // How the loop waits: --lean (no warm-up wake), --precise (warm-up, then a poll to the deadline).
  lean?: boolean;
  precise?: boolean;
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

// Colour level for one stream. --color never/always decides (as a command-line option wins over
// the environment, per no-color.org); with auto, NO_COLOR wins, then FORCE_COLOR, then "is it a
// terminal". How many colours: FORCE_COLOR's number, else TERM and COLORTERM.
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean | undefined, when: ColorWhen = 'auto'): 0 | 1 | 2 | 3 {
  if (when === 'never') return 0;
  const force = env.FORCE_COLOR;
  const forced = force === undefined || force === '0' || force === 'false' ? undefined : Number(force);
  const depth = (): 1 | 2 | 3 => {
    if (forced !== undefined && forced >= 1) return forced >= 3 ? 3 : (Math.floor(forced) as 1 | 2);
    return /-256(color)?$/.test(env.TERM ?? '') || env.COLORTERM ? 2 : 1;
  };
  if (when === 'always') return depth();
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (force !== undefined) {
    if (forced === undefined) return 0;
    return forced >= 3 ? 3 : forced >= 1 ? (Math.floor(forced) as 1 | 2) : 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return depth();
}

// Writes one line.
export function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}
