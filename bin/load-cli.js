// Loads the CLI script (dist/bin/timerstack.cjs, written by scripts/bundle.mjs) with V8's code
// cache beside it (timerstack.cjs.cache, written by scripts/code-cache.mjs at build time). The
// cache holds the bytecode of what a start-up runs, so Node neither parses the 420 KB script nor
// compiles those functions again. A cache V8 does not take (another Node, other V8 flags, a
// script that changed) is rejected by V8 itself and the script compiles as it would without one;
// a missing cache is no error either.
//
// The script is the body of a function given what an ES module would have had:
// (module, exports, require, __timerstackUrl = import.meta.url, __timerstackImport = import()).
const { readFileSync } = process.getBuiltinModule('node:fs');
const { Script } = process.getBuiltinModule('node:vm');
const { createRequire } = process.getBuiltinModule('node:module');
const { fileURLToPath } = process.getBuiltinModule('node:url');

export const CLI_URL = new URL('../dist/bin/timerstack.cjs', import.meta.url);

/** The CLI script compiled (from its code cache where V8 takes it), not yet run. */
export function compileCli(url = CLI_URL, cachedData = readCache(url)) {
  const filename = fileURLToPath(url);
  const source = readFileSync(filename, 'utf8');
  // One line of wrapper before the source, so the script's line numbers are its file's.
  const script = new Script(`(function (module, exports, require, __timerstackUrl, __timerstackImport) {"use strict";${source}\n})`, {
    filename,
    cachedData,
  });
  return { script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/** Runs a compiled CLI script; its exports (main). */
export function runCli(script, url = CLI_URL) {
  const module = { exports: {} };
  const load = (specifier) => import(new URL(specifier, url).href);
  script.runInThisContext()(module, module.exports, createRequire(url), url.href, load);
  return module.exports;
}

/** The code cache's file for a CLI script. */
export function cacheUrl(url = CLI_URL) {
  return new URL(`${url.href}.cache`);
}

function readCache(url) {
  try {
    return readFileSync(cacheUrl(url));
  } catch {
    // Missing or unreadable: the script compiles without it (out of fds, its own read says so).
    return undefined;
  }
}
