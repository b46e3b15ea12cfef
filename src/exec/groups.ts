// Signals by name and number, signalling a whole process group (each run leads its own), and
// finding the members of a group in /proc.
import { readFileSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { childrenOf } from '../native/process.js';

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
  return procPids().some((pid) => isLiveMember(procStat(pid), pgid));
}

// Every pid in /proc (empty where /proc is missing).
export function procPids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of entries) {
    const c = entry.charCodeAt(0);
    if (c >= 48 && c <= 57) out.push(Number(entry));
  }
  return out;
}

function isLiveMember(stat: ProcStat | undefined, pgid: number): boolean {
  return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X';
}

// The live processes of group `pgid` other than `pgid` itself. `children` are this process's
// children when it is a subreaper (then every process a run left behind is among its
// descendants): members are looked for among them first, and below the children that are not
// members only when none is (a member under a process that left the group). Without
// `children`, all of /proc is read.
export function groupMembers(pgid: number, children: readonly number[] | undefined, skip: (stat: ProcStat) => boolean): number[] {
  if (!children) return procPids().filter((pid) => pid !== pgid && isLiveMember(procStat(pid), pgid));
  const found: number[] = [];
  const others: number[] = [];
  for (const pid of children) {
    if (pid === pgid) continue;
    const stat = procStat(pid);
    if (isLiveMember(stat, pgid)) found.push(pid);
    else if (stat && !skip(stat)) others.push(pid);
  }
  if (found.length > 0) return found;
  for (let pid = others.pop(); pid !== undefined; pid = others.pop()) {
    for (const child of childrenOf(pid) ?? []) {
      const stat = procStat(child);
      if (isLiveMember(stat, pgid)) found.push(child);
      else if (stat && !skip(stat)) others.push(child);
    }
  }
  return found;
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
