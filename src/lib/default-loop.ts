// The loop once() and every() use when none is given: one per thread (module state is per
// thread in Node), closed when a worker thread ends, so its poll handle does not outlive it.
import { isMainThread } from 'node:worker_threads';
import { Loop } from '../loop/loop.js';

let shared: Loop | undefined;

/** The loop `once()` and `every()` use when given none: one per thread, made on first use. */
export function defaultLoop(): Loop {
  if (shared) return shared;
  const loop = new Loop();
  shared = loop;
  if (!isMainThread) {
    process.once('exit', () => {
      loop.close();
      if (shared === loop) shared = undefined;
    });
  }
  return loop;
}
