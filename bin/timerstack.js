#!/bin/sh
// 2>/dev/null; trap '' USR1; [ -n "${UV_THREADPOOL_SIZE+set}" ] || export UV_THREADPOOL_SIZE=1 TIMERSTACK_OWN_UV_POOL=1; TIMERSTACK_CALLER_NOFILE=$(ulimit -Sn) exec node "$0" "$@"
// (Those two lines are sh: Node raises its open-file soft limit to the hard one before any
// JavaScript runs, so the caller's is recorded first, for the commands timerstack runs; and
// SIGUSR1 is ignored across the exec, so one does not end the process before Node and then the
// handler below take it. SIGHUP is left alone: for every and once it means stop. Commands get
// every signal's default action back. libuv's thread pool, which Node's module loader starts
// before any JavaScript runs, gets one thread instead of four unless the caller chose a size:
// timerstack's own use of it is a few file reads; commands get the caller's environment back.)
// A thin launcher: signal handlers first, before anything heavy is loaded; then main, then the end
// with its status — or by the signal that stopped it.
//
// SIGUSR1 makes Node open its inspector (a debugger on 127.0.0.1:9229 that anyone on the machine
// can attach to). A handler of our own stops that from the first statement on (node:inspector, a
// built-in, is all that loads before it); one that came during Node's own start-up, before that,
// is closed again below (Node 20 has no --disable-sigusr1). SIGHUP and SIGUSR1 are held until main listens for them: `run FILE` arms
// its table and then reloads, instead of dying with 129 while it starts.
import * as inspector from 'node:inspector';

const held = [];
const hold = (signal) => held.push(signal);
process.on('SIGUSR1', hold);
process.on('SIGHUP', hold);

const closeInspector = () => {
  if (inspector.url()) inspector.close();
};
closeInspector();
setImmediate(closeInspector);

// Where main listens: the process, with the held signals handed to its first listener of each.
const signals = {
  on(signal, listener) {
    process.on(signal, listener);
    if (signal !== 'SIGHUP' && signal !== 'SIGUSR1') return this;
    process.off(signal, hold);
    for (let i = held.indexOf(signal); i >= 0; i = held.indexOf(signal)) {
      held.splice(i, 1);
      setImmediate(() => process.emit(signal, signal));
    }
    return this;
  },
  off(signal, listener) {
    process.off(signal, listener);
    // Never Node's own SIGUSR1 behaviour, not even after main stopped listening.
    if (signal === 'SIGUSR1' && process.listenerCount('SIGUSR1') === 0) process.on('SIGUSR1', hold);
    return this;
  },
};

// main comes from the CLI script that `npm run build` writes (scripts/bundle.mjs): one entry,
// chosen at build time, compiled with its code cache (load-cli.js).
let main;
try {
  const { compileCli, runCli } = await import('./load-cli.js');
  ({ main } = runCli(compileCli().script));
} catch (err) {
  // Node reads timerstack's own files to start: with almost no fds left, say so in one line.
  if (err?.code !== 'EMFILE' && err?.code !== 'ENFILE') throw err;
  process.stderr.write(`timerstack: too many open files (${err.code}) while starting: raise \`ulimit -n\`\n`);
  process.exit(125);
}

const result = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Read only by `run -` and `export … -`: Node makes process.stdin (a stream) on first use.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  signals,
});
// A SIGHUP that nothing listened for (--help, --check) ends the process once main is done. As
// PID 1 a signal with its default action does not end the process: then the status says it.
const signal = result.signal ?? (held.includes('SIGHUP') ? 'SIGHUP' : undefined);
process.exitCode = result.code;
if (signal) {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
