#!/bin/sh
// 2>/dev/null; TIMERSTACK_CALLER_NOFILE=$(ulimit -Sn) exec node "$0" "$@"
// (Those two lines are sh: Node raises its open-file soft limit to the hard one before any
// JavaScript runs, so the caller's is recorded first, for the commands timerstack runs.)
// A thin launcher: run main, then end with its status — or by the signal that stopped it.
// main comes from the CLI bundle that `npm run build` writes (scripts/bundle.mjs): one entry,
// chosen at build time.

let main;
try {
  ({ main } = await import('../dist/bin/timerstack.mjs'));
} catch (err) {
  // Node reads timerstack's own files to start: with almost no fds left, say so in one line.
  if (err?.code !== 'EMFILE' && err?.code !== 'ENFILE') throw err;
  process.stderr.write(`timerstack: too many open files (${err.code}) while starting: raise \`ulimit -n\`\n`);
  process.exit(125);
}

const result = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signals: process,
});
// As PID 1 a signal with its default action does not end the process: then the status says it.
process.exitCode = result.code;
if (result.signal) {
  process.removeAllListeners(result.signal);
  process.kill(process.pid, result.signal);
}
