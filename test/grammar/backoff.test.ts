import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DEFAULT_BACKOFF, formatBackoff, formatFactor, parseBackoff, type Backoff } from '../../src/grammar/backoff.js';
import { refusalOf } from '../helpers/refusal.js';

const MS = 1_000_000n;
const S = 1000n * MS;
const M = 60n * S;

const b = (initialNs: bigint, factorNum: bigint, factorDen: bigint, maxNs: bigint): Backoff => ({ initialNs, factorNum, factorDen, maxNs });

describe('parseBackoff', () => {
  it.each([
    ['1s', b(S, 2n, 1n, 10n * M)],
    ['1s:3', b(S, 3n, 1n, 10n * M)],
    ['500ms:1.5:30s', b(500n * MS, 15n, 10n, 30n * S)],
    ['5s:1', b(5n * S, 1n, 1n, 10n * M)],
    ['1s::1m', b(S, 2n, 1n, M)],
    ['0', b(0n, 2n, 1n, 10n * M)],
    ['0:2:0', b(0n, 2n, 1n, 0n)],
    ['2s:1.000001:2s', b(2n * S, 1000001n, 1000000n, 2n * S)],
    // INITIAL past the default MAX: MAX follows it
    ['15m', b(15n * M, 2n, 1n, 15n * M)],
    ['PT1M30S:2:1h', b(90n * S, 2n, 1n, 60n * M)],
    ['1h 30min:2', b(90n * M, 2n, 1n, 90n * M)],
  ])('%s', (text, expected) => {
    expect(parseBackoff(text)).toEqual(expected);
  });

  it('defaults to curl\'s waits: 1s doubling up to 10m', () => {
    expect(DEFAULT_BACKOFF).toEqual(b(S, 2n, 1n, 10n * M));
  });

  it.each([
    ['', 'INITIAL is missing (expected INITIAL[:FACTOR[:MAX]], got "")'],
    [':2', 'INITIAL is missing (expected INITIAL[:FACTOR[:MAX]], got ":2")'],
    ['1s:2:3s:4', 'expected INITIAL[:FACTOR[:MAX]] (got "1s:2:3s:4")'],
    ['5x', 'INITIAL: unknown unit "x" in "5x"'],
    ['1s:0.5', 'FACTOR: must be at least 1, or the waits would shrink (got "0.5")'],
    ['1s:0', 'FACTOR: must be at least 1, or the waits would shrink (got "0")'],
    ['1s:-2', 'FACTOR: must be a number such as 2 or 1.5 (got "-2")'],
    ['1s:2e3', 'FACTOR: must be a number such as 2 or 1.5 (got "2e3")'],
    ['1s:1.1234567', 'FACTOR: must be a number such as 2 or 1.5 (got "1.1234567")'],
    ['1s:x', 'FACTOR: must be a number such as 2 or 1.5 (got "x")'],
    ['5s:2:1s', 'MAX "1s" is shorter than INITIAL "5s"'],
    ['1s:2:-1s', 'MAX: '],
  ])('refuses %j', (text, message) => {
    const caught = refusalOf(() => parseBackoff(text));
    expect((caught as Error).message.startsWith(message)).toBe(true);
  });
});

describe('formatBackoff', () => {
  it.each(['1s:2:10m', '500ms:1.5:30s', '5s:1:10m', '1s:1.000001:1m', '0s:2:0s', '2s:1.05:1h'])('%s reads back the same', (text) => {
    expect(formatBackoff(parseBackoff(text))).toBe(text);
  });

  it('writes a factor without trailing zeros', () => {
    expect(formatFactor(b(S, 1500n, 1000n, S))).toBe('1.5');
    expect(formatFactor(b(S, 1050n, 1000n, S))).toBe('1.05');
    expect(formatFactor(b(S, 20n, 10n, S))).toBe('2');
  });
});
