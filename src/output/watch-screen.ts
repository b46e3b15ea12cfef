// The escape sequences of --watch's full screen: entering and leaving it, and one frame — a
// header row, a blank row, the body — drawn over the last one in a single write, with the cells
// that changed since the run before in reverse video (--differences).
import type { Row } from './watch-cells.js';

// The alternate screen (the shell's screen comes back on leaving), no cursor, no autowrap (a
// full row does not wrap or scroll).
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l\x1b[?7l';
export const LEAVE_SCREEN = '\x1b[?7h\x1b[?25h\x1b[?1049l';

const REVERSE = '\x1b[7m';
const NORMAL = '\x1b[27m';
// Terminals that know it show the frame at once, not as it is written (others ignore it).
const BEGIN_UPDATE = '\x1b[?2026h';
const END_UPDATE = '\x1b[?2026l';

export interface Frame {
  header: Row;
  body: Row[];
  // Cells of the body that changed ([row][column] → true), highlighted when given.
  changed?: boolean[][];
}

// Which cells of `now` differ from `before` (a cell that was not there before counts).
export function changedCells(before: readonly Row[], now: readonly Row[]): boolean[][] {
  return now.map((row, r) => row.map((cell, c) => before[r]?.[c] !== cell));
}

// Whether two screens' rows show the same cells.
export function sameRows(a: readonly Row[], b: readonly Row[]): boolean {
  return a.length === b.length && a.every((row, r) => row.length === b[r]!.length && row.every((cell, c) => cell === b[r]![c]));
}

// The frame as one string: each row drawn at its place and cleared to its end, then the rest
// of the screen cleared.
export function drawFrame(frame: Frame, width: number, height: number): string {
  const rows = [frame.header, [], ...frame.body].slice(0, height);
  let out = BEGIN_UPDATE;
  rows.forEach((row, r) => {
    out += `\x1b[${r + 1};1H${drawRow(row, r >= 2 ? frame.changed?.[r - 2] : undefined)}`;
    if (row.length < width) out += '\x1b[K';
  });
  if (rows.length < height) out += `\x1b[${rows.length + 1};1H\x1b[J`;
  return `${out}${END_UPDATE}`;
}

// A row's cells, runs of changed ones between reverse-video on and off.
function drawRow(row: Row, changed: readonly boolean[] | undefined): string {
  if (!changed) return row.join('');
  let out = '';
  let on = false;
  row.forEach((cell, c) => {
    // The right half of a wide character goes with its left half.
    if (cell === '') return;
    const mark = changed[c] === true || (row[c + 1] === '' && changed[c + 1] === true);
    if (mark !== on) out += mark ? REVERSE : NORMAL;
    on = mark;
    out += cell;
  });
  return on ? `${out}${NORMAL}` : out;
}
