// Signals by name and number, and signalling a whole process group (each run leads its own).
import { readFileSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';

const numbers = constants.signals as Readonly<Record<string, number>>;

// SIGTERM → 15; undefined for a name this platform does not know.
export function signalNumber(name: string): number | undefined {
  return numbers[name];
}

// 15 → 'SIGTERM' (the first name listed for a number, so 6 is SIGABRT, not SIGIOT).
export function signalName(num: number): string | undefined {
  for (const [name, n] of Object.entries(numbers)) if (n === num) return name;
  return undefined;
}

// Sends `signal` to every process in the group `pgid`; false when none was there to get it.
// ESRCH (the group is gone) and EPERM (a member we may not signal) are expected, not errors.
// Signal 0 only checks.
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw err;
  }
}

// Whether the group `pgid` still has a member that is not a zombie. kill(-pgid, 0) alone cannot
// tell: an orphan's zombie stays in its group until its new parent reaps it, and a PID 1 that
// never reaps (many containers) would make the group look alive forever.
export function groupAlive(pgid: number): boolean {
  if (!killGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
}

// Fields of /proc/<pid>/stat (undefined once the process is gone and reaped).
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}
