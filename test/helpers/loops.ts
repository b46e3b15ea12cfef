// Loops made by a test file, each closed after its test: `const newLoop = loopsClosedAfterEach();`
// at the top of the file. `defaults` go under each call's own options.
import { afterEach } from 'vitest';
import { Loop } from '../../src/loop/loop.js';

export type LoopOptions = NonNullable<ConstructorParameters<typeof Loop>[0]>;

export function loopsClosedAfterEach(defaults: LoopOptions = {}): (options?: LoopOptions) => Loop {
  let loops: Loop[] = [];
  afterEach(() => {
    for (const loop of loops) loop.close();
    loops = [];
  });
  return (options) => {
    const loop = new Loop({ ...defaults, ...options });
    loops.push(loop);
    return loop;
  };
}
