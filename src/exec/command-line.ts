// What a run executes: its argv (never through a shell unless asked) and its environment.
import { formatInstant } from '../grammar/time.js';
import type { TickContext } from './result.js';

// The child's environment: the base one, then the --env variables, then exactly the four
// TIMERSTACK_* variables.
export function commandEnv(base: NodeJS.ProcessEnv, ctx: TickContext, extra: ReadonlyArray<readonly [string, string]> = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  for (const [key, value] of extra) env[key] = value;
  env.TIMERSTACK_TIMER = ctx.timer;
  env.TIMERSTACK_TICK = String(ctx.tick);
  env.TIMERSTACK_EXPIRATIONS = String(ctx.expirations);
  env.TIMERSTACK_SCHEDULED = formatInstant(ctx.scheduledNs);
  return env;
}

// [file, args]: argv as given (never through a shell), or `/bin/sh -c "argv joined by spaces"`.
export function commandLine(argv: readonly string[], shell: boolean): [string, string[]] | undefined {
  if (shell) return argv.length === 0 ? undefined : ['/bin/sh', ['-c', argv.join(' ')]];
  const [file, ...args] = argv;
  return file === undefined || file === '' ? undefined : [file, args];
}
