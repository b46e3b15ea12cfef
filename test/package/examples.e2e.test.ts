// Every script in examples/ runs as a user would run it: against the packed package installed
// into a fresh project (`import 'timerstack'`, `timerstack` on PATH), exits 0, and prints what
// its header says. A new example needs its row here.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/kernel.js';
import { packAndInstall, type Packed } from './packed.js';

let pkg: Packed;
beforeAll(() => {
  pkg = packAndInstall();
  cpSync(path.join(repoRoot, 'examples'), path.join(pkg.project, 'examples'), { recursive: true });
}, 60_000);
afterAll(() => pkg?.cleanup());

// How each example is run, and what its output must match.
const EXAMPLES: Record<string, { run: string; output: RegExp; stderr?: RegExp }> = {
  'wait-once.mjs': { run: 'node examples/wait-once.mjs', output: /^fired: tick 1, \d+ µs after it was due\n$/ },
  'heartbeat.mjs': { run: 'node examples/heartbeat.mjs', output: /^(tick \d( \(\d missed\))?\n)+done\n$/ },
  'abort.mjs': { run: 'node examples/abort.mjs', output: /^(tick \d+\n)*stopped: enough\n$/ },
  'many-timers.mjs': { run: 'node examples/many-timers.mjs', output: /^10000 timers on 10 timerfds\n10000 timers fired twice\n$/ },
  'ndjson.mjs': { run: 'node examples/ndjson.mjs | node examples/validate-events.mjs', output: /^[1-3] events, each of a kind the schema knows\n$/ },
  'validate-events.mjs': { run: 'timerstack every 10ms --count 3 --json | node examples/validate-events.mjs', output: /^[1-3] events, each of a kind the schema knows\n$/ },
  'run-a-command.sh': { run: 'sh examples/run-a-command.sh', output: /^run 1 of timer\nrun 2 of timer\nrun 3 of timer\nonce exited 3\n$/, stderr: /^timerstack: timer tick 1: exit 3 after \d+ms \(status 3\)\n$/ },
  'run-a-table.sh': { run: 'sh examples/run-a-table.sh', output: /^fast: every .*\nslow: every .*\nonce: once .*\n4\n$/ },
  'timers.txt': { run: 'timerstack run examples/timers.txt --check', output: /^fast: every on monotonic, first in 50ms, then every 50ms, 4 times, prints events\n/ },
};

describe('examples/', () => {
  it('has a row here for every file in it', () => {
    expect(readdirSync(path.join(repoRoot, 'examples')).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it.each(Object.entries(EXAMPLES))('%s runs and prints what it says', (_file, { run, output, stderr }) => {
    const env = { ...process.env, PATH: `${path.join(pkg.project, 'node_modules/.bin')}:${path.dirname(process.execPath)}:${process.env.PATH}` };
    const r = spawnSync('sh', ['-c', run], { cwd: pkg.project, env, encoding: 'utf8', timeout: 20_000 });
    if (stderr) expect(r.stderr).toMatch(stderr);
    else expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(output);
  });
});
