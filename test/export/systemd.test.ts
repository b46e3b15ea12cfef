// TimerSpec → systemd units: the lines written for each kind and option, the refusals (one line,
// the reason), units systemd-analyze verify accepts for a table with every kind of line, and
// OnCalendar= expressions whose elapses in systemd-analyze calendar are timerstack's own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemdUnits } from '../../src/export/systemd.js';
import { parseWords } from '../../src/grammar/words.js';
import type { TimerSpec, WallNow } from '../../src/kinds/kind.js';
import { buildSpec } from '../../src/kinds/spec.js';
import { parseTable } from '../../src/kinds/table.js';
import { calendarElapses, HAS_SYSTEMD_ANALYZE, verifyUnits } from '../helpers/systemd.js';
import { refusalOf } from '../helpers/refusal.js';

const S = 1_000_000_000n;
// Not on any grid of whole seconds: the next elapse is never "now" itself.
const NOW: WallNow = { nowNs: BigInt(Date.parse('2026-03-10T08:07:06Z')) * 1_000_000n + 250_000_000n, utcOffsetNs: 0n };
const CTX = { cwd: '/srv/app', source: 'the test' };
const NODE = process.execPath;

function spec(words: string[], now: WallNow = NOW): TimerSpec {
  return buildSpec(parseWords(words, 'table'), { ...now, defaultName: 'job' });
}

// The [Timer] and [Service] lines written for `words`.
function lines(words: string[], user = false): { timer: string[]; service: string[] } {
  const [timer, service] = systemdUnits(spec(words), CTX, { user });
  const section = (text: string, name: string) => text.split(`[${name}]\n`)[1]!.split('\n\n')[0]!.split('\n').filter((l) => l !== '');
  return { timer: section(timer!.text, 'Timer'), service: section(service!.text, 'Service') };
}

function refusal(words: string[], user = false): string {
  return refusalOf(() => systemdUnits(spec(words), CTX, { user })).message;
}

