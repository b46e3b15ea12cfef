// One line of a crontab(5) file, read as cronie reads it (src/env.c load_env, src/entry.c
// load_entry, src/do_command.c for '%'). Pure: the table reader calls this line by line.
import { UsageError } from '../errors.js';
import { quote } from './quote.js';
import { parseCron } from './cron-parse.js';

export type CrontabLine =
  | {
      kind: 'job';
      /** The five time fields joined by one space, or the @nickname: text for parseCron. */
      schedule: string;
      /** For `sh -c` (or $SHELL): the text before the first unescaped '%', with '\%' turned into '%'. */
      command: string;
      /** What cronie writes to the command's stdin: the text after that '%', each further unescaped '%' a newline, a final newline added when missing; undefined without a '%'. */
      input: string | undefined;
      /** The user field of a system crontab (/etc/crontab, /etc/cron.d), when asked for; else undefined. */
      user: string | undefined;
    }
  | { kind: 'env'; name: string; value: string };

export interface CrontabOptions {
  /** System crontab: a user name follows the time fields (cronie reads one when it has no owner). */
  readonly userField?: boolean;
}

const BLANK = /[ \t]/;

// An environment setting as cronie's load_env reads it: `name = value`, blanks around '=' optional,
// name or value in matching single or double quotes; an unquoted value loses trailing blanks.
// 'not-env' when the line is not a setting; a string (the reason) when it is one, malformed.
function readEnv(line: string): { name: string; value: string } | 'not-env' | string {
  let i = 0;
  let name = '';
  const nameQuote = line[0] === '"' || line[0] === "'" ? line[i++] : undefined;
  if (nameQuote !== undefined) {
    const close = line.indexOf(nameQuote, i);
    if (close < 0) return 'not-env';
    name = line.slice(i, close);
    if (name.includes('=')) return 'not-env';
    i = close + 1;
  } else {
    while (i < line.length && !/[\s=]/.test(line[i] ?? '')) name += line[i++];
  }
  while (i < line.length && /\s/.test(line[i] ?? '')) i++;
  if (line[i] !== '=') return 'not-env';
  if (name === '') return 'the name before "=" is empty';
  i++;
  while (i < line.length && /\s/.test(line[i] ?? '')) i++;
  const valueQuote = line[i] === '"' || line[i] === "'" ? line[i] : undefined;
  if (valueQuote === undefined) return { name, value: line.slice(i).replace(/\s+$/, '') };
  const close = line.indexOf(valueQuote, i + 1);
  if (close < 0) return `the value's opening ${valueQuote} is never closed`;
  if (line.slice(close + 1).trim() !== '') return `text follows the value's closing ${valueQuote}`;
  return { name, value: line.slice(i + 1, close) };
}

// cronie's '%' rule for the command: the first unescaped '%' ends it; '\%' is a literal '%'
// (the backslash dropped), any other backslash pair is kept as written.
function splitCommand(text: string): { command: string; rest: string | undefined } {
  let command = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i] ?? '';
      command += next === '%' ? '%' : ch + next;
    } else if (ch === '%') {
      return { command, rest: text.slice(i + 1) };
    } else {
      command += ch;
    }
  }
  return { command, rest: undefined };
}

// cronie's translation of the input part: '\%' → '%', '%' → newline, other backslashes kept, and a
// final newline when the last character written was not one.
function inputOf(rest: string): string {
  let out = '';
  let escaped = false;
  let needNewline = false;
  for (let ch of rest) {
    if (escaped) {
      if (ch !== '%') out += '\\';
    } else if (ch === '%') {
      ch = '\n';
    }
    escaped = ch === '\\';
    if (!escaped) {
      out += ch;
      needNewline = ch !== '\n';
    }
  }
  if (escaped) out += '\\';
  return needNewline ? `${out}\n` : out;
}

// The next blank-separated word at `from`: [word, index after it and the blanks that follow].
function word(text: string, from: number): [string, number] {
  let end = from;
  while (end < text.length && !BLANK.test(text[end] ?? '')) end++;
  let next = end;
  while (next < text.length && BLANK.test(text[next] ?? '')) next++;
  return [text.slice(from, end), next];
}

// The options cronie allows before a command ('-n': mail only on failure; timerstack sends no mail).
function stripCommandOptions(text: string, line: string): string {
  let rest = text;
  let seen = false;
  while (rest.startsWith('-')) {
    const [option, next] = word(rest, 0);
    if (option !== '-n' || seen) throw new UsageError(`crontab line ${quote(line)}: unknown or repeated cronie option ${quote(option)} before the command`);
    seen = true;
    rest = rest.slice(next);
  }
  return rest;
}

// A job line: schedule (5 fields or @nickname), optional user, command with its '%' input.
function readJob(line: string, options: CrontabOptions): CrontabLine {
  let at = line.startsWith('-') ? 1 : 0; // cronie: '-' first means "do not syslog this job"
  const fields: string[] = [];
  const count = line[at] === '@' ? 1 : 5;
  while (fields.length < count && at < line.length) {
    const [w, next] = word(line, at);
    fields.push(w);
    at = next;
  }
  const schedule = fields.join(' ');
  if (fields.length < count) throw new UsageError(`crontab line ${quote(line)} has fewer than five time fields and no command`);
  parseCron(schedule); // the field errors name the field and quote the bad part
  if (line[at] === '*') {
    throw new UsageError(`crontab line ${quote(line)}: the word after the time fields starts with "*" (a sixth time field? crontab lines take five; seconds need a timerstack "cron" line)`);
  }
  let user: string | undefined;
  if (options.userField === true && at < line.length) [user, at] = word(line, at);
  let text = line.slice(at);
  text = stripCommandOptions(text, line);
  if (text === '') throw new UsageError(`crontab line ${quote(line)} has no command after its schedule${options.userField === true ? ' and user' : ''}`);
  const { command, rest } = splitCommand(text);
  return { kind: 'job', schedule, command, input: rest === undefined ? undefined : inputOf(rest), user };
}

// Parse one crontab(5) line; undefined for blank and comment lines, UsageError when malformed.
export function parseCrontabLine(text: string, options: CrontabOptions = {}): CrontabLine | undefined {
  const line = text.replace(/\n$/, '').replace(/^[ \t]+/, '');
  if (line === '' || line.startsWith('#')) return undefined;
  const env = readEnv(line);
  if (typeof env === 'object') return { kind: 'env', ...env };
  if (env !== 'not-env') throw new UsageError(`crontab environment line ${quote(line)}: ${env}`);
  return readJob(line, options);
}

const FIRST_FIELD = /^-?(?:@[A-Za-z]+|[0-9*~][0-9A-Za-z*?,/#~-]*)$/;
const OTHER_FIELD = /^[0-9A-Za-z*?][0-9A-Za-z*?,/#~-]*$/;

// Does a table line look like crontab(5) (a job starting with five time fields or an @nickname, or
// a NAME=value setting) rather than a timerstack line (which starts with a word such as every)?
export function isCrontabLine(words: string): boolean {
  const line = words.replace(/^[ \t]+/, '');
  if (line === '' || line.startsWith('#')) return false;
  if (readEnv(line) !== 'not-env') return true;
  const parts = line.split(/[ \t]+/);
  if (!FIRST_FIELD.test(parts[0] ?? '')) return false;
  if (/^-?@/.test(parts[0] ?? '')) return true;
  return parts.length >= 5 && parts.slice(1, 5).every((p) => OTHER_FIELD.test(p));
}
