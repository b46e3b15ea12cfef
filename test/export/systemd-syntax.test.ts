// How values are written for systemd: command words (checked by systemd itself, which must find
// executables whose names need every kind of escaping), time spans (read back by systemd-analyze
// timespan), unit names.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandWord, execStart, timeSpan, unitName } from '../../src/export/systemd-syntax.js';
import { HAS_SYSTEMD_ANALYZE, verifyUnits } from '../helpers/systemd.js';
import { refusalOf } from '../helpers/refusal.js';

function refusal(fn: () => unknown): string {
  return refusalOf(fn).message;
}

describe('commandWord', () => {
  it.each([
    ['plain', 'plain'],
    ['/usr/bin/env', '/usr/bin/env'],
    ['', '""'],
    ['a b', '"a b"'],
    ['100%', '100%%'],
    ['%h', '%%h'],
    ['$HOME', '$$HOME'],
    ['${HOME}', '$${HOME}'],
    ['say "hi"', '"say \\"hi\\""'],
    ["it's", '"it\'s"'],
    ['back\\slash', '"back\\\\slash"'],
    [';', '\\;'],
    ['a;b', 'a;b'],
    ['line\nbreak', '"line\\nbreak"'],
    ['tab\there', '"tab\\there"'],
    ['bell\x07', '"bell\\a"'],
    ['esc\x1b[0m', '"esc\\x1b[0m"'],
    ['c1\u0085', '"c1\\u0085"'],
    ['ünïcødé', 'ünïcødé'],
  ])('%j → %s', (word, written) => {
    expect(commandWord(word)).toBe(written);
  });

  it('refuses executables systemd cannot take', () => {
    expect(refusal(() => execStart(['./x.sh']))).toBe('command "./x.sh": ExecStart= needs an absolute path or a plain name');
    expect(refusal(() => execStart(['-x']))).toBe('command "-x": ExecStart= needs an absolute path or a plain name');
    for (const bad of ['/bin/a\nb', '/bin/a"b', "/bin/a'b", '/bin/a\\b']) {
      expect(refusal(() => execStart([bad]))).toMatch(/^command ".*": systemd refuses quotes, backslashes and control characters in the executable's name$/);
    }
    expect(execStart(['true', 'a b'])).toBe('true "a b"');
    // Variables are not expanded in the executable's name, only in its arguments.
    expect(execStart(['/opt/$x/run', '$x'])).toBe('/opt/$x/run $$x');
  });
});

describe('timeSpan', () => {
  const SPANS: ReadonlyArray<readonly [bigint, string]> = [
    [0n, '0'],
    [1000n, '1us'],
    [250_000_000n, '250ms'],
    [5_000_000_000n, '5s'],
    [90_000_000_000n, '1min 30s'],
    [5_405_500_020_000n, '1h 30min 5s 500ms 20us'],
    [86_400_000_000_000n * 9n, '9d'],
  ];

  it.each(SPANS)('%s ns → %s', (ns, text) => {
    expect(timeSpan(ns, 'x')).toBe(text);
  });

  it('refuses what is finer than a microsecond', () => {
    expect(refusal(() => timeSpan(1500n, '--jitter'))).toBe('--jitter: systemd counts time in microseconds (1500 ns is not a whole number of them)');
  });

  it.runIf(HAS_SYSTEMD_ANALYZE)('reads back the same microseconds in systemd-analyze timespan', () => {
    const r = spawnSync('systemd-analyze', ['timespan', ...SPANS.map(([, t]) => t)], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const us = [...r.stdout.matchAll(/^\s*μs: (\d+)$/gm)].map((m) => BigInt(m[1]!));
    expect(us).toEqual(SPANS.map(([ns]) => ns / 1000n));
  });
});

describe('unitName', () => {
  it('takes the names of table lines, and refuses what a unit cannot be called', () => {
    expect(unitName('backup.db-1_x')).toBe('backup.db-1_x');
    expect(refusal(() => unitName('a/b'))).toBe('the name "a/b" cannot name a unit (use letters, digits, "_", "." and "-"; --name sets it)');
    expect(refusal(() => unitName('tmpl@x'))).toMatch(/cannot name a unit/);
  });
});

// systemd decodes ExecStart= itself: a unit whose executable's name needs escaping passes
// `verify` only if systemd found exactly that file.
describe.runIf(HAS_SYSTEMD_ANALYZE)('ExecStart= as systemd reads it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-exec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Quotes and backslashes systemd refuses in an executable's name (execStart refuses them too).
  const NAMES = ['a b', 'per%cent', '%h', 'dollar$sign', '${HOME}', '$$', 'semi;colon', ' lead and trail ', 'ünïcødé', 'x'];

  function unitFor(i: number, exec: string): string {
    const file = path.join(dir, `t${i}.service`);
    writeFileSync(file, `[Service]\nExecStart=${exec}\n`);
    return file;
  }

  it('finds every executable whose name was escaped', () => {
    mkdirSync(path.join(dir, 'bin'));
    const units = NAMES.map((name, i) => {
      const file = path.join(dir, 'bin', name);
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o755);
      return unitFor(i, execStart([file, 'arg "one"', '100%', '$X', ';']));
    });
    const r = verifyUnits(units);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('(the check can fail: names written without escaping are not found)', () => {
    const units = NAMES.slice(0, 4).map((name, i) => unitFor(100 + i, `"${path.join(dir, 'bin', name)}"`));
    const r = verifyUnits(units);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/is not executable|bad unit file setting/);
  });
});
