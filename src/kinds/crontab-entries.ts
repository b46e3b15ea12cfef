// crontab(5) lines in a `run` table, served as cron serves them: `*/5 * * * * command` and
// `@hourly command` run through the shell, with their '%' part on standard input; NAME=value
// lines set the environment of the jobs below them, CRON_TZ= (or TZ=) their zone, SHELL= the
// shell; MAILTO= is accepted and noted once (timerstack sends no mail: failures go to stderr).
// Such a job is a `cron` timer named line-N.
import { UsageError } from '../errors.js';
import { parseCrontabLine } from '../grammar/crontab.js';
import { quote } from '../grammar/quote.js';
import { parseWords } from '../grammar/words.js';
import { checkZone } from '../grammar/zone.js';
import type { SpecContext, TimerSpec } from './kind.js';
import { buildSpec } from './spec.js';

// What the lines above a job set for it.
export interface CrontabState {
  zone: string | undefined;
  shell: string | undefined;
  env: Record<string, string>;
  mailtoNoted: boolean;
  // System crontabs (/etc/crontab, /etc/cron.d/*) name a user after the time fields.
  userField: boolean;
  // Who timerstack runs as: a system crontab line for another user is refused.
  user: string | undefined;
}

export function crontabState(options: { userField?: boolean; user?: string } = {}): CrontabState {
  return { zone: undefined, shell: undefined, env: {}, mailtoNoted: false, userField: options.userField ?? false, user: options.user };
}

export type CrontabResult = { spec: TimerSpec; key: string } | { note: string } | undefined;

// One crontab line: a job's spec (and the key a reload compares), a note, or nothing (a
// setting, a blank or comment line).
export function crontabEntry(text: string, ctx: SpecContext, state: CrontabState): CrontabResult {
  const line = parseCrontabLine(text, { userField: state.userField });
  if (!line) return undefined;
  if (line.kind === 'env') return setting(line.name, line.value, state);
  if (line.user !== undefined && state.user !== undefined && line.user !== state.user) {
    throw new UsageError(`the job runs as ${quote(line.user)}, and timerstack runs its commands as itself (${state.user})`);
  }
  const words = ['cron', line.schedule, ...(state.zone ? ['--tz', state.zone] : []), '--shell', '--', line.command];
  const spec = buildSpec(parseWords(words, 'table'), ctx);
  if (line.input !== undefined) spec.input = line.input;
  if (state.shell !== undefined) spec.shellPath = state.shell;
  if (Object.keys(state.env).length > 0) spec.env = { ...state.env };
  const key = JSON.stringify([words, line.input ?? null, state.shell ?? null, state.env]);
  return { spec, key };
}

function setting(name: string, value: string, state: CrontabState): CrontabResult {
  if (name === 'CRON_TZ' || name === 'TZ') {
    state.zone = value === '' ? undefined : checkZone(value);
    if (name === 'TZ') state.env = { ...state.env, TZ: value };
  } else if (name === 'SHELL') {
    state.shell = value;
  } else if (name === 'MAILTO') {
    if (value === '' || state.mailtoNoted) return undefined;
    state.mailtoNoted = true;
    return { note: `MAILTO=${value} is not supported: timerstack sends no mail (failed runs are reported on stderr)` };
  } else {
    state.env = { ...state.env, [name]: value };
  }
  return undefined;
}
