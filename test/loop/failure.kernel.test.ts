// A handler that throws: the error is the loop's onError's, or an ordinary uncaught exception
// once Node's stack is its own again (never thrown inside the native poll callback, where it was
// a V8 fatal error, exit 133); a periodic timer whose handler throws goes on firing, the process
// does not spin, and the other timers keep their exact counts.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Loop, type Expiration } from '../../src/loop/loop.js';
import { MS, distDir, runNode, waitFor } from '../helpers/kernel.js';
import { loopsClosedAfterEach } from '../helpers/loops.js';

const lib = JSON.stringify(path.join(distDir, 'index.js'));

const newLoop = loopsClosedAfterEach();

// What must never be seen on stderr: V8's fatal check, a native abort.
const FATAL = /Check failed|FATAL ERROR|Native stack trace|napi_/;

describe('a handler that throws, in a process of its own', () => {
  it('loop.add: with no listener, the process ends as for any uncaught exception (1, the stack on stderr)', () => {
    const r = runNode(
      `import { Loop } from ${lib};
       new Loop().add({ delay: 10_000_000n }, () => { throw new Error('thrown by the handler'); });`,
      { timeoutMs: 10_000 },
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Error: thrown by the handler/);
    expect(r.stderr).not.toMatch(FATAL);
  });

  it("loop.add: process.on('uncaughtException') sees it, and the process goes on to end with 0", () => {
    const r = runNode(
      `import { Loop } from ${lib};
       process.on('uncaughtException', (e) => console.log('caught: ' + e.message));
       const loop = new Loop();
       loop.add({ delay: 10_000_000n }, () => { throw new Error('one-shot'); });
       loop.add({ delay: 30_000_000n }, () => console.log('the next timer fired'));`,
      { timeoutMs: 10_000 },
    );
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(r.stdout).toBe('caught: one-shot\nthe next timer fired\n');
  });

  it('once() and every(): a throw in the code awaiting them is the caller’s, as for any promise', () => {
    const r = runNode(
      `import { once, every, defaultLoop } from ${lib};
       try { await once('5ms').then(() => { throw new Error('after once'); }); } catch (e) { console.log('caught: ' + e.message); }
       try { for await (const t of every('2ms')) throw new Error('in for await'); } catch (e) { console.log('caught: ' + e.message); }
       console.log('armed: ' + defaultLoop().size);`,
      { timeoutMs: 10_000 },
    );
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(r.stdout).toBe('caught: after once\ncaught: in for await\narmed: 0\n');
  });

  it('a periodic handler that always throws: it keeps firing, the other timer too, and the process does not spin', () => {
    // Both counted to 40 ticks of 5 ms; the CPU time over the wait is compared with the wall
    // time measured around it (a wedged loop spun at ~99 % of a core).
    const r = runNode(
      `import { Loop } from ${lib};
       let caught = 0;
       process.on('uncaughtException', () => caught++);
       const loop = new Loop();
       const wall0 = process.hrtime.bigint(), cpu0 = process.cpuUsage();
       let thrower = 0, other = 0;
       const a = loop.add({ interval: 5_000_000n }, (e) => { thrower = e.tick; throw new Error('tick ' + e.tick); });
       const b = loop.add({ interval: 5_000_000n, delay: 2_000_000n }, (e) => {
         other = e.tick;
         if (thrower >= 40 && other >= 40) {
           a.cancel(); b.cancel();
           const cpu = process.cpuUsage(cpu0), wallUs = Number(process.hrtime.bigint() - wall0) / 1000;
           setImmediate(() => console.log(JSON.stringify({ thrower, other, caught, cpuUs: cpu.user + cpu.system, wallUs })));
         }
       });`,
      { timeoutMs: 30_000 },
    );
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    const out = JSON.parse(r.stdout) as { thrower: number; other: number; caught: number; cpuUs: number; wallUs: number };
    expect(out.thrower).toBeGreaterThanOrEqual(40);
    expect(out.other).toBeGreaterThanOrEqual(40);
    // One uncaught exception per delivery: at least one per tick's wake-up, never more than ticks.
    expect(out.caught).toBeGreaterThan(0);
    expect(out.caught).toBeLessThanOrEqual(out.thrower);
    // 40 ticks take at least 195 ms of wall time; a spinning loop would burn most of it.
    expect(out.wallUs).toBeGreaterThanOrEqual(195_000);
    expect(out.cpuUs).toBeLessThan(out.wallUs * 0.5);
  });
});

describe('a handler that throws, on this loop', () => {
  it('goes to onError; every timer, the thrower and those sharing its timerfd, keeps its exact count', async () => {
    const errors: unknown[] = [];
    const loop = newLoop({ onError: (e) => errors.push(e) });
    const seen = new Map<string, Expiration[]>();
    const record = (name: string, throws: boolean) => (e: Expiration) => {
      seen.set(name, [...(seen.get(name) ?? []), e]);
      if (throws) throw new Error(`${name} ${e.tick}`);
    };
    // Identical schedules added together share one timerfd: the thrower is first of the batch.
    const options = { interval: 5n * MS, delay: 5n * MS } as const;
    const [thrower, sibling] = loop.addAll([
      { options, handler: record('thrower', true) },
      { options, handler: record('sibling', false) },
    ]);
    const own = loop.add({ interval: 7n * MS }, record('own', false));
    expect(loop.fdCount).toBe(2);
    await waitFor(() => (seen.get('sibling')?.at(-1)?.tick ?? 0) >= 20 && (seen.get('own')?.at(-1)?.tick ?? 0) >= 10, 15_000, '20 ticks');
    thrower!.cancel();
    sibling!.cancel();
    own.cancel();
    for (const name of ['thrower', 'sibling', 'own']) {
      const events = seen.get(name)!;
      // Ticks add up: none lost to a throw, none counted twice.
      let total = 0;
      for (const e of events) expect(e.tick).toBe((total += e.expirations));
    }
    expect(seen.get('thrower')!.map((e) => e.tick)).toEqual(seen.get('sibling')!.map((e) => e.tick));
    expect(errors.map((e) => (e as Error).message)).toEqual(seen.get('thrower')!.map((e) => `thrower ${e.tick}`));
    expect(loop.size).toBe(0);
  });

  it('an onError that throws itself: that error surfaces as an uncaught exception, the loop goes on', () => {
    const r = runNode(
      `import { Loop } from ${lib};
       process.on('uncaughtException', (e) => console.log('uncaught: ' + e.message));
       const loop = new Loop({ onError: (e) => { throw new Error('onError rethrew ' + e.message); } });
       const t = loop.add({ interval: 5_000_000n }, (e) => { if (e.tick >= 3) t.cancel(); throw new Error('h' + Math.min(e.tick, 3)); });`,
      { timeoutMs: 10_000 },
    );
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(r.stdout.trim().split('\n').at(-1)).toBe('uncaught: onError rethrew h3');
  });
});
