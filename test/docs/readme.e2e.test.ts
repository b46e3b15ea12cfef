// The README's library examples run as written (against the library as shipped: dist/library.js,
// and for a block that starts with require(), as CommonJS through dist/library.cjs).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README examples', () => {
  it('has library examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('block %i runs and exits 0', (_i, block) => {
    const cjs = /^const .* = require\('timerstack'\)/.test(block);
    const source = cjs
      ? block.replaceAll("require('timerstack')", `require('${root}dist/library.cjs')`)
      : block.replaceAll("from 'timerstack'", `from '${root}dist/library.js'`);
    const out = execFileSync(process.execPath, [`--input-type=${cjs ? 'commonjs' : 'module'}`, '-e', source], { encoding: 'utf8', timeout: 15_000 });
    expect(typeof out).toBe('string');
  });
});
