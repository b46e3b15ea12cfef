// A TimerSpec → a NAME.timer and NAME.service pair that systemd runs the way timerstack would:
// the schedule from the kind's hook, AccuracySec=1us (systemd's default is a minute), the
// command's limits and signals. What systemd cannot do the same way is refused with the reason.
// Pure: the directory and the spec's source come in the context.
import path from 'node:path';
import { UsageError } from '../errors.js';
import { commandLine } from '../exec/command-line.js';
import { kindOf } from '../kinds/index.js';
import type { SystemdSchedule, TimerSpec } from '../kinds/kind.js';
import { checkCommon, kindHook, MARKER, type ExportContext, type ExportFile } from './common.js';
import { dataLine, environmentLine, escapeSpecifiers, execStart, timeSpan, unitName } from './systemd-syntax.js';

export interface SystemdOptions {
  // Units for a user's manager (systemctl --user) rather than the system's.
  user: boolean;
}

const TARGET = 'a systemd timer';

// The two units of one timer; a UsageError names the first thing systemd cannot do the same way.
export function systemdUnits(spec: TimerSpec, ctx: ExportContext, options: SystemdOptions): ExportFile[] {
  const name = unitName(spec.name);
  const argv = checkCommon(spec, TARGET);
  if (spec.overlap !== 'skip') {
    throw new UsageError(`--overlap ${spec.overlap}: systemd never starts a service that is still running (only skip, the default, can be exported)`);
  }
  const schedule = kindHook(kindOf(spec.kind).systemd, spec, 'systemd');
  const header = `# ${MARKER} systemd from: ${oneLine(ctx.source)}`;
  const timer = [header, '[Unit]', `Description=timerstack timer ${name}`, '', '[Timer]', ...timerLines(spec, schedule, options), '', '[Install]', 'WantedBy=timers.target', ''];
  const service = [header, '[Unit]', `Description=${escapeSpecifiers(`timerstack job ${name}: ${oneLine(spec.command!.join(' '))}`)}`, '', '[Service]', ...serviceLines(spec, argv, ctx), ''];
  return [
    { name: `${name}.timer`, text: timer.join('\n') },
    { name: `${name}.service`, text: service.join('\n') },
  ];
}

// [Timer]: the schedule, its accuracy and delay, waking the machine, catching up.
function timerLines(spec: TimerSpec, schedule: SystemdSchedule, options: SystemdOptions): string[] {
  const calendar = schedule.onCalendar !== undefined;
  const wake = checkClock(spec, calendar, options);
  const lines: string[] = [];
  if (schedule.onActiveNs !== undefined) lines.push(`OnActiveSec=${timeSpan(schedule.onActiveNs, 'the first expiration')}`);
  if (schedule.onUnitActiveNs !== undefined) lines.push(`OnUnitActiveSec=${timeSpan(schedule.onUnitActiveNs, 'the interval')}`);
  for (const expression of schedule.onCalendar ?? []) lines.push(`OnCalendar=${escapeSpecifiers(expression)}`);
  lines.push('AccuracySec=1us');
  if (spec.jitterNs > 0n) lines.push(`RandomizedDelaySec=${timeSpan(spec.jitterNs, '--jitter')}`);
  if (wake) lines.push('WakeSystem=true');
  if (spec.persistent !== undefined) {
    if (!calendar) throw new UsageError('--persistent: systemd catches up calendar timers only (Persistent= needs OnCalendar=)');
    lines.push('Persistent=true');
  }
  return lines;
}

// Whether the timer wakes the machine (WakeSystem=true); a clock systemd does not offer is
// refused. Its monotonic timers run on CLOCK_MONOTONIC, or CLOCK_BOOTTIME_ALARM with
// WakeSystem=; its calendar timers on CLOCK_REALTIME, or CLOCK_REALTIME_ALARM.
function checkClock(spec: TimerSpec, calendar: boolean, options: SystemdOptions): boolean {
  const wake = spec.clock.endsWith('-alarm');
  const plain = calendar ? 'realtime' : 'monotonic';
  if (!wake && spec.clock !== plain) {
    const why = calendar ? 'calendar timers run on the wall clock' : 'monotonic timers pause during suspend unless they wake the machine (boottime-alarm)';
    throw new UsageError(`--clock ${spec.clock}: systemd has no such timer (${why})`);
  }
  if (wake && options.user) throw new UsageError(`--clock ${spec.clock}: WakeSystem= needs CAP_WAKE_ALARM, which a user's manager does not have (export without --user)`);
  return wake;
}

// [Service]: what runs, where, for how long, and how it is stopped.
function serviceLines(spec: TimerSpec, argv: readonly string[], ctx: ExportContext): string[] {
  const [file, args] = commandLine(argv, false)!;
  const exec = file.includes('/') ? path.resolve(ctx.cwd, file) : file;
  if (/\p{Cc}/u.test(ctx.cwd)) throw new UsageError('the working directory has a control character in its name');
  const lines = ['Type=exec', `ExecStart=${execStart([exec, ...args])}`, `WorkingDirectory=${escapeSpecifiers(ctx.cwd)}`];
  // A crontab's NAME=value lines, then the timer's name (as timerstack sets it, last).
  for (const [name, value] of Object.entries({ ...spec.env, TIMERSTACK_TIMER: spec.name })) lines.push(`Environment=${environmentLine(name, value)}`);
  // A crontab line's % text, on the command's standard input.
  if (spec.input !== undefined) {
    lines.push(...spec.input.replace(/\n$/, '').split('\n').map((l) => `StandardInputText=${dataLine(l)}`));
  }
  if (spec.timeoutNs !== undefined) lines.push(`RuntimeMaxSec=${timeSpan(spec.timeoutNs, '--timeout')}`);
  // TimeoutStopSec=0 would mean "never SIGKILL".
  if (spec.killAfterNs === 0n) throw new UsageError('--kill-after 0: systemd reads TimeoutStopSec=0 as "never send SIGKILL"');
  lines.push(`TimeoutStopSec=${timeSpan(spec.killAfterNs, '--kill-after')}`);
  return lines;
}

// Control characters would end a comment line early.
function oneLine(text: string): string {
  return text.replace(/\p{Cc}/gu, ' ');
}
