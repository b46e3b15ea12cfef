// --precise and --lean through the real binary: the kernel's counts exact in each mode (a run
// and a command too), the two refused together, both in --help. No latency is asserted here:
// `npm run bench` measures it.
import { describe, expect, it } from 'vitest';
import { lines, ndjson, timerstack } from '../helpers/binary.js';
import { eventLines } from '../helpers/events.js';

describe('--precise and --lean', () => {
  const modes: Array<{ mode: string; flags: string[] }> = [
    { mode: '--precise', flags: ['--precise'] },
    { mode: '--lean', flags: ['--lean'] },
    { mode: '(the default)', flags: [] },
  ];
  it.each(modes)('every 5ms --count 40 $mode: exactly 40 expirations, the last one tick 40', async ({ flags }) => {
    const r = await timerstack(['every', '5ms', '--count', '40', '--json', ...flags], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const ticks = ndjson(r.stdout);
    expect(ticks.reduce((n, e) => n + (e.expirations as number), 0)).toBe(40);
    expect(ticks.at(-1)!.tick).toBe(40);
    let total = 0;
    for (const e of ticks) expect(e.tick).toBe((total += e.expirations as number));
  });

  it('every 5ms --for 200ms --precise with a command: the expirations of 200 ms, each run or reported missed', async () => {
    const r = await timerstack(['every', '5ms', '--for', '200ms', '--precise', '--json', '-v', '--', 'true'], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const ticks = ndjson(r.stderr).filter((e) => e.event === 'tick');
    expect(ticks.reduce((n, e) => n + (e.expirations as number), 0)).toBe(40);
  });

  it('once 30ms --precise: one line, and the process ends', async () => {
    const r = await timerstack(['once', '30ms', '--precise']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
  });

  // V8 prints one such line per function TurboFan has compiled (tier-up.ts says why).
  const turbofanned = (out: string) => out.split('\n').filter((l) => l.startsWith('[completed optimizing') && l.includes('TURBOFAN')).length;

  it('a lone every 5ms keeps to baseline code: TurboFan compiles nothing (V8 --trace-opt)', async () => {
    const r = await timerstack(['every', '5ms', '--count', '200', '--json'], { nodeArgs: ['--trace-opt'], timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(eventLines(r.stdout).at(-1)!.tick).toBe(200);
    expect(turbofanned(r.stdout)).toBe(0);
  });

  it('every 1ms, too short for the warm-up wake, is optimized: TurboFan compiles its path', async () => {
    const r = await timerstack(['every', '1ms', '--count', '500', '--json'], { nodeArgs: ['--trace-opt'], timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(turbofanned(r.stdout)).toBeGreaterThan(0);
  });

  it('refuses --lean with --precise', async () => {
    const r = await timerstack(['every', '5ms', '--lean', '--precise']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^timerstack: --precise needs the warm-up wake that --lean turns off/);
    expect(r.stdout).toBe('');
  });

  it('shows both in --help, the CPU --precise costs included', async () => {
    const r = await timerstack(['every', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--lean\b/);
    expect(r.stdout).toMatch(/--precise\b[\s\S]*µs of CPU per tick/);
  });
});
