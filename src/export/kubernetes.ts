// A TimerSpec → a batch/v1 CronJob manifest (a plain object; the CLI writes it as YAML): the
// schedule from the kind's hook, the overlap policy as concurrencyPolicy, --timeout as the Job's
// deadline, --kill-after as the pod's grace period, no retries (timerstack does not rerun a failed
// run). What a CronJob cannot do the same way is refused with the reason. Pure.
import { UsageError } from '../errors.js';
import { formatDuration } from '../grammar/duration.js';
import { quote } from '../grammar/quote.js';
import { commandLine } from '../exec/command-line.js';
import type { OverlapPolicy } from '../exec/overlap.js';
import { kindOf } from '../kinds/index.js';
import type { TimerSpec } from '../kinds/kind.js';
import { checkCommon, kindHook, type ExportContext } from './common.js';

export interface KubernetesOptions {
  image: string;
  namespace?: string;
}

const TARGET = 'a CronJob';

const CONCURRENCY: Partial<Record<OverlapPolicy, string>> = { skip: 'Forbid', parallel: 'Allow', restart: 'Replace' };

// A DNS-1123 label; a CronJob's name leaves 11 characters for the Jobs' suffix.
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_CRONJOB_NAME = 52;

// Without --persistent, a start more than this late is a missed run (timerstack does not run a
// tick it missed while it was not running); with it, the controller catches up however late.
export const STARTING_DEADLINE_SECONDS = 60;

export type Manifest = Record<string, unknown>;

// The CronJob of one timer; a UsageError names the first thing a CronJob cannot do the same way.
export function cronJob(spec: TimerSpec, ctx: ExportContext, options: KubernetesOptions): Manifest {
  checkName(spec.name, 'the name', MAX_CRONJOB_NAME, '--name sets it');
  const argv = checkCommon(spec, TARGET);
  const concurrencyPolicy = CONCURRENCY[spec.overlap];
  if (!concurrencyPolicy) throw new UsageError(`--overlap ${spec.overlap}: a CronJob cannot queue a run (use skip, parallel or restart)`);
  if (spec.jitterNs > 0n) throw new UsageError('--jitter: a CronJob has no random delay');
  const schedule = kindHook(kindOf(spec.kind).cronSchedule, spec, 'Kubernetes');
  if (spec.clock !== 'realtime') throw new UsageError(`--clock ${spec.clock}: a CronJob runs on the wall clock of its controller (leave --clock out)`);
  if (spec.input !== undefined) throw new UsageError('the % text of a crontab line: a CronJob\'s container has no standard input to give it');
  const timeZone = schedule.timeZone ?? spec.zone;
  const [file, args] = commandLine(argv, false)!;
  const job: Record<string, unknown> = { backoffLimit: 0 };
  if (spec.timeoutNs !== undefined) job.activeDeadlineSeconds = wholeSeconds(spec.timeoutNs, '--timeout', 1);
  job.template = {
    metadata: { labels: { 'app.kubernetes.io/managed-by': 'timerstack' } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: wholeSeconds(spec.killAfterNs, '--kill-after', 0),
      containers: [
        {
          name: spec.name,
          image: options.image,
          args: [file, ...args],
          env: Object.entries({ ...spec.env, TIMERSTACK_TIMER: spec.name }).map(([name, value]) => ({ name, value })),
        },
      ],
    },
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: spec.name,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'timerstack' },
      annotations: { 'timerstack/source': ctx.source },
    },
    spec: {
      schedule: schedule.schedule,
      ...(timeZone !== undefined ? { timeZone } : {}),
      concurrencyPolicy,
      ...(spec.persistent === undefined ? { startingDeadlineSeconds: STARTING_DEADLINE_SECONDS } : {}),
      jobTemplate: { spec: job },
    },
  };
}

// A name Kubernetes accepts (a DNS-1123 label of at most `max` characters).
export function checkName(name: string, what: string, max: number, hint: string): void {
  if (!LABEL.test(name) || name.length > max) {
    throw new UsageError(`${what} ${quote(name)} cannot name a Kubernetes object (lowercase letters, digits and "-", at most ${max}; ${hint})`);
  }
}

// A duration as the whole seconds a manifest counts in (at least `min`).
function wholeSeconds(ns: bigint, what: string, min: number): number {
  if (ns % 1_000_000_000n !== 0n || ns < BigInt(min) * 1_000_000_000n) {
    throw new UsageError(`${what} ${formatDuration(ns)}: Kubernetes counts in whole seconds${min > 0 ? ` (at least ${min})` : ''}`);
  }
  return Number(ns / 1_000_000_000n);
}
