import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../src/errors.js';
import { isCrontabLine, parseCrontabLine } from '../../src/grammar/crontab.js';
import { refusalOf } from '../helpers/refusal.js';

// Expected values from crontab(5) and cronie's source (env.c load_env, entry.c load_entry,
// do_command.c's '%' translation), worked by hand.

const job = (schedule: string, command: string, input?: string, user?: string) => ({ kind: 'job', schedule, command, input, user });

describe('parseCrontabLine: blank lines and comments', () => {
  it.each(['', '   ', '\t', '\n', '# a comment', '   # indented comment', '#5 * * * * not a job'])('%j → undefined', (line) => {
    expect(parseCrontabLine(line)).toBeUndefined();
  });
});

describe('parseCrontabLine: jobs', () => {
  it.each<[string, ReturnType<typeof job>]>([
    ['*/5 * * * * command args', job('*/5 * * * *', 'command args')],
    ['@hourly command', job('@hourly', 'command')],
    ['@daily\t\tcommand', job('@daily', 'command')],
    ['5\t0 * * *       $HOME/bin/daily.job >> $HOME/tmp/out 2>&1', job('5 0 * * *', '$HOME/bin/daily.job >> $HOME/tmp/out 2>&1')],
    ['  15 14 1 * *     $HOME/bin/monthly', job('15 14 1 * *', '$HOME/bin/monthly')],
    ['23 0-23/2 * * * echo "run 23 minutes after midn, 2am, 4am ..., everyday"', job('23 0-23/2 * * *', 'echo "run 23 minutes after midn, 2am, 4am ..., everyday"')],
    ['5 4 * * sun     echo "run at 5 after 4 every sunday"', job('5 4 * * sun', 'echo "run at 5 after 4 every sunday"')],
    // crontab(5)'s example: the first % ends the command, the others are newlines of its input
    ['0 22 * * 1-5    mail -s "It\'s 10pm" joe%Joe,%%Where are your kids?%', job('0 22 * * 1-5', 'mail -s "It\'s 10pm" joe', 'Joe,\n\nWhere are your kids?\n')],
    // \% is a literal % in the command (the backslash dropped); other backslashes stay
    ['* * * * * date +\\%Y-\\%m-\\%d', job('* * * * *', 'date +%Y-%m-%d')],
    ['* * * * * printf "a\\tb\\n"', job('* * * * *', 'printf "a\\tb\\n"')],
    ['* * * * * echo x\\\\%in', job('* * * * *', 'echo x\\\\', 'in\n')],
    ['* * * * * echo trailing\\', job('* * * * *', 'echo trailing\\')],
    // the input: \% → %, % → newline, other backslashes kept, a final newline added when missing
    ['* * * * * cat%a\\%b%c', job('* * * * *', 'cat', 'a%b\nc\n')],
    ['* * * * * cat%line%', job('* * * * *', 'cat', 'line\n')],
    ['* * * * * cat%', job('* * * * *', 'cat', '')],
    ['* * * * * cat%%', job('* * * * *', 'cat', '\n')],
    ['* * * * * cat%a\\tb', job('* * * * *', 'cat', 'a\\tb\n')],
    ['* * * * * cat%a\\', job('* * * * *', 'cat', 'a\\\n')],
    ['* * * * * cat%a\\\\%b', job('* * * * *', 'cat', 'a\\%b\n')],
    // cronie's prefixes: '-' before the line (no syslog) and '-n' before the command (mail on error)
    ['-*/5 * * * * quiet', job('*/5 * * * *', 'quiet')],
    ['* * * * * -n  cmd', job('* * * * *', 'cmd')],
    ['0 0 * * * cmd\n', job('0 0 * * *', 'cmd')],
    ['0 0 * * * cmd with trailing blanks  ', job('0 0 * * *', 'cmd with trailing blanks  ')],
    ['0 0 * * * FOO=bar cmd', job('0 0 * * *', 'FOO=bar cmd')],
  ])('%j', (line, expected) => {
    expect(parseCrontabLine(line)).toEqual(expected);
  });

  it.each<[string, ReturnType<typeof job>]>([
    ['17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly', job('17 * * * *', 'cd / && run-parts --report /etc/cron.hourly', undefined, 'root')],
    ['@daily root cmd%in', job('@daily', 'cmd', 'in\n', 'root')],
    ['* * * * * root -n cmd', job('* * * * *', 'cmd', undefined, 'root')],
  ])('with a user field: %j', (line, expected) => {
    expect(parseCrontabLine(line, { userField: true })).toEqual(expected);
  });

  it('without userField the user is part of the command', () => {
    expect(parseCrontabLine('17 * * * * root run-parts /etc/cron.hourly')).toEqual(job('17 * * * *', 'root run-parts /etc/cron.hourly'));
  });
});