describe('systemdUnits: what each kind and option becomes', () => {
  it.each([
    [['every', '5s'], ['OnActiveSec=5s', 'OnUnitActiveSec=5s', 'AccuracySec=1us']],
    [['every', '1h', '--after', '0'], ['OnActiveSec=0', 'OnUnitActiveSec=1h', 'AccuracySec=1us']],
    [['every', '90s', '--after', '250ms'], ['OnActiveSec=250ms', 'OnUnitActiveSec=1min 30s', 'AccuracySec=1us']],
    [['once', '25m'], ['OnActiveSec=25min', 'AccuracySec=1us']],
    [['every', '15m', '--align', '--tz', 'UTC'], ['OnCalendar=*-*-* *:00/15:00 UTC', 'AccuracySec=1us']],
    [['every', '1d', '--align', '--tz', 'Europe/Berlin'], ['OnCalendar=*-*-* 00:00:00 Europe/Berlin', 'AccuracySec=1us']],
    [['every', '1w', '--align', '--tz', 'UTC'], ['OnCalendar=Mon *-*-* 00:00:00 UTC', 'AccuracySec=1us']],
    [['cron', '*/15 9-17 * * 1-5', '--tz', 'UTC'], ['OnCalendar=Mon..Fri *-*-* 09..17:00/15:00 UTC', 'AccuracySec=1us']],
    [['cron', '0 12 1,15 * sun', '--tz', 'America/New_York'], ['OnCalendar=*-*-01,15 12:00:00 America/New_York', 'OnCalendar=Sun *-*-* 12:00:00 America/New_York', 'AccuracySec=1us']],
    [['cron', '30 0 4 */2 * *', '--tz', 'UTC'], ['OnCalendar=*-*-01/2 04:00:30 UTC', 'AccuracySec=1us']],
    [['calendar', 'Mon..Fri 09:00', '--tz', 'UTC'], ['OnCalendar=Mon..Fri *-*-* 09:00:00 UTC', 'AccuracySec=1us']],
    [['calendar', '*-*~01 23:30 Europe/Berlin'], ['OnCalendar=*-*~01 23:30:00 Europe/Berlin', 'AccuracySec=1us']],
    [['at', '2026-12-01T09:00:00.25Z'], ['OnCalendar=2026-12-01 09:00:00.250000 UTC', 'AccuracySec=1us']],
    [['every', '6h', '--jitter', '10m'], ['OnActiveSec=6h', 'OnUnitActiveSec=6h', 'AccuracySec=1us', 'RandomizedDelaySec=10min']],
    [['every', '6h', '--clock', 'boottime-alarm'], ['OnActiveSec=6h', 'OnUnitActiveSec=6h', 'AccuracySec=1us', 'WakeSystem=true']],
    [['at', '2026-12-01T09:00:00Z', '--clock', 'realtime-alarm'], ['OnCalendar=2026-12-01 09:00:00 UTC', 'AccuracySec=1us', 'WakeSystem=true']],
  ])('%j → [Timer] %j', (words, timer) => {
    expect(lines([...words, '--', '/bin/true']).timer).toEqual(timer);
  });

  it('writes the command, its directory, its name, --timeout and --kill-after in [Service]', () => {
    expect(lines(['every', '5m', '--timeout', '4m', '--kill-after', '3s', '--', './sync.sh', 'a b', '50%']).service).toEqual([
      'Type=exec',
      'ExecStart=/srv/app/sync.sh "a b" 50%%',
      'WorkingDirectory=/srv/app',
      'Environment=TIMERSTACK_TIMER=job',
      'RuntimeMaxSec=4min',
      'TimeoutStopSec=3s',
    ]);
    expect(lines(['every', '5m', '--shell', '--', 'echo $HOME | wc -c']).service[1]).toBe('ExecStart=/bin/sh -c "echo $$HOME | wc -c"');
    expect(lines(['every', '5m', '--', 'curl', '-fsS', 'http://x/']).service[1]).toBe('ExecStart=curl -fsS http://x/');
  });

  it('names the units after the timer and says where they came from', () => {
    const files = systemdUnits(spec(['every', '5s', '--name', 'backup', '--', '/bin/true']), CTX, { user: false });
    expect(files.map((f) => f.name)).toEqual(['backup.timer', 'backup.service']);
    for (const f of files) expect(f.text.split('\n')[0]).toBe('# Written by timerstack export systemd from: the test');
    expect(files[0]!.text).toContain('\n[Install]\nWantedBy=timers.target\n');
  });

  it('writes --persistent as Persistent=true', () => {
    const timer = systemdUnits(spec(['cron', '0 3 * * *', '--persistent', '/var/lib/ts/backup.stamp', '--', '/bin/true']), CTX, { user: false })[0]!.text;
    expect(timer).toContain('\nPersistent=true\n');
  });

  it('gives a crontab line its environment, its shell and its % text', () => {
    const [entry] = parseTable('SHELL=/bin/bash\nGREETING=hello world\n5 4 * * * tr a-z A-Z %first line%  second \\% x\n', 'crontab', NOW);
    const service = systemdUnits(entry!.spec, CTX, { user: false })[1]!.text;
    expect(service).toContain('\nExecStart=/bin/bash -c "tr a-z A-Z "\n');
    expect(service).toContain('\nEnvironment="GREETING=hello world"\nEnvironment=TIMERSTACK_TIMER=line-3\n');
    expect(service).toContain('\nStandardInputText=first line\nStandardInputText=\\x20\\x20second %% x\n');
  });
});

