// A run's process group, followed from its spawn until no process of it is left.
//
//   running ──(the leader exited: its status is known, it stays a zombie)──► lingering
//   lingering ──(no other member is left: the leader is reaped)────────────► empty
//
// The leader is reaped only once the group is empty. Until then its zombie holds its pid, and
// with it the group's number: no other process can be given that pid, so no other group can
// have that number, and kill(-pgid) reaches this group and nothing else. Once empty, the group
// is never signalled again. Members are watched through pidfds (found among timerstack's
// descendants: it is their subreaper), so the end is seen the moment the last one exits.
import { closeSync } from 'node:fs';
import { childrenOf, pidfdOpen, pidfdSendSignal, waitPidfd, type ChildState } from '../native/process.js';
import { watchReadable, type FdWatch } from '../native/watch.js';
import { groupMembers, procStat, type ProcStat } from './groups.js';
import { adoptsOrphans, isClaimed, release } from './reaper.js';

export type GroupState = 'running' | 'lingering' | 'empty';

export interface GroupEvents {
  // The leader exited (with `own` false, the group is then empty at once).
  exited(state: ChildState): void;
  // Nothing of the group is left; the leader has been reaped.
  empty(): void;
}

// The groups followed now, by number, and the members they watch (pid → group).
const tracked = new Set<number>();
const watched = new Map<number, number>();

// A child that is a run's leader, or in another followed group: its descendants are that group's
// business, not looked through for this one's members.
function belongsElsewhere(stat: ProcStat): boolean {
  return isClaimed(stat.pid) || tracked.has(stat.pgrp);
}

// This process's children that may be members of group `pgid`: not a run's leader, not a member
// another group already watches (those need no /proc read: a scan stays cheap with many runs).
function candidates(pgid: number): number[] | undefined {
  const children = adoptsOrphans() ? childrenOf('self') : undefined;
  return children?.filter((pid) => !isClaimed(pid) && (watched.get(pid) ?? pgid) === pgid);
}

interface Member {
  fd: number;
  watch: FdWatch;
}

export class ProcessGroup {
  state: GroupState = 'running';
  private readonly leaderWatch: FdWatch;
  private readonly members = new Map<number, Member>();

  // `pidfd` is the leader's (this object closes it); `own`: the leader leads its own group (else
  // it is in timerstack's group, --foreground, and only the leader is followed and signalled).
  constructor(
    readonly pid: number,
    private readonly pidfd: number,
    readonly own: boolean,
    private readonly events: GroupEvents,
  ) {
    this.leaderWatch = watchReadable(pidfd, () => this.poll());
    tracked.add(pid);
  }

  // Looks at the leader now: a tick about to apply its overlap policy calls this, so a command
  // that has exited is not taken for a running one because its event has not been read yet.
  poll(): void {
    if (this.state !== 'running') return;
    const exit = waitPidfd(this.pidfd, true);
    if (!exit) return;
    this.leaderWatch.stop();
    this.state = 'lingering';
    this.events.exited(exit);
    this.rescan();
  }

  // Sends `signo` to every process of the group while it has any; nothing once it is empty.
  // For a group that is not its own, to the leader alone (through its pidfd).
  signal(signo: number): void {
    if (this.state === 'empty') return;
    if (!this.own) {
      pidfdSendSignal(this.pidfd, signo);
      return;
    }
    try {
      process.kill(-this.pid, signo);
    } catch (err) {
      // ESRCH cannot happen while the leader is unreaped; EPERM: a member we may not signal.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ESRCH' && code !== 'EPERM') throw err;
    }
  }

  // How many processes besides the leader were left when last looked.
  get lingering(): number {
    return this.members.size;
  }

  // Finds the members still alive, watches the new ones, and ends the group when none is left.
  private rescan(): void {
    if (this.state !== 'lingering') return;
    const found = new Set(this.own ? groupMembers(this.pid, candidates(this.pid), belongsElsewhere) : []);
    for (const [pid, member] of this.members) {
      if (found.has(pid)) continue;
      member.watch.stop();
      // A member that exited is a zombie of this process (its subreaper), reaped now: not at the
      // next SIGCHLD, which might come after timerstack has ended and handed it to PID 1.
      waitPidfd(member.fd, false);
      closeSync(member.fd);
      this.members.delete(pid);
      watched.delete(pid);
    }
    for (const pid of found) if (!this.members.has(pid)) this.watchMember(pid);
    if (this.members.size === 0) this.end();
  }

  private watchMember(pid: number): void {
    const fd = pidfdOpen(pid);
    if (fd === undefined) return;
    // The pid may have been reused between the scan and pidfd_open: keep it only if the process
    // the pidfd names is (still) in the group.
    if (procStat(pid)?.pgrp !== this.pid) {
      closeSync(fd);
      return;
    }
    this.members.set(pid, { fd, watch: watchReadable(fd, () => this.rescan()) });
    watched.set(pid, this.pid);
  }

  private end(): void {
    this.state = 'empty';
    tracked.delete(this.pid);
    waitPidfd(this.pidfd, false);
    release(this.pid);
    closeSync(this.pidfd);
    this.events.empty();
  }
}
