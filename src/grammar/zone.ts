// Pure time-zone arithmetic. Offsets come from Intl (Node's full ICU) and nothing else; per zone
// and per UTC year we keep the table of offset changes Intl reports, so every later question is
// a binary search plus integer arithmetic. Instants are bigint nanoseconds since the Unix epoch.

import { UsageError } from '../errors.js';
import { civilFromDays, daysFromCivil, type CivilTime } from './civil.js';
import { quote } from './quote.js';

export { civilFromDays, daysFromCivil, type CivilTime } from './civil.js';

export interface ZonedTime extends CivilTime {
  weekday: number; // 0 = Sunday
  offsetSec: number; // seconds east of UTC
  nanos: number; // 0..999_999_999 within the second
}

const NS = 1_000_000_000n;
const DAY = 86_400;
// Civil and UTC seconds never differ by more than this (real offsets stay within -12h..+14h).
const WINDOW = 18 * 3600;

// ICU still answers to these Java-era and SystemV IDs; the IANA database has no such zones.
const NOT_IANA = new Set(
  ('ACT AET AGT ART AST BET BST CAT CNT CST CTT EAT ECT IET IST JST MIT NET NST PLT PNT PRT PST ' +
    'SST VST CANADA/EAST-SASKATCHEWAN US/PACIFIC-NEW').split(' '),
);
const ZONE_NAME = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/;

// One UTC year of a zone: the offset at its first second, then each change (at, offset).
interface YearTable {
  readonly base: number;
  readonly at: readonly number[];
  readonly offsets: readonly number[];
}

interface Zone {
  readonly utc: boolean;
  readonly format: Intl.DateTimeFormat;
  readonly years: Map<number, YearTable>;
}

const zones = new Map<string, Zone>();
// checkZone's answers (null: unknown); creating an Intl.DateTimeFormat costs ~0.1 ms.
const checked = new Map<string, string | null>();
const CHECKED_MAX = 1000;

// The Intl formatter for a zone name, or undefined when Intl does not know it as an IANA zone.
function formatterFor(name: string): Intl.DateTimeFormat | undefined {
  if (!ZONE_NAME.test(name)) return undefined;
  const upper = name.toUpperCase();
  if (NOT_IANA.has(upper) || upper.startsWith('SYSTEMV/')) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
}

function unknownZone(name: string): UsageError {
  return new UsageError(`unknown time zone ${quote(name)}`);
}

// The cached state of a zone; throws UsageError for a name Intl does not know.
function zoneOf(name: string): Zone {
  let zone = zones.get(name);
  if (zone === undefined) {
    const format = formatterFor(name);
    if (format === undefined) throw unknownZone(name);
    zone = { utc: format.resolvedOptions().timeZone === 'UTC', format, years: new Map() };
    zones.set(name, zone);
  }
  return zone;
}

// The canonical spelling of a zone: 'UTC' for every UTC alias, ICU's spelling of a primary
// name (any case accepted), and a link such as Asia/Kolkata or US/Eastern kept as written
// (ICU's own canonical IDs are CLDR's older spellings, Asia/Calcutta and Europe/Kiev).
export function checkZone(name: string): string {
  let canonical = checked.get(name);
  if (canonical === undefined) {
    const format = formatterFor(name);
    const resolved = format?.resolvedOptions().timeZone;
    if (resolved === undefined) canonical = null;
    else if (resolved === 'UTC') canonical = 'UTC';
    else canonical = resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
    if (checked.size >= CHECKED_MAX) checked.clear();
    checked.set(name, canonical);
  }
  if (canonical === null) throw unknownZone(name);
  return canonical;
}

// The process's zone as Intl sees it (Node honours TZ), UTC aliases spelled 'UTC'; 'UTC' when
// Intl has no usable answer (TZ empty, unknown, or a POSIX rule string, which ICU ignores).
export function localZone(): string {
  const name = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!name) return 'UTC';
  try {
    return checkZone(name);
  } catch {
    return 'UTC';
  }
}

const FORMATTED = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

// The zone's offset at a UTC second, asked of Intl directly (uncached).
function intlOffset(zone: Zone, sec: number): number {
  const text = zone.format.format(sec * 1000);
  const m = FORMATTED.exec(text);
  if (m === null) throw new Error(`unexpected Intl date format ${quote(text)}`);
  const local =
    daysFromCivil(Number(m[3]), Number(m[1]), Number(m[2])) * DAY +
    Number(m[4]) * 3600 +
    Number(m[5]) * 60 +
    Number(m[6]);
  return local - sec;
}

// The first second in (lo, hi] whose offset differs from `from` (one exists at hi).
function bisect(zone: Zone, lo: number, hi: number, from: number): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (intlOffset(zone, mid) === from) lo = mid;
    else hi = mid;
  }
  return hi;
}

