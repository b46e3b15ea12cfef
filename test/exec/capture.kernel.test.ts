// Capturing a run's output for --watch: stdout and stderr through one pipe in the order they were
// written, a cap that never blocks the command, and no fd left open.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_LIMIT, OutputCapture } from '../../src/exec/capture.js';
import { CommandRunner, type RunResult } from '../../src/exec/runner.js';
import { Loop } from '../../src/loop/loop.js';
import { waitFor } from '../helpers/kernel.js';

let loop: Loop;
beforeAll(() => {
  loop = new Loop();
});
afterAll(() => loop.close());

const openFds = () => readdirSync('/proc/self/fd').length;

function run(argv: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const runner = new CommandRunner({
      timer: 'w',
      argv,
      shell: false,
      overlap: 'skip',
      killAfterNs: 1_000_000_000n,
      schedule: (delayNs, fn) => {
        const t = loop.add({ delay: delayNs }, fn);
        return () => t.cancel();
      },
      onResult: resolve,
      onSkip: () => {},
      capture: true,
    });
    runner.trigger({ timer: 'w', tick: 1, expirations: 1, scheduledNs: 0n });
  });
}

describe('OutputCapture through the runner', () => {
  it('stdout and stderr interleaved as written, in the result; nothing on our own streams', async () => {
    const r = await run(['sh', '-c', 'echo out1; echo err1 >&2; echo out2; echo err2 >&2; exit 3']);
    expect(r.status).toBe(3);
    expect(r.output).toBe('out1\nerr1\nout2\nerr2\n');
  });

  it('keeps UTF-8 whole across reads, and an empty output is ""', async () => {
    const r = await run(['sh', '-c', `printf 'é%.0s' $(seq 1 40000)`]);
    expect(r.output).toBe('é'.repeat(40000));
    expect((await run(['true'])).output).toBe('');
  });

  it('keeps the first CAPTURE_LIMIT bytes of a flood and reads the rest, so the command ends', async () => {
    const bytes = 3 * CAPTURE_LIMIT;
    const r = await run(['head', '-c', String(bytes), '/dev/zero']);
    expect(r.status).toBe(0);
    expect(r.output).toHaveLength(CAPTURE_LIMIT);
  });

  it('does not wait for a process the command left behind with the pipe open', async () => {
    const fds = openFds();
    const started = performance.now();
    const r = await run(['sh', '-c', 'sleep 3 & echo started']);
    expect(r.output).toBe('started\n');
    expect(performance.now() - started).toBeLessThan(2500);
    // the sleep left in the run's process group; once it has died, what watched the group is
    // closed too (not waited for, the next test's fd count would start with it still open)
    process.kill(-r.pid!, 'SIGKILL');
    await waitFor(() => openFds() === fds, 5000, "the left-behind group's fds closed");
  });

  it('closes both ends: no fd left after many runs, or when the command cannot start', async () => {
    await run(['true']);
    const before = openFds();
    for (let i = 0; i < 20; i++) await run(['sh', '-c', 'echo x']);
    const missing = await run(['no-such-command-for-capture']);
    expect(missing.status).toBe(127);
    expect(missing.output).toBe('');
    expect(openFds()).toBe(before);
  });

  it('finish() alone (the spawn failed) closes the pipe', () => {
    const before = openFds();
    const c = new OutputCapture();
    expect(openFds()).toBe(before + 2);
    expect(c.finish()).toBe('');
    expect(c.finish()).toBe('');
    expect(openFds()).toBe(before);
  });
});
