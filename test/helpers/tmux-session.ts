// A real terminal for the tests that need one: an interactive bash (with job control) in a tmux
// pane on a server of its own (-L), driven with send-keys and read with capture-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

export class TmuxSession {
  private readonly socket: string;

  constructor(readonly name: string, width = 160, height = 40) {
    this.socket = `timerstack-test-${process.pid}-${name}`;
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), 'env', 'PS1=$ ', 'bash', '--norc', '--noprofile', '-i');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  // Types `text` and Enter.
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
    this.tmux('send-keys', '-t', this.name, 'Enter');
  }

  // Sends keys by tmux name: C-z, C-c, 'C-\\', Enter …
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  // What the pane shows (with its scrollback).
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-1000', '-t', this.name);
  }

  // Waits until the pane shows `pattern`; returns the screen then.
  async waitFor(pattern: RegExp, ms = 10_000): Promise<string> {
    const end = performance.now() + ms;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (performance.now() > end) throw new Error(`the pane never showed ${pattern}:\n${text}`);
      await sleep(20);
    }
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}
