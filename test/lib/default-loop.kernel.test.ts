// once() and every() inside worker_threads: each thread has its own default loop, closed when the
// thread ends, and however the worker ends (on its own, process.exit, terminate()) the process
// exits cleanly. Each case runs in a child process, so a crash cannot take the suite with it.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { distDir, runNode } from '../helpers/kernel.js';

const lib = JSON.stringify(path.join(distDir, 'index.js'));

// How many epoll sets the process holds (each thread's libuv loop has one, each Loop one).
const EPOLLS = `const epolls = () => readdirSync('/proc/self/fd').filter((f) => {
  try { return readlinkSync('/proc/self/fd/' + f) === 'anon_inode:[eventpoll]'; } catch { return false; }
}).length;`;

// A child whose main thread starts one worker running `body` (an async function body that has
// `once`, `every`, `Loop`, `defaultLoop` and `post` in scope) and does `onMessage(m, w)` with what
// the worker posts; it prints the worker's exit code.
function withWorker(body: string, onMessage = '', main = ''): string {
  // The child runs with --input-type=module, and so does an eval'd worker.
  const worker = `
    import { parentPort } from 'node:worker_threads';
    import { readdirSync, readlinkSync } from 'node:fs';
    import { once, every, Loop, defaultLoop } from ${lib};
    ${EPOLLS}
    const post = (m) => parentPort.postMessage(m);
    ${body}`;
  return `
    import { Worker } from 'node:worker_threads';
    import { readdirSync, readlinkSync } from 'node:fs';
    import { once, defaultLoop } from ${lib};
    ${EPOLLS}
    ${main}
    const w = new Worker(${JSON.stringify(worker)}, { eval: true });
    w.on('message', (m) => { ${onMessage} });
    w.on('error', (e) => console.log('worker error: ' + e.message));
    w.on('exit', (code) => console.log('worker exit ' + code));`;
}

// Runs `source` `times` times; every run must end on its own with status 0 and print `stdout`.
function expectCleanRuns(source: string, stdout: string, times = 10): void {
  const results = Array.from({ length: times }, () => runNode(source, { timeoutMs: 15_000 }));
  const seen = results.map((r) => ({ status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }));
  expect(seen).toEqual(Array.from({ length: times }, () => ({ status: 0, signal: null, stdout, stderr: '' })));
}

describe('the library in a worker thread', () => {
  it('once() and every() in a worker that then ends on its own: the process exits 0, 10 times of 10', () => {
    const body = `
      const e = await once('10ms');
      let n = 0;
      for await (const t of every('2ms', { count: 5 })) n += t.expirations;
      // (every()'s count may be passed by a late wake-up's last event: at least 5.)
      post({ tick: e.tick, counted: n >= 5 });`;
    expectCleanRuns(withWorker(body, 'console.log(JSON.stringify(m));'), '{"tick":1,"counted":true}\nworker exit 0\n');
  });

  it('a worker that calls process.exit() with a periodic timer armed: exits 0, 10 times of 10', () => {
    const body = `
      await once('5ms');
      const it = every('1ms');
      await it.next();
      new Loop().add({ interval: 1_000_000n }, () => {});
      process.exit(0);`;
    expectCleanRuns(withWorker(body), 'worker exit 0\n');
  });

  it('worker.terminate() while timers are armed (not yet due): the process exits 0, 10 times of 10', () => {
    // The crash this guards against: koffi's module unloaded with the worker, then its poll
    // handle's close callback called into the unmapped code (SIGSEGV, exit 139).
    const body = `
      await once('5ms');
      every('10s')[Symbol.asyncIterator]().next();
      new Loop().add({ delay: 10_000_000_000n }, () => {});
      post('armed');`;
    expectCleanRuns(withWorker(body, 'w.terminate();'), 'worker exit 1\n');
  });

  it('a worker that throws after using the library: its error event, then a clean exit', () => {
    const body = `
      await once('5ms');
      every('10s')[Symbol.asyncIterator]().next();
      throw new Error('boom in the worker');`;
    expectCleanRuns(withWorker(body), 'worker error: boom in the worker\nworker exit 1\n', 3);
  });

  it('each thread has a loop of its own, closed when the thread ends', () => {
    // The main thread's default loop is armed first; the worker's first once() adds an epoll set
    // of its own (the main thread's is not used there), and the sets the worker had are all
    // closed when it ends.
    const main = `
      await once('1ms');
      const mainLoop = defaultLoop();
      const base = epolls();
      const hold = mainLoop.add({ delay: 10_000_000_000n }, () => {});`;
    const body = `
      const before = epolls();
      await once('5ms');
      for await (const t of every('2ms', { count: 2 }));
      post({ added: epolls() - before });`;
    const onMessage = `console.log('in the worker: +' + m.added + ' epoll set, main loop size ' + mainLoop.size);`;
    const after = `w.on('exit', () => { console.log('after: +' + (epolls() - base)); hold.cancel(); });`;
    const r = runNode(withWorker(body, onMessage, main) + after, { timeoutMs: 15_000 });
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(r.stdout).toBe('in the worker: +1 epoll set, main loop size 1\nworker exit 0\nafter: +0\n');
  });
});
