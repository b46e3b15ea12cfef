// Text as the cells of a screen, for --watch: what a terminal would show of a command's output,
// wrapped at a width, with nothing left in it that could move the cursor or change the
// terminal. Escape sequences and other control characters are dropped; a tab moves to the next
// multiple of 8, a carriage return back to the start of the row and a backspace one cell back,
// as on a terminal. Widths come from string-width (East Asian wide characters and emoji take
// two cells, combining marks none): a table of Unicode widths is not something to write by hand.
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

// A row of cells, each the grapheme shown there; the right half of a wide one is ''.
export type Row = string[];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const CONTROL = /\p{Cc}/u;
const TAB = 8;

// The rows `text` fills at `width` columns, at most `maxRows` of them (a final newline does not
// start another).
export function toRows(text: string, width: number, maxRows = Infinity): Row[] {
  const rows: Row[] = [];
  if (width < 1 || maxRows < 1) return rows;
  let row: Row = [];
  let col = 0;
  const next = (): boolean => {
    rows.push(row);
    row = [];
    col = 0;
    return rows.length < maxRows;
  };
  for (const { segment } of graphemes.segment(stripAnsi(text))) {
    if (segment === '\n' || segment === '\r\n') {
      if (!next()) return rows;
    } else if (segment === '\r') {
      col = 0;
    } else if (segment === '\b') {
      col = Math.max(0, col - 1);
    } else if (segment === '\t') {
      // To the next tab stop, never past the last column (a tab does not wrap).
      const stop = Math.min(width, (Math.floor(col / TAB) + 1) * TAB);
      while (col < stop) col = put(row, col, ' ', 1);
    } else if (!CONTROL.test(segment)) {
      const w = Math.min(2, stringWidth(segment));
      if (w === 0 || w > width) continue;
      if (col + w > width && !next()) return rows;
      col = put(row, col, segment, w);
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

// Writes one grapheme of width `w` at `col` (overwriting, as after a carriage return) and
// returns the column after it. A wide character cut in half by the write leaves a space.
function put(row: Row, col: number, grapheme: string, w: number): number {
  while (row.length < col) row.push(' ');
  if (row[col] === '' && col > 0) row[col - 1] = ' ';
  const end = col + w;
  if (row[end] === '') row[end] = ' ';
  row[col] = grapheme;
  if (w === 2) row[col + 1] = '';
  return end;
}

// One row of `width` cells from a left part and one of the right parts (longest first): the
// first beside which the whole left part fits, else the first that leaves room for the left
// part's first `keep` cells (the rest cut with "…"), else the shortest right part alone, cut.
export function spread(left: string, rights: readonly string[], width: number, keep = 0): Row {
  const l = toRows(left.replace(/\s+/g, ' '), Infinity)[0] ?? [];
  const choices = rights.map((right) => toRows(right, Infinity)[0] ?? []);
  const whole = choices.find((r) => l.length + 1 + r.length <= width);
  if (whole) return [...l, ...Array<string>(width - l.length - whole.length).fill(' '), ...whole];
  const room = choices.find((r) => Math.min(keep, l.length) + r.length + 2 <= width);
  if (room) return [...cut(l, width - room.length - 2), '…', ' ', ...room];
  return cut(choices.at(-1) ?? [], width);
}

// The first `width` cells of a row, without half a wide character at the end.
export function cut(row: Row, width: number): Row {
  if (row.length <= width) return row;
  const out = row.slice(0, width);
  if (row[width] === '') out[width - 1] = ' ';
  return out;
}
