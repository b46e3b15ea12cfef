// A TimerNative that passes every call through to the kernel, records them, and can make the
// next drain of one chosen fd fail with ECANCELED once — the error a read gives after the
// realtime clock is stepped under TFD_TIMER_CANCEL_ON_SET, which a test cannot cause for real
// on a shared machine.
import { constants as osConstants } from 'node:os';
import { syscallError } from '../../src/native/libc.js';
import { kernelTimers, type TimerNative, type TimerValue } from '../../src/native/timerfd.js';

export interface SettimeCall {
  fd: number;
  flags: number;
  valueNs: bigint;
  intervalNs: bigint;
}

export class CancelOnceNative implements TimerNative {
  readonly settimeCalls: SettimeCall[] = [];
  readonly created: number[] = [];
  readonly closed: number[] = [];
  // How many ECANCELED errors were thrown, in total.
  cancels = 0;
  private target: number | undefined;

  constructor(private readonly base: TimerNative = kernelTimers) {}

  // The next drain(fd) throws ECANCELED (once); later drains pass through.
  cancelNextDrain(fd: number): void {
    this.target = fd;
  }

  create(clockid: number, flags: number): number {
    const fd = this.base.create(clockid, flags);
    this.created.push(fd);
    return fd;
  }

  settime(fd: number, flags: number, valueNs: bigint, intervalNs: bigint): TimerValue {
    this.settimeCalls.push({ fd, flags, valueNs, intervalNs });
    return this.base.settime(fd, flags, valueNs, intervalNs);
  }

  gettime(fd: number): TimerValue {
    return this.base.gettime(fd);
  }

  drain(fd: number): number {
    if (fd === this.target) {
      this.target = undefined;
      this.cancels++;
      throw syscallError('read', osConstants.errno.ECANCELED);
    }
    return this.base.drain(fd);
  }

  close(fd: number): void {
    this.closed.push(fd);
    this.base.close(fd);
  }
}
