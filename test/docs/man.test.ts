// The man page agrees with the option table: every command and option is documented, with its
// short form, its argument and the commands it applies to; and it renders without warnings.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS, GLOBAL_OPTIONS, OPTIONS } from '../../src/grammar/options.js';

const PAGE_PATH = fileURLToPath(new URL('../../man/timerstack.1', import.meta.url));
const PAGE = readFileSync(PAGE_PATH, 'utf8');

// Sections by .SH title (quotes dropped), each as its lines.
function sections(page: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of page.split('\n')) {
    const sh = /^\.SH\s+(.*)$/.exec(line);
    if (sh) {
      current = [];
      out.set(sh[1]!.replace(/"/g, '').trim(), current);
    } else {
      current?.push(line);
    }
  }
  return out;
}

// A macro's arguments: words, or double-quoted strings.
function macroArgs(rest: string): string[] {
  return [...rest.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

// The text a line shows, without roff: font macros joined as groff joins them, escapes read.
function lineText(line: string): string {
  let text = line;
  const macro = /^\.(B|I|BI|BR|IB|IR|RB|RI)(?:\s+(.*))?$/.exec(line);
  if (macro) {
    const args = macroArgs(macro[2] ?? '');
    text = macro[1]!.length === 1 ? args.join(' ') : args.join('');
  }
  return text
    .replace(/\\f[BIRP]/g, '')
    .replace(/\\-/g, '-')
    .replace(/\\\(aq/g, "'")
    .replace(/\\e/g, '\\')
    .replace(/\\&/g, '')
    .trim();
}

interface Entry {
  tag: string;
  body: string[];
}

// The .TP entries of a section at its own level (entries nested in .RS/.RE belong to the body).
function entries(lines: readonly string[]): Entry[] {
  const out: Entry[] = [];
  let depth = 0;
  let current: Entry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('.RS')) depth++;
    if (line.startsWith('.RE')) depth--;
    if (depth === 0 && /^\.TP\b/.test(line) && i + 1 < lines.length) {
      current = { tag: lineText(lines[++i]!), body: [] };
      out.push(current);
      continue;
    }
    if (depth === 0 && /^\.(PP|SH|SS)\b/.test(line)) {
      current = undefined;
      continue;
    }
    current?.body.push(line);
  }
  return out;
}

interface Documented {
  short: string | undefined;
  arg: string | undefined;
  // "(once, every, at)" from the first body line, when there is one.
  commands: string[] | undefined;
}

// The options the OPTIONS section documents, read from its entries' tags ("-q, --quiet",
// "--count N").
function documentedOptions(page: string): Map<string, Documented> {
  const out = new Map<string, Documented>();
  for (const entry of entries(sections(page).get('OPTIONS') ?? [])) {
    const m = /^(?:-(\w), )?--([a-z][a-z-]*)(?: (\S+))?$/.exec(entry.tag);
    if (!m) continue;
    const first = entry.body.find((l) => !l.startsWith('.\\"'));
    const scope = first ? /^\(([a-z, ]+)\)$/.exec(lineText(first)) : null;
    out.set(m[2]!, { short: m[1], arg: m[3], commands: scope ? scope[1]!.split(', ') : undefined });
  }
  return out;
}

// Every disagreement between the page and the table, as readable lines (none: they agree).
function checkPage(page: string): string[] {
  const problems: string[] = [];
  const documented = documentedOptions(page);
  for (const o of OPTIONS) {
    const d = documented.get(o.name);
    if (!d) {
      problems.push(`--${o.name} is not in OPTIONS`);
      continue;
    }
    if (d.short !== o.short) problems.push(`--${o.name}: short form ${d.short ?? 'none'}, the table says ${o.short ?? 'none'}`);
    if (d.arg !== o.arg) problems.push(`--${o.name}: argument ${d.arg ?? 'none'}, the table says ${o.arg ?? 'none'}`);
    if (d.commands?.join(', ') !== o.commands.join(', ')) {
      problems.push(`--${o.name}: applies to (${d.commands?.join(', ') ?? '?'}), the table says (${o.commands.join(', ')})`);
    }
  }
  for (const g of GLOBAL_OPTIONS) {
    const d = documented.get(g.name);
    if (!d) problems.push(`--${g.name} is not in OPTIONS`);
    else if (d.short !== g.short) problems.push(`--${g.name}: short form ${d.short ?? 'none'}, the table says ${g.short}`);
  }
  const known = new Set([...OPTIONS.map((o) => o.name), ...GLOBAL_OPTIONS.map((g) => g.name)]);
  for (const name of documented.keys()) if (!known.has(name)) problems.push(`OPTIONS documents --${name}, which the table does not have`);

  const commands = new Map(
    entries(sections(page).get('COMMANDS') ?? []).map((e) => {
      const [name = '', ...rest] = e.tag.split(' ');
      return [name, rest.join(' ')] as const;
    }),
  );
  for (const c of COMMANDS) {
    const args = commands.get(c.name);
    if (args === undefined) problems.push(`${c.name} is not in COMMANDS`);
    else if (c.positional && args !== c.positional.name) problems.push(`${c.name}: argument ${args || 'none'}, the table says ${c.positional.name}`);
  }
  return problems;
}

// The page without the .TP entry whose tag line is `tag`.
function without(page: string, tag: string): string {
  const lines = page.split('\n');
  const at = lines.indexOf(tag);
  expect(at).toBeGreaterThan(0);
  expect(lines[at - 1]).toBe('.TP');
  let end = at + 1;
  while (end < lines.length && !/^\.(TP|PP|SH)\b/.test(lines[end]!)) end++;
  return [...lines.slice(0, at - 1), ...lines.slice(end)].join('\n');
}

describe('man/timerstack.1 and the option table', () => {
  it('agree', () => {
    expect(checkPage(PAGE)).toEqual([]);
  });

  it('documents each option as an OPTIONS entry of its own', () => {
    const documented = documentedOptions(PAGE);
    for (const o of OPTIONS) expect(documented.has(o.name), `--${o.name}`).toBe(true);
    for (const g of GLOBAL_OPTIONS) expect(documented.has(g.name), `--${g.name}`).toBe(true);
  });

  it('reports an option that is missing', () => {
    const page = without(PAGE, '.BI \\-\\-jitter " DURATION"');
    expect(checkPage(page)).toEqual(['--jitter is not in OPTIONS']);
  });

  it('does not count an option that is only mentioned in another one', () => {
    // --kill-after is named in --timeout's text: that is not its entry.
    const page = without(PAGE, '.BI \\-\\-kill\\-after " DURATION"');
    expect(PAGE.match(/\\-\\-kill\\-after/g)!.length).toBeGreaterThan(2);
    expect(checkPage(page)).toEqual(['--kill-after is not in OPTIONS']);
  });

  it('reports a wrong argument, short form or command list', () => {
    expect(checkPage(PAGE.replace('.BI \\-\\-count " N"', '.BI \\-\\-count " COUNT"'))).toEqual([
      '--count: argument COUNT, the table says N',
    ]);
    expect(checkPage(PAGE.replace('.BR \\-q ", " \\-\\-quiet', '.B \\-\\-quiet'))).toEqual([
      '--quiet: short form none, the table says q',
    ]);
    const late = PAGE.replace('.BI \\-\\-late " POLICY"\n.RB ( at )', '.BI \\-\\-late " POLICY"\n.RB ( at ", " every )');
    expect(checkPage(late)).toEqual(['--late: applies to (at, every), the table says (at)']);
  });

  it('reports an option the table does not have, and a missing command', () => {
    const extra = PAGE.replace('.SH DURATIONS', '.TP\n.B \\-\\-frobnicate\n(every) Frobnicate.\n.SH DURATIONS');
    expect(checkPage(extra)).toEqual(['OPTIONS documents --frobnicate, which the table does not have']);
    expect(checkPage(without(PAGE, '.BI run " FILE"'))).toEqual(['run is not in COMMANDS']);
  });

  it('has the sections a reader looks for', () => {
    const names = [...sections(PAGE).keys()];
    for (const name of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'DURATIONS', 'TIMES', 'RUN FILES', 'OUTPUT', 'EXIT STATUS', 'SIGNALS', 'ENVIRONMENT', 'EXAMPLES', 'SEE ALSO']) {
      expect(names, name).toContain(name);
    }
  });

  it('names every choice of every option with choices', () => {
    const text = PAGE.replace(/\\-/g, '-');
    for (const o of OPTIONS) for (const choice of o.choices ?? []) expect(text, `--${o.name} ${choice}`).toContain(choice);
  });
});

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

// Rendering checks need groff (Debian/Ubuntu package groff-base) or man (man-db, which pulls
// groff-base in). Without either the test fails and says what to install: a page that is never
// rendered is a page nobody checked.
describe('man/timerstack.1 renders', () => {
  const env = { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat', LC_ALL: 'C.UTF-8' };

  it('has a formatter to render it with', () => {
    expect(
      has('groff') || has('man'),
      'neither groff nor man is installed: install groff-base (apt-get install groff-base) to check the man page',
    ).toBe(true);
  });

  it.runIf(has('groff'))('with groff -ww: no warnings', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', PAGE_PATH], { encoding: 'utf8', env });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it.runIf(has('man'))('with man --warnings: no warnings, and the text a reader sees', () => {
    const r = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', PAGE_PATH], { encoding: 'utf8', env });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const text = r.stdout.replace(/.\x08/g, '');
    expect(text).toContain('TIMERSTACK(1)');
    expect(text).toMatch(/--count N\n/);
    expect(text).toContain('timerstack every 1m --align --count 60 -- date');
  });
});
