// Cron expressions with cronie's semantics: the public face of cron-parse (text → CronSpec),
// cron-next (when it fires, DST included) and the normalized form used in --dry-run plans.
import type { CronFieldName, CronSpec } from './cron-parse.js';

export type { CronDays } from './cron-days.js';
export { CRON_NICKNAMES, type CronFieldName, type CronSpec, parseCron } from './cron-parse.js';
export { matchesCron, nextCron } from './cron-next.js';

interface FieldShape {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
}

const SHAPES: readonly FieldShape[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
];

// Ascending values as a comma list, runs of three or more written as ranges ("1-5,7,9").
function listOf(values: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === (values[j] ?? 0) + 1) j++;
    const [a, b] = [values[i] ?? 0, values[j] ?? 0];
    if (j - i >= 2) out.push(`${a}-${b}`);
    else for (let k = i; k <= j; k++) out.push(String(values[k]));
    i = j + 1;
  }
  return out;
}

// The step N when values are exactly min, min+N, … up to max (what `*/N` selects), else undefined.
function starStep(values: readonly number[], shape: FieldShape): number | undefined {
  if (values[0] !== shape.min) return undefined;
  const step = values.length > 1 ? (values[1] ?? 0) - shape.min : shape.max - shape.min + 1;
  for (let i = 0; i < values.length; i++) if (values[i] !== shape.min + i * step) return undefined;
  return (values[values.length - 1] ?? 0) + step > shape.max ? step : undefined;
}

// One field in normal form. A star stays a star (`*`, `*/N`) because it changes the meaning
// (the day rule, fixed-time); a restricted field that happens to be full stays a range.
function fieldForm(shape: FieldShape, values: readonly number[], starred: boolean, text: string, extras: string[]): string {
  if (starred) {
    const step = starStep(values, shape);
    if (step === undefined || extras.length > 0) return text.toLowerCase(); // "*/20,5", "*/2,L": as typed
    return step === 1 ? '*' : `*/${step}`;
  }
  if (shape.name === 'month' && values.length === 12) return '*';
  return [...listOf(values), ...extras].join(',');
}

// The normalized one-line form of an expression, for plans: nicknames expanded, names and 7 turned
// into numbers, each field's values sorted and merged into ranges, steps kept only on `*`, the
// seconds field shown only when given. It parses back to the same schedule. `L`, `LW`, `nW`, `nL`
// and `n#k` follow the plain values of their field.
export function describeCron(spec: CronSpec): string {
  const d = spec.days;
  const domExtras = [...(d.lastDay ? ['L'] : []), ...(d.lastWeekday ? ['LW'] : []), ...d.nearestWeekday.map((n) => `${n}W`)];
  const dowExtras = [...d.lastOfMonth.map((w) => `${w}L`), ...d.nth.map(([w, n]) => `${w}#${n}`)];
  const values = [spec.second, spec.minute, spec.hour, d.dom, spec.month, d.dow];
  const forms = SHAPES.map((shape, i) =>
    fieldForm(
      shape,
      values[i] ?? [],
      spec.star[shape.name],
      spec.fieldText[i] ?? '',
      i === 3 ? domExtras : i === 5 ? dowExtras : [],
    ),
  );
  return (spec.hasSeconds ? forms : forms.slice(1)).join(' ');
}