describe('systemdUnits: refusals', () => {
  it.each([
    [['every', '5s'], 'no command after --: a systemd timer runs a command on each elapse'],
    [['every', '5s', '--count', '3', '--', '/bin/true'], '--count: a systemd timer has no limit on its number of runs'],
    [['every', '5s', '--for', '1h', '--', '/bin/true'], '--for: a systemd timer has no end after a time'],
    [['every', '5s', '--until', '23:59', '--', '/bin/true'], '--until: a systemd timer has no end time'],
    [['every', '5s', '--fail-fast', '--', '/bin/true'], '--fail-fast: a systemd timer does not stop after a failed run'],
    [['every', '5s', '--overlap', 'queue', '--', '/bin/true'], '--overlap queue: systemd never starts a service that is still running (only skip, the default, can be exported)'],
    [['every', '5s', '--overlap', 'parallel', '--', '/bin/true'], '--overlap parallel: systemd never starts a service that is still running (only skip, the default, can be exported)'],
    [['every', '5s', '--clock', 'boottime', '--', '/bin/true'], '--clock boottime: systemd has no such timer (monotonic timers pause during suspend unless they wake the machine (boottime-alarm))'],
    [['every', '1m', '--align', '--clock', 'monotonic', '--', '/bin/true'], '--clock monotonic: systemd has no such timer (calendar timers run on the wall clock)'],
    [['every', '7s', '--align', '--', '/bin/true'], '--align every 7s: the grid is not the same every day (use an interval that divides a day)'],
    [['every', '2d', '--align', '--', '/bin/true'], '--align every 2d: its days count from 1970-01-01, which a calendar expression cannot say (1d and 1w can be exported)'],
    [['cron', '0 0 L * *', '--', '/bin/true'], 'cron "0 0 L * *": L has no OnCalendar= form'],
    [['every', '1500ns', '--', '/bin/true'], 'the first expiration: systemd counts time in microseconds (1500 ns is not a whole number of them)'],
    [['every', '5s', '--kill-after', '0', '--', '/bin/true'], '--kill-after 0: systemd reads TimeoutStopSec=0 as "never send SIGKILL"'],
    [['at', '2250-01-01T00:00:00Z', '--', '/bin/true'], "TIME 2250-01-01T00:00:00Z: systemd's calendar ends with the year 2199"],
    [['at', '2020-01-01T00:00:00Z', '--late', 'run', '--', '/bin/true'], 'TIME is in the past: there is nothing to schedule'],
    [['every', '5s', '--', '/bin/a"b'], `command "/bin/a\\"b": systemd refuses quotes, backslashes and control characters in the executable's name`],
  ])('%j: %s', (words, reason) => {
    expect(refusal(words)).toBe(reason);
  });

  it('refuses waking the machine from a user manager', () => {
    expect(refusal(['every', '1h', '--clock', 'boottime-alarm', '--', '/bin/true'], true)).toBe(
      '--clock boottime-alarm: WakeSystem= needs CAP_WAKE_ALARM, which a user\'s manager does not have (export without --user)',
    );
  });
});

// One line of each kind and option systemd can run, with commands that exist (verify checks).
const TABLE = [
  `backup: every 6h --jitter 10m --timeout 1h -- ${NODE} -e 0`,
  `quick: every 250ms --after 0 -- /bin/true`,
  `once: once 25m -- /bin/echo "tea is ready" 100%`,
  `aligned: every 15m --align -- /bin/true`,
  `hourly: every 90m --align --kill-after 30s -- /bin/true`,
  `weekly: every 1w --align -- /bin/true`,
  `daily: every 1d --align --tz Europe/Berlin -- /bin/true`,
  `cron: cron '*/10 8-18 * * mon-fri' -- /bin/true`,
  `either: cron '0 12 1,15 * 0' --tz America/New_York --persistent /var/tmp/either.stamp -- /bin/true`,
  `calendar: calendar 'Sat,Sun *-*-1..7 10:00' --tz Europe/Berlin -- /bin/true`,
  `month-end: calendar '*-*~01 23:30' -- /bin/true`,
  'SHELL=/bin/sh',
  'NOTE=50% done',
  '*/5 * * * * date | tee -a /tmp/log %input text',
  `deadline: at 2026-12-01T18:00:00Z -- /bin/true`,
  `wake: every 1d --clock boottime-alarm -- /bin/true`,
  `wakeat: at 2026-12-24T06:30:00.5Z --clock realtime-alarm -- /bin/true`,
  `shell: every 1m --shell -- echo "$HOME" | wc -c`,
].join('\n');

