// The metrics sink with the real prom-client: events in, the text exposition out; the next
// expiration read from the states at scrape time; --metrics addresses.
import * as prom from 'prom-client';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { describeAddress, isLoopback, parseMetricsAddress } from '../../src/output/metrics-address.js';
import { createMetrics, teeReporter } from '../../src/output/metrics.js';
import type { Reporter, StateEvent, TickEvent } from '../../src/supervise/events.js';
import { parseExposition, sample, samplesOf } from '../helpers/prometheus.js';

const tick = (timer: string, n: number, expirations = 1, latenessUs = 100): TickEvent => ({ timer, tick: n, expirations, timeNs: 0n, scheduledNs: 0n, latenessUs });
const run = (timer: string, status: number, durationMs: number) => ({ timer, tick: 1, pid: 1, status, exitCode: status, signal: undefined, timedOut: false, durationMs, error: undefined, timeNs: 0n });

describe('createMetrics', () => {
  it('counts expirations, missed ones, runs by status and skips by reason, per timer', async () => {
    const states: StateEvent[] = [{ timer: 'quiet', tick: 0, skipped: 0, remainingNs: 5_000_000_000n, intervalNs: 0n, running: 0, timeNs: 0n }];
    const m = createMetrics(prom, () => states, () => 1_000_000);
    m.reporter.tick(tick('a', 1));
    m.reporter.tick(tick('a', 4, 3, 2500));
    m.reporter.commandTick(tick('b', 1));
    m.reporter.run(run('b', 0, 20));
    m.reporter.run(run('b', 0, 40));
    m.reporter.run(run('b', 124, 1500));
    m.reporter.skip({ timer: 'b', tick: 2, skipped: 1, reason: 'overlap', timeNs: 0n });
    m.reporter.skip({ timer: 'b', tick: 5, skipped: 2, reason: 'missed', timeNs: 0n });
    const s = parseExposition(await m.text());
    expect(sample(s, 'timerstack_expirations_total', { timer: 'a' })).toBe(4);
    expect(sample(s, 'timerstack_missed_total', { timer: 'a' })).toBe(2);
    expect(sample(s, 'timerstack_expirations_total', { timer: 'b' })).toBe(1);
    expect(samplesOf(s, 'timerstack_runs_total', 'status', { timer: 'b' })).toEqual({ '0': 2, '124': 1 });
    expect(samplesOf(s, 'timerstack_skips_total', 'reason', { timer: 'b' })).toEqual({ overlap: 1, missed: 2 });
    expect(sample(s, 'timerstack_run_duration_seconds_count', { timer: 'b' })).toBe(3);
    expect(sample(s, 'timerstack_run_duration_seconds_sum', { timer: 'b' })).toBeCloseTo(1.56, 9);
    expect(sample(s, 'timerstack_run_duration_seconds_bucket', { timer: 'b', le: '0.05' })).toBe(2);
    expect(sample(s, 'timerstack_lateness_seconds_count', { timer: 'a' })).toBe(2);
    expect(sample(s, 'timerstack_lateness_seconds_bucket', { timer: 'a', le: '0.001' })).toBe(1);
    // A timer not yet fired shows 0, and when it fires next (now + its timerfd's time left).
    expect(sample(s, 'timerstack_expirations_total', { timer: 'quiet' })).toBe(0);
    expect(sample(s, 'timerstack_next_expiration_timestamp_seconds', { timer: 'quiet' })).toBe(1005);
    expect(sample(s, 'timerstack_next_expiration_timestamp_seconds', { timer: 'a' })).toBeUndefined();
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('drops the next expiration of a timer that will not expire again', async () => {
    const states: StateEvent[] = [{ timer: 't', tick: 1, skipped: 0, remainingNs: 1_000_000_000n, intervalNs: 0n, running: 0, timeNs: 0n }];
    const m = createMetrics(prom, () => states, () => 0);
    expect(sample(parseExposition(await m.text()), 'timerstack_next_expiration_timestamp_seconds', { timer: 't' })).toBe(1);
    states[0] = { ...states[0]!, remainingNs: undefined };
    expect(sample(parseExposition(await m.text()), 'timerstack_next_expiration_timestamp_seconds', { timer: 't' })).toBeUndefined();
  });

  it('keeps registries apart (two schedules in one process do not share counters)', async () => {
    const a = createMetrics(prom, () => []);
    const b = createMetrics(prom, () => []);
    a.reporter.tick(tick('x', 1));
    expect(sample(parseExposition(await b.text()), 'timerstack_expirations_total', { timer: 'x' })).toBeUndefined();
  });

  it('teeReporter gives each event to both', () => {
    const seen: string[] = [];
    const rec = (who: string): Reporter => ({
      tick: () => seen.push(`${who} tick`),
      commandTick: () => seen.push(`${who} commandTick`),
      run: () => seen.push(`${who} run`),
      skip: () => seen.push(`${who} skip`),
      clockStep: () => seen.push(`${who} clockStep`),
      missed: () => seen.push(`${who} missed`),
      catchUp: () => seen.push(`${who} catchUp`),
      problem: () => seen.push(`${who} problem`),
      attempt: () => seen.push(`${who} attempt`),
      giveUp: () => seen.push(`${who} giveUp`),
    });
    const t = teeReporter(rec('a'), rec('b'));
    t.tick(tick('x', 1));
    t.commandTick(tick('x', 1));
    t.run(run('x', 0, 1));
    t.skip({ timer: 'x', tick: 1, skipped: 1, reason: 'overlap', timeNs: 0n });
    t.clockStep({ timer: 'x', timeNs: 0n });
    t.missed({ timer: 'x', count: 2, firstNs: 0n, lastNs: 1n, timeNs: 0n });
    t.catchUp({ timer: 'x', count: 2, firstNs: 0n, lastNs: 1n, timeNs: 0n });
    t.problem({ timer: 'x', message: 'm', timeNs: 0n });
    expect(seen).toEqual(['tick', 'commandTick', 'run', 'skip', 'clockStep', 'missed', 'catchUp', 'problem'].flatMap((k) => [`a ${k}`, `b ${k}`]));
  });
});

describe('parseMetricsAddress', () => {
  it.each([
    ['9464', { kind: 'tcp', host: '127.0.0.1', port: 9464 }],
    ['127.0.0.1:9464', { kind: 'tcp', host: '127.0.0.1', port: 9464 }],
    ['127.1.2.3:80', { kind: 'tcp', host: '127.1.2.3', port: 80 }],
    ['localhost:9464', { kind: 'tcp', host: 'localhost', port: 9464 }],
    ['[::1]:9464', { kind: 'tcp', host: '::1', port: 9464 }],
    ['public:0.0.0.0:9464', { kind: 'tcp', host: '0.0.0.0', port: 9464 }],
    ['public:[::]:9464', { kind: 'tcp', host: '::', port: 9464 }],
    ['unix:/run/ts.sock', { kind: 'unix', path: '/run/ts.sock' }],
    ['unix:rel.sock', { kind: 'unix', path: 'rel.sock' }],
  ])('%s', (text, address) => {
    expect(parseMetricsAddress(text)).toEqual(address);
  });

  it.each([
    ['0.0.0.0:9464', '--metrics: "0.0.0.0:9464": "0.0.0.0" is not a loopback address, so other machines could read the metrics; write public:0.0.0.0:9464 to mean that'],
    ['10.1.2.3:9464', '--metrics: "10.1.2.3:9464": "10.1.2.3" is not a loopback address, so other machines could read the metrics; write public:10.1.2.3:9464 to mean that'],
    ['[::]:9464', '--metrics: "[::]:9464": "::" is not a loopback address, so other machines could read the metrics; write public:[::]:9464 to mean that'],
    ['host.example:9464', '--metrics: "host.example:9464": "host.example" is not a loopback address, so other machines could read the metrics; write public:host.example:9464 to mean that'],
    ['0', '--metrics: "0": the port must be 1 to 65535'],
    ['65536', '--metrics: "65536": the port must be 1 to 65535'],
    ['127.0.0.1', '--metrics: "127.0.0.1": use PORT, HOST:PORT, [IPv6]:PORT or unix:PATH'],
    [':9464', '--metrics: ":9464": the host is missing before the ":"'],
    ['[nope]:1', '--metrics: "[nope]:1": "nope" is not an IPv6 address'],
    ['unix:', '--metrics: "unix:": unix: needs a socket path (unix:/run/timerstack.sock)'],
    ['', '--metrics: "": use PORT, HOST:PORT, [IPv6]:PORT or unix:PATH'],
  ])('refuses %j', (text, message) => {
    expect(() => parseMetricsAddress(text)).toThrow(UsageError);
    expect(() => parseMetricsAddress(text)).toThrow(message);
  });

  it('knows the loopback addresses, however IPv6 writes them', () => {
    for (const host of ['localhost', '127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '128.0.0.1', '::2', '::ffff:10.0.0.1', 'localhost.example']) expect(isLoopback(host), host).toBe(false);
  });

  it('describes an address as a URL', () => {
    expect(describeAddress({ kind: 'tcp', host: '::1', port: 9 })).toBe('http://[::1]:9/metrics');
    expect(describeAddress({ kind: 'unix', path: '/x' })).toBe('unix:/x');
  });
});
