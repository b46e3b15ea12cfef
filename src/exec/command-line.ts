// What a run executes: its argv (never through a shell unless asked) and its environment.
import { formatInstant } from '../grammar/time.js';
import type { TickContext } from './result.js';

// The child's environment: the base one, the timer's own variables (a crontab's NAME=value
// lines, then --env), plus exactly the four TIMERSTACK_* variables.
export function commandEnv(base: NodeJS.ProcessEnv, ctx: TickContext, extra?: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  if (extra) Object.assign(env, extra);
  env.TIMERSTACK_TIMER = ctx.timer;
  env.TIMERSTACK_TICK = String(ctx.tick);
  env.TIMERSTACK_EXPIRATIONS = String(ctx.expirations);
  env.TIMERSTACK_SCHEDULED = formatInstant(ctx.scheduledNs);
  return env;
}

// [file, args]: argv as given (never through a shell), or `/bin/sh -c "argv joined by spaces"`
// (another shell when given one: a crontab's SHELL=).
export function commandLine(argv: readonly string[], shell: boolean, shellPath = '/bin/sh'): [string, string[]] | undefined {
  if (shell) return argv.length === 0 ? undefined : [shellPath, ['-c', argv.join(' ')]];
  const [file, ...args] = argv;
  return file === undefined || file === '' ? undefined : [file, args];
}