describe.runIf(HAS_SYSTEMD_ANALYZE)('systemd-analyze and the units', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-units-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const entries = parseTable(TABLE, 'timers.txt', NOW);
  const written = entries.flatMap((e) => systemdUnits(e.spec, { cwd: dir, source: `timers.txt:${e.line}` }, { user: false }));
  const paths = written.map((f) => {
    const file = path.join(dir, f.name);
    writeFileSync(file, f.text);
    return file;
  });

  it('verify accepts every unit of a table with each kind of line, without a warning', () => {
    expect(written.length).toBe(2 * entries.length);
    const r = verifyUnits(paths);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('verify --user accepts the units a user manager can run', () => {
    const userDir = mkdtempSync(path.join(dir, 'user-'));
    const files = entries
      .filter((e) => !e.spec.clock.endsWith('-alarm'))
      .flatMap((e) => systemdUnits(e.spec, { cwd: dir, source: 'x' }, { user: true }))
      .map((f) => {
        writeFileSync(path.join(userDir, f.name), f.text);
        return path.join(userDir, f.name);
      });
    const r = verifyUnits(files, true);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('(verify can fail: a unit naming a missing command is refused)', () => {
    const [, service] = systemdUnits(spec(['every', '5s', '--name', 'missing', '--', '/nonexistent/cmd']), CTX, { user: false });
    const file = path.join(dir, 'missing.service');
    writeFileSync(file, service!.text);
    const r = verifyUnits([file]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('/nonexistent/cmd is not executable');
  });
});

// timerstack's own next elapses (what `timerstack next` prints): a computed schedule's rule from
// now, else the first expiration and then one interval apart.
function ownElapses(s: TimerSpec, n: number): bigint[] {
  if (s.rule) {
    const out: bigint[] = [];
    for (let t = s.rule.next(NOW.nowNs); t !== undefined && out.length < n; t = s.rule.next(t)) out.push(t / S);
    return out;
  }
  return Array.from({ length: s.intervalNs > 0n ? n : 1 }, (_, k) => (s.atNs! + BigInt(k) * s.intervalNs) / S);
}

describe.runIf(HAS_SYSTEMD_ANALYZE)('OnCalendar= elapses in systemd-analyze calendar are timerstack\'s', () => {
  // Kathmandu (+05:45, no DST) moves every grid longer than 15 minutes off UTC's; New York and
  // Berlin have DST (the window below has none of their changes).
  it.each(['UTC', 'Asia/Kathmandu', 'America/New_York', 'Europe/Berlin'])('in %s', (zone) => {
    const cases = [
      ...['1s', '5s', '8s', '1m', '15m', '45m', '90m', '2h', '6h', '1d', '1w'].map((i) => ['every', i, '--align']),
      ['cron', '*/15 9-17 * * 1-5'],
      ['cron', '0 12 1,15 * sun'],
      ['cron', '5 0 */2 * *'],
      ['cron', '0 30 4 * jan,jul mon'],
      ['cron', '@weekly'],
      ['calendar', 'Mon..Fri 09:00'],
      ['calendar', '*-*~01 23:30'],
      ['calendar', 'Sat,Sun *-*-1..7 10:00'],
      ['calendar', 'quarterly'],
      ['at', '2026-12-01T18:00:00Z'],
    ];
    const specs = cases.map((words) => spec([...words, '--tz', zone, '--', '/bin/true']));
    const calendars = specs.map((s) => {
      const timer = systemdUnits(s, CTX, { user: false })[0]!.text;
      return [...timer.matchAll(/^OnCalendar=(.*)$/gm)].map((m) => m[1]!.replace(/%%/g, '%'));
    });
    const N = 6;
    const results = calendarElapses(calendars.flat(), N, NOW.nowNs / S, 'UTC');
    let at = 0;
    specs.forEach((s, i) => {
      const mine = calendars[i]!.map(() => results[at++]!);
      const own = ownElapses(s, N);
      const merged = [...new Set(mine.flat())].sort((a, b) => (a < b ? -1 : 1)).slice(0, own.length);
      expect(own.length, cases[i]!.join(' ')).toBeGreaterThan(0);
      expect(merged, cases[i]!.join(' ')).toEqual(own);
    });
  });
});
