// --help text and shell completion, checked against the option table they are built from.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { candidates, completion } from '../../src/cli/completion.js';
import { helpText } from '../../src/cli/help.js';
import { COMMANDS, GLOBAL_OPTIONS, OPTIONS, choicesOf, optionsFor, type CommandName } from '../../src/grammar/options.js';

const W = { width: 80 };

// The lines of one "Heading:" block of yargs' help, up to the next blank line.
function block(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `${heading} in the help`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

// Option names in an Options: block ("  -q, --quiet", "      --count N").
function optionNames(text: string): string[] {
  return block(text, 'Options:').flatMap((l) => {
    // An option's own line starts within 6 columns; a wrapped description further in.
    const m = /^ {2,6}(?:-\w, )?--([a-z][a-z-]*)/.exec(l);
    return m ? [m[1]!] : [];
  });
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

async function words(...line: string[]): Promise<string[]> {
  const out = await completion(['--get-yargs-completions', 'timerstack', ...line], {});
  return out === '' ? [] : out.replace(/\n$/, '').split('\n');
}

describe('helpText()', () => {
  it('lists every command with its usage line and description', async () => {
    const text = await helpText(undefined, W);
    for (const c of COMMANDS) {
      expect(text).toContain(`timerstack ${c.usage}\n`);
      expect(squash(text)).toContain(squash(c.describe));
    }
    expect(block(text, 'Commands:').filter((l) => /^ {2}timerstack /.test(l))).toHaveLength(COMMANDS.length);
  });

  it('lists the global options only, with their short forms', async () => {
    const text = await helpText(undefined, W);
    expect(optionNames(text)).toEqual(GLOBAL_OPTIONS.map((g) => g.name));
    for (const g of GLOBAL_OPTIONS) expect(text).toMatch(new RegExp(`-${g.short}, --${g.name}\\s`));
  });

  it('explains durations, exit statuses and where to read more', async () => {
    const text = squash(await helpText(undefined, W));
    for (const word of ['Durations:', 'ns, us (µs), ms, s, m, h, d, w', '1h30m', '"1h 30min"', '.5s', 'PT1M30S', 'Months and years are refused']) {
      expect(text).toContain(word);
    }
    for (const code of ['0', '124', '125', '126', '127', '128+N']) expect(text).toMatch(new RegExp(`Exit status:.* ${code.replace('+', '\\+')} `));
    expect(text).toContain('man timerstack');
  });

  it('shows an example of each command', async () => {
    const text = await helpText(undefined, W);
    for (const c of COMMANDS) expect(text).toContain(c.examples[0]![0]);
  });

  it.each(COMMANDS.map((c) => c.name))('%s: its usage, positional, options from the table, examples', async (name) => {
    const def = COMMANDS.find((c) => c.name === name)!;
    const text = await helpText(name, W);
    expect(text.startsWith(`timerstack ${def.usage}\n`)).toBe(true);
    if (def.positional) expect(block(text, 'Positionals:').join('\n')).toMatch(new RegExp(`^ {2}${def.positional.name} `));
    // Exactly its options from the table (and --help): none that do not apply.
    expect(optionNames(text)).toEqual([...optionsFor(name).map((o) => o.name), 'help']);
    for (const o of optionsFor(name)) {
      expect(text).toMatch(new RegExp(`--${o.name}${o.arg ? ` ${o.arg.replace(/[[\]]/g, '\\$&')}` : ''}\\s`));
      for (const choice of choicesOf(o, name) ?? []) expect(text).toContain(`"${choice}"`);
    }
    // Only the choices this command accepts (at: the wall clocks).
    const offered = [...text.matchAll(/\[choices: ([^\]]*)\]/g)].flatMap((m) => m[1]!.replace(/\s+/g, ' ').split(', ').map((c) => c.replace(/"/g, '')));
    expect(offered.sort()).toEqual(optionsFor(name).flatMap((o) => [...(choicesOf(o, name) ?? [])]).sort());
    for (const [cmd, what] of def.examples) {
      expect(text).toContain(cmd);
      expect(squash(text)).toContain(squash(what));
    }
  });

  it('never lists an option under a command it does not apply to', async () => {
    for (const c of COMMANDS) {
      const listed = new Set(optionNames(await helpText(c.name, W)));
      for (const o of OPTIONS) if (!o.commands.includes(c.name)) expect(listed.has(o.name), `${c.name} --${o.name}`).toBe(false);
    }
  });

  it('wraps at the width asked for, and is the same every time', async () => {
    const a = await helpText('every', W);
    expect(await helpText('every', W)).toBe(a);
    for (const line of a.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const wide = await helpText('every', { width: 100 });
    for (const line of wide.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    // Wide enough for two columns: an example and its description on one line.
    expect(wide).toMatch(/timerstack every 5s -- \.\/backup\.sh +drift-free/);
    // At 80 the description goes above its command, which stays whole.
    expect(a).toMatch(/# at :00 of each minute, 60 times\n {2}timerstack every 1m --align --count 60 -- date\n/);
  });

  it('refuses an unknown topic with a usage error', async () => {
    const err = await helpText('frobnicate' as CommandName, W).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(125);
    expect((err as UsageError).message).toMatch(/^unknown command "frobnicate"/);
  });
});

describe('completion(): the --get-yargs-completions protocol', () => {
  it('after timerstack: the commands', async () => {
    expect(await words('')).toEqual(COMMANDS.map((c) => c.name));
    expect(await words('ev')).toEqual(['every']);
    expect(await words('-')).toEqual(GLOBAL_OPTIONS.map((g) => `--${g.name}`));
  });

  it.each(COMMANDS.filter((c) => c.name !== 'completion').map((c) => c.name))('after timerstack %s: its options from the table', async (name) => {
    const expected = [...optionsFor(name).map((o) => `--${o.name}`), '--help'];
    expect(await words(name, '--')).toEqual(expected);
    if (name !== 'run' && name !== 'export') expect(await words(name, '')).toEqual(expected);
  });

  it('offers no option twice, and filters by what is typed', async () => {
    const got = await words('every', '5s', '--count', '3', '--json', '-q', '--');
    expect(got).not.toContain('--count');
    expect(got).not.toContain('--json');
    expect(got).not.toContain('--quiet');
    expect(got).toContain('--for');
    expect(await words('every', '5s', '--ov')).toEqual(['--overlap']);
    expect(await words('every', '5s', '--f')).toEqual(['--for', '--fail-fast', '--foreground']);
  });

  it('after --clock, --overlap and --late: their choices', async () => {
    expect(await words('every', '5s', '--clock', '')).toEqual(['monotonic', 'boottime', 'realtime', 'realtime-alarm', 'boottime-alarm']);
    expect(await words('once', '5s', '--clock', 'real')).toEqual(['realtime', 'realtime-alarm']);
    expect(await words('every', '--overlap', '')).toEqual(['skip', 'queue', 'parallel', 'restart']);
    expect(await words('at', '18:00', '--late', '')).toEqual(['error', 'run']);
    // bash splits "--clock=re" into three words; zsh passes it whole.
    expect(await words('every', '5s', '--clock', '=', 're')).toEqual(['realtime', 'realtime-alarm']);
    // Not for a command the option does not apply to.
    expect(await words('run', 'f', '--clock', '')).toEqual([]);
    expect(await words('every', '5s', '--overlap=q')).toEqual(['--overlap=queue']);
  });

  it('nothing where a value or the command is typed: the shell completes files', async () => {
    expect(await words('every', '5s', '--count', '')).toEqual([]);
    expect(await words('once', '5s', '--name', '')).toEqual([]);
    expect(await words('every', '5s', '--', '')).toEqual([]);
    expect(await words('every', '5s', '--', 'ls', '--')).toEqual([]);
    expect(await words('run', '')).toEqual([]);
    expect(await words('frobnicate', '')).toEqual([]);
  });

  it('after a value: options again', async () => {
    expect(await words('every', '5s', '--clock', 'boottime', '--c')).toEqual(['--count', '--chdir', '--color']);
    expect(await words('run', 'timers.txt', '')).toEqual(['--json', '--quiet', '--verbose', '--color', '--init', '--check', '--metrics', '--lean', '--precise', '--help']);
  });

  it('export takes a target first', async () => {
    expect(await words('export', '')).toEqual(['systemd', 'kubernetes']);
    expect(await words('export', 'k')).toEqual(['kubernetes']);
  });

  it('completion takes a shell; help takes a command', async () => {
    expect(await words('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await words('completion', 'zsh', '')).toEqual([]);
    expect(await words('help', '')).toEqual(COMMANDS.map((c) => c.name));
  });

  it('for zsh (which exports COMP_LINE and COMP_CWORD): descriptions, and the word under the cursor', async () => {
    const env = { COMP_LINE: 'timerstack ev', COMP_CWORD: '1', COMP_POINT: '13' };
    const every = COMMANDS.find((c) => c.name === 'every')!;
    expect(await completion(['--get-yargs-completions', 'timerstack', 'ev'], env)).toBe(`every:${every.describe}\n`);
    // The cursor on the second word of "timerstack every --clock": the words after it do not count.
    const mid = await completion(['--get-yargs-completions', 'timerstack', 'every', '--cou', '--clock'], { COMP_LINE: 'x', COMP_CWORD: '2' });
    expect(mid).toBe(`--count:${OPTIONS.find((o) => o.name === 'count')!.describe}\n`);
  });

  it('candidates() is the same answer as data', () => {
    expect(candidates(['timerstack', 'every', '5s', '--late'])).toEqual([]);
    expect(candidates(['timerstack', 'at', '18:00', '--late', 'r'])).toEqual([['run', '']]);
  });
});

describe('completion(): the scripts', () => {
  it('bash by default: a script that completes timerstack', async () => {
    const script = await completion(['completion'], {});
    expect(script).toContain('TIMERSTACK_COMPLETE=bash "${COMP_WORDS[0]}" --get-yargs-completions');
    expect(script).toMatch(/^complete .* timerstack$/m);
    expect(await completion(['completion', 'bash'], {})).toBe(script);
    const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
  });

  it('the shell asked for, whatever $SHELL says: a template each, not a rewritten environment', async () => {
    const saved = process.env.SHELL;
    try {
      process.env.SHELL = '/usr/bin/zsh';
      expect(await completion(['completion'], {})).toMatch(/^complete /m);
      process.env.SHELL = '/bin/bash';
      const zsh = await completion(['completion', 'zsh'], {});
      expect(zsh.startsWith('#compdef timerstack\n')).toBe(true);
      expect(zsh).toContain('TIMERSTACK_COMPLETE=zsh');
      expect(await completion(['completion', 'fish'], {})).toContain("complete -c timerstack -f -k -a '(__timerstack_complete)'");
      expect(process.env.SHELL).toBe('/bin/bash');
    } finally {
      if (saved === undefined) delete process.env.SHELL;
      else process.env.SHELL = saved;
    }
  });

  it('refuses another shell, or more words', async () => {
    await expect(completion(['completion', 'tcsh'], {})).rejects.toThrow(/^completion: unknown shell "tcsh" \(use bash, zsh or fish\)$/);
    await expect(completion(['completion', 'zsh', 'x'], {})).rejects.toBeInstanceOf(UsageError);
  });

  it('completion --help is the help of completion', async () => {
    expect(await completion(['completion', '--help'], {})).toMatch(/^timerstack completion \[bash\|zsh\|fish\]\n/);
  });
});

describe('completion(): what the scripts hand to the shell', () => {
  const ask = (shell: string, ...w: string[]) => completion(['--get-yargs-completions', 'timerstack', ...w], { TIMERSTACK_COMPLETE: shell });

  it('after --: the command from the word after it, as sudo completes it', async () => {
    expect(await ask('bash', 'every', '5s', '--', '')).toBe(':command 4\n');
    expect(await ask('zsh', 'every', '5s', '--count', '3', '--', 'ls', '-')).toBe(':command 6\n');
    // `--` as the value an option wants still ends the options.
    expect(await ask('fish', 'once', '1s', '--name', '--', 'x')).toBe(':command 5\n');
  });

  it('the FILE of run: file names', async () => {
    expect(await ask('bash', 'run', '')).toBe(':files\n');
    expect(await ask('bash', 'run', 'ti')).toBe(':files\n');
    expect(await ask('bash', 'run', 't.txt', '')).not.toContain(':files');
  });

  it('descriptions in each shell\'s form; none of it for scripts of earlier versions', async () => {
    const every = COMMANDS.find((c) => c.name === 'every')!;
    expect(await ask('bash', 'ev')).toBe('every\n');
    expect(await ask('zsh', 'ev')).toBe(`every:${every.describe}\n`);
    expect(await ask('fish', 'ev')).toBe(`every\t${every.describe}\n`);
    expect(await completion(['--get-yargs-completions', 'timerstack', 'run', ''], {})).toBe('');
    expect(await completion(['--get-yargs-completions', 'timerstack', 'every', '1s', '--', ''], { COMP_LINE: 'x' })).toBe('');
  });
});
