// The `run` table grammar: shell-like splitting, names, refusals with FILE:LINE, reload diffs.
import { describe, expect, it } from 'vitest';
import { decodeTable, diffTable, parseTable, splitLine } from '../../src/kinds/table.js';
import { refusalOf } from '../helpers/refusal.js';

const S = 1_000_000_000n;
const MS = 1_000_000n;
// 2026-11-27T12:00:00Z, in UTC.
const time = { nowNs: 1_795_780_800n * S, utcOffsetNs: 0n };

function refusal(fn: () => unknown): string {
  return refusalOf(fn).message;
}

const table = (text: string, source = 'timers.txt') => parseTable(text, source, time);

describe('splitLine', () => {
  it.each([
    ['', []],
    ['   \t  ', []],
    ['every 5s', ['every', '5s']],
    ['  every\t5s  ', ['every', '5s']],
    ['# a comment', []],
    ['every 5s # trailing comment', ['every', '5s']],
    ['every 5s #', ['every', '5s']],
    ['-- curl http://x/#frag', ['--', 'curl', 'http://x/#frag']],
    ["-- echo 'a b' \"c d\"", ['--', 'echo', 'a b', 'c d']],
    ["-- echo '#not a comment'", ['--', 'echo', '#not a comment']],
    ['-- echo \\#x', ['--', 'echo', '#x']],
    ["-- echo ''", ['--', 'echo', '']],
    ['-- echo ""', ['--', 'echo', '']],
    ["-- echo a'b c'd", ['--', 'echo', 'ab cd']],
    ["-- echo '$HOME' \"$HOME\" $HOME ~ *", ['--', 'echo', '$HOME', '$HOME', '$HOME', '~', '*']],
    ["-- echo 'it''s'", ['--', 'echo', 'its']],
    ["-- echo \"it's\"", ['--', 'echo', "it's"]],
    ["-- echo 'a\\b'", ['--', 'echo', 'a\\b']],
    ['-- echo "a\\"b" "c\\\\d" "\\$x" "\\`y" "\\n"', ['--', 'echo', 'a"b', 'c\\d', '$x', '`y', '\\n']],
    ['-- echo a\\ b c\\"d \\\'e', ['--', 'echo', 'a b', 'c"d', "'e"]],
    ['-- sh -c "echo \\"$TIMERSTACK_TIMER\\" > /dev/null"', ['--', 'sh', '-c', 'echo "$TIMERSTACK_TIMER" > /dev/null']],
    ['-- notify-send "go home"', ['--', 'notify-send', 'go home']],
    ['-- echo ünïcödé "😀 x"', ['--', 'echo', 'ünïcödé', '😀 x']],
  ])('%j', (line, words) => {
    expect(splitLine(line)).toEqual(words);
  });

  it.each([
    ["-- echo 'open", /unterminated single quote \(the ' at column 9\)/],
    ['-- echo "open', /unterminated double quote \(the " at column 9\)/],
    ['-- echo "a\\"', /unterminated double quote/],
    ['-- echo a\\', /backslash at the end of the line/],
  ])('refuses %j', (line, message) => {
    expect(refusal(() => splitLine(line))).toMatch(message);
  });
});

describe('parseTable', () => {
  it('reads the example table of the issue', () => {
    const entries = table(
      [
        '# name     spec and options (the same grammar as the command line)   -- command',
        'backup:    every 6h --jitter 10m                                      -- ./backup.sh',
        'heartbeat: every 5s --overlap skip                                    -- curl -fsS http://localhost:8080/ping',
        'deadline:  at 18:00                                                   -- notify-send "go home"',
        'tick:      every 1s',
        '',
      ].join('\n'),
    );
    expect(entries.map((e) => [e.line, e.name])).toEqual([
      [2, 'backup'],
      [3, 'heartbeat'],
      [4, 'deadline'],
      [5, 'tick'],
    ]);
    const [backup, heartbeat, deadline, tick] = entries.map((e) => e.spec);
    expect(backup).toMatchObject({ kind: 'every', intervalNs: 6n * 3600n * S, jitterNs: 600n * S, command: ['./backup.sh'] });
    expect(heartbeat).toMatchObject({ overlap: 'skip', command: ['curl', '-fsS', 'http://localhost:8080/ping'] });
    expect(deadline).toMatchObject({ kind: 'at', clock: 'realtime', atNs: time.nowNs + 6n * 3600n * S, command: ['notify-send', 'go home'] });
    expect(tick).toMatchObject({ name: 'tick', kind: 'every', intervalNs: S });
    expect(tick!.command).toBeUndefined();
  });

  it('names unnamed lines line-N, after their line number', () => {
    const entries = table('\n# c\nevery 1s\n  once 2s --clock boottime\nx: at 13:00\n');
    expect(entries.map((e) => e.name)).toEqual(['line-3', 'line-4', 'x']);
    expect(entries[1]!.spec).toMatchObject({ name: 'line-4', clock: 'boottime', delayNs: 2n * S });
  });

  it('takes --name as the name, and each spec keeps its own options', () => {
    const [a, b] = table('every 250ms --name fast --count 3 --overlap queue -- true\nslow: every 1h --for 1d --timeout 5m -- false');
    expect(a!.spec).toMatchObject({ name: 'fast', intervalNs: 250n * MS, count: 3, overlap: 'queue' });
    expect(b!.spec).toMatchObject({ name: 'slow', forNs: 86_400n * S, timeoutNs: 300n * S, overlap: 'skip' });
  });

  it('accepts CRLF line ends and a table without a final newline', () => {
    expect(table('a: every 1s\r\nb: once 2s\r\n').map((e) => e.name)).toEqual(['a', 'b']);
    expect(table('a: every 1s').map((e) => e.name)).toEqual(['a']);
  });

  it('keys a line by its words, not its spacing or comments', () => {
    const [a] = table('a:   every  5s   -- echo "x y"   # one');
    const [b] = table("a: every 5s -- echo 'x y'");
    const [c] = table('a: every 5s -- echo x y');
    expect(a!.key).toBe(b!.key);
    expect(a!.key).not.toBe(c!.key);
  });

  it.each([
    ['a: every 1s\nb: every 5x\n', 'timers.txt:2: unknown unit "x" in "5x"'],
    ['\n\nonce\n', 'timers.txt:3: once: missing DURATION'],
    ['every 0s\n', 'timers.txt:1: INTERVAL: must be greater than 0'],
    // Not a timer line: nothing of it is quoted (a table may be a symlink to another file).
    ['sometimes 5s\n', 'timers.txt:1: not a timer line (a line is "[NAME:] once|every|at|cron|calendar SPEC [options] [-- COMMAND]", or a crontab line)'],
    ['run x\n', 'timers.txt:1: not a timer line'],
    ['backup every 6h\n', 'timers.txt:1: not a timer line'],
    ['root:x:0:0:root:/root:/bin/bash\n', 'timers.txt:1: not a timer line'],
    ['root:$6$salt$hash:19000:0:99999:7:::\n', 'timers.txt:1: missing timer after the name (once, every, at, cron, calendar)'],
    ['every 1s --json\n', 'timers.txt:1: option --json belongs on the command line, not in a table line'],
    ['every 1s --check\n', 'timers.txt:1: option --check does not apply to every'],
    ['every 1s -q\n', 'timers.txt:1: option --quiet belongs on the command line'],
    ['every 1s --bogus\n', 'timers.txt:1: unknown option "--bogus"'],
    ['once 1s --count 3\n', 'timers.txt:1: option --count does not apply to once'],
    ['every 1s --count 0\n', 'timers.txt:1: --count: must be a positive integer'],
    ['every 1s --jitter soon\n', 'timers.txt:1: --jitter: '],
    ['every 1s 2s\n', 'timers.txt:1: unexpected argument "2s"'],
    ['every 1s --\n', 'timers.txt:1: "--" with no command after it'],
    ['at 25:00\n', 'timers.txt:1: '],
    ['every 1s --shell\n', 'timers.txt:1: --shell needs a command after --'],
    ['b@d: every 1s\n', 'timers.txt:1: bad timer name "b@d:"'],
    [':  every 1s\n', 'timers.txt:1: bad timer name ":"'],
    ['a:\n', 'timers.txt:1: missing timer after the name (once, every, at, cron, calendar)'],
    ['every 1s --name "x y"\n', 'timers.txt:1: --name: bad timer name "x y"'],
    ['every 1s --name a:b\n', 'timers.txt:1: --name: bad timer name "a:b"'],
    ['"my timer": every 1s\n', 'timers.txt:1: bad timer name "my timer:"'],
    ['a: every 1s --name b\n', 'timers.txt:1: name given twice ("a:" and --name "b")'],
    ["a: every 1s -- echo 'x\n", 'timers.txt:1: unterminated single quote'],
    ['a: every 1s\nb: every 2s\na: once 1s\n', 'timers.txt:3: duplicate name "a" (first on line 1)'],
    ['line-2: every 1s\nevery 2s\n', 'timers.txt:2: duplicate name "line-2" (first on line 1)'],
    ['a: every 1s\nb: every 1s -- echo \u0007\n', 'timers.txt:2: control character U+0007 (is this a binary file?)'],
    ['a: every 1s\n\0\0\0', 'timers.txt:2: control character U+0000'],
    ['a: every 1s\rb: every 2s\n', 'timers.txt:1: control character U+000D'],
  ])('refuses %j', (text, message) => {
    expect(refusal(() => table(text))).toContain(message);
  });

  it('refuses the whole table at the first bad line', () => {
    expect(refusal(() => table('a: every 1s\nb: every x\nc: every y\n'))).toMatch(/^timers\.txt:2: /);
  });

  it('refuses an empty table, naming it', () => {
    expect(refusal(() => table(''))).toBe('no timers in timers.txt');
    expect(refusal(() => table('# only comments\n\n  \n', 'stdin'))).toBe('no timers in stdin');
  });

  it('names standard input as given', () => {
    expect(refusal(() => table('every 5x', 'stdin'))).toBe('stdin:1: unknown unit "x" in "5x"');
  });

  it('parses 100,000 lines quickly', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(`every ${2_000_000 + i}us --count 2`);
    const text = lines.join('\n');
    table(lines.slice(0, 2000).join('\n')); // warm up
    const start = performance.now();
    const entries = table(text);
    const ms = performance.now() - start;
    expect(entries).toHaveLength(100_000);
    expect(entries[99_999]!.spec).toMatchObject({ name: 'line-100000', intervalNs: 2_099_999_000n, count: 2 });
    // About 0.2 s on an idle machine; generous for a loaded one.
    expect(ms).toBeLessThan(2500);
  });
});

describe('decodeTable', () => {
  it('decodes UTF-8 and drops a BOM', () => {
    expect(decodeTable(Buffer.from('\ufeffa: every 1s -- echo é\n'), 'f')).toBe('a: every 1s -- echo é\n');
  });

  it('refuses bytes that are not UTF-8, naming the line', () => {
    const bytes = Buffer.concat([Buffer.from('a: every 1s\nb: every 2s\n'), Buffer.from([0xff, 0xfe, 0x00, 0x80]), Buffer.from('\n')]);
    expect(refusal(() => decodeTable(bytes, 'junk.bin'))).toBe('junk.bin:3: not UTF-8 text (is this a binary file?)');
    expect(refusal(() => decodeTable(Buffer.from([0xc3]), 'x'))).toBe('x:1: not UTF-8 text (is this a binary file?)');
  });
});

describe('diffTable', () => {
  const keys = (text: string) => new Map(table(text).map((e) => [e.name, e.key]));

  it('keeps unchanged lines, re-arms changed ones, adds and removes the rest', () => {
    const current = keys('a: every 1s\nb: every 2s\nc: every 3s\nevery 4s\n');
    const next = table('a: every 1s   # same words\nb: every 5s\nd: once 1s\nevery 4s\n');
    const diff = diffTable(current, next);
    expect(diff.kept).toBe(2); // a, line-4
    expect(diff.add.map((s) => s.name)).toEqual(['b', 'd']);
    expect(diff.remove.sort()).toEqual(['b', 'c']);
    expect(diff.removed).toBe(1);
  });

  it('an unnamed line that moves is a new timer', () => {
    const diff = diffTable(keys('every 1s\n'), table('\nevery 1s\n'));
    expect(diff).toMatchObject({ kept: 0, remove: ['line-1'], removed: 1 });
    expect(diff.add.map((s) => s.name)).toEqual(['line-2']);
  });

  it('a renamed line is a new timer; an identical table changes nothing', () => {
    expect(diffTable(keys('a: every 1s\n'), table('b: every 1s\n'))).toMatchObject({ kept: 0, remove: ['a'], removed: 1 });
    expect(diffTable(keys('a: every 1s\nb: at 13:00\n'), table('a: every 1s\nb: at 13:00\n'))).toEqual({ add: [], remove: [], kept: 2, removed: 0 });
  });
});
