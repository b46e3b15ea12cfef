// The arithmetic of a recurrence: pure, no clock read.
import { describe, expect, it } from 'vitest';
import { catchUp, fixedLast, fixedRecurrence } from '../../src/loop/recurrence.js';

describe('fixedLast', () => {
  const every5 = fixedRecurrence(1_000n, 5n);
  it('is the deadline itself for one expiration', () => {
    expect(fixedLast(every5, 1_000n, 1)).toBe(1_000n);
  });
  it('is n - 1 intervals after the deadline for n expirations', () => {
    expect(fixedLast(every5, 1_000n, 3)).toBe(1_010n);
    expect(fixedLast(every5, 1_000n, 1_000_001)).toBe(1_000n + 5_000_000n);
  });
  it('is the deadline for a one-shot, whatever the count', () => {
    expect(fixedLast(fixedRecurrence(7n, 0n), 7n, 4)).toBe(7n);
  });
  it('agrees with catchUp on a fixed schedule', () => {
    for (const late of [0n, 4n, 5n, 12n, 99n]) {
      const due = catchUp(every5, 1_000n, 1_000n + late);
      expect(fixedLast(every5, 1_000n, due.count)).toBe(due.last);
      expect(due.next).toBe(due.last + 5n);
    }
  });
});
