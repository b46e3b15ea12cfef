// Soak: a long fast run and a run of many commands, watched from outside through /proc.
//  - 40,000 ticks at 250 µs with --json: the expirations must add up to the last tick exactly,
//    RSS after the first seconds may grow by under 15 %, the fd count must stay flat;
//  - 1,500 runs of `true` at 2 ms: no zombie left behind, a flat fd count.
import { spawn } from 'node:child_process';
import { median, round } from '../lib/stats.mjs';
import { sampleProc } from '../lib/spawn.mjs';
import { BIN } from '../lib/tools.mjs';

// Spawns argv, hands every stdout/stderr line to onLine, samples /proc every `everyMs`.
function watchRun(argv, { everyMs, onLine, timeoutMs }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const samples = [];
    const take = () => {
      const s = sampleProc(child.pid);
      if (s) samples.push({ ms: Date.now() - t0, ...s });
    };
    const timer = setInterval(take, everyMs);
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    for (const [stream, name] of [[child.stdout, 'stdout'], [child.stderr, 'stderr']]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) onLine(name, line);
      });
    }
    child.on('close', (status, signal) => {
      clearInterval(timer);
      clearTimeout(kill);
      resolve({ status, signal, samples, wallMs: Date.now() - t0 });
    });
  });
}

// The fd count early and late (medians of five samples), and its range in between.
const flat = (samples) => {
  const fds = samples.map((s) => s.fds);
  return { min: Math.min(...fds), max: Math.max(...fds), start: median(fds.slice(0, 5)), end: median(fds.slice(-5)) };
};

export async function soak(tools, { log, ticks = 40_000, runs = 1500 }) {
  // 1. Ticks.
  let sum = 0;
  let lastTick = 0;
  let lines = 0;
  let missedWakeups = 0;
  let bad = 0;
  const a = await watchRun([process.execPath, BIN, 'every', '250us', '--count', String(ticks), '--json'], {
    everyMs: 250,
    timeoutMs: 60_000,
    onLine: (stream, line) => {
      if (stream !== 'stdout' || line === '') return;
      try {
        const ev = JSON.parse(line);
        if (ev.event !== 'tick') return;
        lines++;
        sum += ev.expirations;
        lastTick = ev.tick;
        if (ev.expirations > 1) missedWakeups++;
      } catch {
        bad++;
      }
    },
  });
  const steady = a.samples.filter((s) => s.ms >= 2000);
  const base = median(steady.filter((s) => s.ms < 3000).map((s) => s.rssKb));
  const end = median(steady.slice(-4).map((s) => s.rssKb));
  const tickFds = flat(steady);
  const tickResult = {
    status: a.status,
    wall_s: round(a.wallMs / 1000, 2),
    lines,
    expirations_sum: sum,
    last_tick: lastTick,
    wakeups_with_missed_ticks: missedWakeups,
    unparsable_lines: bad,
    rss_mb_at_2s: round(base / 1024, 1),
    rss_mb_at_end: round(end / 1024, 1),
    rss_growth_pct: round((end / base - 1) * 100, 1),
    fds_min: tickFds.min,
    fds_max: tickFds.max,
  };
  log(`  soak ticks: ${lines} lines, Σ expirations ${sum} (last tick ${lastTick}), RSS ${tickResult.rss_mb_at_2s} → ${tickResult.rss_mb_at_end} MB, fds ${tickFds.min}–${tickFds.max}`);

  // 2. Command runs.
  let runEvents = 0;
  let failed = 0;
  let skipped = 0;
  const b = await watchRun([process.execPath, BIN, 'every', '2ms', '--count', String(runs), '--overlap', 'parallel', '--json', '--verbose', '--', 'true'], {
    everyMs: 100,
    timeoutMs: 60_000,
    onLine: (stream, line) => {
      if (line === '') return;
      try {
        const ev = JSON.parse(line);
        if (ev.event === 'run') {
          runEvents++;
          if (ev.status !== 0) failed++;
        } else if (ev.event === 'skip') skipped += ev.skipped ?? 1;
      } catch {
        // not an event
      }
    },
  });
  // A zombie seen in two samples in a row (100 ms apart) was not reaped: a leak, not a race.
  let lingering = 0;
  let seen = new Set();
  let maxZombies = 0;
  for (const s of b.samples) {
    maxZombies = Math.max(maxZombies, s.zombies.length);
    lingering += s.zombies.filter((z) => seen.has(z)).length;
    seen = new Set(s.zombies);
  }
  const runFds = flat(b.samples.filter((s) => s.ms >= 500));
  const runResult = {
    status: b.status,
    wall_s: round(b.wallMs / 1000, 2),
    runs: runEvents,
    failed_runs: failed,
    skipped_ticks: skipped,
    max_zombies_in_a_sample: maxZombies,
    lingering_zombies: lingering,
    fds_min: runFds.min,
    fds_max: runFds.max,
    samples: b.samples.length,
  };
  log(`  soak runs: ${runEvents} runs, ${skipped} skipped, zombies max ${maxZombies} (lingering ${lingering}), fds ${runFds.min}–${runFds.max}`);

  const targets = [
    { name: 'soak: Σ expirations = last tick', bar: 'exact', measured: `${sum} / ${lastTick}`, met: sum === lastTick && lastTick >= ticks && a.status === 0 },
    { name: 'soak: RSS growth after 2 s', bar: '< 15 %', measured: `${tickResult.rss_growth_pct} %`, met: tickResult.rss_growth_pct < 15 },
    { name: 'soak: fd count (ticks)', bar: 'flat', measured: `${tickFds.min}–${tickFds.max}`, met: tickFds.min === tickFds.max },
    { name: 'soak: zombies (1,500 runs)', bar: 'none lingering', measured: `${lingering} (max ${maxZombies} in a sample)`, met: lingering === 0 && b.status === 0 },
    // A run in flight holds a few fds for a moment (its pipes): flat means back where it began.
    {
      name: 'soak: fd count (runs)',
      bar: 'flat',
      measured: `${runFds.start} → ${runFds.end} (range ${runFds.min}–${runFds.max})`,
      met: runFds.end <= runFds.start && runFds.max - runFds.start <= 3,
    },
  ];
  const text = [
    `soak, ticks: \`every 250us --count ${ticks} --json\`: ${lines} lines, Σ expirations ${sum}, last tick ${lastTick}, ${missedWakeups} wake-ups with missed ticks, ${tickResult.wall_s} s, RSS ${tickResult.rss_mb_at_2s} MB at 2 s → ${tickResult.rss_mb_at_end} MB at the end (${tickResult.rss_growth_pct} %), fds ${tickFds.min}–${tickFds.max}`,
    `soak, runs: \`every 2ms --count ${runs} --overlap parallel -- true\`: ${runEvents} runs (${failed} failed), ${skipped} ticks not run (missed or overlap, each reported), ${runResult.wall_s} s, zombies: at most ${maxZombies} in a sample, ${lingering} lingering; fds ${runFds.start} at 0.5 s → ${runFds.end} at the end (range ${runFds.min}–${runFds.max}) (exit ${b.status})`,
  ].join('\n\n');
  return { ticks: tickResult, runs: runResult, targets, text };
}
