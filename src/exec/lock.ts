// --lock FILE: an exclusive flock(2) held for each run, from before its spawn until its process
// group is empty, so that no two runs of any timerstack instance (or host, on a filesystem that
// shares locks) using the same file overlap. Each run opens the file anew: two runs of one
// process exclude each other too (flock locks belong to the open file description).
import { closeSync, constants, openSync } from 'node:fs';
import { tryLockExclusive } from '../native/flock.js';
import { oneLine } from './result.js';

export type LockAttempt = { held: RunLock } | { busy: true } | { error: string };

export class RunLock {
  private constructor(private fd: number | undefined) {}

  // Opens FILE (creating it, as flock(1) does) and takes the lock without waiting.
  static take(file: string): LockAttempt {
    let fd: number;
    try {
      fd = openSync(file, constants.O_RDONLY | constants.O_CREAT | constants.O_NOCTTY, 0o666);
    } catch (err) {
      return { error: `--lock ${file}: ${oneLine(err)}` };
    }
    try {
      if (tryLockExclusive(fd)) return { held: new RunLock(fd) };
    } catch (err) {
      closeSync(fd);
      return { error: `--lock ${file}: ${oneLine(err)}` };
    }
    closeSync(fd);
    return { busy: true };
  }

  // Closing the file releases the lock.
  release(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
