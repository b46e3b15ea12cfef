// A real terminal for tests: a detached tmux session running a plain shell (no rc files, no line
// editing), what its programs write captured raw (pipe-pane) and as the screen shows it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function tmuxMissing(): string | undefined {
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'tmux is not installed (.ci/run installs it)';
}

export class Terminal {
  private readonly socket = `timerstack-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'timerstack-tmux-'));
  private readonly rawFile = path.join(this.dir, 'raw');

  constructor(env: Record<string, string> = {}, size = { columns: 100, rows: 20 }) {
    // HISTFILE empty: the shell, hung up by kill-server, would otherwise write its history into
    // the directory while close() removes it (ENOTEMPTY on a loaded machine).
    const vars = Object.entries({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.dir, TERM: 'xterm', PS1: '$ ', HISTFILE: '', ...env });
    const shell = ['env', '-i', ...vars.map(([k, v]) => `${k}=${v}`), 'bash', '--norc', '--noprofile', '--noediting'];
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), shell.map(shellQuote).join(' '));
    this.tmux('pipe-pane', '-t', 'main', '-o', `cat >> ${shellQuote(this.rawFile)}`);
  }

  // Types a command line and Enter.
  type(line: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', line);
    this.tmux('send-keys', '-t', 'main', 'Enter');
  }

  // What the screen shows, line by line.
  screen(): string {
    return this.tmux('capture-pane', '-t', 'main', '-p');
  }

  // Every byte written to the terminal since it started.
  raw(): string {
    try {
      return readFileSync(this.rawFile, 'latin1');
    } catch {
      return '';
    }
  }

  close(): void {
    this.tmux('kill-server');
    // pipe-pane's cat may still be writing its last bytes as the server goes.
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }

  private tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0 && args[0] !== 'kill-server') throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
