// The shape of src/, checked: no import cycle, koffi only in native/, the lower rooms import
// nothing above them, no file past ~300 lines, no process.exit below bin/.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? sources(full) : d.name.endsWith('.ts') ? [full] : [];
  });
}

const files = sources().map((f) => path.relative(SRC, f));
const text = new Map(files.map((f) => [f, readFileSync(path.join(SRC, f), 'utf8')]));

// Every relative module a file imports or re-exports (static, type-only or dynamic), as src paths.
function importsOf(file: string): string[] {
  const found: string[] = [];
  const re = /(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of text.get(file)!.matchAll(re)) {
    const spec = (m[1] ?? m[2])!;
    found.push(path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return found;
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));
const room = (file: string) => (file.includes('/') ? file.split('/')[0]! : file);

describe('the import graph of src/', () => {
  it('resolves every relative import to a file in src/', () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !text.has(d)).map((d) => `${f} → ${d}`));
    expect(missing).toEqual([]);
  });

  it('has no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('loads koffi only in native/koffi-load.ts, for native/libc.ts alone', () => {
    const users = files.filter((f) => /['"]koffi['"]/.test(text.get(f)!));
    expect(users).toEqual(['native/koffi-load.ts']);
    expect(files.filter((f) => /from '\.\/koffi-load\.js'/.test(text.get(f)!))).toEqual(['native/libc.ts']);
  });

  it.each([
    ['native', ['native', 'errors.ts']],
    // The loop reads duration strings (Loop.add takes them, as once() and every() do).
    ['loop', ['loop', 'native', 'errors.ts', 'grammar/duration.ts', 'grammar/duration-input.ts', 'grammar/quote.ts']],
    ['grammar', ['grammar', 'errors.ts', 'native/clocks.ts', 'exec/overlap.ts']],
    ['export', ['export', 'kinds', 'grammar', 'errors.ts', 'native/clocks.ts', 'exec/overlap.ts', 'exec/command-line.ts']],
  ])('%s/ imports only from %j', (from, allowed) => {
    const bad = [...graph]
      .filter(([f]) => room(f) === from)
      .flatMap(([f, deps]) => deps.filter((d) => !allowed.some((a) => d === a || room(d) === a)).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('only cli/ imports export/ (the translators are pure: no loop, no native, no I/O)', () => {
    const bad = [...graph].flatMap(([f, deps]) => deps.filter((d) => room(d) === 'export' && room(f) !== 'export' && room(f) !== 'cli').map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('nothing below cli/ imports cli/, and only cli/ and index.ts import lib/', () => {
    const bad = [...graph].flatMap(([f, deps]) =>
      deps
        .filter((d) => (room(d) === 'cli' && room(f) !== 'cli') || (room(d) === 'lib' && room(f) !== 'lib' && f !== 'index.ts'))
        .map((d) => `${f} → ${d}`),
    );
    expect(bad).toEqual([]);
  });
});

describe('the size of things', () => {
  it('no file in src/ is over 300 lines', () => {
    const long = files.map((f) => [f, text.get(f)!.split('\n').length] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });

  it('no process.exit below bin/ (the exit status is returned, so stdout is flushed)', () => {
    expect(files.filter((f) => /process\.exit\(/.test(text.get(f)!))).toEqual([]);
  });
});
