// Text as screen cells for --watch: escapes and controls dropped, tabs, carriage returns,
// backspaces, wide characters and wrapping as a terminal shows them; the header's two parts.
import { describe, expect, it } from 'vitest';
import { cut, spread, toRows } from '../../src/output/watch-cells.js';

const text = (rows: string[][]) => rows.map((r) => r.join(''));

describe('toRows', () => {
  it.each<[string, string, number, string[]]>([
    ['lines', 'one\ntwo\n', 10, ['one', 'two']],
    ['an empty line in between', 'a\n\nb', 10, ['a', '', 'b']],
    ['CRLF', 'a\r\nb\r\n', 10, ['a', 'b']],
    ['wraps at the width', 'abcdefgh', 3, ['abc', 'def', 'gh']],
    ['tabs to the next multiple of 8', 'a\tb\tc', 40, ['a       b       c']],
    ['a tab at the width does nothing (it never wraps)', '12345678\tx', 8, ['12345678', 'x']],
    ['a tab near the width stops at it', '123456\tx', 7, ['123456 ', 'x']],
    ['a carriage return overwrites', 'progress 10%\rprogress 99%\n', 20, ['progress 99%']],
    ['a shorter rewrite keeps the rest', 'abcdef\rXY', 10, ['XYcdef']],
    ['backspace', 'ab\bc', 10, ['ac']],
    ['colour and cursor escapes are dropped', '\x1b[31mred\x1b[0m \x1b[2J\x1b[Hok', 20, ['red ok']],
    ['an OSC 8 link keeps its text', '\x1b]8;;http://x\x07link\x1b]8;;\x07', 20, ['link']],
    ['other control characters are dropped', 'a\x07b\x00c\x7fd\x85e', 20, ['abcde']],
    ['no rows for nothing', '', 10, []],
  ])('%s', (_what, input, width, expected) => {
    expect(text(toRows(input, width))).toEqual(expected);
  });

  it('wide characters take two cells and wrap whole', () => {
    const rows = toRows('日本語', 5);
    expect(rows).toEqual([['日', '', '本', ''], ['語', '']]);
    expect(toRows('a😀b', 10)).toEqual([['a', '😀', '', 'b']]);
    // a grapheme of several code points is one cell (or two)
    expect(toRows('e\u0301x', 10)).toEqual([['e\u0301', 'x']]);
    expect(toRows('👩‍👩‍👧!', 10)).toEqual([['👩‍👩‍👧', '', '!']]);
  });

  it('a wide character too wide for the screen is left out; zero-width ones too', () => {
    expect(toRows('a日b', 1)).toEqual([['a'], ['b']]);
    expect(toRows('a\u200bb', 10)).toEqual([['a', 'b']]);
  });

  it('overwriting half of a wide character leaves a space', () => {
    expect(text(toRows('日本\rx', 10))).toEqual(['x 本']);
    expect(text(toRows('日本\r\x08ab\rabc', 10))).toEqual(['abc ']);
  });

  it('stops at maxRows', () => {
    expect(text(toRows('1\n2\n3\n4\n', 10, 2))).toEqual(['1', '2']);
    expect(text(toRows('abcdefghij', 2, 3))).toEqual(['ab', 'cd', 'ef']);
    expect(toRows('x', 10, 0)).toEqual([]);
  });
});

describe('spread and cut', () => {
  it('puts the parts at the two ends of the row', () => {
    expect(spread('Every 2s: date', ['tick 3'], 30).join('')).toBe('Every 2s: date          tick 3');
  });

  it('cuts the left part with … to keep the right one whole', () => {
    expect(spread('Every 2s: a-long-command', ['tick 3'], 20).join('')).toBe('Every 2s: a-… tick 3');
    expect(spread('Every 2s: a-long-command', ['tick 3'], 20)).toHaveLength(20);
  });

  it('takes the longest right part beside which the left one fits, else one that leaves its first cells', () => {
    const rights = ['tick 3 · exit 0 · 2026-01-15 12:00:00', 'tick 3 · exit 0 · 12:00:00', 'tick 3 · exit 0'];
    expect(spread('Every 2s: date', rights, 60, 9).join('')).toBe(`Every 2s: date${' '.repeat(9)}tick 3 · exit 0 · 2026-01-15 12:00:00`);
    expect(spread('Every 2s: date', rights, 40, 9).join('')).toBe(`Every 2s: date${' '.repeat(11)}tick 3 · exit 0`);
    expect(spread('Every 2s: date', rights, 26, 9).join('')).toBe('Every 2s:… tick 3 · exit 0');
    expect(spread(`Every 2s: ${'x'.repeat(80)}`, rights, 40, 9).join('')).toBe(`Every 2s: ${'x'.repeat(2)}… tick 3 · exit 0 · 12:00:00`);
  });

  it('shows only the shortest right part, cut, on a very narrow screen', () => {
    expect(spread('Every 2s: date', ['tick 3 · exit 0 · 12:00:00', 'tick 3 · exit 0'], 6).join('')).toBe('tick 3');
  });

  it('keeps the header to one row: newlines and tabs in a command are spaces', () => {
    expect(spread('Every 2s: a\nb\tc', ['x'], 20).join('')).toBe('Every 2s: a b c    x');
  });

  it('cut does not leave half a wide character', () => {
    expect(cut(['日', '', '本', ''], 3)).toEqual(['日', '', ' ']);
    expect(cut(['a', 'b'], 5)).toEqual(['a', 'b']);
  });
});
