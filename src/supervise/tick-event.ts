// The tick events a schedule reports, built from the loop's expirations (and from a
// --persistent catch-up).
import type { MissedRange } from '../kinds/wall-clock.js';
import type { TimerSpec } from '../kinds/kind.js';
import type { Expiration } from '../loop/loop.js';
import type { Entry } from './entry.js';
import type { TickEvent } from './events.js';

// The tick as reported: on the wall clock, and with a limit of N ticks (--count, --for),
// expirations past the Nth (a late wake-up can carry several) left out, so the ticks reported
// add up to exactly N.
export function tickEvent(entry: Entry, ev: Expiration): TickEvent {
  const { spec } = entry;
  const max = entry.maxTicks;
  const over = max !== undefined && ev.tick > max ? ev.tick - max : 0;
  return {
    timer: spec.name,
    tick: ev.tick - over,
    expirations: ev.expirations - over,
    timeNs: ev.wallTime,
    // (No BigInt arithmetic for the usual tick, none past the limit: each result is a new object.)
    scheduledNs: (over === 0 ? ev.scheduled : ev.scheduled - BigInt(over) * spec.intervalNs) + ev.timer.wallOffset,
    latenessUs: ev.latenessUs + (over * Number(spec.intervalNs)) / 1000,
    zone: spec.zone,
  };
}

// A tick event for the warm-up wake's sample expiration (never reported: formatted and dropped,
// so that the formatting code is warm when the real expiration comes).
export function sampleTick(ev: Expiration): TickEvent {
  return {
    timer: ev.timer.name,
    tick: ev.tick,
    expirations: ev.expirations,
    timeNs: ev.wallTime,
    scheduledNs: ev.scheduled + ev.timer.wallOffset,
    latenessUs: ev.latenessUs,
    zone: undefined,
  };
}

// The one act a --persistent timer makes at start for what it missed: due at the last of them,
// seen at `nowNs`.
export function catchUpTick(spec: TimerSpec, missed: MissedRange, nowNs: bigint): TickEvent {
  const latenessUs = Number(nowNs - missed.lastNs) / 1000;
  return { timer: spec.name, tick: 0, expirations: missed.count, timeNs: nowNs, scheduledNs: missed.lastNs, latenessUs, zone: spec.zone };
}
