// The fake native layer used by the loop tests: it must throw exactly once, and otherwise be
// the kernel.
import { afterEach, describe, expect, it } from 'vitest';
import { constants as osConstants } from 'node:os';
import { CLOCK_MONOTONIC, TFD_CLOEXEC, TFD_NONBLOCK, TFD_TIMER_ABSTIME } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { SyscallError } from '../../src/errors.js';
import { CancelOnceNative } from './fake-native.js';
import { MS } from '../helpers/kernel.js';

let fake: CancelOnceNative;
afterEach(() => {
  for (const fd of fake.created) if (!fake.closed.includes(fd)) fake.close(fd);
});

describe('CancelOnceNative', () => {
  it('passes through to the kernel and records what it did', () => {
    fake = new CancelOnceNative();
    const fd = fake.create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    expect(fake.created).toEqual([fd]);
    const at = clockNow(CLOCK_MONOTONIC) - 1n;
    expect(fake.settime(fd, TFD_TIMER_ABSTIME, at, 7n * MS)).toEqual({ valueNs: 0n, intervalNs: 0n });
    expect(fake.settimeCalls).toEqual([{ fd, flags: TFD_TIMER_ABSTIME, valueNs: at, intervalNs: 7n * MS }]);
    expect(fake.gettime(fd).intervalNs).toBe(7n * MS);
    expect(fake.drain(fd)).toBe(1);
    expect(fake.drain(fd)).toBe(0); // EAGAIN passes through as 0, as the kernel layer does
    fake.close(fd);
    expect(fake.closed).toEqual([fd]);
    expect(() => fake.gettime(fd)).toThrow(SyscallError); // really closed
  });

  it('throws ECANCELED exactly once, for the chosen fd only', () => {
    fake = new CancelOnceNative();
    const a = fake.create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    const b = fake.create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    fake.settime(a, TFD_TIMER_ABSTIME, 1n, 0n);
    fake.settime(b, TFD_TIMER_ABSTIME, 1n, 0n);
    fake.cancelNextDrain(a);
    expect(fake.drain(b)).toBe(1); // another fd is unaffected
    let err: unknown;
    try {
      fake.drain(a);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SyscallError);
    expect((err as SyscallError).code).toBe('ECANCELED');
    expect((err as SyscallError).errno).toBe(osConstants.errno.ECANCELED);
    expect((err as SyscallError).syscall).toBe('read');
    expect(fake.cancels).toBe(1);
    // The kernel's count was left unread by the fault, and the next drain gets it.
    expect(fake.drain(a)).toBe(1);
    expect(fake.drain(a)).toBe(0);
    expect(fake.cancels).toBe(1);
  });
});
