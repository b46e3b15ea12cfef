// Seeded, deterministic calendar expressions for comparing with systemd-analyze: weekdays,
// dates, lists, ranges, repetitions, '~', fractional seconds, zones, shorthands, and some
// near-misses that systemd refuses.

// mulberry32: a small seeded generator, so every run sees the same expressions.
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Europe/Dublin',
  'America/Santiago',
  'Asia/Tehran',
  'Etc/UTC',
];

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LONG = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SHORTHANDS = ['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'annually', 'quarterly', 'semiannually', 'semi-annually', 'Daily', 'HOURLY'];

export function generateExpressions(count: number, seed: number): string[] {
  const rnd = seeded(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T;
  const chance = (p: number): boolean => rnd() < p;
  const pad = (v: number): string => (chance(0.5) ? String(v).padStart(2, '0') : String(v));

  // One list element within lo..hi: value, range, repetition, or range with repetition.
  const element = (lo: number, hi: number): string => {
    const a = int(lo, hi);
    const kind = rnd();
    if (kind < 0.45) return pad(a);
    if (kind < 0.65) return `${pad(a)}..${pad(int(a, Math.min(hi, a + int(0, 12))))}`;
    if (kind < 0.85) return `${pad(a)}/${int(1, Math.max(1, Math.floor((hi - lo) / 2)))}`;
    return `${pad(a)}..${pad(int(a, hi))}/${int(1, 6)}`;
  };
  const chain = (lo: number, hi: number, star = 0.4): string => {
    if (chance(star)) return '*';
    const n = chance(0.7) ? 1 : int(2, 3);
    return Array.from({ length: n }, () => element(lo, hi)).join(',');
  };
  const weekdays = (): string => {
    const names = chance(0.2) ? LONG : DAYS;
    const parts: string[] = [];
    for (let n = int(1, 2); n > 0; n--) {
      const a = int(0, 6);
      const name = names[a] as string;
      parts.push(chance(0.4) ? `${name}..${names[int(a, 6)]}` : name);
    }
    const text = parts.join(',');
    return chance(0.15) ? text.toLowerCase() : text;
  };
  const year = (): string => {
    if (chance(0.6)) return '*';
    if (chance(0.2)) return String(int(24, 40)); // two-digit years
    const a = int(2023, 2031);
    return chance(0.5) ? String(a) : `${a}..${int(a, 2040)}`;
  };
  const seconds = (): string => {
    const r = rnd();
    if (r < 0.5) return pad(int(0, 59));
    if (r < 0.6) return '*';
    if (r < 0.7) return `${int(0, 59)}.${int(1, 999)}`;
    if (r < 0.8) return `${pad(int(0, 10))}/${int(5, 30)}`;
    return chain(0, 59, 0.2);
  };
  const date = (): string => {
    const r = rnd();
    if (r < 0.3) return '';
    const endOfMonth = chance(0.15);
    const day = endOfMonth ? chain(1, 7, 0.1) : chain(1, 31, 0.4);
    const md = `${chain(1, 12, 0.5)}${endOfMonth ? '~' : '-'}${day}`;
    return r < 0.5 ? md : `${year()}-${md}`;
  };
  const time = (): string => {
    const r = rnd();
    if (r < 0.15) return '';
    const hm = `${chain(0, 23, 0.3)}:${chain(0, 59, 0.3)}`;
    return r < 0.5 ? hm : `${hm}:${seconds()}`;
  };
  const mutate = (text: string): string => {
    const at = int(0, text.length);
    const r = rnd();
    if (r < 0.4) return text.slice(0, at) + text.slice(at + 1);
    if (r < 0.8) return text.slice(0, at) + pick([' ', '-', ':', '.', ',', '/', '~', '9', 'x']) + text.slice(at);
    return text.replace(/\d+/, String(int(24, 99)));
  };

  const out = new Set<string>();
  while (out.size < count) {
    let text: string;
    if (chance(0.06)) text = pick(SHORTHANDS);
    else {
      const parts = [chance(0.3) ? weekdays() : '', date(), time()].filter((p) => p !== '');
      text = parts.join(' ');
      if (text === '') continue;
    }
    const z = rnd();
    if (z < 0.2) text += ' UTC';
    else if (z < 0.55) text += ` ${pick(ZONES)}`;
    if (chance(0.1)) text = mutate(text);
    if (text.trim() === text && !text.includes('\n')) out.add(text);
  }
  return [...out];
}
