// The completion scripts in real shells under tmux: bash, zsh and fish each load
// `timerstack completion SHELL`, and TAB completes commands, options, a command name after `--`,
// that command's file arguments, and the FILE of `run`. A shell that is not installed is skipped
// with the reason (.ci/run installs tmux, zsh and fish).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/binary.js';
import { which } from '../helpers/kernel.js';

const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-complete-'));
const binDir = path.join(dir, 'bin');
const work = path.join(dir, 'work');
mkdirSync(binDir);
mkdirSync(work);
// `timerstack` on PATH, as after npm i -g; a command name no other program starts with; files.
writeFileSync(path.join(binDir, 'timerstack'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
writeFileSync(path.join(binDir, 'tsprobe-unique-cmd'), '#!/bin/sh\n');
for (const f of ['timerstack', 'tsprobe-unique-cmd']) chmodSync(path.join(binDir, f), 0o755);
writeFileSync(path.join(work, 'zz-file-one.txt'), '');
writeFileSync(path.join(work, 'zz-table.txt'), 'a: every 1m\n');

const socket = `timerstack-complete-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
afterAll(() => {
  tmux('kill-server');
  rmSync(dir, { recursive: true, force: true });
});

const env = {
  HOME: dir,
  XDG_CONFIG_HOME: path.join(dir, 'config'),
  XDG_DATA_HOME: path.join(dir, 'data'),
  PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`,
  TERM: 'xterm',
  LANG: 'C.UTF-8',
};

// A shell in a tmux pane of its own.
class Pane {
  constructor(readonly name: string, command: string) {
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const r = tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '40', '-c', work, 'env', '-i', ...envArgs, ...command.split(' '));
    if (r.status !== 0) throw new Error(`tmux: ${r.stderr}`);
  }

  keys(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }

  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.name).stdout;
  }

  // Waits (polling the screen) until `test` holds; fails with the screen when it does not.
  async until(test: (screen: string) => boolean, what: string, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // Runs a line and waits for the marker it echoes, so what follows starts on a fresh prompt.
  async run(line: string): Promise<void> {
    const marker = `done-${Math.random().toString(36).slice(2)}`;
    this.type(`${line}; echo ${marker}`);
    this.keys('Enter');
    await this.until((s) => s.split('\n').some((l) => l.trim() === marker), `${line} to finish`);
  }

  // Types `typed`, presses TAB, and waits for the line to read `expected`; then clears it.
  async complete(typed: string, expected: string): Promise<void> {
    await this.run('clear');
    this.type(typed);
    this.keys('Tab');
    // tmux drops the spaces at the end of a line: a completed word's trailing space is not seen.
    await this.until((s) => s.includes(expected.trimEnd()), `"${typed}<TAB>" to become "${expected}"`);
    this.keys('C-c');
  }
}

const CASES: Array<[typed: string, expected: string]> = [
  ['timerstack ev', 'timerstack every '],
  ['timerstack every 1s --ove', 'timerstack every 1s --overlap '],
  ['timerstack every 1s --clock boo', 'timerstack every 1s --clock boottime'],
  ['timerstack every 1s -- tsprobe-u', 'timerstack every 1s -- tsprobe-unique-cmd '],
  ['timerstack every 1s --count 3 -- cat zz-f', 'timerstack every 1s --count 3 -- cat zz-file-one.txt'],
  ['timerstack run zz-t', 'timerstack run zz-table.txt'],
  ['timerstack completion fi', 'timerstack completion fish'],
];

const SHELLS: Array<{ shell: string; command: string; setup: string[] }> = [
  { shell: 'bash', command: 'bash --norc --noprofile', setup: ['source <(timerstack completion bash)'] },
  { shell: 'zsh', command: 'zsh -f', setup: ['autoload -Uz compinit && compinit -u -D', 'source <(timerstack completion zsh)'] },
  { shell: 'fish', command: 'fish --no-config', setup: ['set -g fish_autosuggestion_enabled 0', 'timerstack completion fish | source'] },
];

const haveTmux = which('tmux') !== undefined;
if (!haveTmux) console.warn('completion in real shells: skipped, tmux is not installed');

describe.each(SHELLS)('completion in $shell under tmux', ({ shell, command, setup }) => {
  const installed = haveTmux && which(shell) !== undefined;
  if (haveTmux && !installed) console.warn(`completion in ${shell}: skipped, ${shell} is not installed`);

  it.skipIf(!installed)('completes commands, options, choices, a command and its files after --, and run\'s FILE', async () => {
    const pane = new Pane(shell, command);
    for (const line of setup) await pane.run(line);
    for (const [typed, expected] of CASES) await pane.complete(typed, expected);
    tmux('kill-session', '-t', shell);
  }, 90_000);
});

describe('the scripts', () => {
  it.each(SHELLS.map((s) => s.shell))('%s: its syntax checks, and it calls the protocol for timerstack', (shell) => {
    const script = spawnSync(process.execPath, [BIN, 'completion', shell], { encoding: 'utf8' });
    expect(script.status).toBe(0);
    expect(script.stdout).toContain('--get-yargs-completions');
    expect(script.stdout).toContain(`TIMERSTACK_COMPLETE=${shell}`);
    if (which(shell) === undefined) return;
    const file = path.join(dir, `script.${shell}`);
    writeFileSync(file, script.stdout);
    const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
    expect([check.status, check.stderr]).toEqual([0, '']);
  });
});
