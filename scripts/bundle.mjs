// The shipped builds, made with esbuild from what tsc emitted into dist/ (tsc's own modules stay
// there for the tests and the bench; the package ships only what this script writes):
//  - dist/library.js: the library (dist/index.js and every module it imports) as one ES module;
//    koffi, its one runtime dependency, stays external. Node 20.19+ can require() it (it has no
//    top-level await), which dist/library.cjs does for CommonJS consumers.
//  - dist/bin/timerstack.cjs: the CLI (dist/cli/main.js) with chalk bundled in, and beside it
//    dist/bin/vendor/yargs.mjs, yaml.mjs and prom-client.mjs, the CLI's other dependencies
//    bundled whole, loaded only for help (yargs), export kubernetes (yaml) or --metrics
//    (prom-client). Commands are spawned with posix_spawn through koffi (src/exec/spawn.ts). The package's
//    runtime dependencies are then what the library needs: koffi. Each output ends with the
//    licence of every third-party package whose code it holds.
// Source maps: dist/library.js.map, with the sources inlined (sourcesContent), so it points at
// nothing outside the package. The CLI bundle ships without a map (most of it is third-party code;
// its errors are one line, not a stack trace).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', metafile: true };

const library = await esbuild.build({
  ...common,
  entryPoints: ['dist/index.js'],
  outfile: 'dist/library.js',
  format: 'esm',
  external: ['koffi'],
  sourcemap: true,
  sourcesContent: true,
});
// For require(): the ES module itself (one instance shared with import, no dual-package hazard).
writeFileSync(
  path.join(root, 'dist/library.cjs'),
  "'use strict';\n// CommonJS entry: Node 20.19+ loads the ES module build with require().\nmodule.exports = require('./library.js');\n",
);

// The CLI's own code and chalk in one file (its lazy imports stay lazy inside it); yargs in a
// file of its own, loaded only for help. One file each, not esbuild's
// finer split: every extra module file costs about 0.5 ms at start-up (measured: 16 chunks made
// `once 0` ~8 ms slower than one file).
const VENDOR = {
  yargs: "export { default } from 'yargs';",
  // export kubernetes, and --metrics: loaded only for them.
  // Both are CommonJS: their names are re-exported one by one (export * of CommonJS gives none).
  yaml: "import * as m from 'yaml'; export const { stringify, parse } = m;",
  'prom-client': "import * as m from 'prom-client'; export const { Registry, Counter, Histogram, Gauge } = m;",
};
const vendor = await Promise.all(
  Object.entries(VENDOR).map(([name, contents]) =>
    esbuild.build({
      ...common,
      stdin: { contents, resolveDir: root, sourcefile: `${name}-entry.js` },
      outfile: `dist/bin/vendor/${name}.mjs`,
      format: 'esm',
      // Some bundled CommonJS code require()s Node's built-ins: give the ES module a require.
      banner: { js: "import { createRequire as __timerstackRequire } from 'node:module'; const require = __timerstackRequire(import.meta.url);" },
      legalComments: 'none',
      plugins: name === 'yargs' ? [fastStringWidth()] : [],
    }),
  ),
);
// The CLI as one CommonJS script, not an ES module, so that bin/load-cli.js can compile it with
// V8's code cache (vm.Script's cachedData; Node 20 has no code cache for ES modules): that took
// `once 0` from 1.63x to 1.40x of `node -e 0` (40 alternating rounds). The script is a function's body: load-cli.js
// gives it import.meta.url as __timerstackUrl, and import() as __timerstackImport (in Node 20 a
// script compiled from a code cache has no import() of its own).
const CLI = 'dist/bin/timerstack.cjs';
const cli = await esbuild.build({
  ...common,
  entryPoints: ['dist/cli/main.js'],
  outfile: CLI,
  format: 'cjs',
  external: ['koffi'],
  legalComments: 'none',
  define: { 'import.meta.url': '__timerstackUrl' },
  plugins: [vendorExternal()],
});
routeDynamicImports(path.join(root, CLI));

