import { describe, expect, it } from 'vitest';
import {
  CLOCK_CHOICES,
  COMMANDS,
  GLOBAL_OPTIONS,
  LATE_CHOICES,
  OPTIONS,
  OVERLAP_CHOICES,
  optionsFor,
  type CommandName,
} from '../../src/grammar/options.js';
import { buildSpec } from '../../src/kinds/spec.js';
import { parseWords } from '../../src/grammar/words.js';

const commandNames = COMMANDS.map((c) => c.name);
const ctx = { nowNs: 1_768_478_430_000_000_000n, utcOffsetNs: 0n, defaultName: 'timer' };

describe('the option table', () => {
  it('has unique names, also against --help and --version', () => {
    const names = [...OPTIONS.map((o) => o.name), ...GLOBAL_OPTIONS.map((o) => o.name)];
    expect(new Set(names).size).toBe(names.length);
  });

  it('has single-letter shorts unique within each command, also against -h and -V', () => {
    for (const command of commandNames) {
      const shorts = [...optionsFor(command).flatMap((o) => (o.short ? [o.short] : [])), ...GLOBAL_OPTIONS.map((o) => o.short)];
      expect(new Set(shorts).size, command).toBe(shorts.length);
      for (const s of shorts) expect(s).toMatch(/^[a-zA-Z]$/);
    }
  });

  it('a letter shared by two options never names two options of one command (-n: --dry-run, next\'s --iterations)', () => {
    const byLetter = new Map<string, string[]>();
    for (const o of OPTIONS.filter((x) => x.short)) byLetter.set(o.short!, [...(byLetter.get(o.short!) ?? []), ...o.commands]);
    for (const [letter, commands] of byLetter) expect(new Set(commands).size, letter).toBe(commands.length);
  });

  it.each(OPTIONS.map((o) => [o.name, o] as const))('--%s is well formed', (name, o) => {
    expect(name).toMatch(/^[a-z][a-z-]*[a-z]$/);
    // applies to at least one command, and only to commands that exist
    expect(o.commands.length).toBeGreaterThan(0);
    for (const c of o.commands) expect(commandNames).toContain(c);
    expect(new Set(o.commands).size).toBe(o.commands.length);
    // a choice has choices; nothing else does
    if (o.type === 'choice') expect(o.choices?.length).toBeGreaterThan(1);
    else expect(o.choices).toBeUndefined();
    // a value has a name for help (N, DURATION …); a flag has none
    if (o.type === 'flag') expect(o.arg).toBeUndefined();
    else expect(o.arg).toMatch(/^[A-Z]+(?:\[:[A-Z]+)*\]*$|^[A-Z]+=[A-Z]+$/);
    // describe: one non-empty line, no trailing period
    expect(o.describe.trim()).not.toBe('');
    expect(o.describe).not.toMatch(/[\n\r]/);
    expect(o.describe).not.toMatch(/\.$/);
    // completion prints a script and takes no options
    expect(o.commands).not.toContain('completion');
  });

  it('gives `run` only process options (timer options go in its table lines)', () => {
    for (const o of optionsFor('run')) expect(o.scope).toBe('process');
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('command %s is well formed', (name, c) => {
    expect(c.usage.startsWith(`${name}`)).toBe(true);
    expect(c.describe).not.toMatch(/[\n\r]/);
    expect(c.examples.length).toBeGreaterThan(0);
    for (const [example, note] of c.examples) {
      expect(example).toMatch(new RegExp(`^timerstack ${name}\\b`));
      expect(note).not.toBe('');
    }
    if (c.positional) expect(c.usage).toContain(c.positional.name.split('|')[0]);
  });

  it('has unique command names', () => {
    expect(new Set(commandNames).size).toBe(commandNames.length);
  });

  it.each<[CommandName, string[]]>([
    ['once', ['clock', 'jitter', 'timeout', 'kill-after', 'signal', 'shell', 'foreground', 'chdir', 'env', 'lock', 'name', 'json', 'quiet', 'verbose', 'color', 'dry-run', 'init', 'metrics', 'lean', 'precise']],
    ['at', ['clock', 'late', 'jitter', 'timeout', 'kill-after', 'signal', 'shell', 'foreground', 'chdir', 'env', 'lock', 'tz', 'name', 'json', 'quiet', 'verbose', 'color', 'dry-run', 'init', 'metrics', 'lean', 'precise']],
    ['cron', ['count', 'for', 'until', 'clock', 'jitter', 'overlap', 'timeout', 'kill-after', 'signal', 'shell', 'fail-fast', 'keep-going', 'foreground', 'chdir', 'env', 'lock', 'tz', 'persistent', 'name', 'json', 'quiet', 'verbose', 'color', 'dry-run', 'init', 'metrics', 'lean', 'precise']],
    ['next', ['tz', 'json', 'iterations', 'from']],
    ['run', ['json', 'quiet', 'verbose', 'color', 'init', 'check', 'metrics', 'lean', 'precise']],
    ['export', ['user', 'dir', 'image', 'namespace']],
    ['completion', []],
  ])('optionsFor(%s), in table order', (command, names) => {
    expect(optionsFor(command).map((o) => o.name)).toEqual(names);
  });

  it('every has every timer option but those of at (--late), calendars (--persistent) and retry (--attempts, --backoff)', () => {
    const others = ['late', 'persistent', 'attempts', 'backoff'];
    const names = optionsFor('every').map((o) => o.name);
    for (const o of OPTIONS.filter((o) => o.scope === 'timer' && !others.includes(o.name))) expect(names).toContain(o.name);
    for (const name of others) expect(names).not.toContain(name);
  });
});

describe('choices agree with buildSpec', () => {
  it.each(CLOCK_CHOICES.map((c) => [c]))('--clock %s is accepted by every', (clock) => {
    expect(buildSpec(parseWords(['every', '5s', '--clock', clock]), ctx).clock).toBe(clock);
  });

  it.each(OVERLAP_CHOICES.map((c) => [c]))('--overlap %s is accepted', (overlap) => {
    expect(buildSpec(parseWords(['every', '5s', '--overlap', overlap, '--', 'true']), ctx).overlap).toBe(overlap);
  });

  it.each(LATE_CHOICES.map((c) => [c]))('--late %s is accepted', (late) => {
    expect(() => buildSpec(parseWords(['at', '2099-01-01T00:00:00Z', '--late', late]), ctx)).not.toThrow();
  });

  it('the option table lists the same choices as buildSpec accepts, no more', () => {
    const choice = (name: string) => OPTIONS.find((o) => o.name === name)!.choices;
    expect(choice('clock')).toEqual(CLOCK_CHOICES);
    expect(choice('overlap')).toEqual(OVERLAP_CHOICES);
    expect(choice('late')).toEqual(LATE_CHOICES);
  });
});
