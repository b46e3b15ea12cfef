// TimerSpec → batch/v1 CronJob: what each option becomes, the refusals (one line, the reason),
// and manifests (written as YAML and read back) that validate against the Kubernetes OpenAPI
// schema, through kubernetes-models' own validator.
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cronJob, STARTING_DEADLINE_SECONDS, type Manifest } from '../../src/export/kubernetes.js';
import { parseWords } from '../../src/grammar/words.js';
import type { TimerSpec } from '../../src/kinds/kind.js';
import { buildSpec } from '../../src/kinds/spec.js';
import { parseTable } from '../../src/kinds/table.js';
import { localZone } from '../../src/grammar/zone.js';
import { refusalOf } from '../helpers/refusal.js';

const NOW = { nowNs: BigInt(Date.parse('2026-03-10T08:07:06Z')) * 1_000_000n, utcOffsetNs: 0n };
const CTX = { cwd: '/srv/app', source: 'the test' };
const OPTIONS = { image: 'registry.example/app:1' };

function spec(words: string[]): TimerSpec {
  return buildSpec(parseWords(words, 'table'), { ...NOW, defaultName: 'job' });
}

// The manifest's spec, its Job's spec and its container, for `words`.
function parts(words: string[], options: Parameters<typeof cronJob>[2] = OPTIONS) {
  const m = cronJob(spec(words), CTX, options) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  const job = (m.spec.jobTemplate as { spec: Record<string, unknown> }).spec;
  const pod = (job.template as { spec: Record<string, unknown> }).spec;
  return { metadata: m.metadata, spec: m.spec, job, pod, container: (pod.containers as Record<string, unknown>[])[0]! };
}

function refusal(words: string[]): string {
  return refusalOf(() => cronJob(spec(words), CTX, OPTIONS)).message;
}

describe('cronJob: what each option becomes', () => {
  it.each([
    ['1m', '* * * * *'],
    ['15m', '*/15 * * * *'],
    ['1h', '0 * * * *'],
    ['6h', '0 */6 * * *'],
    ['1d', '0 0 * * *'],
    ['1w', '0 0 * * 1'],
  ])('every %s --align → schedule %s', (interval, schedule) => {
    expect(parts(['every', interval, '--align', '--', '/bin/true']).spec.schedule).toBe(schedule);
  });

  it.each([
    [['cron', '*/15 9-17 * * 1-5'], '*/15 9-17 * * 1-5'],
    [['cron', '0 12 1,15 * sun'], '0 12 1,15 * 0'],
    [['cron', '0 0 1-31 * 1'], '0 0 1-31 * 1'],
    [['cron', '@weekly'], '0 0 * * 0'],
    [['cron', '0 0 */2 * *'], '0 0 */2 * *'],
    [['cron', '0 30 4 * * *'], '30 4 * * *'],
    [['calendar', 'Mon..Fri 09:30'], '30 9 * * 1-5'],
    [['calendar', '*-01,07-01 00:00'], '0 0 1 */6 *'],
    [['calendar', '*-02,05-01 00:00'], '0 0 1 2,5 *'],
    [['calendar', '*:0/20'], '*/20 * * * *'],
    [['calendar', 'daily'], '0 0 * * *'],
  ])('%j → schedule %s, in the timer\'s zone', (words, schedule) => {
    const p = parts([...words, '--tz', 'Asia/Tokyo', '--', '/bin/true']);
    expect(p.spec.schedule).toBe(schedule);
    expect(p.spec.timeZone).toBe('Asia/Tokyo');
  });

  it.each([
    ['skip', 'Forbid'],
    ['parallel', 'Allow'],
    ['restart', 'Replace'],
  ])('--overlap %s → concurrencyPolicy %s', (overlap, policy) => {
    expect(parts(['every', '5m', '--align', '--overlap', overlap, '--', '/bin/true']).spec.concurrencyPolicy).toBe(policy);
  });

  it('runs the command as args, once, within --timeout, stopped within --kill-after', () => {
    const p = parts(['every', '5m', '--align', '--name', 'sync', '--timeout', '4m', '--kill-after', '30s', '--', './sync.sh', '--all'], { ...OPTIONS, namespace: 'jobs' });
    expect(p.metadata).toMatchObject({ name: 'sync', namespace: 'jobs' });
    expect(p.spec.startingDeadlineSeconds).toBe(STARTING_DEADLINE_SECONDS);
    expect(p.job).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 240 });
    expect(p.pod).toMatchObject({ restartPolicy: 'Never', terminationGracePeriodSeconds: 30 });
    expect(p.container).toEqual({
      name: 'sync',
      image: 'registry.example/app:1',
      args: ['./sync.sh', '--all'],
      env: [{ name: 'TIMERSTACK_TIMER', value: 'sync' }],
    });
    expect(parts(['every', '1h', '--align', '--shell', '--', 'date | tee -a log']).container.args).toEqual(['/bin/sh', '-c', 'date | tee -a log']);
  });

  it('takes the zone from --tz (or the local zone), and lets --persistent catch up', () => {
    const berlin = cronJob(spec(['every', '1d', '--align', '--tz', 'Europe/Berlin', '--', '/bin/true']), CTX, OPTIONS) as { spec: Record<string, unknown> };
    expect(berlin.spec).toMatchObject({ schedule: '0 0 * * *', timeZone: 'Europe/Berlin', startingDeadlineSeconds: STARTING_DEADLINE_SECONDS });
    expect(parts(['every', '15m', '--align', '--', '/bin/true']).spec.timeZone).toBe(localZone());
    const persistent = cronJob(spec(['cron', '0 3 * * *', '--persistent', '/var/lib/ts/stamp', '--', '/bin/true']), CTX, OPTIONS) as { spec: Record<string, unknown> };
    expect(persistent.spec).not.toHaveProperty('startingDeadlineSeconds');
  });
});

