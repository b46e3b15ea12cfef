// --metrics through the real binary: scraped over HTTP while a table runs, and the counters are
// the NDJSON events of the same run, exactly; a TCP address; a refused or busy address stops
// everything before any timer is armed or command run.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lines, ndjson, timerstack, waitFor } from '../helpers/binary.js';
import { parseExposition, sample, samplesOf } from '../helpers/prometheus.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ts-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Scrape {
  status: number;
  type: string;
  body: string;
}

function get(target: { socketPath: string } | { host: string; port: number }, urlPath = '/metrics'): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path: urlPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// A port nothing listens on right now (the kernel's choice, released at once).
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('--metrics', () => {
  it('is scraped during a run, and its counters equal the NDJSON events of that run', async () => {
    const WORK = 40;
    const PULSE = 25;
    const table = path.join(dir, 'timers.txt');
    // work: runs that outlast the interval (overlap skips) and end with statuses 0, 1, 2;
    // pulse: ticks without a command; hold: keeps the process up so the last scrape sees all.
    writeFileSync(table, [
      `work: every 30ms --count ${WORK} -- /bin/sh -c 'sleep 0.05; exit $((TIMERSTACK_TICK % 3))'`,
      `pulse: every 20ms --count ${PULSE}`,
      'hold: once 1h -- /bin/true',
    ].join('\n'));
    const socketPath = path.join(dir, 'metrics.sock');
    let stdout = '';
    let stderr = '';
    let child: import('node:child_process').ChildProcess | undefined;
    const startSec = Date.now() / 1000;
    const done = timerstack(['run', table, '--json', '--verbose', '--metrics', `unix:${socketPath}`], {
      timeoutMs: 30_000,
      onSpawn: (c) => {
        child = c;
        c.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
        c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      },
    });
    const events = () => [...ndjson(stdout), ...ndjson(stderr)];
    const workSettled = () => {
      const e = events().filter((x) => x.timer === 'work');
      const runs = e.filter((x) => x.event === 'run').length;
      const skipped = e.filter((x) => x.event === 'skip').reduce((n, x) => n + (x.skipped as number), 0);
      return runs + skipped === WORK;
    };

    // During the run.
    await waitFor(() => ndjson(stdout).some((e) => e.timer === 'pulse'), 10_000);
    const during = await get({ socketPath });
    expect(during.status).toBe(200);
    expect(during.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const early = parseExposition(during.body);
    expect(sample(early, 'timerstack_expirations_total', { timer: 'pulse' })).toBeGreaterThanOrEqual(1);
    expect(sample(early, 'timerstack_expirations_total', { timer: 'pulse' })).toBeLessThanOrEqual(PULSE);

    // Once work and pulse are over (hold still waits): every counter against the events.
    await waitFor(() => workSettled() && ndjson(stdout).some((e) => e.timer === 'pulse' && e.tick === PULSE), 20_000);
    const s = parseExposition((await get({ socketPath })).body);
    const ev = events();
    const ticks = (timer: string) => ev.filter((e) => e.event === 'tick' && e.timer === timer);
    for (const timer of ['work', 'pulse']) {
      const expirations = ticks(timer).reduce((n, e) => n + (e.expirations as number), 0);
      expect(sample(s, 'timerstack_expirations_total', { timer }), timer).toBe(expirations);
      expect(sample(s, 'timerstack_missed_total', { timer }), timer).toBe(expirations - ticks(timer).length);
      expect(sample(s, 'timerstack_lateness_seconds_count', { timer }), timer).toBe(ticks(timer).length);
      expect(sample(s, 'timerstack_next_expiration_timestamp_seconds', { timer }), timer).toBeUndefined();
    }
    expect(sample(s, 'timerstack_expirations_total', { timer: 'work' })).toBe(WORK);
    expect(sample(s, 'timerstack_expirations_total', { timer: 'pulse' })).toBe(PULSE);
    const runs = ev.filter((e) => e.event === 'run' && e.timer === 'work');
    const byStatus: Record<string, number> = {};
    for (const r of runs) byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
    expect(samplesOf(s, 'timerstack_runs_total', 'status', { timer: 'work' })).toEqual(byStatus);
    expect(Object.keys(byStatus).length).toBeGreaterThan(1);
    const byReason: Record<string, number> = {};
    for (const k of ev.filter((e) => e.event === 'skip' && e.timer === 'work')) byReason[k.reason as string] = (byReason[k.reason as string] ?? 0) + (k.skipped as number);
    expect(samplesOf(s, 'timerstack_skips_total', 'reason', { timer: 'work' })).toEqual(byReason);
    expect(byReason.overlap).toBeGreaterThan(0);
    expect(sample(s, 'timerstack_run_duration_seconds_count', { timer: 'work' })).toBe(runs.length);
    const durations = runs.reduce((n, r) => n + (r.duration_ms as number) / 1000, 0);
    expect(sample(s, 'timerstack_run_duration_seconds_sum', { timer: 'work' })).toBeCloseTo(durations, 2);
    // hold: armed for an hour from its start.
    const next = sample(s, 'timerstack_next_expiration_timestamp_seconds', { timer: 'hold' })!;
    expect(next).toBeGreaterThan(startSec + 3600 - 1);
    expect(next).toBeLessThan(Date.now() / 1000 + 3600 + 1);

    child!.kill('SIGTERM');
    const r = await done;
    // timerstack ends by the signal it was stopped by (its parent sees 143).
    expect(r.signal).toBe('SIGTERM');
    // The socket is gone with the server.
    expect(existsSync(socketPath)).toBe(false);
  });

  it('serves TCP on a loopback address: /metrics, and 404 elsewhere', async () => {
    const port = await freePort();
    let child: import('node:child_process').ChildProcess | undefined;
    const done = timerstack(['every', '50ms', '--quiet', '--metrics', `127.0.0.1:${port}`], { onSpawn: (c) => (child = c) });
    let scrape: Scrape | undefined;
    for (let i = 0; i < 500 && !scrape; i++) {
      scrape = await get({ host: '127.0.0.1', port }).catch(async () => {
        await new Promise((res) => setTimeout(res, 20));
        return undefined;
      });
    }
    expect(scrape!.status).toBe(200);
    expect(sample(parseExposition(scrape!.body), 'timerstack_expirations_total', { timer: 'timer' })).toBeGreaterThanOrEqual(0);
    expect((await get({ host: '127.0.0.1', port }, '/')).status).toBe(404);
    child!.kill('SIGINT');
    expect((await done).signal).toBe('SIGINT');
  });

  it('refuses a non-loopback address, and a busy one, before arming or running anything', async () => {
    const marker = path.join(dir, 'ran');
    const open = await timerstack(['once', '0', '--metrics', '0.0.0.0:9464', '--', '/bin/touch', marker]);
    expect(open.code).toBe(125);
    expect(lines(open.stderr)).toEqual([
      'timerstack: --metrics: "0.0.0.0:9464": "0.0.0.0" is not a loopback address, so other machines could read the metrics; write public:0.0.0.0:9464 to mean that (see \'timerstack --help\')',
    ]);
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((res) => blocker.once('listening', res));
    const port = (blocker.address() as { port: number }).port;
    const busy = await timerstack(['once', '0', '--metrics', String(port), '--', '/bin/touch', marker]);
    blocker.close();
    expect(busy.code).toBe(125);
    expect(lines(busy.stderr)).toEqual([`timerstack: --metrics http://127.0.0.1:${port}/metrics: cannot listen: the address is already in use`]);
    expect(existsSync(marker)).toBe(false);
  });
});
