// What the calendar kinds share: a wall clock to arm on, the zone they are computed in, and the
// first elapse after now.
import { UsageError } from '../errors.js';
import { PERSISTENT, TZ } from '../grammar/options.js';
import { optionValue, type ParsedWords } from '../grammar/words.js';
import { localZone } from '../grammar/zone.js';
import type { ScheduleRule, SpecContext, TimerSpec } from './kind.js';
import { limits } from './limits.js';

// Refuses a clock that is not a wall clock: a calendar schedule names wall-clock instants.
export function requireWallClock(spec: TimerSpec, what: string): void {
  if (spec.clock !== 'realtime' && spec.clock !== 'realtime-alarm') {
    throw new UsageError(`--clock: ${what} needs a wall clock (realtime or realtime-alarm), not ${spec.clock}`);
  }
}

// The zone of the timer's wall-clock times: --tz, else the local zone (TZ).
export function zoneOf(words: ParsedWords): string {
  return optionValue(words, TZ) ?? localZone();
}

// The schedule part of a calendar kind's spec: on a wall clock, its rule and first elapse, its
// --persistent file and its limits.
export function calendarSpec(what: string, words: ParsedWords, spec: TimerSpec, ctx: SpecContext, rule: ScheduleRule): void {
  requireWallClock(spec, what);
  applyRule(spec, rule, ctx.nowNs);
  const persistent = optionValue(words, PERSISTENT);
  if (persistent !== undefined) spec.persistent = persistent;
  limits(words, spec, ctx);
}

// Gives the spec its rule and its first elapse strictly after now (none: it never elapses).
export function applyRule(spec: TimerSpec, rule: ScheduleRule, nowNs: bigint): void {
  spec.rule = rule;
  spec.zone = rule.zone;
  const first = rule.next(nowNs);
  if (first !== undefined) spec.atNs = first;
}

export interface MissedRange {
  count: number;
  firstNs: bigint;
  lastNs: bigint;
}

// Counting stops here (a minutely schedule left for two years): the count is then "at least".
const MAX_MISSED = 1_000_000;

// The elapses of a computed schedule in (sinceNs, nowNs]: what --persistent catches up on.
export function missedSince(rule: ScheduleRule, sinceNs: bigint, nowNs: bigint): MissedRange | undefined {
  const first = rule.next(sinceNs);
  if (first === undefined || first > nowNs) return undefined;
  let count = 1;
  let last = first;
  for (let t = rule.next(first); t !== undefined && t <= nowNs && count < MAX_MISSED; t = rule.next(t)) {
    last = t;
    count++;
  }
  return { count, firstNs: first, lastNs: last };
}
