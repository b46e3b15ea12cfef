// bin/timerstack.js run as a user's shell runs it (its sh lines, then node): libuv's thread pool
// kept to one thread unless the caller chose a size, and commands given the caller's environment.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseEnv, timerstack, waitFor } from '../helpers/binary.js';
import { holdsTimerfd } from '../helpers/procs.js';

// The number of threads of a `once 25m` once it waits (its timer armed), then stopped.
async function waitingThreads(options: { launcher?: boolean; env?: NodeJS.ProcessEnv }): Promise<number> {
  let threads = 0;
  await timerstack(['once', '25m'], {
    ...options,
    onSpawn: (child) => {
      void waitFor(() => holdsTimerfd(child.pid!), 10_000).then(() => {
        threads = readdirSync(`/proc/${child.pid}/task`).length;
        child.kill('SIGTERM');
      });
    },
  });
  return threads;
}

const poolVars = ['once', '0', '--', 'sh', '-c', 'echo "${UV_THREADPOOL_SIZE-unset} ${TIMERSTACK_OWN_UV_POOL-unset}"'];

describe('the launcher', () => {
  it('starts libuv with one pool thread instead of four: three threads fewer than node alone', async () => {
    const env = baseEnv();
    delete env.UV_THREADPOOL_SIZE;
    const direct = await waitingThreads({ env });
    const launched = await waitingThreads({ env, launcher: true });
    expect(direct).toBeGreaterThan(4);
    expect(direct - launched).toBe(3);
  });

  it('leaves a size the caller chose', async () => {
    const env = baseEnv({ UV_THREADPOOL_SIZE: '2' });
    const direct = await waitingThreads({ env });
    const launched = await waitingThreads({ env, launcher: true });
    expect(direct - launched).toBe(0);
  });

  it("gives commands the caller's environment: no pool size they did not have, no marker", async () => {
    const env = baseEnv();
    delete env.UV_THREADPOOL_SIZE;
    const r = await timerstack(poolVars, { env, launcher: true });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('unset unset');
    const chosen = await timerstack(poolVars, { env: baseEnv({ UV_THREADPOOL_SIZE: '3' }), launcher: true });
    expect(chosen.stdout.trim().split('\n').at(-1)).toBe('3 unset');
  });
});
