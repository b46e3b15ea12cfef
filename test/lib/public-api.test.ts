// The library's public surface as API Extractor reads it from tsc's declarations (scripts/api.mjs,
// run by `npm run build`): every export documented, every type a public signature names exported,
// TSDoc well-formed; and the reference in docs/api/ is the one the current source generates.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/kernel.js';

const dist = path.join(repoRoot, 'dist');
const scratch = mkdtempSync(path.join(tmpdir(), 'timerstack-api-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the public API', () => {
  it('has a TSDoc comment on every export and exports every type its signatures name', () => {
    const messages = JSON.parse(readFileSync(path.join(dist, 'api/messages.json'), 'utf8')) as Array<{ id: string; where: string; text: string }>;
    expect(messages.map((m) => `${m.where} ${m.id}: ${m.text}`)).toEqual([]);
  });

  it('leaves @internal members out of the shipped declarations, and keeps the rest of their class', () => {
    const dts = readFileSync(path.join(dist, 'library.d.ts'), 'utf8');
    const looptimer = dts.slice(dts.indexOf('export declare class LoopTimer'));
    const body = looptimer.slice(0, looptimer.indexOf('\n}'));
    expect(body).not.toMatch(/static (create|slotOf)\(/);
    expect(body).toContain('private constructor();');
    for (const member of ['get tick()', 'get armed()', 'get next()', 'remaining()', 'cancel()', 'get wallOffset()']) expect(body).toContain(member);
    expect(readFileSync(path.join(dist, 'library.d.cts'), 'utf8')).toBe(dts);
  });

  it('is documented in docs/api/ as `npm run docs` generates it from the current source', () => {
    const out = path.join(scratch, 'api');
    const bin = path.join(repoRoot, 'node_modules/.bin/api-documenter');
    const r = spawnSync(bin, ['markdown', '-i', path.join(dist, 'api'), '-o', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const committed = path.join(repoRoot, 'docs/api');
    const files = readdirSync(out).sort();
    expect(readdirSync(committed).sort(), 'docs/api/ is stale: run `npm run docs`').toEqual(files);
    const stale = files.filter((f) => readFileSync(path.join(out, f), 'utf8') !== readFileSync(path.join(committed, f), 'utf8'));
    expect(stale, 'docs/api/ is stale: run `npm run docs`').toEqual([]);
  });
});
