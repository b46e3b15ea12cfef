// Words that were not UTF-8 on the command line, proven against the raw bytes (a fake
// /proc/self/cmdline here; the real one in messages.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { refuseNonUtf8 } from '../../src/cli/argv-bytes.js';
import { UsageError } from '../../src/errors.js';

const cmdline = (...words: Array<string | Buffer>) => () => Buffer.concat(words.flatMap((w) => [Buffer.isBuffer(w) ? w : Buffer.from(w), Buffer.of(0)]));

describe('refuseNonUtf8', () => {
  it('refuses a word whose bytes were not UTF-8, naming it', () => {
    const raw = Buffer.from([0x66, 0xe9]);
    const argv = ['once', '0', '--', 'touch', raw.toString('utf8')];
    let caught: unknown;
    try {
      refuseNonUtf8(argv, cmdline('node', 'bin', 'once', '0', '--', 'touch', raw));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toBe('argument 5 is not UTF-8 text: "f\ufffd" (timerstack cannot pass such bytes on unchanged)');
    expect((caught as UsageError).exitCode).toBe(125);
  });

  it('passes a U+FFFD that was typed, and never reads the command line without one', () => {
    expect(() => refuseNonUtf8(['once', 'a\ufffd'], cmdline('node', 'bin', 'once', 'a\ufffd'))).not.toThrow();
    expect(() => refuseNonUtf8(['once', '5s'], () => { throw new Error('read'); })).not.toThrow();
  });

  it('gives up (refuses nothing) when the command line is not this one, or not there', () => {
    const argv = ['once', Buffer.from([0xff]).toString('utf8')];
    expect(() => refuseNonUtf8(argv, cmdline('vitest', 'run', 'other'))).not.toThrow();
    expect(() => refuseNonUtf8(argv, () => undefined)).not.toThrow();
  });
});
