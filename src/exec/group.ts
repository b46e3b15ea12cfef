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
import { groupMembers, procStat } from './groups.js';
import { adoptsOrphans, isClaimed, reapOrphans, release } from './reaper.js';

export type GroupState = 'running' | 'lingering' | 'empty';

export interface GroupEvents {
  // The leader exited (with `own` false, the group is then empty at once).
  exited(state: ChildState): void;
  // Nothing of the group is left; the leader has been reaped.
  empty(): void;
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
    // Members that exited are zombies of this process (their subreaper): reaped now, not at the
    // next SIGCHLD, which might come after timerstack has ended and handed them to PID 1.
    reapOrphans();
    const children = adoptsOrphans() ? childrenOf('self') : undefined;
    const found = new Set(this.own ? groupMembers(this.pid, children, isClaimed) : []);
    for (const [pid, member] of this.members) {
      if (found.has(pid)) continue;
      member.watch.stop();
      closeSync(member.fd);
      this.members.delete(pid);
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
  }

  private end(): void {
    // A member that died just now may still be a zombie here.
    reapOrphans();
    this.state = 'empty';
    waitPidfd(this.pidfd, false);
    release(this.pid);
    closeSync(this.pidfd);
    this.events.empty();
  }
}
