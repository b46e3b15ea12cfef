// libuv's thread pool: Node's module loader starts it before any JavaScript runs (its file
// reads are asynchronous), four threads unless UV_THREADPOOL_SIZE says otherwise, and
// timerstack's own use of it is a few file reads. So bin/timerstack.js, as sh, asks for one
// thread when the caller did not choose a size, and marks that it did (idle `once 25m`: 11
// threads → 8, the same RSS). Commands must not inherit the choice: the variables go.
export const OWN_POOL = 'TIMERSTACK_OWN_UV_POOL';

export function restoreCallerPool(env: NodeJS.ProcessEnv): void {
  if (env[OWN_POOL] === '1') delete env.UV_THREADPOOL_SIZE;
  delete env[OWN_POOL];
}
