// --help and completion through the real bin: exit statuses, and the bash completion script
// sourced in a real bash, with COMP_WORDS set as bash sets them on TAB.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, baseEnv, timerstack } from '../helpers/binary.js';

describe('timerstack --help', () => {
  it('prints the help and exits 0', async () => {
    const r = await timerstack(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^timerstack once DURATION /);
    expect(r.stdout).toContain('Exit status:');
    expect(r.stderr).toBe('');
  });

  it('prints the help for a command (every --help, help every) and exits 0', async () => {
    for (const args of [['every', '--help'], ['help', 'every'], ['every', '5s', '-h']]) {
      const r = await timerstack(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^timerstack every INTERVAL /);
      expect(r.stdout).toContain('--overlap POLICY');
    }
  });

  it('an unknown topic is a usage error', async () => {
    const r = await timerstack(['help', 'frobnicate']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^timerstack: unknown command "frobnicate"/);
  });
});

describe('bash completion, in bash', () => {
  let dir: string;
  beforeAll(() => {
    // `timerstack` on PATH, as the script expects it to be.
    dir = mkdtempSync(join(tmpdir(), 'timerstack-completion-'));
    const shim = join(dir, 'timerstack');
    writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(shim, 0o755);
    writeFileSync(join(dir, 'zz-one.txt'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // COMPREPLY after TAB on `line` (the last word is the one being completed).
  function complete(...words: string[]): string[] {
    const script = [
      'source <(timerstack completion) || exit 3',
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      '_timerstack_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const env = baseEnv({ PATH: `${dir}:${process.env.PATH ?? ''}` });
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env, cwd: dir, encoding: 'utf8', timeout: 15_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  it('registers itself for timerstack', () => {
    const env = baseEnv({ PATH: `${dir}:${process.env.PATH ?? ''}` });
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', 'source <(timerstack completion) && complete -p timerstack'], { env, encoding: 'utf8' });
    expect(r.stdout).toMatch(/-F _timerstack_complete timerstack/);
  });

  it('completes commands, options and choices', () => {
    expect(complete('timerstack', 'ev')).toEqual(['every']);
    expect(complete('timerstack', 'every', '5s', '--ov')).toEqual(['--overlap']);
    expect(complete('timerstack', 'every', '5s', '--overlap', 'r')).toEqual(['restart']);
    expect(complete('timerstack', 'at', '18:00', '--clock', 'real')).toEqual(['realtime', 'realtime-alarm']);
    expect(complete('timerstack', 'every', '5s', '--clock', '=', 'boot')).toEqual(['boottime', 'boottime-alarm']);
  });

  it('after --: command names, then files; for run FILE: files', () => {
    expect(complete('timerstack', 'every', '5s', '--', 'ech')).toContain('echo');
    expect(complete('timerstack', 'every', '5s', '--', 'cat', 'zz-')).toEqual(['zz-one.txt']);
    expect(complete('timerstack', 'run', 'zz-')).toEqual(['zz-one.txt']);
  });
});