// The offset changes of one UTC year, found by sampling Intl daily and bisecting each change.
function yearTable(zone: Zone, year: number): YearTable {
  let table = zone.years.get(year);
  if (table !== undefined) return table;
  const start = daysFromCivil(year, 1, 1) * DAY;
  const end = daysFromCivil(year + 1, 1, 1) * DAY;
  const base = zone.utc ? 0 : intlOffset(zone, start);
  const at: number[] = [];
  const offsets: number[] = [];
  if (!zone.utc) {
    let current = base;
    for (let lo = start; lo < end; lo += DAY) {
      const hi = Math.min(lo + DAY, end);
      let from = lo;
      while (intlOffset(zone, hi) !== current) {
        const change = bisect(zone, from, hi, current);
        current = intlOffset(zone, change);
        at.push(change);
        offsets.push(current);
        from = change;
      }
    }
  }
  table = { base, at, offsets };
  zone.years.set(year, table);
  return table;
}

// The UTC year of a second since the epoch.
function utcYear(sec: number): number {
  return civilFromDays(Math.floor(sec / DAY)).year;
}

// The offset in seconds at a UTC second, from the cached tables.
function offsetAtSecond(zone: Zone, sec: number): number {
  if (zone.utc) return 0;
  const table = yearTable(zone, utcYear(sec));
  let lo = 0;
  let hi = table.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((table.at[mid] as number) <= sec) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? table.base : (table.offsets[lo - 1] as number);
}

// Each offset change (at, new offset) with fromSec < at <= toSec, in order.
function changesBetween(zone: Zone, fromSec: number, toSec: number): { at: number; offset: number }[] {
  const out: { at: number; offset: number }[] = [];
  if (zone.utc || toSec <= fromSec) return out;
  for (let year = utcYear(fromSec); year <= utcYear(toSec); year++) {
    const table = yearTable(zone, year);
    table.at.forEach((at, i) => {
      if (at > fromSec && at <= toSec) out.push({ at, offset: table.offsets[i] as number });
    });
  }
  return out;
}

// Whole seconds (floor) and the nanoseconds within that second.
function splitNs(instantNs: bigint): [number, number] {
  let sec = instantNs / NS;
  let nanos = instantNs % NS;
  if (nanos < 0n) {
    sec -= 1n;
    nanos += NS;
  }
  return [Number(sec), Number(nanos)];
}

// Seconds east of UTC in `zone` at an instant.
export function offsetAt(instantNs: bigint, zone: string): number {
  return offsetAtSecond(zoneOf(zone), splitNs(instantNs)[0]);
}

// The wall-clock reading of an instant in a zone, with weekday, offset and nanoseconds.
export function zonedTime(instantNs: bigint, zone: string): ZonedTime {
  const [sec, nanos] = splitNs(instantNs);
  const offsetSec = offsetAtSecond(zoneOf(zone), sec);
  const local = sec + offsetSec;
  const days = Math.floor(local / DAY);
  const ofDay = local - days * DAY;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(ofDay / 3600),
    minute: Math.floor(ofDay / 60) % 60,
    second: ofDay % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
    offsetSec,
    nanos,
  };
}

// A civil time as seconds on the zone's own clock (as if it were UTC); RangeError if impossible.
function civilSeconds(civil: CivilTime): number {
  const { year, month, day, hour, minute, second } = civil;
  const fields = [year, month, day, hour, minute, second];
  const days = daysFromCivil(year, month, day);
  const back = civilFromDays(days);
  if (
    !fields.every(Number.isInteger) ||
    back.month !== month ||
    back.day !== day ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    throw new RangeError(`not a civil time: ${JSON.stringify(civil)}`);
  }
  return days * DAY + hour * 3600 + minute * 60 + second;
}

// Every instant at which the zone's clock reads `local`, ascending (as UTC seconds).
function secondsAt(zone: Zone, local: number): number[] {
  if (zone.utc) return [local];
  const offsets = new Set([offsetAtSecond(zone, local - WINDOW)]);
  for (const change of changesBetween(zone, local - WINDOW, local + WINDOW)) offsets.add(change.offset);
  const out: number[] = [];
  for (const offset of offsets) {
    const sec = local - offset;
    if (offsetAtSecond(zone, sec) === offset && !out.includes(sec)) out.push(sec);
  }
  return out.sort((a, b) => a - b);
}

// The instants at which a civil time occurs in a zone: none in a gap, two in a repeated hour.
export function instantsAt(civil: CivilTime, zone: string): bigint[] {
  return secondsAt(zoneOf(zone), civilSeconds(civil)).map((sec) => BigInt(sec) * NS);
}

// For a civil time in a gap, the instant the gap ends (the transition); else its first instant.
export function gapEnd(civil: CivilTime, zone: string): bigint {
  const z = zoneOf(zone);
  const local = civilSeconds(civil);
  const found = secondsAt(z, local);
  if (found.length > 0) return BigInt(found[0] as number) * NS;
  for (const change of changesBetween(z, local - WINDOW, local + WINDOW)) {
    const before = offsetAtSecond(z, change.at - 1);
    if (change.at + before <= local && local < change.at + change.offset) return BigInt(change.at) * NS;
  }
  throw new Error(`no instant and no gap for ${JSON.stringify(civil)} in ${zone}`);
}

// The first change of offset strictly after `afterNs` and no later than `limitNs`, if any.
export function nextTransition(afterNs: bigint, zone: string, limitNs: bigint): bigint | undefined {
  const z = zoneOf(zone);
  const [from] = splitNs(afterNs);
  const [to] = splitNs(limitNs);
  const first = changesBetween(z, from, to)[0];
  return first === undefined ? undefined : BigInt(first.at) * NS;
}
