// Builds the C helpers (the reader, the C loop, the rusage wrapper) with `cc` into test/bench/out/,
// and finds the optional comparators (watch, script). Anything missing becomes a printed note.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.resolve(BENCH_DIR, '..', '..');
export const OUT_DIR = path.join(BENCH_DIR, 'out');
export const BIN = path.join(ROOT, 'bin', 'timerstack.js');

export function which(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const NO_C = 'no working C compiler (cc): the C loop is skipped (no ratios), lines are stamped by a Node reader, CPU is read by a Node preload';

// Compiles each helper once (again only when its source is newer); returns paths and notes.
export function buildHelpers() {
  mkdirSync(OUT_DIR, { recursive: true });
  const notes = [];
  // $CC as usual (CC=false shows what the bench does without a compiler).
  const tools = { reader: undefined, cloop: undefined, rusage: undefined, cc: process.env.CC || which('cc') || which('gcc') || which('clang') };
  if (!tools.cc) {
    notes.push(NO_C);
    return { tools, notes };
  }
  for (const name of ['reader', 'cloop', 'rusage']) {
    const src = path.join(BENCH_DIR, `${name}.c`);
    const out = path.join(OUT_DIR, name);
    if (process.env.CC || !existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
      const r = spawnSync(tools.cc, ['-O2', '-Wall', '-o', out, src], { encoding: 'utf8' });
      if (r.status !== 0) {
        notes.push(`${name}.c did not compile (${(r.stderr || r.error?.message || `exit ${r.status}`).split('\n')[0]}): skipped`);
        continue;
      }
    }
    tools[name] = out;
  }
  if (!tools.reader && !tools.cloop && !tools.rusage) return { tools, notes: [`${NO_C} (${tools.cc} failed: ${notes[0]})`] };
  return { tools, notes };
}
