// `timerstack next KIND SPEC... [-n N] [--from TIME] [--tz ZONE] [--json]`: the next expirations
// of any timer spec, strictly after --from (default: now), one ISO 8601 instant with its offset a
// line, or NDJSON. Arms nothing. next's own options may stand before or after the spec.
import { EXIT, UsageError } from '../errors.js';
import { FROM, ITERATIONS, TIMER_COMMANDS, TZ } from '../grammar/options.js';
import { quote } from '../grammar/quote.js';
import { formatInstant, formatZoned, parseTime } from '../grammar/time.js';
import { optionValue, parseWords, prefixed } from '../grammar/words.js';
import { localZone } from '../grammar/zone.js';
import type { TimerSpec } from '../kinds/kind.js';
import { buildSpec } from '../kinds/spec.js';
import { line, type ExitResult, type Io } from './io.js';
import { wallNow } from './now.js';

const DEFAULT_COUNT = 5;

interface NextWords {
  spec: string[];
  count: number;
  from: string | undefined;
  json: boolean;
  help: boolean;
}

export async function nextCommand(argv: readonly string[], io: Io): Promise<ExitResult> {
  const words = splitNext(argv);
  if (words.help) {
    const { helpText } = await import('./help.js');
    io.stdout.write(await helpText('next'));
    return { code: EXIT.ok };
  }
  const now = wallNow();
  const parsed = parseWords(words.spec, 'table');
  const zone = optionValue(parsed, TZ) ?? localZone();
  const fromNs = words.from === undefined ? now.nowNs : prefixed('--from', () => parseTime(words.from!, now.nowNs, zone).instantNs);
  const spec = buildSpec(parsed, { ...now, nowNs: fromNs, defaultName: 'timer' });
  const shownIn = spec.zone ?? zone;
  let n = 0;
  for (const at of elapses(spec, fromNs, words.count)) {
    n++;
    if (words.json) line(io.stdout, JSON.stringify({ event: 'elapse', timer: spec.name, n, time: formatInstant(at), local: formatZoned(at, shownIn) }));
    else line(io.stdout, formatZoned(at, shownIn));
  }
  return { code: EXIT.ok };
}

// The words after `next`: its own options wherever they stand, and the spec from its kind on.
function splitNext(argv: readonly string[]): NextWords {
  const out: NextWords = { spec: [], count: DEFAULT_COUNT, from: undefined, json: false, help: false };
  let kindSeen = false;
  const before: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      out.spec.push(...argv.slice(i));
      break;
    }
    const value = (name: string) => {
      const eq = word.indexOf('=');
      if (eq >= 0) return word.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${name} needs a value`);
      return v;
    };
    if (word === '-h' || word === '--help') out.help = true;
    else if (word === '--json') out.json = true;
    else if (word === '-n' || word === `--${ITERATIONS.name}` || word.startsWith(`--${ITERATIONS.name}=`)) out.count = prefixed(`--${ITERATIONS.name}`, () => ITERATIONS.parse(value(word)));
    else if (/^-n\d+$/.test(word)) out.count = prefixed(`--${ITERATIONS.name}`, () => ITERATIONS.parse(word.slice(2)));
    else if (word === `--${FROM.name}` || word.startsWith(`--${FROM.name}=`)) out.from = value(word);
    else if (!kindSeen && (TIMER_COMMANDS as readonly string[]).includes(word)) {
      kindSeen = true;
      out.spec.push(word, ...before);
    } else if (kindSeen) out.spec.push(word);
    else if (word === `--${TZ.name}`) before.push(word, value(word));
    else if (word.startsWith(`--${TZ.name}=`)) before.push(word);
    else throw new UsageError(`next: expected a timer (${TIMER_COMMANDS.join(', ')}) before ${quote(word)}`);
  }
  if (!kindSeen && !out.help) throw new UsageError(`next: missing the timer (${TIMER_COMMANDS.join(', ')} and its spec)`);
  return out;
}

// Up to `count` expirations of `spec` strictly after `fromNs`, as wall-clock instants; within
// its own limits (--count, --until).
export function* elapses(spec: TimerSpec, fromNs: bigint, count: number): Generator<bigint> {
  const limit = Math.min(count, spec.count ?? Infinity);
  let at: bigint | undefined = spec.rule ? spec.atNs : (spec.atNs ?? fromNs + (spec.delayNs ?? spec.intervalNs));
  for (let i = 0; i < limit && at !== undefined; i++) {
    if (spec.untilNs !== undefined && at >= spec.untilNs) return;
    if (spec.forNs !== undefined && at > fromNs + spec.forNs) return;
    yield at;
    at = spec.rule ? spec.rule.next(at) : spec.intervalNs > 0n ? at + spec.intervalNs : undefined;
  }
}
