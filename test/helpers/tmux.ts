// A real terminal for end-to-end tests: a tmux server of the test's own (its own socket, no
// config), one pane running a shell line, read back with capture-pane. The pane stays after its
// command ends (remain-on-exit), so the screen it left can be read.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
export const HAS_TMUX = TMUX.status === 0;
if (!HAS_TMUX) console.log('tmux is not installed: the terminal tests are skipped (apt-get install tmux; .ci/run installs it)');

let sessions = 0;
let configFile: string | undefined;

// The server's whole configuration: panes stay when their command ends. Read when the server
// starts, so it holds before the command can end.
function config(): string {
  if (!configFile) {
    configFile = join(mkdtempSync(join(tmpdir(), 'timerstack-tmux-')), 'tmux.conf');
    writeFileSync(configFile, 'set-option -g remain-on-exit on\n');
  }
  return configFile;
}

export class TmuxPane {
  readonly socket = `timerstack-test-${process.pid}-${++sessions}`;

  constructor(
    // A shell line (sh -c), run in the pane.
    command: string,
    size = { width: 80, height: 24 },
    env: Record<string, string> = {},
  ) {
    const exports = Object.entries({ LANG: 'C.UTF-8', ...env }).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const line = `env ${exports} sh -c ${shellQuote(command)}`;
    this.tmux('-f', config(), 'new-session', '-d', '-s', 'main', '-x', String(size.width), '-y', String(size.height), line);
  }

  // The screen as text, one string per row (trailing spaces dropped).
  rows(): string[] {
    return this.tmux('capture-pane', '-p', '-t', 'main').replace(/\n$/, '').split('\n').map((r) => r.trimEnd());
  }

  // Everything the pane has shown that is still there, its history included, without blank
  // rows and tmux's own "Pane is dead" line. (Leaving the alternate screen in a detached tmux
  // 3.3 sometimes scrolls the restored rows into the history: they are there, one row up.)
  transcript(): string[] {
    return this.tmux('capture-pane', '-p', '-S', '-', '-t', 'main')
      .split('\n')
      .map((r) => r.trimEnd())
      .filter((r) => r !== '' && !r.startsWith('Pane is dead'));
  }

  // The screen with its attributes as escape sequences (reverse video is \e[7m).
  withAttributes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', 'main');
  }

  // A tmux format for the pane: #{alternate_on}, #{cursor_flag}, #{pane_dead_status} …
  show(format: string): string {
    return this.tmux('display-message', '-p', '-t', 'main', format).trim();
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(width), '-y', String(height));
  }

  // Polls until `predicate` holds for the screen (every 20 ms); fails with the screen it saw.
  async until(predicate: (rows: string[]) => boolean, what: string, timeoutMs = 10_000): Promise<string[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const rows = this.rows();
      if (predicate(rows)) return rows;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen:\n${rows.join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }

  private tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-u', '-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
