// Starting one command with execa, with every execa feature that would compete with ours turned
// off: no shell, no merged environment, no timeouts or kill timers of its own, no buffering.
import type { Options as ExecaOptions, execa as ExecaFn, ResultPromise } from 'execa';

export type Execa = typeof ExecaFn;

// execa is slow to load (~90 ms): loaded once per process, before the timers are armed when
// the CLI knows a command will run (else on the first tick that needs it).
let execaFn: Execa | undefined;
let execaLoading: Promise<Execa> | undefined;

export function loadExeca(): Promise<Execa> {
  execaLoading ??= import('execa').then((m) => (execaFn = m.execa));
  return execaLoading;
}

// execa once loaded (undefined before).
export function loadedExeca(): Execa | undefined {
  return execaFn;
}

const OPTIONS = {
  reject: false,
  // A timer's command must not steal the terminal's input: timerstack (and the user's keys)
  // own it, runs may overlap, and a command that reads stdin would wait forever at every
  // tick. It reads /dev/null instead.
  stdin: 'ignore',
  stdout: 'inherit',
  stderr: 'inherit',
  // setsid(): the run leads its own process group, so signals reach everything it started,
  // and the terminal's Ctrl-C reaches timerstack alone (which relays it: stop()).
  detached: true,
  // Exactly the environment given: no merge with process.env, no npm PATH entries.
  extendEnv: false,
  preferLocal: false,
  shell: false,
  // Timeouts and SIGKILL are ours, on the loop's timers: none of execa's setTimeout ones.
  forceKillAfterDelay: false,
  cleanup: false,
  buffer: false,
} as const satisfies ExecaOptions;

export type Subprocess = ResultPromise<typeof OPTIONS & { env: Record<string, string> }>;

// Starts `file args` with exactly `env` (and `input` as its standard input, when given); throws
// synchronously only for arguments execa refuses.
export function spawnCommand(execa: Execa, file: string, args: readonly string[], env: Record<string, string>, input?: string): Subprocess {
  if (input === undefined) return execa(file, args, { ...OPTIONS, env });
  const { stdin: _ignored, ...rest } = OPTIONS;
  return execa(file, args, { ...rest, env, input }) as unknown as Subprocess;
}
