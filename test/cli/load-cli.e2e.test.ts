// bin/load-cli.js: the CLI script compiled from the code cache the build wrote, in a fresh node as
// the launcher runs it; and a cache V8 does not take (other flags, damaged) costs only the cache.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/kernel.js';

const loader = path.join(repoRoot, 'bin', 'load-cli.js');

// Runs an ES module snippet in a fresh node (with `flags` before it), from the repository.
function node(code: string, flags: string[] = []) {
  return spawnSync(process.execPath, [...flags, '--input-type=module', '-e', code], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
}

// compileCli's arguments are `args`; then main(['--version']), whose line comes first.
const probe = (args: string) => `
  import { compileCli, runCli } from ${JSON.stringify(loader)};
  const { script, cached } = compileCli(${args});
  const { main } = runCli(script);
  const { code } = await main(['--version'], { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, signals: process });
  console.log(JSON.stringify({ cached, code }));`;

// What the probe printed: the version line, then its JSON line.
function result(r: { stdout: string; stderr: string }): { cached: boolean; code: number; version: string } {
  expect(r.stderr).toBe('');
  const [version, json] = r.stdout.trim().split('\n');
  return { ...JSON.parse(json!), version };
}

describe('load-cli', () => {
  it('compiles the CLI from the cache the build wrote, in a node started as the launcher starts it', () => {
    const cache = path.join(repoRoot, 'dist', 'bin', 'timerstack.cjs.cache');
    expect(statSync(cache).size).toBeGreaterThan(100_000);
    expect(result(node(probe('')))).toMatchObject({ cached: true, code: 0 });
  });

  it('runs the CLI the same from a damaged cache, which V8 rejects', () => {
    const damaged = result(node(probe("undefined, Buffer.from('not a code cache, only bytes')")));
    expect(damaged).toMatchObject({ cached: false, code: 0 });
    expect(damaged.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs the CLI under other V8 flags, where the cache does not apply', () => {
    expect(result(node(probe(''), ['--no-opt']))).toMatchObject({ cached: false, code: 0 });
    // And the launcher itself, under a V8 flag, arms and fires a timer.
    const once = spawnSync(process.execPath, ['--stack-size=2000', path.join(repoRoot, 'bin', 'timerstack.js'), 'once', '0', '--json'], { encoding: 'utf8' });
    expect(once.status).toBe(0);
    expect(JSON.parse(once.stdout)).toMatchObject({ event: 'tick', tick: 1 });
  });
});
