// README, --help and the man page agree with the option table: the README's side.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, OPTIONS } from '../../src/grammar/options.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const optionsSection = readme.slice(readme.indexOf('### Options'), readme.indexOf('### Output'));
const rows = optionsSection.split('\n').filter((l) => l.startsWith('| `'));

describe('README', () => {
  it.each(OPTIONS.map((o) => [o.name, o] as const))('lists --%s in its options table, with its argument', (name, o) => {
    const row = rows.find((r) => r.includes(`\`--${name}`) && new RegExp(`--${name}[\\s\`]`).test(r));
    expect(row, `no row for --${name}`).toBeDefined();
    if (o.arg) expect(row).toContain(`--${name} ${o.arg}`);
    if (o.short) expect(row).toContain(`-${o.short}`);
  });

  it('lists no option that the table does not have', () => {
    const named = rows.flatMap((r) => [...r.matchAll(/`--([a-z-]+)/g)].map((m) => m[1]!)).filter((n, i, a) => a.indexOf(n) === i);
    const known = new Set(OPTIONS.map((o) => o.name));
    expect(named.filter((n) => !known.has(n))).toEqual([]);
  });

  it.each(COMMANDS.map((c) => c.name))('shows the synopsis of %s', (name) => {
    expect(readme).toMatch(new RegExp(`^timerstack ${name}\\b`, 'm'));
  });

  it('gives the two commands: install-and-run, and npm test', () => {
    expect(readme).toMatch(/npm ci && node bin\/timerstack\.js every/);
    expect(readme).toMatch(/^npm test/m);
  });
});

describe('README: the library', () => {
  // The options interfaces as shipped (dist/library.d.ts, built by npm test's pretest).
  const dts = readFileSync(new URL('../../dist/library.d.ts', import.meta.url), 'utf8');
  const library = readme.slice(readme.indexOf('## The library'), readme.indexOf('## Guarantees'));
  const table = library.split('\n').filter((l) => l.startsWith('| `'));
  const members = (name: string) => {
    const body = new RegExp(`export declare interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1] ?? '';
    return [...body.matchAll(/^ {4}(?:readonly )?([a-zA-Z]+)\??:/gm)].map((m) => m[1]!);
  };

  it.each(['OnceOptions', 'EveryOptions', 'CalendarOptions', 'LoopOptions', 'TimerOptions', 'ArmOptions'])('documents every option of %s', (name) => {
    const options = members(name);
    expect(options.length).toBeGreaterThan(0);
    expect(options.filter((o) => !table.some((row) => row.includes(`\`${o}\``)))).toEqual([]);
  });
});
