import { describe, expect, it } from 'vitest';
import { formatLeft } from '../../src/output/countdown.js';

const MS = 1_000_000n;
const S = 1_000_000_000n;

describe('formatLeft', () => {
  it.each<[bigint, string]>([
    [0n, '00:00.0'],
    // rounded up to the tenth: never shows 0.0 while time is left
    [1n, '00:00.1'],
    [100n * MS, '00:00.1'],
    [100n * MS + 1n, '00:00.2'],
    [999n * MS, '00:01.0'],
    [S, '00:01.0'],
    [1500n * MS, '00:01.5'],
    [59_950n * MS, '01:00.0'],
    [61_500n * MS, '01:01.5'],
    [599_900n * MS, '09:59.9'],
    [3599_900n * MS, '59:59.9'],
    [3599_900n * MS + 1n, '1:00:00.0'],
    [3600n * S, '1:00:00.0'],
    [3723n * S + 400n * MS, '1:02:03.4'],
    [100n * 3600n * S, '100:00:00.0'],
  ])('%s ns is %s', (ns, text) => {
    expect(formatLeft(ns)).toBe(text);
  });
});
