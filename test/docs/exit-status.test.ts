// The exit-status table is defined once (EXIT_STATUSES in src/errors.ts): --help renders it, and
// the README and the man page must list the same statuses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_STATUSES } from '../../src/errors.js';
import { helpText } from '../../src/cli/help.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const man = readFileSync(new URL('../../man/timerstack.1', import.meta.url), 'utf8');
const numbered = EXIT_STATUSES.map(([status]) => status).filter((s) => s !== 'N');

// The statuses in the README's "Exit status" table, in order.
function readmeStatuses(): string[] {
  const section = readme.slice(readme.indexOf('### Exit status'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| status |')));
  return [...table.matchAll(/^\| ([^|]+?) \|/gm)].map((m) => m[1]!).filter((s) => s !== 'status' && !s.startsWith('---'));
}

// The statuses the man page's EXIT STATUS section tags (.B 0, .BI 128+ N …), in order.
function manStatuses(): string[] {
  const section = man.slice(man.indexOf('.SH "EXIT STATUS"'), man.indexOf('.SH', man.indexOf('.SH "EXIT STATUS"') + 4));
  return [...section.matchAll(/^\.TP\n\.(?:B|BI|I) (.+)$/gm)].map((m) => m[1]!.replace(/ /g, '').replace(/^status$/, 'N'));
}

describe('the exit-status table', () => {
  it('usage errors and timerstack\'s own failures are 125, as GNU timeout', () => {
    expect(EXIT.usage).toBe(125);
    expect(EXIT.failure).toBe(125);
  });

  it('the README lists the same statuses, in the same order', () => {
    expect(readmeStatuses()).toEqual(EXIT_STATUSES.map(([s]) => s));
  });

  it('the man page lists the same statuses, in the same order', () => {
    expect(manStatuses()).toEqual(EXIT_STATUSES.map(([s]) => s));
  });

  it('--help lists every status with its meaning', async () => {
    const text = (await helpText(undefined, { width: 200 })).replace(/\s+/g, ' ');
    for (const [status, meaning] of EXIT_STATUSES) expect(text).toContain(`${status} ${meaning}`);
    for (const status of numbered) expect(text).toMatch(new RegExp(`Exit status:.* ${status.replace('+', '\\+')} `));
  });
});
