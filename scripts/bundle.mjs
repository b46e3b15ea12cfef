// Bundles the CLI that tsc emitted (dist/cli/main.js and the modules it imports) into one file,
// dist/timerstack.mjs, which bin/timerstack.js loads: one file to read and compile at startup
// instead of a graph of ~25 modules. koffi (a native addon) stays external and is still loaded
// only when a timer is armed; yargs (help), execa (commands), yaml (export kubernetes) and
// prom-client (--metrics) stay external and lazy.
// The library (dist/index.js and its .d.ts, the package's "exports") is tsc's output, untouched.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const esbuild = await import('esbuild').catch(() => undefined);

if (!esbuild) {
  // Without esbuild (a production install), bin/ falls back to dist/cli/main.js.
  process.stderr.write('bundle: esbuild is not installed; bin/timerstack.js will load dist/cli/main.js\n');
} else {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['dist/cli/main.js'],
    outfile: 'dist/timerstack.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['koffi', 'yargs', 'yargs/*', 'execa', 'yaml', 'prom-client'],
    sourcemap: true,
    logLevel: 'warning',
  });
}
