// What `npm pack` ships: source maps that point at nothing missing, the licences of the bundled
// third-party code, one launcher entry chosen at build time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/kernel.js';

const pack = spawnSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: repoRoot, encoding: 'utf8' });
const files = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const code = files.filter((f) => /\.(c|m)?js$/.test(f));

describe('the tarball', () => {
  it('ships the builds, the schema, the man page and the docs a user reads', () => {
    for (const f of ['bin/timerstack.js', 'dist/library.js', 'dist/library.cjs', 'dist/library.d.ts', 'dist/library.d.cts', 'dist/bin/timerstack.cjs', 'dist/bin/timerstack.cjs.cache', 'bin/load-cli.js', 'schema/events.json', 'man/timerstack.1', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      expect(files).toContain(f);
    }
    // tsc's per-module output is for the tests and the bench, not for users.
    expect(files.filter((f) => /^dist\/(cli|loop|lib|native|exec|supervise|output|kinds|grammar)\//.test(f))).toEqual([]);
  });

  it('has no source map that points at a file it does not hold', () => {
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const file of code) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(file))?.[1];
      if (url) expect(files, `${file} names its map ${url}`).toContain(path.join(path.dirname(file), url));
    }
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(read(map)) as { sources: string[]; sourcesContent?: Array<string | null> };
      const missing = sources.filter((s, i) => typeof sourcesContent?.[i] !== 'string' && !files.includes(path.join(path.dirname(map), s)));
      expect(missing, map).toEqual([]);
    }
  });

  it('keeps the licence of every bundled package in the file that holds its code', () => {
    const notice = (file: string) => /\/\*!\n \* Third-party code in this file, with its licences:\n \* (.*)\n/.exec(read(file))?.[1]?.split(', ') ?? [];
    const names = (file: string) => notice(file).map((p) => p.replace(/@[^@]*$/, ''));
    expect(names('dist/bin/vendor/yargs.mjs')).toEqual(expect.arrayContaining(['yargs', 'yargs-parser', 'cliui', 'y18n', 'string-width']));
    // chalk, and the watch screen's width and escape libraries (loaded only with --watch)
    expect(names('dist/bin/timerstack.cjs')).toEqual(['ansi-regex', 'chalk', 'get-east-asian-width', 'string-width', 'strip-ansi']);
    expect(names('dist/bin/vendor/yaml.mjs')).toEqual(['yaml']);
    expect(names('dist/bin/vendor/prom-client.mjs')).toEqual(expect.arrayContaining(['prom-client']));
    // The library bundles no third-party code (koffi stays a dependency).
    expect(notice('dist/library.js')).toEqual([]);
    for (const file of ['dist/bin/vendor/yargs.mjs', 'dist/bin/vendor/yaml.mjs', 'dist/bin/vendor/prom-client.mjs', 'dist/bin/timerstack.cjs']) {
      const text = read(file);
      const tail = text.slice(text.indexOf('Third-party code in this file'));
      for (const entry of notice(file)) {
        const [name, version] = [entry.replace(/@[^@]*$/, ''), entry.slice(entry.lastIndexOf('@') + 1)];
        expect(tail, `${file}: ${name}`).toMatch(new RegExp(`${name.replace(/[/.]/g, '\\$&')}@${version.replace(/\./g, '\\.')} \\(`));
      }
      expect(tail).toMatch(/Permission is hereby granted|Permission to use, copy, modify/);
    }
  });

  it('starts the CLI from one entry, chosen at build time', () => {
    const bin = read('bin/timerstack.js');
    expect(bin.match(/import\(/g)).toHaveLength(1);
    expect(bin).toContain("import('./load-cli.js')");
    const loader = read('bin/load-cli.js');
    expect(loader).toContain("new URL('../dist/bin/timerstack.cjs', import.meta.url)");
    for (const file of [bin, loader]) expect(file).not.toMatch(/statSync|mtime/);
  });
});
