// Writes the CLI script's V8 code cache (dist/bin/timerstack.cjs.cache), which bin/load-cli.js
// gives V8 at start-up, then checks in a fresh node that V8 takes it.
//
// The cache is made in a child process that runs `once 0` and `once 0 --json` (their output
// thrown away) and then asks V8 for the cache, so it holds the bytecode of what a start-up runs,
// not only the script's top level. V8 rejects a cache made under other V8 flags, and the CLI sets
// flags as it starts serving (cli/tier-up.ts); in the child that call does nothing, so the cache
// matches the flags a plain `node` starts with.
//
// The cache is made for the Node that builds (a published tarball's for its publisher's): any
// other Node rejects it and compiles the script without it, as if there were none.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cacheUrl, compileCli, runCli } from '../bin/load-cli.js';

const self = fileURLToPath(import.meta.url);
const mode = process.argv[2];

if (mode === '--make') {
  // The parent removed the cache file first, so this compiles the script without one.
  const { script } = compileCli();
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString = () => {};
  const { main } = runCli(script);
  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, signals: process };
  for (const argv of [['once', '0'], ['once', '0', '--json']]) {
    const { code } = await main(argv, io);
    if (code !== 0) throw new Error(`code-cache: timerstack ${argv.join(' ')} gave status ${code}`);
  }
  writeFileSync(cacheUrl(), script.createCachedData());
} else if (mode === '--check') {
  process.stdout.write(compileCli().cached ? 'taken' : 'rejected');
} else {
  rmSync(cacheUrl(), { force: true });
  const make = spawnSync(process.execPath, [self, '--make'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (make.status !== 0) throw new Error(`code-cache: making the cache failed (status ${make.status}, signal ${make.signal})`);
  const check = spawnSync(process.execPath, [self, '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (check.stdout !== 'taken') {
    rmSync(cacheUrl(), { force: true });
    throw new Error(`code-cache: a fresh node did not take the cache (${check.stdout || `status ${check.status}`})`);
  }
}
