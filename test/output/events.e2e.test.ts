// The real binary's NDJSON, kind by kind: ticks, runs, skips, states, plans (of --dry-run and of
// run --check), reloads. The spawn helper validates every line against schema/events.json; this
// file makes sure each kind is produced at least once and has its `time`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timerstack } from '../helpers/binary.js';
import { eventLines, validateEvent } from '../helpers/events.js';

const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kinds = (...texts: string[]) => new Set(texts.flatMap((t) => eventLines(t).map((e) => e.event as string)));

describe('NDJSON events from the binary', () => {
  it('tick, run and skip: each stamped with when it happened', async () => {
    const before = Date.now();
    const plain = await timerstack(['every', '10ms', '--count', '2', '--json']);
    // Each run outlasts two ticks: the tick between is skipped (overlap), every run is reported (-v).
    const busy = await timerstack(['every', '20ms', '--count', '4', '--json', '-v', '--', 'sleep', '0.05']);
    const after = Date.now();
    expect([plain.code, busy.code]).toEqual([0, 0]);
    expect(kinds(plain.stdout, busy.stderr)).toEqual(new Set(['tick', 'run', 'skip']));
    for (const e of [...eventLines(plain.stdout), ...eventLines(busy.stderr)]) {
      expect(validateEvent(e)).toEqual([]);
      const t = Date.parse(e.time as string);
      expect(t).toBeGreaterThanOrEqual(before - 1);
      expect(t).toBeLessThanOrEqual(after + 1);
    }
  });

  it('state, on SIGUSR1 once the timer is armed (its first tick seen)', async () => {
    let out = '';
    let err = '';
    const r = await timerstack(['every', '20ms', '--json'], {
      onSpawn: (child) => {
        child.stdout!.on('data', (d: Buffer) => {
          if (out === '') child.kill('SIGUSR1');
          out += d.toString();
        });
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          if (err.includes('"state"')) child.kill('SIGTERM');
        });
      },
    });
    expect(r.signal).toBe('SIGTERM');
    expect(kinds(r.stderr)).toEqual(new Set(['state']));
  });

  it('plan, from --dry-run and from run --check', async () => {
    const dry = await timerstack(['every', '5s', '--dry-run', '--json']);
    const table = path.join(dir, 'timers.txt');
    writeFileSync(table, 'a: every 1m\nb: at 2099-01-01T00:00:00Z -- true\n');
    const check = await timerstack(['run', table, '--check', '--json']);
    expect(eventLines(dry.stdout).map((e) => e.event)).toEqual(['plan']);
    expect(eventLines(check.stdout).map((e) => [e.event, e.timer])).toEqual([['plan', 'a'], ['plan', 'b']]);
  });

  it('elapse, from next: its time is the elapse it predicts', async () => {
    const next = await timerstack(['next', 'cron', '0 9 * * *', '-n', '2', '--json'], { env: { ...process.env, TZ: 'UTC' } });
    const elapses = eventLines(next.stdout);
    expect(elapses.map((e) => [e.event, e.n])).toEqual([['elapse', 1], ['elapse', 2]]);
    for (const e of elapses) expect(e.time).toMatch(/T09:00:00Z$/);
  });
});
