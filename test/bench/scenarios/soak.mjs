// Soak: a long fast run and a run of many commands, watched from outside through /proc.
//  - 40,000 ticks at 250 µs with --json: the expirations must add up to the last tick exactly,
//    RSS after the first seconds may grow by under 15 %, the fd count must stay flat;
//  - 1,500 runs of `true` at 2 ms: no zombie left behind, a flat fd count;
//  - 1,500 ticks at 2 ms of a command that leaves a grandchild behind (`(sleep 0.01 &)`): every
//    tick run or reported, no process of any run's group left once timerstack has exited, no
//    zombie that outlives a second, a flat fd count (pidfds closed).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { median, round } from '../lib/stats.mjs';
import { sampleProc } from '../lib/spawn.mjs';
import { BIN } from '../lib/tools.mjs';

// Spawns argv (with `input` on stdin), hands every stdout/stderr line to onLine, samples /proc
// every `everyMs`.
function watchRun(argv, { everyMs, onLine, timeoutMs, input }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin.end(input);
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

// Processes now in any of `groups` (process-group numbers), from /proc.
export function inGroups(groups) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (groups.has(Number(fields[2]))) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

// 3. Runs whose command leaves a grandchild in its group.
async function grandchildren(log, runs) {
  const groups = new Set();
  let runEvents = 0;
  let skipped = 0;
  let failed = 0;
  // An idle second before the runs and after them (the `idle` timer keeps timerstack up), so the
  // fd count is compared at rest: before the first spawn, and after the last group is gone.
  const table = `g: every 2ms --after 1s --count ${runs} --overlap parallel -- sh -c '(sleep 0.01 &); true'\nidle: once 1s\nend: once ${1000 + runs * 2 + 1500}ms\n`;
  const b = await watchRun([process.execPath, BIN, 'run', '-', '--json', '--verbose'], {
    input: table,
    everyMs: 100,
    timeoutMs: 120_000,
    onLine: (stream, line) => {
      if (line === '') return;
      try {
        const ev = JSON.parse(line);
        if (ev.event === 'run' && ev.timer === 'g') {
          runEvents++;
          if (ev.status !== 0) failed++;
          if (ev.pid) groups.add(ev.pid);
        } else if (ev.event === 'skip') skipped += ev.skipped ?? 1;
      } catch {
        // not an event
      }
    },
  });
  const left = inGroups(groups);
  // How long a zombie was seen for (a leader is held as one while its grandchild lives).
  const firstSeen = new Map();
  let longestZombieMs = 0;
  for (const s of b.samples) {
    for (const z of s.zombies) {
      if (!firstSeen.has(z)) firstSeen.set(z, s.ms);
      longestZombieMs = Math.max(longestZombieMs, s.ms - firstSeen.get(z));
    }
  }
  const rest = b.samples.filter((s) => s.ms >= 400 && s.ms < 900).map((s) => s.fds);
  const fds = { start: median(rest), end: median(b.samples.slice(-5).map((s) => s.fds)), max: Math.max(...b.samples.map((s) => s.fds)) };
  const result = {
    status: b.status,
    wall_s: round(b.wallMs / 1000, 2),
    runs: runEvents,
    failed_runs: failed,
    skipped_ticks: skipped,
    processes_left: left.length,
    longest_zombie_ms: longestZombieMs,
    fds_start: fds.start,
    fds_end: fds.end,
    fds_max: fds.max,
  };
  log(`  soak grandchildren: ${runEvents} runs + ${skipped} not run = ${runEvents + skipped} of ${runs}, ${left.length} processes left, longest zombie ${longestZombieMs} ms, fds ${fds.start} → ${fds.end} (max ${fds.max})`);
  return result;
}

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
  // As a table with an idle second before and after, so fds are compared at rest.
  const b = await watchRun([process.execPath, BIN, 'run', '-', '--json', '--verbose'], {
    input: `r: every 2ms --after 1s --count ${runs} --overlap parallel -- true\nend: once ${1000 + runs * 2 + 1500}ms\n`,
    everyMs: 100,
    timeoutMs: 60_000,
    onLine: (stream, line) => {
      if (line === '') return;
      try {
        const ev = JSON.parse(line);
        if (ev.event === 'run' && ev.timer === 'r') {
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
  const runFds = flat(b.samples.filter((s) => s.ms >= 400));
  runFds.start = median(b.samples.filter((s) => s.ms >= 400 && s.ms < 900).map((s) => s.fds));
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

  const g = await grandchildren(log, runs);

  const targets = [
    { name: 'soak: Σ expirations = last tick', bar: 'exact', measured: `${sum} / ${lastTick}`, met: sum === lastTick && lastTick >= ticks && a.status === 0 },
    { name: 'soak: RSS growth after 2 s', bar: '< 15 %', measured: `${tickResult.rss_growth_pct} %`, met: tickResult.rss_growth_pct < 15 },
    { name: 'soak: fd count (ticks)', bar: 'flat', measured: `${tickFds.min}–${tickFds.max}`, met: tickFds.min === tickFds.max },
    { name: 'soak: zombies (1,500 runs)', bar: 'none lingering', measured: `${lingering} (max ${maxZombies} in a sample)`, met: lingering === 0 && b.status === 0 },
    // A run in flight holds its pidfd for a moment; the first spawn opens the children's stdio
    // once (stdout, stderr, /dev/null). At rest, before and after: back where it began, plus those 3.
    {
      name: 'soak: fd count at rest (runs)',
      bar: 'before + 3',
      measured: `${runFds.start} → ${runFds.end} (range ${runFds.min}–${runFds.max})`,
      met: runFds.end <= runFds.start + 3,
    },
    { name: 'soak: grandchildren, every tick accounted', bar: `${runs}`, measured: `${g.runs} run + ${g.skipped_ticks} not run`, met: g.runs + g.skipped_ticks === runs && g.failed_runs === 0 && g.status === 0 },
    { name: 'soak: grandchildren, processes left', bar: '0', measured: `${g.processes_left}`, met: g.processes_left === 0 },
    { name: 'soak: grandchildren, longest zombie', bar: '< 1 s', measured: `${g.longest_zombie_ms} ms`, met: g.longest_zombie_ms < 1000 },
    // The first spawn opens the children's stdio once (stdout, stderr, /dev/null): 3 fds for good.
    { name: 'soak: fd count at rest (grandchildren)', bar: 'before + 3', measured: `${g.fds_start} → ${g.fds_end} (max ${g.fds_max})`, met: g.fds_end <= g.fds_start + 3 },
  ];
  const text = [
    `soak, ticks: \`every 250us --count ${ticks} --json\`: ${lines} lines, Σ expirations ${sum}, last tick ${lastTick}, ${missedWakeups} wake-ups with missed ticks, ${tickResult.wall_s} s, RSS ${tickResult.rss_mb_at_2s} MB at 2 s → ${tickResult.rss_mb_at_end} MB at the end (${tickResult.rss_growth_pct} %), fds ${tickFds.min}–${tickFds.max}`,
    `soak, runs: \`every 2ms --count ${runs} --overlap parallel -- true\` (in a table, idle 1 s before and after): ${runEvents} runs (${failed} failed), ${skipped} ticks not run (missed or overlap, each reported), ${runResult.wall_s} s, zombies: at most ${maxZombies} in a sample, ${lingering} lingering; fds at rest ${runFds.start} before the runs → ${runFds.end} after (range ${runFds.min}–${runFds.max}) (exit ${b.status})`,
    `soak, grandchildren: \`every 2ms --count ${runs} --overlap parallel -- sh -c '(sleep 0.01 &); true'\` (in a table, idle 1 s before and after): ${g.runs} runs (${g.failed_runs} failed) and ${g.skipped_ticks} ticks not run, each reported (${g.runs + g.skipped_ticks} of ${runs}), ${g.wall_s} s; ${g.processes_left} processes of any run's group left after exit; longest-lived zombie ${g.longest_zombie_ms} ms; fds at rest ${g.fds_start} before the runs → ${g.fds_end} after (max ${g.fds_max} in flight) (exit ${g.status})`,
  ].join('\n\n');
  return { ticks: tickResult, runs: runResult, grandchildren: g, targets, text };
}
