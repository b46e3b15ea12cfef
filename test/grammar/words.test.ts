import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseWords, type ParsedWords } from '../../src/grammar/words.js';
import { refusalOf } from '../helpers/refusal.js';

// The error parseWords threw, checked to be a one-line UsageError.
function refusal(words: string[], context: 'cli' | 'table' = 'cli'): UsageError {
  const error = refusalOf(() => parseWords(words, context));
  expect(error.code).toBe('EUSAGE');
  return error;
}

// The parse as a plain object, options in insertion order.
function plain(p: ParsedWords) {
  return { command: p.command, positional: p.positional, options: Object.fromEntries(p.options), argv: p.argv, help: p.help };
}

describe('parseWords accepts', () => {
  it.each<[string[], Partial<ReturnType<typeof plain>>]>([
    // commands and the positional
    [['once', '5s'], { command: 'once', positional: '5s', options: {}, argv: undefined, help: false }],
    [['every', '1m'], { command: 'every', positional: '1m' }],
    [['at', '18:00'], { command: 'at', positional: '18:00' }],
    [['run', 'timers.txt'], { command: 'run', positional: 'timers.txt' }],
    [['run', '-'], { command: 'run', positional: '-' }],
    [['completion'], { command: 'completion', positional: undefined }],
    [['every'], { command: 'every', positional: undefined }],
    // --opt value, --opt=value, in any position
    [['every', '5s', '--count', '3'], { positional: '5s', options: { count: '3' } }],
    [['every', '--count', '3', '5s'], { positional: '5s', options: { count: '3' } }],
    [['every', '5s', '--count=3'], { options: { count: '3' } }],
    [['every', '5s', '--name=a=b'], { options: { name: 'a=b' } }],
    [['every', '5s', '--name='], { options: { name: '' } }],
    [['every', '5s', '--name', ''], { options: { name: '' } }],
    [['every', '5s', '--kill-after', '2s', '--fail-fast'], { options: { 'kill-after': '2s', 'fail-fast': true } }],
    // the next word is the value, whatever it looks like (as getopt does)
    [['every', '5s', '--name', '--json'], { options: { name: '--json' } }],
    [['every', '5s', '--after', '-1s'], { options: { after: '-1s' } }],
    // flags, long and short, and short ones combined
    [['every', '5s', '--json'], { options: { json: true } }],
    [['every', '5s', '--align', '--shell', '--', 'date'], { options: { align: true, shell: true }, argv: ['date'] }],
    [['every', '5s', '-q'], { options: { quiet: true } }],
    [['every', '5s', '-qv'], { options: { quiet: true, verbose: true } }],
    [['every', '5s', '-qvn'], { options: { quiet: true, verbose: true, 'dry-run': true } }],
    // -n is --dry-run for a timer, --check for run
    [['run', 'f', '-n'], { options: { check: true } }],
    [['run', 'f', '-qn'], { options: { quiet: true, check: true } }],
    [['every', '5s', '-q', '-q'], { options: { quiet: true } }],
    // a short option with a value: the rest of the word, or the next word
    [['once', '1s', '-s', 'INT'], { options: { signal: 'INT' } }],
    [['once', '1s', '-sINT'], { options: { signal: 'INT' } }],
    [['once', '1s', '-qsHUP'], { options: { quiet: true, signal: 'HUP' } }],
    [['once', '1s', '-s', '-9'], { options: { signal: '-9' } }],
    [['run', 'f', '--check', '-v'], { options: { check: true, verbose: true } }],
    // help, anywhere after the command, alone or among short flags
    [['every', '--help'], { command: 'every', positional: undefined, help: true }],
    [['every', '5s', '-h'], { help: true }],
    [['once', '-qh'], { options: { quiet: true }, help: true }],
    // `--`: the rest is the command, options included
    [['every', '5s', '--', 'echo', 'hi'], { argv: ['echo', 'hi'] }],
    [['every', '5s', '--', 'ls', '--json', '-q', '--'], { options: {}, argv: ['ls', '--json', '-q', '--'] }],
    [['every', '5s', '--', 'echo', ''], { argv: ['echo', ''] }],
    [['once', '5s', '--', '--help'], { help: false, argv: ['--help'] }],
    [['every', '--', 'x'], { positional: undefined, argv: ['x'] }],
    // a dash and a digit (or a dot) is a value, refused later as a negative duration
    [['once', '-5s'], { positional: '-5s', options: {} }],
    [['once', '-.5'], { positional: '-.5', options: {} }],
    [['once', '-0'], { positional: '-0' }],
    // repeated options: the last one wins
    [['every', '5s', '--count', '3', '--count', '5'], { options: { count: '5' } }],
    [['every', '5s', '--count=3', '--count', '7'], { options: { count: '7' } }],
    [['every', '5s', '--clock', 'boottime', '--clock=realtime'], { options: { clock: 'realtime' } }],
  ])('%j', (words, expected) => {
    expect(plain(parseWords(words))).toMatchObject(expected);
  });

  it('keeps a value exactly, spaces and all', () => {
    expect(parseWords(['every', '5s', '--name', ' a b ']).options.get('name')).toBe(' a b ');
  });

  it('does not mutate its input and copies the argv', () => {
    const words = ['every', '5s', '--', 'echo'];
    const parsed = parseWords(words);
    parsed.argv!.push('more');
    expect(words).toEqual(['every', '5s', '--', 'echo']);
  });
});

