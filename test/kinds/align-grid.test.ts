// The aligned grid as calendar fields: written forms for systemd and cron, refusals, and the
// exactness of every grid (checked second by second over a day against t % interval == 0).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { alignedGrid, gridCron, gridOnCalendar, type GridPart } from '../../src/kinds/align-grid.js';
import { refusalOf } from '../helpers/refusal.js';

const S = 1_000_000_000n;

function refusal(fn: () => unknown): UsageError {
  return refusalOf(fn);
}

// Every second of the day a set of parts matches, each counted once per part that has it.
function secondsOfDay(parts: readonly GridPart[]): number[] {
  const hits: number[] = [];
  for (const p of parts) for (const h of p.hours) for (const m of p.minutes) for (const s of p.seconds) hits.push(h * 3600 + m * 60 + s);
  return hits.sort((a, b) => a - b);
}

describe('alignedGrid → OnCalendar= and cron', () => {
  it.each([
    [1n, ['*-*-* *:*:*'], undefined],
    [5n, ['*-*-* *:*:00/5'], undefined],
    [60n, ['*-*-* *:*:00'], '* * * * *'],
    [15n * 60n, ['*-*-* *:00/15:00'], '*/15 * * * *'],
    [3600n, ['*-*-* *:00:00'], '0 * * * *'],
    [6n * 3600n, ['*-*-* 00/6:00:00'], '0 */6 * * *'],
    [86_400n, ['*-*-* 00:00:00'], '0 0 * * *'],
    [90n * 60n, ['*-*-* 00/3:00:00', '*-*-* 01/3:30:00'], undefined],
    [8n, ['*-*-* *:00/2:00/8', '*-*-* *:01/2:04/8'], undefined],
    [16n * 3600n, undefined, undefined],
    [604_800n, undefined, undefined],
    [45n * 60n, ['*-*-* 00/3:00/45:00', '*-*-* 01/3:30:00', '*-*-* 02/3:15:00'], undefined],
  ])('every %ss', (seconds, calendar, cron) => {
    if (calendar === undefined) {
      expect(refusal(() => alignedGrid(seconds * S)).message).toMatch(/: the grid is not the same every day/);
      return;
    }
    const parts = alignedGrid(seconds * S);
    expect(gridOnCalendar(parts, 'Europe/Berlin')).toEqual(calendar.map((c) => `${c} Europe/Berlin`));
    if (cron === undefined) expect(refusal(() => gridCron(parts, seconds * S)).message).toMatch(/a cron schedule has whole minutes and one line/);
    else expect(gridCron(parts, seconds * S)).toBe(cron);
  });

  it('writes a progression that does not start at 0 in cron as a range with a step', () => {
    const parts: GridPart[] = [{ hours: [1, 4, 7, 10, 13, 16, 19, 22], minutes: [30], seconds: [0] }];
    expect(gridCron(parts, 3n * 3600n * S)).toBe('30 1-23/3 * * *');
  });

  it('refuses a grid that is not whole seconds, and one past the part limit', () => {
    expect(refusal(() => alignedGrid(500_000_000n)).message).toBe('--align every 500ms: only a whole number of seconds can be written as calendar fields');
    expect(refusal(() => alignedGrid(7n * S)).message).toBe('--align every 7s: the grid is not the same every day (use an interval that divides a day)');
    expect(refusal(() => alignedGrid(27n * S)).message).toMatch(/^--align every 27s: the grid needs \d+ calendar expressions \(at most 12\)$/);
  });

  it('is exact for every interval that divides a day (each second of the grid once, nothing else)', () => {
    let checked = 0;
    for (let interval = 1; interval <= 86_400; interval++) {
      if (86_400 % interval !== 0) continue;
      let parts: GridPart[];
      try {
        parts = alignedGrid(BigInt(interval) * S);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        continue;
      }
      const expected = Array.from({ length: 86_400 / interval }, (_, k) => k * interval);
      expect(secondsOfDay(parts), `every ${interval}s`).toEqual(expected);
      checked++;
    }
    // Most of the 96 divisors of a day can be written; the refused ones need more than 12 parts.
    expect(checked).toBeGreaterThan(40);
  });
});
