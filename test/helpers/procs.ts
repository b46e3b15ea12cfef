// Processes as /proc shows them, for tests that check nothing was left behind.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

// Whether `pid` is a live process (a zombie is not).
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

// Whether `pid` holds a timerfd: timerstack's own code is running (it arms after installing its
// signal handlers), so a SIGUSR1 sent now is timerstack's and not Node's start-up's.
export function holdsTimerfd(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:[timerfd]';
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
