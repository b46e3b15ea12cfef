// `every --watch` in a real terminal (tmux): the header, redraws, --differences, the two exits,
// resizing, the drift-free grid, and a terminal given back as it was with nothing left running.
// Outside a terminal it is refused (the real binary in a pipe).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, lines, timerstack } from '../helpers/binary.js';
import { HAS_TMUX, TmuxPane, shellQuote } from '../helpers/tmux.js';
import { alive } from '../helpers/procs.js';

const dir = mkdtempSync(join(tmpdir(), 'timerstack-watch-'));
const panes: TmuxPane[] = [];
afterEach(() => {
  for (const pane of panes.splice(0)) pane.kill();
});

// A pane that prints "before", runs timerstack with `args`, prints its exit status, and stays
// (a dead pane's cursor is tmux's, not the one timerstack left).
function watch(args: string[], size = { width: 80, height: 24 }, env: Record<string, string> = {}): TmuxPane {
  // The shell survives the Ctrl-C that its command ends by (a trap, which its children do not
  // inherit), to print the status.
  const line = ["trap ':' INT; echo before;", shellQuote(process.execPath), shellQuote(BIN), ...args.map(shellQuote), '; echo "exit=$?"; exec sleep 600'].join(' ');
  const pane = new TmuxPane(line, size, env);
  panes.push(pane);
  return pane;
}

const HEADER = /^Every (\S+): (.*?) +(?:running · )?tick (\d+) · (exit \d+|\S+ \(\d+\)) · \d+(?:ms|\.\d\ds) · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;


