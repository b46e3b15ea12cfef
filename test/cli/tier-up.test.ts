// Which V8 tier a serving process keeps to, from its timers (pure: specs built from words).
import { describe, expect, it } from 'vitest';
import { TIER_FLAGS, tierFor } from '../../src/cli/tier-up.js';
import { buildSpec, type TimerSpec } from '../../src/kinds/spec.js';
import { parseWords } from '../../src/grammar/words.js';
import { WARMUP_MAX_SOURCES } from '../../src/loop/warmup-mode.js';

const spec = (words: string[]): TimerSpec => buildSpec(parseWords(words), { nowNs: 1_768_478_430_000_000_000n, utcOffsetNs: 0n, defaultName: 'timer' });

describe('tierFor', () => {
  it('keeps a few timers that sleep between wake-ups to baseline code', () => {
    expect(tierFor([spec(['every', '5ms'])])).toBe('baseline');
    expect(tierFor([spec(['every', '2ms'])])).toBe('baseline');
    expect(tierFor([spec(['once', '10s'])])).toBe('baseline');
    expect(tierFor([spec(['cron', '*/5 * * * *'])])).toBe('baseline');
    expect(tierFor(Array.from({ length: WARMUP_MAX_SOURCES }, () => spec(['every', '1s'])))).toBe('baseline');
  });

  it('optimizes when a period is too short for the warm-up wake', () => {
    expect(tierFor([spec(['every', '1999us'])])).toBe('optimizing');
    expect(tierFor([spec(['every', '1s']), spec(['every', '100us'])])).toBe('optimizing');
  });

  it('optimizes past the timers that get a warm-up wake', () => {
    expect(tierFor(Array.from({ length: WARMUP_MAX_SOURCES + 1 }, () => spec(['every', '1s'])))).toBe('optimizing');
  });

  it('names V8 flags that this Node accepts', async () => {
    const { execFileSync } = await import('node:child_process');
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const names = Object.values(TIER_FLAGS).flatMap((flags) => flags.split(' ').map((flag) => flag.split('=')[0]!));
    expect(names).toContain('--always-sparkplug');
    for (const name of names) expect(options).toContain(`  ${name} (`);
  });
});
