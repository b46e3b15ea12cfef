// Processes as /proc shows them, for tests that check nothing was left behind.
import { readFileSync } from 'node:fs';

// Whether `pid` is a live process (a zombie is not).
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