describe.skipIf(!HAS_TMUX)('every --watch in a terminal', () => {
  it('shows the output full-screen under a header, redrawn on every tick', async () => {
    const pane = watch(['every', '300ms', '--watch', '--shell', '--', 'echo "line $TIMERSTACK_TICK"; echo second'], { width: 120, height: 24 });
    const rows = await pane.until((r) => r[2] === 'line 3', 'the third run');
    const header = HEADER.exec(rows[0]!);
    expect(header, rows[0]).not.toBeNull();
    expect(header!.slice(1, 5)).toEqual(['300ms', 'echo "line $TIMERSTACK_TICK"; echo second', '3', 'exit 0']);
    expect(rows[1]).toBe('');
    expect(rows[3]).toBe('second');
    // the shell's screen is put away while watching: "before" is not on this one
    expect(rows).not.toContain('before');
    expect(pane.show('#{alternate_on} #{cursor_flag}')).toBe('1 0');
    await pane.until((r) => r[2] === 'line 4', 'a redraw');
    pane.keys('C-c');
    await pane.until((r) => r.includes('exit=130'), 'the exit');
  });

  it('Ctrl-C: the terminal back as it was, the shell\'s screen, status 130, nothing left running', async () => {
    const pids = join(dir, 'ctrl-c.pids');
    // a run that is still going (with a child in its process group) when Ctrl-C comes
    const pane = watch(['every', '200ms', '--watch', '--kill-after', '500ms', '--shell', '--', `echo $$ >> ${pids}; sleep 60 & echo $! >> ${pids}; wait`]);
    await pane.until((r) => /tick 1 running/.test(r[0] ?? '') && existsSync(pids) && readFileSync(pids, 'utf8').trim().split('\n').length === 2, 'the first run');
    pane.keys('C-c');
    await pane.until((r) => r.includes('exit=130'), 'the exit');
    // the shell's screen as it was, and no output left on it after a signal, no header
    expect(pane.transcript()).toEqual(['before', 'exit=130']);
    expect(pane.show('#{alternate_on} #{cursor_flag}')).toBe('0 1');
    for (const pid of readFileSync(pids, 'utf8').trim().split('\n').map(Number)) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it('--differences: what changed since the run before in reverse video, and only that', async () => {
    const pane = watch(['every', '300ms', '--watch', '--differences', '--shell', '--', 'echo "count $((TIMERSTACK_TICK % 10)) fixed"']);
    await pane.until((r) => r[2] === 'count 3 fixed', 'the third run');
    const body = pane.withAttributes().split('\n')[2]!;
    // "count " and " fixed" plain, the digit reversed
    expect(body).toMatch(/^count \x1b\[7m\d\x1b\[(?:0|27)m.* fixed/);
    expect(body.replace(/\x1b\[[0-9;]*m/g, '')).toBe('count 3 fixed');
    pane.keys('C-c');
    await pane.until((r) => r.includes('exit=130'), 'the exit');
    const plain = watch(['every', '300ms', '--watch', '--shell', '--', 'echo "count $TIMERSTACK_TICK"']);
    await plain.until((r) => r[2] === 'count 3', 'the third run without --differences');
    expect(plain.withAttributes().split('\n')[2]).not.toMatch(/\x1b\[7m/);
    plain.keys('C-c');
  });

  it('--exit-on-change: exits 0 when the visible output changes, leaving it on the shell\'s screen', async () => {
    const pane = watch(['every', '200ms', '--watch', '--exit-on-change', '--shell', '--', '[ "$TIMERSTACK_TICK" -ge 4 ] && echo changed || echo same']);
    await pane.until((r) => r.includes('exit=0'), 'the exit');
    expect(pane.transcript()).toEqual(['before', 'changed', 'timerstack: the output changed at tick 4', 'exit=0']);
    expect(pane.show('#{alternate_on} #{cursor_flag}')).toBe('0 1');
  });

  it('--exit-on-error: exits with the failed run\'s status', async () => {
    const pane = watch(['every', '200ms', '--watch', '--exit-on-error', '--shell', '--', 'echo "run $TIMERSTACK_TICK"; [ "$TIMERSTACK_TICK" -lt 3 ] || exit 7']);
    await pane.until((r) => r.some((l) => l.startsWith('exit=')), 'the exit');
    expect(pane.transcript()).toEqual(['before', 'run 3', 'timerstack: tick 3 failed with status 7', 'exit=7']);
    expect(pane.show('#{alternate_on} #{cursor_flag}')).toBe('0 1');
  });

  it('redraws at the new size when the terminal is resized', async () => {
    const pane = watch(['every', '5s', '--watch', '--', 'printf', '%s\\n', 'x'.repeat(60)], { width: 80, height: 10 });
    let rows = await pane.until((r) => r[2] === 'x'.repeat(60), 'the first run');
    expect(rows[0]!.length).toBeLessThanOrEqual(80);
    // no new run comes within 5s: what follows is the redraw, not a tick
    pane.resize(40, 8);
    // tmux itself reflows the old screen at once; our frame is the one with a header that fits
    rows = await pane.until(
      (r) => /^Every 5s: .*… tick \d+ · exit 0 · /.test(r[0]!) && r[0]!.length <= 40 && r[1] === '' && r[2] === 'x'.repeat(40),
      'the redraw at 40 columns',
    );
    expect(rows.slice(3)).toEqual(['x'.repeat(20), '', '', '', '']);
    pane.keys('C-c');
    await pane.until((r) => r.includes('exit=130'), 'the exit');
  });

  it('runs on the drift-free grid: each tick one interval after the last, however long the run', async () => {
    const log = join(dir, 'grid.log');
    // each run takes 150 ms of a 400 ms interval: watch's default period would be 550 ms
    const pane = watch(['every', '400ms', '--watch', '--count', '4', '--shell', '--', `echo "$TIMERSTACK_SCHEDULED" >> ${log}; sleep 0.15; echo ok`]);
    await pane.until((r) => r.includes('exit=0'), 'the end after 4 ticks');
    // --count ends it as every does, and the last output stays on the screen
    expect(pane.transcript()).toEqual(['before', 'ok', 'exit=0']);
    const scheduled = lines(readFileSync(log, 'utf8')).map(isoNs);
    expect(scheduled).toHaveLength(4);
    for (let i = 1; i < scheduled.length; i++) expect(scheduled[i]! - scheduled[i - 1]!).toBe(400_000_000n);
  });

  it('refuses TERM=dumb in one line, with status 125', async () => {
    const pane = watch(['every', '1s', '--watch', '--', 'date'], { width: 120, height: 10 }, { TERM: 'dumb' });
    await pane.until((r) => r.some((l) => l.startsWith('exit=')), 'the exit');
    expect(pane.transcript()).toEqual(['before', 'timerstack: --watch needs a terminal that can move its cursor (TERM is "dumb") (see \'timerstack --help\')', 'exit=125']);
  });
});

// An ISO 8601 UTC instant with up to 9 fraction digits, as ns since the epoch.
function isoNs(iso: string): bigint {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(iso)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

describe('every --watch outside a terminal', () => {
  it('is refused in a pipe with one line, status 125, nothing run', async () => {
    const marker = join(dir, 'pipe-ran');
    const r = await timerstack(['every', '100ms', '--watch', '--', 'touch', marker]);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("timerstack: --watch needs a terminal on standard output (it redraws the screen); in a pipe, use every without --watch (see 'timerstack --help')\n");
  });

  it.each([
    [['every', '1s', '--differences', '--', 'date'], '--differences needs --watch'],
    [['every', '1s', '--exit-on-error', '--', 'date'], '--exit-on-error needs --watch (without it, --fail-fast)'],
    [['every', '1s', '--watch'], '--watch needs a command after --'],
    [['every', '1s', '--watch', '--json', '--', 'date'], '--watch cannot be combined with --json (the screen shows the runs)'],
    [['once', '1s', '--watch', '--', 'date'], 'option --watch does not apply to once'],
  ])('%j is refused', async (args, message) => {
    const r = await timerstack(args);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(`timerstack: ${message} (see 'timerstack --help')\n`);
  });

  it('--dry-run shows the plan: the first run at once', async () => {
    const r = await timerstack(['every', '2s', '--watch', '--dry-run', '--', 'df', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('timer: every on monotonic, first in 0s, then every 2s, runs "df" "-h", overlap skip, on a full screen\n');
  });

  it('shell completion knows the options', async () => {
    expect(lines((await timerstack(['--get-yargs-completions', 'timerstack', 'every', '2s', '--wa'])).stdout)).toEqual(['--watch']);
    expect(lines((await timerstack(['--get-yargs-completions', 'timerstack', 'every', '2s', '--exit-on-'])).stdout)).toEqual(['--exit-on-change', '--exit-on-error']);
    expect(lines((await timerstack(['--get-yargs-completions', 'timerstack', 'once', '2s', '--wa'])).stdout)).toEqual([]);
  });
});
