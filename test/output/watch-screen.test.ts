// The frames of --watch: rows drawn in place and cleared, the rest of the screen cleared, what
// changed in reverse video; and the view's header and its answer to "did the output change?".
import { describe, expect, it } from 'vitest';
import { toRows } from '../../src/output/watch-cells.js';
import { ENTER_SCREEN, LEAVE_SCREEN, changedCells, drawFrame, sameRows } from '../../src/output/watch-screen.js';
import { WatchView } from '../../src/output/watch.js';
import type { RunEvent } from '../../src/output/format.js';

const S = 1_000_000_000n;

// The screen a frame leaves: `height` rows of `width` cells, escapes applied (only the ones a
// frame uses: cursor position, erase to end of line / of screen, reverse video).
function apply(out: string, width: number, height: number): { rows: string[]; reverse: boolean[][] } {
  const rows = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  const reverse = Array.from({ length: height }, () => Array<boolean>(width).fill(false));
  let r = 0;
  let c = 0;
  let inverse = false;
  const re = /\x1b\[(\?)?([0-9;]*)([A-Za-z])|([^\x1b])/gu;
  for (const m of out.matchAll(re)) {
    if (m[4] !== undefined) {
      if (c < width) {
        rows[r]![c] = m[4];
        reverse[r]![c] = inverse;
      }
      c++;
      continue;
    }
    const [, priv, args = '', cmd] = m;
    if (priv) continue;
    if (cmd === 'H') {
      const [row = '1', col = '1'] = args.split(';');
      r = Number(row) - 1;
      c = Number(col) - 1;
    } else if (cmd === 'K') {
      for (let i = c; i < width; i++) rows[r]![i] = ' ';
    } else if (cmd === 'J') {
      for (let i = c; i < width; i++) rows[r]![i] = ' ';
      for (let j = r + 1; j < height; j++) rows[j]!.fill(' ');
    } else if (cmd === 'm') {
      inverse = args === '7';
    }
  }
  return { rows: rows.map((row) => row.join('').trimEnd()), reverse };
}

describe('drawFrame', () => {
  it('draws the header, a blank row and the body over whatever was there, in one synchronized update', () => {
    const out = drawFrame({ header: [...'head'], body: toRows('one\ntwo', 10) }, 10, 5);
    expect(out.startsWith('\x1b[?2026h')).toBe(true);
    expect(out.endsWith('\x1b[?2026l')).toBe(true);
    expect(apply(`${'#'.repeat(50)}\x1b[H${out}`, 10, 5).rows).toEqual(['head', '', 'one', 'two', '']);
  });

  it('cuts the body to the screen, and clears a full row not at all', () => {
    const out = drawFrame({ header: [...'0123456789'], body: toRows('a\nb\nc\nd', 10) }, 10, 4);
    expect(apply(out, 10, 4).rows).toEqual(['0123456789', '', 'a', 'b']);
    // a full-width row is not followed by an erase (which would eat its last cell on some terminals)
    expect(out).not.toMatch(/0123456789\x1b\[K/);
  });

  it('reverse video on the cells that changed, both halves of a wide one', () => {
    const before = toRows('count 9\n日本', 20);
    const now = toRows('count 10\n日x', 20);
    const screen = apply(drawFrame({ header: [], body: now, changed: changedCells(before, now) }, 20, 4), 20, 4);
    expect(screen.rows.slice(2)).toEqual(['count 10', '日x']);
    expect(screen.reverse[2]!.slice(0, 8)).toEqual([false, false, false, false, false, false, true, true]);
    expect(screen.reverse[3]!.slice(0, 3)).toEqual([false, true, false]);
  });
});

describe('changedCells and sameRows', () => {
  it('a cell that was not there before has changed', () => {
    expect(changedCells(toRows('ab', 10), toRows('abc\nd', 10))).toEqual([[false, false, true], [true]]);
  });

  it('sameRows compares what is shown', () => {
    expect(sameRows(toRows('a\x1b[31mb', 10), toRows('ab', 10))).toBe(true);
    expect(sameRows(toRows('ab', 10), toRows('ab\n', 10))).toBe(true);
    expect(sameRows(toRows('ab', 10), toRows('ab ', 10))).toBe(false);
  });
});

describe('WatchView', () => {
  const run = (tick: number, output: string, change: Partial<RunEvent> = {}): RunEvent => ({
    timer: 'timer', tick, pid: 1, status: 0, exitCode: 0, signal: undefined, timedOut: false, durationMs: 12, error: undefined, output, timeNs: 0n, ...change,
  });
  const tickAt = (tick: number) => ({ timer: 'timer', tick, expirations: 1, timeNs: BigInt(Date.parse('2026-01-15T12:00:00')) * 1_000_000n + BigInt(tick) * S, scheduledNs: 0n, latenessUs: 0 });

  function view(size = { columns: 60, rows: 6 }, differences = false) {
    let screen = '';
    const runs: Array<[number, boolean]> = [];
    const v = new WatchView({
      intervalNs: 2n * S,
      command: 'df -h /',
      differences,
      write: (t) => (screen += t),
      size: () => size,
      onRun: (r, changed) => runs.push([r.tick, changed]),
    });
    return { v, runs, screen: () => apply(screen, size.columns, size.rows), raw: () => screen, size };
  }

  it('enters and leaves the full screen once each', () => {
    const { v, raw } = view();
    v.open();
    v.open();
    v.close();
    v.close();
    expect(raw().split(ENTER_SCREEN)).toHaveLength(2);
    expect(raw().split(LEAVE_SCREEN)).toHaveLength(2);
    expect(raw().endsWith(LEAVE_SCREEN)).toBe(true);
  });

  it('the header: interval and command; the running tick, then tick, status, run time, local time', () => {
    const { v, screen } = view({ columns: 80, rows: 6 });
    v.open();
    v.commandTick(tickAt(1));
    const row = (left: string, right: string) => `${left}${' '.repeat(80 - left.length - right.length)}${right}`;
    expect(screen().rows[0]).toBe(row('Every 2s: df -h /', 'tick 1 running · 2026-01-15 12:00:01'));
    v.run(run(1, 'Filesystem\n/dev/sda1\n'));
    expect(screen().rows).toEqual([row('Every 2s: df -h /', 'tick 1 · exit 0 · 12ms · 2026-01-15 12:00:01'), '', 'Filesystem', '/dev/sda1', '', '']);
    v.commandTick(tickAt(2));
    expect(screen().rows[0]).toBe(row('Every 2s: df -h /', 'running · tick 1 · exit 0 · 12ms · 2026-01-15 12:00:01'));
  });

  it('says how the last run ended and how many ticks were skipped', () => {
    const { v, screen } = view({ columns: 100, rows: 4 });
    v.open();
    v.commandTick(tickAt(1));
    v.run(run(1, '', { status: 143, signal: 'SIGTERM', durationMs: 1500 }));
    v.skip({ timer: 'timer', tick: 2, skipped: 2, reason: 'overlap', timeNs: 0n });
    expect(screen().rows[0]).toMatch(/tick 1 · SIGTERM \(143\) · 1\.50s · 2 skipped · 2026-01-15 12:00:01$/);
    v.commandTick(tickAt(3));
    v.run(run(3, '', { status: 127, error: 'nope: command not found (ENOENT)' }));
    expect(screen().rows[0]).toMatch(/tick 3 · not started \(127\) · /);
    expect(screen().rows[2]).toBe('nope: command not found (ENOENT)');
  });

  it('tells after each run whether the visible output changed (never for the first)', () => {
    const { v, runs } = view({ columns: 10, rows: 4 });
    v.open();
    v.run(run(1, 'same\n'));
    v.run(run(2, 'same\n'));
    v.run(run(3, 'same\x1b[1m\x1b[0m\n'));
    // below the 2 rows the screen shows: not a visible change
    v.run(run(4, 'same\nrow 2\nhidden\n'));
    v.run(run(5, 'same\nrow 2\nhidden too\n'));
    v.run(run(6, 'other\n'));
    expect(runs).toEqual([[1, false], [2, false], [3, false], [4, true], [5, false], [6, true]]);
  });

  it('--differences: highlights what changed since the run before, not since the last drawing', () => {
    const { v, screen } = view({ columns: 20, rows: 4 }, true);
    v.open();
    v.run(run(1, 'n=1\n'));
    expect(screen().reverse[2]!.some(Boolean)).toBe(false);
    v.run(run(2, 'n=2\n'));
    expect(screen().reverse[2]!.slice(0, 3)).toEqual([false, false, true]);
    v.redraw();
    expect(screen().reverse[2]!.slice(0, 3)).toEqual([false, false, true]);
  });

  it('redraws at the new size', () => {
    const { v, screen, size } = view({ columns: 40, rows: 5 });
    v.open();
    v.run(run(1, 'x'.repeat(30)));
    size.columns = 20;
    v.redraw();
    const rows = screen().rows;
    expect(rows[2]).toBe('x'.repeat(20));
    expect(rows[3]).toBe('x'.repeat(10));
    expect(rows[0]!.length).toBeLessThanOrEqual(20);
  });
});
