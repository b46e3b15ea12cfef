// Startup (wall time of a whole process, alternating commands round by round) and idle (CPU a
// `once 10s` spends beyond a `once 0`).
import { spawnSync } from 'node:child_process';
import { median, round } from '../lib/stats.mjs';
import { readFileSync, readdirSync } from 'node:fs';
import { runRusage, sampleProc } from '../lib/spawn.mjs';
import { BIN } from '../lib/tools.mjs';

const node = process.execPath;

export function startupCommands() {
  return [
    { id: 'node', label: 'node -e 0', argv: [node, '-e', '0'] },
    { id: 'once0', label: 'timerstack once 0', argv: [node, BIN, 'once', '0'] },
    { id: 'version', label: 'timerstack --version', argv: [node, BIN, '--version'] },
    // The costs of running a command (the command runner and a posix_spawn) and of help (yargs)
    // (issue 14's targets: each within 1.5x of the row it is paired with).
    { id: 'once0cmd', label: 'timerstack once 0 -- true', argv: [node, BIN, 'once', '0', '--', 'true'], pair: 'once0' },
    { id: 'help', label: 'timerstack --help', argv: [node, BIN, '--help'], pair: 'version' },
  ];
}

function timeOnce(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return r.status === 0 ? ms : NaN;
}

export function startup({ rounds, log }) {
  const cmds = startupCommands();
  for (const c of cmds) timeOnce(c.argv); // warm the page cache
  const times = Object.fromEntries(cmds.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order so no command always runs right after another.
    for (let k = 0; k < cmds.length; k++) {
      const c = cmds[(k + r) % cmds.length];
      times[c.id][r] = timeOnce(c.argv);
    }
  }
  const out = { rounds, commands: {} };
  for (const c of cmds) {
    const ok = times[c.id].filter((x) => Number.isFinite(x));
    const entry = { label: c.label, median_ms: round(median(ok), 1), min_ms: round(Math.min(...ok), 1) };
    if (ok.length < rounds) entry.failures = rounds - ok.length;
    const ratioTo = (id) => round(median(times[c.id].map((t, i) => t / times[id][i]).filter(Number.isFinite)), 2);
    if (c.id !== 'node') entry.ratio = ratioTo('node');
    if (c.pair) Object.assign(entry, { pair: c.pair, pair_ratio: ratioTo(c.pair) });
    out.commands[c.id] = entry;
  }
  log(`  startup: node -e 0 ${out.commands.node.median_ms} ms, once 0 ${out.commands.once0.median_ms} ms (${out.commands.once0.ratio}x), --version ${out.commands.version.median_ms} ms (${out.commands.version.ratio}x), once 0 -- true ${out.commands.once0cmd.median_ms} ms (${out.commands.once0cmd.pair_ratio}x once 0), --help ${out.commands.help.median_ms} ms (${out.commands.help.pair_ratio}x --version)`);
  return out;
}

// Idle: `base` runs of `once 0`, then `parallel` runs of `once 10s` side by side (they sleep, so
// they do not disturb each other or what runs meanwhile). Returns { ready, result }: `ready` resolves
// once the waits have started up and gone quiet (1.5 s), `result` with the figures. Both run as a
// user's shell runs bin/timerstack.js (its sh lines, then node), thread pool and all.
export function idle(tools, { parallel, base, log }) {
  let markReady;
  const ready = new Promise((r) => (markReady = r));
  const result = (async () => {
    const zero = [];
    for (let i = 0; i < base; i++) zero.push(await runRusage(tools, [BIN, 'once', '0']));
    const during = [];
    const held = [];
    // Started 400 ms apart, so that their startups (whose CPU counts too) do not compete.
    setTimeout(markReady, 400 * (parallel - 1) + 1500);
    const waits = await Promise.all(
      Array.from({ length: parallel }, async (_, i) => {
        await new Promise((r) => setTimeout(r, 400 * i));
        return runRusage(tools, [BIN, 'once', '10s'], {
          timeoutMs: 30_000,
          onSpawn: (child) => {
            // CPU of all its threads between 3 s (well after startup) and 9.7 s. Not scaled: most of
            // it is one event (V8's memory reducer collects the idle heap about 8 s in).
            let a;
            const pid = () => (tools.rusage ? sampleProc(child.pid)?.children[0] : child.pid);
            setTimeout(() => (a = cpuNs(pid())), 3000);
            setTimeout(() => {
              const b = cpuNs(pid());
              if (a !== undefined && b !== undefined) during.push(b - a);
              const st = procStatus(pid());
              if (st) held.push(st);
            }, 9700);
          },
        });
      }),
    );
    const cpu = (rs) => rs.filter((r) => r.status === 0).map((r) => r.cpuMs);
    const zeroMs = median(cpu(zero));
    const waitMs = median(cpu(waits));
    const out = {
      method: tools.rusage ? 'wait4 rusage of the whole process (C wrapper)' : 'process.resourceUsage() at exit (preload; no C compiler)',
      once0_cpu_ms: round(zeroMs, 1),
      once10s_cpu_ms: round(waitMs, 1),
      once10s_wall_s: round(median(waits.map((r) => r.wallMs)) / 1000, 3),
      idle_cpu_ms: round(waitMs - zeroMs, 1),
      // Scheduler-accounted CPU of all threads while waiting (3 s → 9.7 s).
      during_wait_cpu_ms: during.length ? round(median(during) / 1e6, 2) : null,
      // Memory and threads while waiting, 9.7 s in (/proc/PID/status).
      rss_mb: held.length ? round(median(held.map((h) => h.rssKb)) / 1024, 1) : null,
      threads: held.length ? median(held.map((h) => h.threads)) : null,
      runs: { once0: cpu(zero).map((x) => round(x, 1)), once10s: cpu(waits).map((x) => round(x, 1)) },
    };
    log(`  idle: once 10s ${out.once10s_cpu_ms} ms CPU, once 0 ${out.once0_cpu_ms} ms → ${out.idle_cpu_ms} ms for the wait; ${out.during_wait_cpu_ms} ms of it between 3 s and 9.7 s (schedstat); ${out.rss_mb} MB RSS, ${out.threads} threads while waiting`);
    return out;
  })();
  result.catch(() => markReady());
  return { ready, result };
}

// VmRSS (kB) and Threads of a process, from /proc/PID/status.
function procStatus(pid) {
  if (!pid) return undefined;
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rssKb: Number(/VmRSS:\s+(\d+)/.exec(text)[1]), threads: Number(/Threads:\s+(\d+)/.exec(text)[1]) };
  } catch {
    return undefined;
  }
}

// CPU time (ns) of every thread of a process, from /proc/PID/task/*/schedstat.
export function cpuNs(pid) {
  if (!pid) return undefined;
  try {
    let sum = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) sum += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    return sum;
  } catch {
    return undefined;
  }
}