// Every import() left in the CLI script (a vendor file's, a lazily loaded built-in's) becomes
// __timerstackImport(: esbuild writes it as `import(` after nothing that could make it a name.
function routeDynamicImports(file) {
  const code = readFileSync(file, 'utf8');
  const routed = code.replace(/(?<![\w$.])import\(/g, '__timerstackImport(');
  const vendor = routed.match(/__timerstackImport\("\.\/vendor\//g) ?? [];
  if (vendor.length !== Object.keys(VENDOR).length) {
    throw new Error(`bundle: ${CLI} imports ${vendor.length} vendor files, not ${Object.keys(VENDOR).length}`);
  }
  writeFileSync(file, routed);
}

// `import('yargs')`, `import('yaml')` and `import('prom-client')` in the CLI
// load the vendor files.
function vendorExternal() {
  return {
    name: 'vendor-external',
    setup(build) {
      build.onResolve({ filter: /^(yargs|yaml|prom-client)$/ }, (args) => ({ path: `./vendor/${args.path}.mjs`, external: true }));
    },
  };
}

// string-width (cliui's and yargs' column widths) builds an Intl.Segmenter when it is loaded,
// which costs ~38 ms of ICU start-up: a third of `--help`. Help text is narrow-width text, whose
// width is its length, so each copy is wrapped with that fast path and loaded (lazily, through
// esbuild's require) only for a string outside it. test/cli/bundle.test.ts checks the fast path
// against string-width itself for every character in it.
function fastStringWidth() {
  return {
    name: 'fast-string-width',
    setup(build) {
      build.onResolve({ filter: /^string-width$/ }, async (args) => {
        if (args.pluginData === 'real') return undefined;
        const real = await build.resolve('string-width', { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'real' });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'fast-string-width' };
      });
      build.onLoad({ filter: /.*/, namespace: 'fast-string-width' }, (args) => ({
        resolveDir: root,
        loader: 'js',
        contents: [
          `import { NARROW } from ${JSON.stringify(path.join(root, 'scripts/narrow-width.mjs'))};`,
          'let real;',
          'export default function stringWidth(text, options) {',
          '  if (typeof text === "string" && NARROW.test(text)) return text.length;',
          `  real ??= require(${JSON.stringify(args.path)}).default;`,
          '  return real(text, options);',
          '}',
        ].join('\n'),
      }));
    },
  };
}

for (const result of [library, cli, ...vendor]) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    appendLicences(path.join(root, file), Object.keys(output.inputs));
  }
}

// Appends, as one comment, the licence of each package under node_modules/ that `inputs` come from.
function appendLicences(file, inputs) {
  const packages = new Map();
  for (const input of inputs) {
    // A plugin's module is named "namespace:path".
    const dir = packageDir(input.replace(/^[a-z-]+:/, ''));
    if (!dir) continue;
    const notice = licenceOf(dir);
    packages.set(`${notice.name}@${notice.version}`, notice);
  }
  if (packages.size === 0) return;
  const notices = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
  const body = notices
    .map((p) => `${p.name}@${p.version} (${p.license})\n\n${p.text.replaceAll('*/', '* /').trim()}`)
    .join('\n\n---\n\n');
  const comment = `/*!\n * Third-party code in this file, with its licences:\n * ${notices.map((p) => `${p.name}@${p.version}`).join(', ')}\n\n${body}\n*/\n`;
  const code = readFileSync(file, 'utf8');
  const mapAt = code.lastIndexOf('\n//# sourceMappingURL=');
  const cut = mapAt < 0 ? code.length : mapAt + 1;
  writeFileSync(file, `${code.slice(0, cut)}${comment}${code.slice(cut)}`);
}

// node_modules/a/b.js → node_modules/a; node_modules/@s/a/x/y.js → node_modules/@s/a (the last
// node_modules/ in the path, for nested copies).
function packageDir(input) {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return `${input.slice(0, at)}node_modules/${name}`;
}

function licenceOf(dir) {
  const abs = path.resolve(root, dir);
  const pkg = JSON.parse(readFileSync(path.join(abs, 'package.json'), 'utf8'));
  const file = readdirSync(abs).find((f) => /^(licen[cs]e|copying)([-.]|$)/i.test(f));
  if (!file) throw new Error(`bundle: ${pkg.name} has no licence file to keep in the bundle`);
  return { name: pkg.name, version: pkg.version, license: pkg.license ?? 'see text', text: readFileSync(path.join(abs, file), 'utf8') };
}
