// The one way end-to-end tests start timerstack: the real bin/timerstack.js (built dist/), with
// its exit status, signal, stdout and stderr captured. Every NDJSON event it writes is checked
// against schema/events.json (helpers/events.ts): one the schema does not know fails the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertEvents } from './events.js';

// TIMERSTACK_TEST_BIN runs the suite against another build (to see a new test fail before a fix).
export const BIN = process.env.TIMERSTACK_TEST_BIN ?? fileURLToPath(new URL('../../bin/timerstack.js', import.meta.url));

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  // Kill with SIGKILL after this long (a hung test fails instead of hanging the suite).
  timeoutMs?: number;
  cwd?: string;
  // Called once the process is spawned (to send signals, read output as it comes…).
  onSpawn?: (child: ChildProcess) => void;
  // Options for node itself, before the script (V8's tracing flags, say).
  nodeArgs?: readonly string[];
  // Run the file itself, as a user's shell does: its sh lines first, then node (else node runs
  // it directly, and the sh lines are comments).
  launcher?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  pid: number;
}

// The environment tests run in: no colour unless a test asks for it.
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function timerstack(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const [file, argv] = options.launcher ? [BIN, args] : [process.execPath, [...(options.nodeArgs ?? []), BIN, ...args]];
  const child = spawn(file, argv, {
    env: options.env ?? baseEnv(),
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A program that exits without reading its input closes the pipe: not the test's failure.
  child.stdin.on('error', ignoreEpipe);
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  options.onSpawn?.(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      try {
        assertEvents(stdout, `timerstack ${args.join(' ')}: stdout`);
        assertEvents(stderr, `timerstack ${args.join(' ')}: stderr`);
      } catch (err) {
        reject(err);
        return;
      }
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, pid: child.pid! });
    });
  });
}

// Waits until `predicate` holds for the output seen so far (polls every 10 ms).
export async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// For a child's stdin: EPIPE means the child closed its input without reading all of it (it
// exited, or it never reads); anything else is rethrown.
export function ignoreEpipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

export function ndjson(text: string): Array<Record<string, unknown>> {
  return lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);
}
