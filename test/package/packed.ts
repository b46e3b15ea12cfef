// The package as a user gets it: `npm pack` of this checkout, installed into a fresh project.
// The install is `npm install --offline TARBALL` (its one dependency, koffi, from npm's cache, as
// after `npm ci`); where the cache does not hold koffi, the tarball is unpacked where npm puts
// it and koffi is linked from this checkout's node_modules (the method is reported).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/kernel.js';

export interface Packed {
  root: string;
  tarball: string;
  // Paths in the tarball, relative to the package.
  files: string[];
  project: string;
  installed: string;
  method: 'npm install --offline' | 'unpacked, koffi linked';
  cleanup(): void;
}

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

export function packAndInstall(projectPackage: Record<string, unknown> = {}): Packed {
  const root = mkdtempSync(path.join(tmpdir(), 'timerstack-pack-'));
  const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', root], repoRoot);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const info = (JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
  const tarball = path.join(root, info.filename);
  const project = path.join(root, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, ...projectPackage }));
  const installed = path.join(project, 'node_modules', 'timerstack');
  let method: Packed['method'] = 'npm install --offline';
  const install = npm(['install', '--offline', '--ignore-scripts', '--no-package-lock', tarball], project);
  if (install.status !== 0) {
    if (!/ENOTCACHED/.test(install.stderr)) throw new Error(`npm install failed: ${install.stderr}`);
    method = 'unpacked, koffi linked';
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', installed, '--strip-components=1']);
    symlinkSync(path.join(repoRoot, 'node_modules', 'koffi'), path.join(project, 'node_modules', 'koffi'));
    mkdirSync(path.join(project, 'node_modules', '.bin'));
    symlinkSync('../timerstack/bin/timerstack.js', path.join(project, 'node_modules', '.bin', 'timerstack'));
  }
  return {
    root,
    tarball,
    files: info.files.map((f) => f.path),
    project,
    installed,
    method,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
