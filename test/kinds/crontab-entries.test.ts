// crontab(5) lines in a run table: jobs become cron timers run through the shell, settings set
// the environment, zone and shell of the lines below, MAILTO is noted once, system crontabs have
// a user field.
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../src/errors.js';
import { readTable } from '../../src/kinds/table.js';
import { refusalOf } from '../helpers/refusal.js';

const MS = 1_000_000n;
const NOW = { nowNs: BigInt(Date.parse('2027-03-26T12:00:30Z')) * MS, utcOffsetNs: 0n };

function table(text: string, options = {}) {
  return readTable(text, 'crontab', NOW, options);
}

describe('crontab lines in a table', () => {
  it('a job is a cron timer named line-N, run through /bin/sh -c', () => {
    const { entries, notes } = table('*/5 * * * * echo "hi there" >> /tmp/log\n');
    expect(notes).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.spec).toMatchObject({ name: 'line-1', kind: 'cron', shell: true, command: ['echo "hi there" >> /tmp/log'], clock: 'realtime' });
    expect(entries[0]!.spec.rule!.normalized).toBe('*/5 * * * *');
  });

  it('settings apply to the lines below them: environment, CRON_TZ, SHELL; MAILTO noted once', () => {
    const { entries, notes } = table(
      ['MAILTO=ops@example.com', 'GREETING = "hello world"', '@hourly echo $GREETING', 'CRON_TZ=Asia/Tokyo', 'SHELL=/bin/bash', 'MAILTO=again', '0 9 * * * date'].join('\n'),
    );
    expect(notes).toEqual(['crontab:1: MAILTO=ops@example.com is not supported: timerstack sends no mail (failed runs are reported on stderr)']);
    const [hourly, daily] = entries.map((e) => e.spec);
    expect(hourly).toMatchObject({ env: { GREETING: 'hello world' } });
    expect(hourly!.zone).not.toBe('Asia/Tokyo');
    expect(hourly!.shellPath).toBeUndefined();
    expect(daily).toMatchObject({ zone: 'Asia/Tokyo', shellPath: '/bin/bash', env: { GREETING: 'hello world' } });
    // 09:00 in Tokyo is 00:00Z
    expect(daily!.atNs).toBe(BigInt(Date.parse('2027-03-27T00:00:00Z')) * MS);
  });

  it('the text after an unescaped % is the command\'s standard input', () => {
    const [entry] = table('0 0 * * * mail -s "report \\% done" root%line one%line two\n').entries;
    expect(entry!.spec.command).toEqual(['mail -s "report % done" root']);
    expect(entry!.spec.input).toBe('line one\nline two\n');
  });

  it('mixes with timerstack lines; a changed setting changes the key of the lines below', () => {
    const a = table('tick: every 1s\nTZ=UTC\n* * * * * true\n').entries;
    const b = table('tick: every 1s\nTZ=Europe/Berlin\n* * * * * true\n').entries;
    expect(a.map((e) => e.name)).toEqual(['tick', 'line-3']);
    expect(a[0]!.key).toBe(b[0]!.key);
    expect(a[1]!.key).not.toBe(b[1]!.key);
  });

  it('a system crontab names a user; another user than ours is refused with its line', () => {
    const ours = table('17 * * * * alice run-parts /etc/cron.hourly\n', { systemCrontab: true, user: 'alice' }).entries;
    expect(ours[0]!.spec.command).toEqual(['run-parts /etc/cron.hourly']);
    expect(() => table('17 * * * * bob true\n', { systemCrontab: true, user: 'alice' })).toThrow(/^crontab:1: the job runs as "bob", and timerstack runs its commands as itself \(alice\)$/);
  });

  it.each([
    ['61 * * * * true\n', /^crontab:1: invalid cron minute "61"/],
    ['CRON_TZ=Mars/Base\n* * * * * true\n', /^crontab:1: unknown time zone "Mars\/Base"/],
    ['@reboot true\n', /^crontab:1: cron @reboot is not supported/],
  ])('refuses %j naming the line', (text, message) => {
    const caught = refusalOf(() => table(text));
    expect((caught as UsageError).message).toMatch(message);
  });
});
