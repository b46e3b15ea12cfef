import { describe, expect, it } from 'vitest';
import { quote } from '../../src/grammar/quote.js';

describe('quote', () => {
  it('does not split a surrogate pair when cutting', () => {
    const text = 'a'.repeat(63) + '😀' + 'b'.repeat(10);
    expect(quote(text)).toBe(`"${'a'.repeat(63)}"… (75 characters)`);
  });
});