describe('parseWords refuses', () => {
  it.each<[string[], string | RegExp]>([
    [[], 'missing command (once, every, at, cron, calendar, retry, next, run, export or completion)'],
    [['evry', '5s'], 'unknown command "evry" (use once, every, at, cron, calendar, retry, next, run, export or completion)'],
    [['--json'], /^unknown command "--json"/],
    [['EVERY', '5s'], /^unknown command "EVERY"/],
    // `--` needs a command after it, and a non-empty one
    [['every', '5s', '--'], '"--" with no command after it'],
    [['every', '5s', '--', ''], '"--" with no command after it'],
    [['every', '5s', '--', '', 'x'], '"--" with no command after it'],
    // unknown options name what was typed (not the value), quoted
    [['every', '5s', '--bogus'], 'unknown option "--bogus"'],
    [['every', '5s', '--bogus=3'], 'unknown option "--bogus"'],
    [['every', '5s', '-x'], 'unknown option "-x"'],
    [['every', '5s', '-qx'], 'unknown option "-x"'],
    [['every', '5s', '-V'], 'unknown option "-V"'],
    [['every', '5s', '--Count', '3'], 'unknown option "--Count"'],
    [['every', '5s', '---count', '3'], 'unknown option "---count"'],
    // an option that does not apply to the command
    [['once', '5s', '--count', '3'], 'option --count does not apply to once'],
    [['at', '18:00', '--overlap', 'skip'], 'option --overlap does not apply to at'],
    [['every', '5s', '--late', 'run'], 'option --late does not apply to every'],
    [['every', '5s', '--check'], 'option --check does not apply to every'],
    [['completion', '--json'], 'option --json does not apply to completion'],
    // a flag given a value
    [['every', '5s', '--json=1'], 'option --json takes no value'],
    [['every', '5s', '--align='], 'option --align takes no value'],
    // an option missing its value
    [['every', '5s', '--count'], 'option --count needs a value (N)'],
    [['every', '5s', '--count', '--', 'date'], 'option --count needs a value (N)'],
    [['once', '5s', '--timeout'], 'option --timeout needs a value (DURATION)'],
    [['once', '5s', '-s'], 'option --signal needs a value (SIGNAL)'],
    // a second positional: the command belongs after --
    [['every', '5s', 'echo'], 'unexpected argument "echo" (put a command after --)'],
    [['every', '5s', 'echo', 'hi'], 'unexpected argument "echo" (put a command after --)'],
    [['every', '5s', '-5s'], 'unexpected argument "-5s" (put a command after --)'],
  ])('%j', (words, message) => {
    const error = refusal(words);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it.each<[string[]]>([
    [['every', '5s', '--x\ny']],
    [['every', '5s', '--x\u001b[31m']],
    [['every', '5s', '-\u009b']],
    [['every', '5s', '--x\u2028y']],
    [['every\n', '5s']],
    [['every', '5s', 'a\u0085b']],
  ])('keeps the message on one line, without escapes, for %j', (words) => {
    refusal(words);
  });
});

describe('parseWords in a table line', () => {
  it.each<[string[], Partial<ReturnType<typeof plain>>]>([
    [['every', '5s', '--count', '3', '--', 'date'], { command: 'every', options: { count: '3' }, argv: ['date'] }],
    [['once', '0', '--name', 'x'], { command: 'once', options: { name: 'x' } }],
    [['at', '18:00', '--late', 'run'], { command: 'at', options: { late: 'run' } }],
  ])('accepts timer options: %j', (words, expected) => {
    expect(plain(parseWords(words, 'table'))).toMatchObject(expected);
  });

  it.each<[string[], string]>([
    // process options belong on the command line
    [['every', '5s', '--json'], 'option --json belongs on the command line, not in a table line'],
    [['every', '5s', '-q'], 'option --quiet belongs on the command line, not in a table line'],
    [['every', '5s', '-v'], 'option --verbose belongs on the command line, not in a table line'],
    [['every', '5s', '--dry-run'], 'option --dry-run belongs on the command line, not in a table line'],
    // only timer commands
    [['run', 'other.txt'], 'unknown command "run" (use once, every, at, cron or calendar)'],
    [['completion'], 'unknown command "completion" (use once, every, at, cron or calendar)'],
    // no help in a table
    [['every', '5s', '--help'], 'unknown option "--help"'],
    [['every', '5s', '-h'], 'unknown option "-h"'],
  ])('refuses %j', (words, message) => {
    expect(refusal(words, 'table').message).toBe(message);
  });

  it('checks applicability before scope', () => {
    expect(refusal(['once', '5s', '--check'], 'table').message).toBe('option --check does not apply to once');
  });
});
