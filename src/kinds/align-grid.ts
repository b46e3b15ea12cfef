// `every INTERVAL --align` as wall-clock calendar fields: the times of day (or of the week) that
// are local multiples of the interval, written as a few hour × minute × second products, for
// systemd's OnCalendar= and a CronJob's schedule. Pure.
import { UsageError } from '../errors.js';
import { formatDuration } from '../grammar/duration.js';

// The cartesian product of these sets, on every day.
export interface GridPart {
  hours: number[];
  minutes: number[];
  seconds: number[];
}

const SECOND = 1_000_000_000n;
const DAY = 86_400;
// More products than this is not a schedule anyone would read: refused.
const MAX_PARTS = 12;

// The aligned grid of `intervalNs` as products of calendar fields; a UsageError when the grid
// is not the same every day (a 7s grid drifts across midnight) or needs more than a few parts.
export function alignedGrid(intervalNs: bigint): GridPart[] {
  const what = `--align every ${formatDuration(intervalNs)}`;
  if (intervalNs % SECOND !== 0n) throw new UsageError(`${what}: only a whole number of seconds can be written as calendar fields`);
  const interval = Number(intervalNs / SECOND);
  if (DAY % interval !== 0) {
    throw new UsageError(`${what}: the grid is not the same every day (use an interval that divides a day)`);
  }
  // Group the times of day by (minute, second) → hours, then those with the same hours by
  // second → minutes, then by minutes → seconds: each group is an exact product.
  const hoursOf = new Map<number, number[]>();
  for (let t = 0; t < DAY; t += interval) {
    const key = t % 3600;
    const hours = hoursOf.get(key) ?? [];
    hours.push(Math.floor(t / 3600));
    hoursOf.set(key, hours);
  }
  const byHours = groupBy([...hoursOf], ([, hours]) => hours.join(','));
  const parts: GridPart[] = [];
  for (const members of byHours.values()) {
    const hours = members[0]![1];
    const minutesOf = groupBy(members, ([ms]) => ms % 60);
    const bySeconds = new Map<string, { minutes: number[]; seconds: number[] }>();
    for (const [second, list] of minutesOf) {
      const minutes = list.map(([ms]) => Math.floor(ms / 60));
      const key = minutes.join(',');
      const entry = bySeconds.get(key) ?? { minutes, seconds: [] };
      entry.seconds.push(second);
      bySeconds.set(key, entry);
    }
    for (const { minutes, seconds } of bySeconds.values()) parts.push({ hours, minutes, seconds: seconds.sort((a, b) => a - b) });
  }
  if (parts.length > MAX_PARTS) throw new UsageError(`${what}: the grid needs ${parts.length} calendar expressions (at most ${MAX_PARTS})`);
  return parts;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

// One field of a calendar expression over min..max: `*` for every value, a progression that runs
// to the end as `a/step` (systemd) or `*/step`, `a-max/step` (cron), else a list ("00,25,50").
// `pad` gives systemd's two digits.
export function field(values: readonly number[], min: number, max: number, pad: boolean, cron: boolean): string {
  const fmt = (n: number) => (pad ? String(n).padStart(2, '0') : String(n));
  if (values.length === max - min + 1) return '*';
  if (values.length === 1) return fmt(values[0]!);
  const step = values[1]! - values[0]!;
  const progression = values.every((v, i) => v === values[0]! + i * step) && values.at(-1)! + step > max;
  if (progression) {
    if (!cron) return `${fmt(values[0]!)}/${step}`;
    return values[0] === min ? `*/${step}` : `${values[0]}-${max}/${step}`;
  }
  // Runs of three or more consecutive values as ranges: systemd's "09..17", cron's "9-17".
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    if (j - i >= 2) out.push(`${fmt(values[i]!)}${cron ? '-' : '..'}${fmt(values[j]!)}`);
    else for (let k = i; k <= j; k++) out.push(fmt(values[k]!));
    i = j + 1;
  }
  return out.join(',');
}

// The grid as systemd calendar expressions, one per part, in `zone`.
export function gridOnCalendar(parts: readonly GridPart[], zone: string): string[] {
  return parts.map((p) => `*-*-* ${field(p.hours, 0, 23, true, false)}:${field(p.minutes, 0, 59, true, false)}:${field(p.seconds, 0, 59, true, false)} ${zone}`);
}

// The grid as one five-field cron line; a UsageError when it needs seconds or several lines.
export function gridCron(parts: readonly GridPart[], intervalNs: bigint): string {
  const what = `--align every ${formatDuration(intervalNs)}`;
  const part = parts[0]!;
  if (parts.length > 1 || part.seconds.length > 1 || part.seconds[0] !== 0) {
    throw new UsageError(`${what}: a cron schedule has whole minutes and one line; this grid needs ${parts.length > 1 ? `${parts.length} lines` : 'seconds'}`);
  }
  return `${field(part.minutes, 0, 59, false, true)} ${field(part.hours, 0, 23, false, true)} * * *`;
}
