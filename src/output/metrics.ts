// The metrics sink: the schedule's events counted per timer in a prom-client registry, and the
// Prometheus text exposition of it. prom-client is given in (the CLI loads it only for
// --metrics: about 36 ms); the next expirations are read from the schedule at each scrape.
import type * as Prom from 'prom-client';
import type { Reporter, RunEvent, SkipEvent, StateEvent, TickEvent } from '../supervise/events.js';

export type PromClient = typeof Prom;

// Seconds; expirations are normally late by tens of microseconds.
const LATENESS_BUCKETS = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
const DURATION_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

export interface Metrics {
  reporter: Reporter;
  // The exposition, and its Content-Type.
  text(): Promise<string>;
  contentType: string;
}

interface TimerSeries {
  expirations: Prom.Counter.Internal;
  missed: Prom.Counter.Internal;
  lateness: Prom.Histogram.Internal<string>;
}

// A registry of timerstack's metrics fed by the Reporter it returns; `states` (the schedule's,
// as SIGUSR1 shows them) gives each timer's time to its next expiration at scrape time.
export function createMetrics(prom: PromClient, states: () => readonly StateEvent[], wallNowMs: () => number = Date.now): Metrics {
  const registers = [new prom.Registry()];
  const expirations = new prom.Counter({ name: 'timerstack_expirations_total', help: 'Expirations of the timer, as the kernel counted them (missed ones included).', labelNames: ['timer'], registers });
  const missed = new prom.Counter({ name: 'timerstack_missed_total', help: 'Expirations that came while an earlier one was still unread (reported as expirations > 1).', labelNames: ['timer'], registers });
  const runs = new prom.Counter({ name: 'timerstack_runs_total', help: 'Finished runs of the timer\'s command, by exit status (124 timed out, 128+N killed by signal N).', labelNames: ['timer', 'status'], registers });
  const skips = new prom.Counter({ name: 'timerstack_skips_total', help: 'Expirations whose command was not run, by reason (overlap, queue-full, stopping, missed).', labelNames: ['timer', 'reason'], registers });
  const duration = new prom.Histogram({ name: 'timerstack_run_duration_seconds', help: 'How long each run of the command took.', labelNames: ['timer'], buckets: DURATION_BUCKETS, registers });
  const lateness = new prom.Histogram({ name: 'timerstack_lateness_seconds', help: 'How late each expiration was seen, after its deadline.', labelNames: ['timer'], buckets: LATENESS_BUCKETS, registers });
  new prom.Gauge({
    name: 'timerstack_next_expiration_timestamp_seconds',
    help: 'When the timer expires next (Unix time); absent once it will not expire again.',
    labelNames: ['timer'],
    registers,
    collect() {
      this.reset();
      const now = wallNowMs() / 1000;
      for (const s of states()) if (s.remainingNs !== undefined) this.labels(s.timer).set(now + Number(s.remainingNs) / 1e9);
    },
  });
  // Each timer's counters, started at 0 the first time it is seen (a scrape before its first
  // expiration shows it).
  const series = new Map<string, TimerSeries>();
  const seriesOf = (timer: string): TimerSeries => {
    let s = series.get(timer);
    if (!s) {
      s = { expirations: expirations.labels(timer), missed: missed.labels(timer), lateness: lateness.labels(timer) };
      s.expirations.inc(0);
      s.missed.inc(0);
      series.set(timer, s);
    }
    return s;
  };
  const text = () => {
    for (const s of states()) seriesOf(s.timer);
    return registers[0]!.metrics();
  };

  const onTick = (e: TickEvent) => {
    const s = seriesOf(e.timer);
    s.expirations.inc(e.expirations);
    if (e.expirations > 1) s.missed.inc(e.expirations - 1);
    s.lateness.observe(Math.max(0, e.latenessUs) / 1e6);
  };
  const reporter: Reporter = {
    tick: onTick,
    commandTick: onTick,
    run: (e: RunEvent) => {
      runs.labels(e.timer, String(e.status)).inc();
      duration.labels(e.timer).observe(e.durationMs / 1000);
    },
    skip: (e: SkipEvent) => skips.labels(e.timer, e.reason).inc(e.skipped),
    // Elapses a clock step jumped over are missed expirations too.
    missed: (e) => seriesOf(e.timer).missed.inc(e.count),
    // Not metered: clock steps, --persistent's reports of elapses missed while timerstack was not
    // running (the catch-up run itself is counted as a run), retry's attempts (their runs are).
    clockStep: () => {},
    catchUp: () => {},
    problem: () => {},
    attempt: () => {},
    giveUp: () => {},
  };
  return { reporter, text, contentType: registers[0]!.contentType };
}

// Events to both reporters: the streams' and the metrics'.
export function teeReporter(a: Reporter, b: Reporter): Reporter {
  const both = {} as Record<keyof Reporter, (e: never) => void>;
  for (const key of Object.keys(a) as Array<keyof Reporter>) {
    const first = a[key] as (e: never) => void;
    const second = b[key] as (e: never) => void;
    both[key] = (e) => {
      first(e);
      second(e);
    };
  }
  return both as unknown as Reporter;
}
