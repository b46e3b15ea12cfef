// The Timer class on real timerfds: arm / disarm / remaining / read / close / dispose.
import { afterEach, describe, expect, it } from 'vitest';
import { Timer } from '../../src/lib/timer.js';
import { CLOCK_MONOTONIC, CLOCK_REALTIME, TFD_TIMER_ABSTIME } from '../../src/native/libc.js';
import { clockNow } from '../../src/native/clocks.js';
import { isCloseOnExec } from '../../src/native/fd-limit.js';
import { SyscallError, UsageError } from '../../src/errors.js';
import { MS, fdinfo, hrNow, sleepSync } from '../helpers/kernel.js';

const O_NONBLOCK = 0o4000;

let timers: Timer[] = [];
function timer(clock?: ConstructorParameters<typeof Timer>[0]): Timer {
  const t = new Timer(clock);
  timers.push(t);
  return t;
}

afterEach(() => {
  for (const t of timers) t.close();
  timers = [];
});

// Reads until the timer has fired (or `ms` passed); returns the count (0 if it never fired).
function readWithin(t: Timer, ms: number): number {
  const end = hrNow() + BigInt(ms) * MS;
  for (;;) {
    const n = t.read();
    if (n > 0 || hrNow() > end) return n;
    sleepSync(0.2);
  }
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(125);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('Timer', () => {
  it('opens a non-blocking, close-on-exec timerfd on the chosen clock', () => {
    const mono = timer();
    expect(mono.clock).toBe('monotonic');
    expect(isCloseOnExec(mono.fd)).toBe(true);
    expect(fdinfo(mono.fd).flags & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(fdinfo(mono.fd).clockid).toBe(CLOCK_MONOTONIC);
    expect(fdinfo(timer('realtime').fd).clockid).toBe(CLOCK_REALTIME);
    const boot = Timer.create('boottime');
    timers.push(boot);
    expect(fdinfo(boot.fd).clockid).toBe(7);
  });

  it('refuses an unknown clock', () => {
    usageError(() => new Timer('tai' as 'monotonic'));
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('refuses %j (a name every object has) in one clear line, not a koffi TypeError', (name) => {
    const err = usageError(() => new Timer(name as 'monotonic'));
    expect(err.message).toBe(`unknown clock ${JSON.stringify(name)} (use monotonic, boottime, realtime, realtime-alarm, boottime-alarm)`);
  });

  it('read() is 0 before the first expiry, 1 after a one-shot, then 0 again', () => {
    const t = timer();
    expect(t.arm('25ms')).toEqual({ valueNs: 0n, intervalNs: 0n });
    const { valueNs, intervalNs } = t.remaining();
    expect(valueNs).toBeGreaterThan(0n);
    expect(valueNs).toBeLessThanOrEqual(25n * MS);
    expect(intervalNs).toBe(0n);
    expect(t.read()).toBe(0);
    sleepSync(35);
    expect(t.read()).toBe(1);
    expect(t.read()).toBe(0);
    expect(t.remaining()).toEqual({ valueNs: 0n, intervalNs: 0n });
  });

  it('arms a periodic timer: delay as bigint, interval as a string', () => {
    const t = timer();
    const t0 = hrNow();
    t.arm(10_000_000n, { interval: '5ms' });
    expect(t.remaining().intervalNs).toBe(5_000_000n);
    sleepSync(32);
    const n = t.read();
    const elapsed = hrNow() - t0;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(Number((elapsed - 10n * MS) / (5n * MS)) + 1);
  });

  it('arm(0) fires at once (where timerfd_settime would disarm)', () => {
    const t = timer();
    const t0 = hrNow();
    t.arm(0n);
    expect(readWithin(t, 100)).toBe(1);
    expect(hrNow() - t0).toBeLessThan(50n * MS);
    const t2 = timer();
    t2.arm('0s', { interval: '10ms' });
    expect(readWithin(t2, 100)).toBe(1);
    expect(t2.remaining().intervalNs).toBe(10n * MS);
  });

  it('absolute: fires at the given instant; one in the past fires at once', () => {
    const t = timer();
    const at = clockNow(CLOCK_MONOTONIC) + 20n * MS;
    t.arm(at, { absolute: true });
    expect(fdinfo(t.fd).settimeFlags).toBe(TFD_TIMER_ABSTIME);
    const left = t.remaining().valueNs;
    expect(left).toBeGreaterThan(0n);
    expect(left).toBeLessThanOrEqual(20n * MS);
    expect(t.read()).toBe(0);
    expect(readWithin(t, 200)).toBe(1);
    expect(clockNow(CLOCK_MONOTONIC)).toBeGreaterThanOrEqual(at);

    const past = timer();
    past.arm(1n, { absolute: true });
    expect(readWithin(past, 50)).toBe(1);
    const zero = timer();
    zero.arm(0n, { absolute: true }); // 0 would disarm; the Timer makes it "long past"
    expect(readWithin(zero, 50)).toBe(1);
  });

  it('cancelOnSet: realtime absolute only', () => {
    const rt = timer('realtime');
    rt.arm(clockNow(CLOCK_REALTIME) + 10n * MS, { absolute: true, cancelOnSet: true });
    expect(fdinfo(rt.fd).settimeFlags).toBe(3);
    expect(readWithin(rt, 200)).toBe(1);
    const mono = timer();
    usageError(() => mono.arm(clockNow(CLOCK_MONOTONIC) + 10n * MS, { absolute: true, cancelOnSet: true }));
    expect(mono.remaining().valueNs).toBe(0n);
  });

  it('disarm() stops it and returns the old setting', () => {
    const t = timer();
    t.arm('15ms', { interval: '1s' });
    const old = t.disarm();
    expect(old.intervalNs).toBe(1_000_000_000n);
    expect(old.valueNs).toBeGreaterThan(0n);
    expect(old.valueNs).toBeLessThanOrEqual(15n * MS);
    expect(t.remaining()).toEqual({ valueNs: 0n, intervalNs: 0n });
    sleepSync(25);
    expect(t.read()).toBe(0);
  });

  it('re-arming returns the previous setting', () => {
    const t = timer();
    t.arm('1.5s', { interval: '250ms' });
    const old = t.arm('10s');
    expect(old.intervalNs).toBe(250n * MS);
    expect(old.valueNs).toBeGreaterThan(1_400n * MS);
    expect(old.valueNs).toBeLessThanOrEqual(1_500n * MS);
    expect(t.remaining().valueNs).toBeGreaterThan(9_900n * MS);
  });

  it('refuses bad durations before touching the timer', () => {
    const t = timer();
    t.arm('10s');
    usageError(() => t.arm('abc'));
    usageError(() => t.arm(-1n));
    usageError(() => t.arm('1s', { interval: 'x' }));
    usageError(() => t.arm(5 as unknown as bigint));
    expect(t.remaining().valueNs).toBeGreaterThan(9n * 1_000_000_000n);
  });

  it('close() twice is safe and closes the fd', () => {
    const t = new Timer();
    t.close();
    t.close();
    expect(() => isCloseOnExec(t.fd)).toThrow(SyscallError);
  });

  it('[Symbol.dispose]() closes the fd, and `using` calls it', () => {
    const t = new Timer();
    t[Symbol.dispose]();
    try {
      isCloseOnExec(t.fd);
      throw new Error('fd still open');
    } catch (err) {
      expect((err as SyscallError).code).toBe('EBADF');
    }
    let fd = -1;
    {
      using scoped = new Timer();
      fd = scoped.fd;
      expect(isCloseOnExec(fd)).toBe(true);
    }
    expect(() => isCloseOnExec(fd)).toThrow(/EBADF/);
  });

  // After close() the fd number may be handed to another timer: a closed Timer must refuse.
  it('a closed Timer does not touch a timer that reused its fd number', () => {
    const a = new Timer();
    a.close();
    const b = timer();
    expect(b.fd).toBe(a.fd); // the lowest free number: reused at once
    let err: unknown;
    try {
      a.arm('10s');
    } catch (e) {
      err = e;
    }
    expect(b.remaining().valueNs).toBe(0n);
    expect(err).toBeDefined();
  });
});