describe('cronJob: refusals', () => {
  it.each([
    [['every', '5m', '--', '/bin/true'], 'every 5m counts from when it starts; a CronJob runs at wall-clock times: add --align to run on the grid'],
    [['every', '30s', '--align', '--', '/bin/true'], "every 30s: a CronJob's resolution is one minute"],
    [['every', '90m', '--align', '--', '/bin/true'], '--align every 1h30m: a cron schedule has whole minutes and one line; this grid needs 2 lines'],
    [['once', '10m', '--', '/bin/true'], 'once runs one time after a delay; a CronJob repeats on the wall clock (a Kubernetes Job runs once)'],
    [['at', '18:00', '--', '/bin/true'], 'at fires once; a cron schedule has no year, so a CronJob would run every year'],
    [['every', '5m', '--align', '--overlap', 'queue', '--', '/bin/true'], '--overlap queue: a CronJob cannot queue a run (use skip, parallel or restart)'],
    [['every', '5m', '--align', '--jitter', '1m', '--', '/bin/true'], '--jitter: a CronJob has no random delay'],
    [['every', '5m', '--align', '--clock', 'realtime-alarm', '--', '/bin/true'], '--clock realtime-alarm: a CronJob runs on the wall clock of its controller (leave --clock out)'],
    [['every', '5m', '--align', '--timeout', '1500ms', '--', '/bin/true'], '--timeout 1s500ms: Kubernetes counts in whole seconds (at least 1)'],
    [['every', '5m', '--align', '--count', '2', '--', '/bin/true'], '--count: a CronJob has no limit on its number of runs'],
    [['every', '5m', '--align'], 'no command after --: a CronJob runs a command on each elapse'],
    [['cron', '0 0 L * *', '--', '/bin/true'], 'cron "0 0 L * *": a CronJob\'s cron has no L'],
    [['cron', '*/10 * * * * *', '--', '/bin/true'], 'cron "*/10 * * * * *": a CronJob\'s resolution is one minute (no seconds field)'],
    [['cron', '0 0 */2 * 1', '--', '/bin/true'], 'cron "0 0 */2 * 1": a stepped "*/N" day field with the other day field set is read differently by a CronJob (it would OR the days)'],
    [['calendar', '2027-*-* 00:00', '--', '/bin/true'], 'calendar "2027-*-* 00:00": a cron schedule has no year'],
    [['calendar', '*-*~01', '--', '/bin/true'], 'calendar "*-*~01": a cron schedule has no "~" (days from the month\'s end)'],
    [['calendar', '*:*:0/15', '--', '/bin/true'], 'calendar "*:*:0/15": a CronJob\'s resolution is one minute (it runs at second 0)'],
    [['calendar', 'Mon *-*-01 00:00', '--', '/bin/true'], 'calendar "Mon *-*-01 00:00": with both weekdays and days of the month, cron would run on either, systemd on both'],
    [['every', '2d', '--align', '--', '/bin/true'], '--align every 2d: its days count from 1970-01-01, which a calendar expression cannot say (1d and 1w can be exported)'],
    [['every', '5m', '--align', '--name', 'Backup_DB', '--', '/bin/true'], 'the name "Backup_DB" cannot name a Kubernetes object (lowercase letters, digits and "-", at most 52; --name sets it)'],
  ])('%j: %s', (words, reason) => {
    expect(refusal(words)).toBe(reason);
  });
});

// Every option a CronJob can carry, on lines a table would have.
const TABLE = [
  'backup: every 6h --align --timeout 1h -- /usr/local/bin/backup --all',
  'sync: every 15m --align --overlap restart --kill-after 1m -- ./sync.sh',
  'report: every 1d --align --overlap parallel --shell -- ./report.sh | mail -s "daily report" ops@example.org',
  'weekly: every 1w --align -- /bin/cleanup "with spaces" 100%',
  'nightly: cron \'0 3 * * *\' --tz Europe/Berlin --persistent /var/tmp/n.stamp -- /bin/nightly',
  'office: calendar \'Mon..Fri 09:00\' --tz America/New_York -- /bin/standup',
  'NOTE=hello',
  '*/5 * * * * /bin/poll --quiet',
].join('\n');

describe('the manifests and the CronJob schema', () => {
  const manifests = parseTable(TABLE, 'timers.txt', NOW).map((e) => cronJob(e.spec, CTX, { ...OPTIONS, namespace: 'batch-jobs' }));

  it('validates every manifest, as written in YAML and read back', () => {
    expect(manifests.length).toBe(7);
    for (const m of manifests) {
      const back = parse(stringify(m, { lineWidth: 0 })) as Manifest;
      expect(back).toEqual(m);
      expect(() => new CronJob(back as never).validate()).not.toThrow();
    }
  });

  it('(the validator can fail: a manifest with a wrong type is refused)', () => {
    const broken = structuredClone(manifests[0]!) as { spec: Record<string, unknown> };
    broken.spec.startingDeadlineSeconds = '60';
    expect(() => new CronJob(broken as never).validate()).toThrow(/startingDeadlineSeconds must be integer/);
  });
});