describe('parseCrontabLine: environment settings', () => {
  it.each([
    ['SHELL=/bin/bash', 'SHELL', '/bin/bash'],
    ['MAILTO=paul', 'MAILTO', 'paul'],
    ['CRON_TZ=Japan', 'CRON_TZ', 'Japan'],
    ['TZ = Europe/Berlin', 'TZ', 'Europe/Berlin'],
    ['MAILTO=""', 'MAILTO', ''],
    ['EMPTY=', 'EMPTY', ''],
    ['EMPTY =   ', 'EMPTY', ''],
    ['FOO = bar baz  ', 'FOO', 'bar baz'],
    ["FOO='  padded  '", 'FOO', '  padded  '],
    ['FOO = "a b"  ', 'FOO', 'a b'],
    ['FOO="it\'s"', 'FOO', "it's"],
    ['"MY VAR"=1', 'MY VAR', '1'],
    ['FOO=x # not a comment', 'FOO', 'x # not a comment'],
    ['FOO=a"b', 'FOO', 'a"b'],
    ['  PATH=/usr/bin:/bin', 'PATH', '/usr/bin:/bin'],
    ['X=%not special%', 'X', '%not special%'],
  ])('%j → %s = %j', (line, name, value) => {
    expect(parseCrontabLine(line)).toEqual({ kind: 'env', name, value });
  });
});

describe('parseCrontabLine: refusals', () => {
  it.each([
    ['* * * * *', /^crontab line "\* \* \* \* \*" has no command after its schedule$/],
    ['@daily', /^crontab line "@daily" has no command after its schedule$/],
    ['@daily   ', /has no command/],
    ['* * * *', /has fewer than five time fields and no command$/],
    ['*/5 * * * * * six-fields', /the word after the time fields starts with "\*" \(a sixth time field\?/],
    ['60 * * * * cmd', /^invalid cron minute "60": 60 is out of range 0-59$/],
    ['* * * * MONDAY cmd', /^invalid cron day-of-week "MONDAY"/],
    ['5 * * * cmd', /^invalid cron day-of-week "cmd"/],
    ['@reboot cmd', /^cron @reboot is not supported/],
    ['@weekdays cmd', /^unknown cron nickname "@weekdays"/],
    ['* * * * * -x cmd', /unknown or repeated cronie option "-x" before the command$/],
    ['* * * * * -n -n cmd', /unknown or repeated cronie option "-n"/],
    ['* * * * * -n', /has no command/],
    ['FOO="unterminated', /^crontab environment line "FOO=\\"unterminated": the value's opening " is never closed$/],
    ['FOO="x" y', /^crontab environment line .*: text follows the value's closing "$/],
    ['=value', /^crontab environment line "=value": the name before "=" is empty$/],
  ])('%j', (line, message) => {
    const error = refusalOf(() => parseCrontabLine(line));
    expect((error as Error).message).toMatch(message);
  });

  it('a system line without a command after the user is refused', () => {
    expect(() => parseCrontabLine('* * * * * root', { userField: true })).toThrow(/has no command after its schedule and user$/);
  });
});

describe('isCrontabLine: crontab(5) lines versus timerstack lines', () => {
  it.each([
    ['*/5 * * * * cmd', true],
    ['0 9 * * 1-5 ./report.sh', true],
    ['0 0 * JAN MON cmd', true],
    ['@hourly cmd', true],
    ['@reboot cmd', true], // so that its refusal is the clear one
    ['-*/5 * * * * cmd', true],
    ['60 * * * * cmd', true], // malformed, but crontab-shaped: the crontab parser says why
    ['* * * * *', true],
    ['MAILTO=x', true],
    ['CRON_TZ = Europe/Berlin', true],
    ['  SHELL=/bin/bash', true],
    ['every 5s -- ./sync.sh', false],
    ["cron '*/15 * * * *' -- ./sync.sh", false],
    ['cron @daily -- ./rotate.sh', false],
    ['once 10s -- x', false],
    ['at 10:00 -- x', false],
    ['calendar daily -- x', false],
    ['5s -- echo hi there you', false],
    ['10m ./a b c d', false],
    ['', false],
    ['# 5 * * * * commented out', false],
  ])('%j → %s', (line, expected) => {
    expect(isCrontabLine(line)).toBe(expected);
  });
});
