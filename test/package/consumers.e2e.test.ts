// The packed tarball, installed into a fresh project: a CommonJS consumer (require), an ES module
// consumer (import, and the JSON Schema through exports), a strict TypeScript consumer under
// module nodenext (both module systems; writes to read-only state must not compile), and the CLI.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/kernel.js';
import { packAndInstall, type Packed } from './packed.js';

let pkg: Packed;
beforeAll(() => {
  pkg = packAndInstall();
  process.stderr.write(`consumers: installed by ${pkg.method}\n`);
}, 60_000);
afterAll(() => pkg?.cleanup());

const node = (file: string, args: string[] = []) =>
  spawnSync(process.execPath, [file, ...args], { cwd: pkg.project, encoding: 'utf8', timeout: 15_000 });

// What each JavaScript consumer prints: the library working end to end on real timerfds.
const BODY = `
  const first = await once('5ms');
  const ticks = [];
  for await (const ev of every('5ms', { count: 3 })) ticks.push(ev.tick);
  const last = ticks.at(-1) >= 3;
  const loop = new Loop();
  const fired = await new Promise((resolve) => loop.add({ delay: '1ms' }, (ev) => resolve(ev.tick)));
  loop.close();
  let refused = '';
  try { parseDuration('5x'); } catch (err) { refused = err instanceof UsageError ? err.code : 'not a UsageError'; }
  console.log(JSON.stringify({ first: first.tick, last, fired, refused }));
`;
const EXPECTED = { first: 1, last: true, fired: 1, refused: 'EUSAGE' };

describe('the packed package', () => {
  it('depends at run time on koffi alone: the CLI\'s dependencies are bundled', () => {
    const manifest = JSON.parse(readFileSync(path.join(pkg.installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(['koffi']);
    const top = readdirSync(path.join(pkg.project, 'node_modules')).filter((d) => !d.startsWith('.'));
    for (const cliDep of ['yargs', 'execa', 'chalk']) expect(top).not.toContain(cliDep);
    if (pkg.method === 'npm install --offline') {
      const scoped = top.includes('@koromix') ? readdirSync(path.join(pkg.project, 'node_modules/@koromix')) : [];
      expect([...top.filter((d) => d !== '@koromix'), ...scoped.map((d) => `@koromix/${d}`)].sort()).toEqual(
        ['koffi', 'timerstack', ...scoped.map((d) => `@koromix/${d}`)].sort(),
      );
    }
  });

  it('works through require() from CommonJS, with no warning', () => {
    writeFileSync(
      path.join(pkg.project, 'consumer.cjs'),
      `const { once, every, Loop, parseDuration, UsageError } = require('timerstack');\n(async () => {${BODY}})();\n`,
    );
    const r = node('consumer.cjs');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it('works through import from an ES module, as the same instance require() gives, with the schema exported', () => {
    writeFileSync(
      path.join(pkg.project, 'consumer.mjs'),
      [
        "import { once, every, Loop, parseDuration, UsageError } from 'timerstack';",
        "import * as ns from 'timerstack';",
        "import { createRequire } from 'node:module';",
        "import schema from 'timerstack/schema/events.json' with { type: 'json' };",
        BODY,
        "console.log(JSON.stringify({ same: createRequire(import.meta.url)('timerstack').Loop === ns.Loop, schema: schema.title }));",
      ].join('\n'),
    );
    const r = node('consumer.mjs');
    expect(r.stderr).toBe('');
    const [result, extra] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(result).toEqual(EXPECTED);
    expect(extra).toEqual({ same: true, schema: expect.stringContaining('timerstack') });
  });

  it('type-checks a strict nodenext TypeScript consumer in both module systems, and refuses writes to read-only state', () => {
    const source = (kind: 'esm' | 'cjs') => `
import { once, every, Loop, LoopTimer, parseDuration, type Expiration, type ExpirationHandler, type TimerNative, type TimerValue, type MissedDeadlines, type TickIterator, type LoopNotice } from 'timerstack';
${kind === 'esm' ? 'await main();' : 'void main();'}
async function main(): Promise<void> {
  const ev: Expiration = await once('1ms');
  const loop = new Loop();
  if (ev.tick === 0) forbidden(ev, loop);
  const handler: ExpirationHandler = (e) => void e.latenessUs;
  const t = loop.add({ delay: '1ms', interval: 1_000_000n }, handler);
  const left: bigint = t.remaining();
  t.cancel();
  loop.close();
  const native: TimerNative | undefined = undefined;
  const value: TimerValue = { valueNs: 1n, intervalNs: 0n };
  const missed: MissedDeadlines | undefined = undefined;
  const notice: LoopNotice | undefined = undefined;
  const ticks: TickIterator = every('1ms', { count: 1 });
  for await (const e of ticks) console.log(JSON.stringify({ tick: e.tick >= 1, ns: String(parseDuration('1ms')), left: left >= 0n, native, missed, notice, value: String(value.valueNs) }));
}
// Each line must fail to compile (never run).
function forbidden(ev: Expiration, loop: Loop, value: TimerValue = { valueNs: 0n, intervalNs: 0n }): void {
  // @ts-expect-error an expiration's tick is read-only
  ev.tick = 2;
  // @ts-expect-error so is its timer's
  ev.timer.tick = 999;
  // @ts-expect-error the loop's state is read-only
  loop.dispatching = true;
  // @ts-expect-error a LoopTimer comes from Loop.add only
  new LoopTimer();
  // @ts-expect-error its internals are not in the types
  LoopTimer.slotOf(ev.timer);
  // @ts-expect-error a TimerValue is read-only
  value.valueNs = 2n;
}
`;
    writeFileSync(path.join(pkg.project, 'esm.mts'), source('esm'));
    writeFileSync(path.join(pkg.project, 'cjs.cts'), source('cjs'));
    writeFileSync(
      path.join(pkg.project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'esnext.disposable'],
          strict: true,
          skipLibCheck: false,
          outDir: 'out',
          typeRoots: [path.join(repoRoot, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['esm.mts', 'cjs.cts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: pkg.project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    for (const out of ['out/esm.mjs', 'out/cjs.cjs']) {
      const r = node(out);
      expect(r.stderr, out).toBe('');
      expect(JSON.parse(r.stdout), out).toEqual({ tick: true, ns: '1000000', left: true, value: '1' });
    }
  });

  it('runs the CLI from the installed bin, with its man page and version', () => {
    const bin = path.join(pkg.project, 'node_modules/.bin/timerstack');
    const run = (...args: string[]) => spawnSync(bin, args, { cwd: pkg.project, encoding: 'utf8', timeout: 15_000 });
    expect(run('--version').stdout.trim()).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
    const cmd = run('once', '0', '--', 'sh', '-c', 'echo ran; exit 3');
    expect([cmd.status, cmd.stdout]).toEqual([3, 'ran\n']);
    const help = run('every', '--help');
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('--count N')]);
    const ticks = run('every', '5ms', '--count', '2', '--json');
    const events = ticks.stdout.trim().split('\n').map((l) => JSON.parse(l) as { tick: number; expirations: number });
    expect(events.at(-1)!.tick).toBe(2);
    expect(events.reduce((n, e) => n + e.expirations, 0)).toBe(2);
    expect(pkg.files).toContain('man/timerstack.1');
  });
});
