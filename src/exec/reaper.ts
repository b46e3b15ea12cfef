// The orphans timerstack adopts. While it runs commands it is a child subreaper: a process a
// command leaves behind (`sleep 5 &` in a shell that exits) is re-parented to timerstack, not to
// PID 1, so it stays in reach (its group can still be signalled and waited for) and timerstack
// reaps it when it exits. As PID 1 every orphan of the namespace comes here too.
//
// Reaping must never take a status someone else waits for: each run's leader is reaped by its
// own ProcessGroup (claimed here), and children started through Node's child_process (libuv
// reaps those with waitpid(pid)) are known from the `child_process` diagnostics channel. Only
// the other children are reaped, one pid at a time — never with waitpid(-1).
import type { ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { anyChildExited, childrenOf, reapChild, setChildSubreaper } from '../native/process.js';
import { procStat, procPids } from './groups.js';

const claimed = new Set<number>();
const libuvChildren = new Set<ChildProcess>();

subscribe('child_process', (message) => {
  const child = (message as { process?: ChildProcess }).process;
  if (!child) return;
  libuvChildren.add(child);
  const forget = () => libuvChildren.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
});

let adopting = false;
let reaped = 0;

// Marks `pid` as reaped by its owner, not by the reaper (a run's leader, from its spawn).
export function claim(pid: number): void {
  claimed.add(pid);
}

export function release(pid: number): void {
  claimed.delete(pid);
}

export function isClaimed(pid: number): boolean {
  return claimed.has(pid);
}

// Whether this process is a subreaper (set by adoptOrphans).
export function adoptsOrphans(): boolean {
  return adopting;
}

// Makes this process a child subreaper and reaps what comes to it, from now on (once).
export function adoptOrphans(): void {
  if (adopting) return;
  setChildSubreaper();
  adopting = true;
  process.on('SIGCHLD', soon);
  reapOrphans();
}

// SIGCHLD comes once per child: one sweep per turn of the event loop is enough.
let sweeping = false;
function soon(): void {
  if (sweeping) return;
  sweeping = true;
  setImmediate(() => {
    sweeping = false;
    reapOrphans();
  });
}

// Reaps every exited child that nobody else owns; returns how many.
export function reapOrphans(): number {
  if (!anyChildExited()) return 0;
  const foreign = new Set<number>();
  for (const child of libuvChildren) if (child.pid !== undefined) foreign.add(child.pid);
  let n = 0;
  for (const pid of childrenOf('self') ?? ownChildrenFromProc()) {
    if (claimed.has(pid) || foreign.has(pid)) continue;
    if (reapChild(pid)) n++;
  }
  reaped += n;
  return n;
}

// How many orphans this process has reaped.
export function reapedCount(): number {
  return reaped;
}

function ownChildrenFromProc(): number[] {
  return procPids().filter((pid) => procStat(pid)?.ppid === process.pid);
}
