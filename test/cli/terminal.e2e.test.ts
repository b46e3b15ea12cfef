// At a real terminal (tmux): the countdown is erased before any line lands on its row (an
// event, a command's output, a report on stderr; once and at), and TERM=dumb gets no escapes.
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, waitFor } from '../helpers/binary.js';
import { Terminal, tmuxMissing } from '../helpers/terminal.js';

const missing = tmuxMissing();
if (missing) console.log(`terminal tests skipped: ${missing}`);

let term: Terminal | undefined;
afterEach(() => {
  term?.close();
  term = undefined;
});

const TS = `${process.execPath} ${BIN}`;
const DONE = /__done:(\d+)/;

// Runs one command line at the terminal until it prints its status; returns what it wrote.
async function atTerminal(line: string, env: Record<string, string> = {}): Promise<{ raw: string; screen: string; status: number }> {
  term = new Terminal(env);
  term.type(`${line}; echo __done:$?`);
  await waitFor(() => DONE.test(term!.screen()), 15_000);
  const screen = term.screen();
  return { raw: term.raw(), screen, status: Number(DONE.exec(screen)![1]) };
}

// The countdown drew at least once, and every time a line followed it, the line was erased
// first: "left" is only ever followed by another redraw's \r.
function checkCleared(raw: string): void {
  expect(raw).toMatch(/00:0\d\.\d(\x1b\[39m)? left/);
  expect(raw).not.toMatch(/ left[^\r]/);
}

describe.skipIf(missing !== undefined)('the countdown at a terminal', () => {
  it('once without a command: cleared before the event line', async () => {
    const r = await atTerminal(`${TS} once 700ms`);
    expect(r.status).toBe(0);
    checkCleared(r.raw);
    expect(r.screen).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} timer tick 1$/m);
  });

  it('once with a command: cleared before the command writes', async () => {
    const r = await atTerminal(`${TS} once 700ms -- echo line1`);
    expect(r.status).toBe(0);
    checkCleared(r.raw);
    expect(r.screen).toMatch(/^line1$/m);
  });

  it('at: cleared before the command writes', async () => {
    const r = await atTerminal(`${TS} at +700ms -- echo at-line`);
    expect(r.status).toBe(0);
    checkCleared(r.raw);
    expect(r.screen).toMatch(/^at-line$/m);
  });

  it('cleared before a report on stderr (a failed run)', async () => {
    const r = await atTerminal(`${TS} once 700ms -- false`);
    expect(r.status).toBe(1);
    checkCleared(r.raw);
    expect(r.screen).toMatch(/^timerstack: timer tick 1: exit 1 after \d+ms$/m);
  });

  it('TERM=dumb: no escape sequence at all, and no countdown', async () => {
    const r = await atTerminal(`${TS} once 500ms -- echo plain`, { TERM: 'dumb' });
    expect(r.status).toBe(0);
    expect(r.screen).toMatch(/^plain$/m);
    // Only what the shell and timerstack wrote: not one ESC, and no countdown.
    expect(r.raw).not.toMatch(/\x1b/);
    expect(r.raw).not.toMatch(/ left/);
  });
});
