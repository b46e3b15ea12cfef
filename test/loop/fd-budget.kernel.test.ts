// One fd budget for the whole process: several Loops together hold no more timerfds than one
// would (past it, their timers share deadline queues instead of meeting EMFILE), and the budget
// is measured once, not by listing /proc/self/fd for every new Loop.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distDir, runNode, which } from '../helpers/kernel.js';

const lib = JSON.stringify(path.join(distDir, 'index.js'));
const prlimit = which('prlimit');
const strace = which('strace');

describe('the fd budget is the process’s, not each Loop’s', () => {
  it.skipIf(!prlimit)('under ulimit -n 800: two Loops of 700 timers each hold together what one Loop of 1,400 holds, and every timer fires', () => {
    // Each timer has a schedule of its own (no sharing), all due within ~0.1 s.
    const program = (loops: number) => `
      import { Loop } from ${lib};
      const per = ${1400 / loops};
      const list = Array.from({ length: ${loops} }, () => new Loop());
      let fired = 0;
      list.forEach((loop, k) => { for (let i = 0; i < per; i++) loop.add({ delay: 50_000_000n + BigInt(k + i * ${loops}) * 1000n }, () => {
        if (++fired === 1400) console.log(JSON.stringify({ fired, fds }));
      }); });
      const fds = list.map((l) => l.fdCount);`;
    const run = (loops: number) => {
      const r = runNode(program(loops), { argv0: [prlimit!, '--nofile=800:800'], timeoutMs: 20_000 });
      expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
      return JSON.parse(r.stdout) as { fired: number; fds: number[] };
    };
    const one = run(1);
    const two = run(2);
    expect(one.fired).toBe(1400);
    expect(two.fired).toBe(1400);
    // One Loop: the budget (800 less what Node holds, less the 256 kept for the rest) plus a
    // queue fd. Two: the first takes the budget, the second is left its queue alone.
    const total = (fds: number[]) => fds.reduce((a, b) => a + b, 0);
    expect(one.fds[0]).toBeGreaterThan(400);
    expect(one.fds[0]).toBeLessThan(800 - 256);
    expect(total(two.fds)).toBeLessThanOrEqual(one.fds[0]! + 1);
    expect(two.fds[1]).toBe(1);
  });

  it.skipIf(!strace)('4,000 new Loops, each arming and closing a timer: /proc/self/fd is listed at most once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-budget-'));
    const trace = path.join(dir, 'trace');
    try {
      const r = runNode(
        `import { Loop } from ${lib};
         for (let i = 0; i < 4000; i++) { const loop = new Loop(); loop.add({ delay: 10_000_000_000n }, () => {}); loop.close(); }
         console.log('done');`,
        { argv0: [strace!, '-f', '-qq', '-o', trace, '-e', 'trace=openat'], timeoutMs: 60_000 },
      );
      expect({ status: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ status: 0, signal: null, stdout: 'done\n' });
      const listings = readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('"/proc/self/fd"'));
      expect(listings.length).toBeLessThanOrEqual(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
