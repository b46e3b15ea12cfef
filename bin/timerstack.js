#!/usr/bin/env node
// A thin launcher: run main, then end with its status — or by the signal that stopped it.
import { main } from '../dist/cli.js';

const result = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signals: process,
});
if (result.signal) {
  process.removeAllListeners(result.signal);
  process.kill(process.pid, result.signal);
} else {
  process.exitCode = result.code;
}
