import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { groupAlive, killGroup, procStat, signalName, signalNumber } from '../../src/exec/groups.js';

describe('signal names and numbers', () => {
  it.each([
    ['SIGHUP', 1],
    ['SIGINT', 2],
    ['SIGKILL', 9],
    ['SIGTERM', 15],
  ])('%s ⇄ %i', (name, num) => {
    expect(signalNumber(name)).toBe(num);
    expect(signalName(num)).toBe(name);
  });

  it('unknown ones are undefined', () => {
    expect(signalNumber('SIGNOPE')).toBeUndefined();
    expect(signalName(1000)).toBeUndefined();
  });
});

describe('process groups', () => {
  it('signals a live group, and says when it is gone', async () => {
    const child = spawn('sleep', ['5'], { detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    const exited = once(child, 'exit');
    expect(procStat(pid)).toMatchObject({ pid, ppid: process.pid, pgrp: pid });
    expect(groupAlive(pid)).toBe(true);
    expect(killGroup(pid, 'SIGKILL')).toBe(true);
    const [code, signal] = await exited;
    expect([code, signal]).toEqual([null, 'SIGKILL']);
    expect(groupAlive(pid)).toBe(false);
    expect(killGroup(pid, 'SIGTERM')).toBe(false);
    expect(procStat(pid)).toBeUndefined();
  });

  it('reads its own /proc stat', () => {
    expect(procStat(process.pid)).toMatchObject({ pid: process.pid, ppid: process.ppid });
  });
});
