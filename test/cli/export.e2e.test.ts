// `timerstack export` through the real binary: units on stdout or in --dir, CronJobs as YAML,
// every refusal as one line naming FILE:LINE and the timer with nothing written, and the export's
// options kept apart from the spec's.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { lines, timerstack } from '../helpers/binary.js';
import { HAS_SYSTEMD_ANALYZE, verifyUnits } from '../helpers/systemd.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ts-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function table(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('export systemd', () => {
  it('writes a spec\'s two units to stdout under "# NAME.timer" and "# NAME.service" headers', async () => {
    const r = await timerstack(['export', 'systemd', 'every', '5s', '--name', 'beat', '--jitter', '1s', '--', '/bin/true'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const headers = lines(r.stdout).filter((l) => /^# \S+\.(timer|service)$/.test(l));
    expect(headers).toEqual(['# beat.timer', '# beat.service']);
    expect(r.stdout).toContain('\nOnUnitActiveSec=5s\nAccuracySec=1us\nRandomizedDelaySec=1s\n');
    expect(r.stdout).toContain(`\nWorkingDirectory=${dir}\n`);
    // The spec's words as given, with the export's own options left out.
    expect(r.stdout).toContain('# Written by timerstack export systemd from: every 5s --name beat --jitter 1s -- /bin/true\n');
  });

  it('takes its own options anywhere before --', async () => {
    const out = path.join(dir, 'units-a');
    const r = await timerstack(['export', 'systemd', 'every', '1m', '--dir', out, '--align', '--user', '--', '/bin/true']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([path.join(out, 'timer.timer'), path.join(out, 'timer.service')]);
    expect(r.stderr).toBe('timerstack: to start them: systemctl --user daemon-reload && systemctl --user enable --now timer.timer\n');
    expect(readFileSync(path.join(out, 'timer.timer'), 'utf8')).toMatch(/\nOnCalendar=\*-\*-\* \*:\*:00 \S+\n/);
  });

  it('writes a table into --dir (created), one pair per line, that systemd-analyze verify accepts', async () => {
    const file = table('ok.txt', `backup: every 6h --jitter 10m -- ${process.execPath} -e 0\ndeadline: at 2030-01-01T09:00:00Z -- /bin/true\n`);
    const out = path.join(dir, 'units-b', 'deep');
    const r = await timerstack(['export', 'systemd', file, '--dir', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['backup.service', 'backup.timer', 'deadline.service', 'deadline.timer']);
    expect(r.stderr).toBe('timerstack: to start them: systemctl daemon-reload && systemctl enable --now backup.timer deadline.timer\n');
    if (!HAS_SYSTEMD_ANALYZE) return;
    const v = verifyUnits(readdirSync(out).map((f) => path.join(out, f)));
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
  });

  it('refuses every timer it cannot export, one line each naming FILE:LINE and the timer, and writes nothing', async () => {
    const file = table('mixed.txt', ['good: every 5s -- /bin/true', 'busy: every 5s --overlap queue -- /bin/true', '# a comment', 'limited: every 5s --count 3 -- /bin/true', 'fine: once 1m -- /bin/true'].join('\n'));
    const out = path.join(dir, 'units-never');
    const r = await timerstack(['export', 'systemd', file, '--dir', out]);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      `timerstack: export systemd: ${file}:2: busy: --overlap queue: systemd never starts a service that is still running (only skip, the default, can be exported)`,
      `timerstack: export systemd: ${file}:4: limited: --count: a systemd timer has no limit on its number of runs`,
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('does not overwrite a unit it did not write', async () => {
    const out = path.join(dir, 'units-c');
    mkdirSync(out);
    writeFileSync(path.join(out, 'mine.service'), '[Service]\nExecStart=/bin/true\n');
    const r = await timerstack(['export', 'systemd', '--dir', out, 'every', '5s', '--name', 'mine', '--', '/bin/true']);
    expect(r.code).toBe(125);
    expect(lines(r.stderr)).toEqual([`timerstack: export systemd: ${path.join(out, 'mine.service')} exists and was not written by timerstack (remove it or choose another --dir) (see 'timerstack --help')`]);
    expect(readdirSync(out)).toEqual(['mine.service']);
    // One it wrote itself is replaced.
    rmSync(path.join(out, 'mine.service'));
    expect((await timerstack(['export', 'systemd', '--dir', out, 'every', '5s', '--name', 'mine', '--', '/bin/true'])).code).toBe(0);
    expect((await timerstack(['export', 'systemd', '--dir', out, 'every', '7s', '--name', 'mine', '--', '/bin/true'])).code).toBe(0);
    expect(readFileSync(path.join(out, 'mine.timer'), 'utf8')).toContain('OnUnitActiveSec=7s');
  });

  it('reads a table from standard input, and refuses a name used in two tables', async () => {
    const r = await timerstack(['export', 'systemd', '-'], { input: 'x: every 1s -- /bin/true\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Written by timerstack export systemd from: stdin:1: every 1s -- /bin/true\n');
    const a = table('a.txt', 'same: every 1s -- /bin/true\n');
    const b = table('b.txt', '\nsame: every 2s -- /bin/true\n');
    const dup = await timerstack(['export', 'systemd', a, b]);
    expect(dup.code).toBe(125);
    expect(lines(dup.stderr)).toEqual([`timerstack: ${b}:2: the name "same" is also on ${a}:1 (see 'timerstack --help')`]);
  });
});

describe('export kubernetes', () => {
  it('writes one CronJob per timer as YAML documents that validate against the schema', async () => {
    const file = table('k8s.txt', 'sync: every 15m --align --timeout 10m -- ./sync.sh --all\nreport: every 1d --align --overlap parallel -- /bin/report\n');
    const r = await timerstack(['export', 'kubernetes', file, '--image', 'registry.example/app:1', '--namespace', 'jobs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs.map((d) => (d.metadata as { name: string }).name)).toEqual(['sync', 'report']);
    for (const d of docs) expect(() => new CronJob(d as never).validate()).not.toThrow();
    expect((docs[0]!.spec as { schedule: string }).schedule).toBe('*/15 * * * *');
  });

  it('needs --image, and refuses timers a CronJob cannot run, one line each', async () => {
    const noImage = await timerstack(['export', 'kubernetes', 'every', '1h', '--align', '--', '/bin/true']);
    expect(noImage.code).toBe(125);
    expect(lines(noImage.stderr)).toEqual(["timerstack: export kubernetes: --image IMAGE is needed (the container image that has the commands) (see 'timerstack --help')"]);
    const r = await timerstack(['export', 'kubernetes', '--image', 'x', 'every', '10s', '--', '/bin/true']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual(['timerstack: export kubernetes: timer: every 10s counts from when it starts; a CronJob runs at wall-clock times: add --align to run on the grid']);
  });
});

describe('export: the words', () => {
  it.each([
    [['export'], 'export: missing TARGET (systemd or kubernetes)'],
    [['export', 'cron'], 'export: unknown target "cron" (use systemd or kubernetes)'],
    [['export', 'systemd'], 'export systemd: missing TABLE files or a SPEC (once|every|at ... -- COMMAND)'],
    [['export', 'systemd', '--image', 'x', 'every', '1s', '--', '/bin/true'], 'option --image applies to export kubernetes, not systemd'],
    [['export', 'kubernetes', '--dir', 'x', 'every', '1s', '--', '/bin/true'], 'option --dir applies to export systemd, not kubernetes'],
    [['export', 'systemd', 'every', '1s', '--json', '--', '/bin/true'], 'option --json does not apply to export'],
    [['export', 'systemd', 'timers.txt', '--jitter', '1s'], 'export systemd: "--jitter" belongs in a table line, not after TABLE'],
    [['export', 'systemd', 'every', '1s', '--bogus'], 'unknown option "--bogus"'],
  ])('%j → one line', async (args, message) => {
    const r = await timerstack(args);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([`timerstack: ${message} (see 'timerstack --help')`]);
  });

  it('export --help shows the command', async () => {
    const r = await timerstack(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('timerstack export systemd|kubernetes TABLE...|SPEC [options]');
    expect(r.stdout).toContain('--namespace NS');
  });
});
