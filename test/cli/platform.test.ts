// Elsewhere than Linux: one clear line and a non-zero exit, for the CLI and for the library.
import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { PlatformError } from '../../src/errors.js';
import { assertLinux } from '../../src/native/libc.js';

const real = Object.getOwnPropertyDescriptor(process, 'platform')!;

describe('not Linux', () => {
  beforeAll(() => {
    Object.defineProperty(process, 'platform', { value: 'darwin' });
  });
  afterAll(() => {
    Object.defineProperty(process, 'platform', real);
  });

  it('assertLinux names the platform in a PlatformError', () => {
    expect(() => assertLinux()).toThrow(PlatformError);
    expect(() => assertLinux()).toThrow('Linux is required (timerfd and epoll); this is darwin');
    expect(() => assertLinux('linux')).not.toThrow();
  });

  it.each([[['once', '0']], [['every', '5s', '--dry-run']], [['run', '-']]])('main %j: one line on stderr, exit 125, nothing armed', async (argv) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const result = await main(argv, { stdout, stderr, stdin: new PassThrough(), env: {}, signals: new EventEmitter() as unknown as NodeJS.Process });
    expect(result.code).toBe(125);
    expect(out).toBe('');
    expect(err).toBe('timerstack: Linux is required (timerfd and epoll); this is darwin\n');
  });
});
