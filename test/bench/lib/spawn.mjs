// Spawning contenders: through the stamping reader, under the rusage wrapper, and sampling a
// running process's /proc entries (fds, RSS, zombie children).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './tools.mjs';

// Runs argv and collects stdout, stderr and the exit status.
export function run(argv, { env, input, timeoutMs = 120_000, stdin = 'pipe', onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: [stdin, 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    if (child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(input ?? '');
    }
    onSpawn?.(child);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        status: status ?? 128,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: Number(process.hrtime.bigint() - t0) / 1e6,
        pid: child.pid,
      });
    });
  });
}

// Starts argv with its stdout piped into the reader. `done`: each line with its arrival time
// (µs, and `ns` as a BigInt) and the exit status. With `tap` N, the reader also hands the first N
// stamps over as they come (on fd 3, then closed): `tapped` resolves with them, so that a run can
// be placed against a contender's grid while it goes on; the contender itself has no fd 3.
export function startStamped(tools, argv, { tap = 0, timeoutMs = 120_000 } = {}) {
  const reader = tools.reader ? [tools.reader] : [process.execPath, path.join(BENCH_DIR, 'contenders', 'reader.mjs')];
  const script = 'if [ -n "$R1" ]; then "$@" 3>&- | "$R0" "$R1"; else "$@" 3>&- | "$R0"; fi';
  const child = spawn('sh', ['-c', script, 'sh', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, R0: reader[0], R1: reader[1] ?? '', READER_TAP: String(tap) },
  });
  const out = [];
  const err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  const stamps = [];
  const tapped = new Promise((resolve) => {
    let rest = '';
    child.stdio[3].setEncoding('utf8');
    child.stdio[3].on('data', (d) => {
      const rows = (rest + d).split('\n');
      rest = rows.pop();
      for (const row of rows) stamps.push(BigInt(row));
      if (stamps.length >= tap) resolve(stamps.slice(0, tap));
    });
    child.stdio[3].on('close', () => resolve(stamps));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      const lines = [];
      for (const row of Buffer.concat(out).toString('utf8').split('\n')) {
        const tab = row.indexOf('\t');
        if (tab < 0) continue;
        const ns = BigInt(row.slice(0, tab));
        lines.push({ ns, t: Number(ns) / 1e3, text: row.slice(tab + 1) });
      }
      resolve({ status: status ?? 128, stderr: Buffer.concat(err).toString('utf8'), lines });
    });
  });
  return { tapped, done };
}

// Runs argv with its stdout piped into the reader; returns each line with its arrival time.
export function runStamped(tools, argv, options = {}) {
  return startStamped(tools, argv, options).done;
}

let seq = 0;

// Runs argv under the rusage wrapper (or, without it, a Node argv under the preload) and returns
// CPU ms, peak RSS and wall time along with the output.
export async function runRusage(tools, argv, options = {}) {
  const file = path.join(tmpdir(), `timerstack-bench-${process.pid}-${seq++}.json`);
  let full = argv;
  const env = { ...options.env };
  if (tools.rusage) full = [tools.rusage, file, ...argv];
  else if (argv[0] === process.execPath || argv[0] === 'node') {
    full = [argv[0], '--import', path.join(BENCH_DIR, 'lib', 'rusage-preload.mjs'), ...argv.slice(1)];
    env.BENCH_RUSAGE_FILE = file;
  }
  const r = await run(full, { ...options, env });
  let usage;
  try {
    usage = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(file, { force: true });
  } catch {
    usage = undefined;
  }
  return {
    ...r,
    cpuMs: usage ? (usage.utime_us + usage.stime_us) / 1000 : NaN,
    userMs: usage ? usage.utime_us / 1000 : NaN,
    sysMs: usage ? usage.stime_us / 1000 : NaN,
    maxRssKb: usage?.maxrss_kb ?? NaN,
    wallMs: usage ? usage.wall_ns / 1e6 : r.wallMs,
  };
}

// One look at a running process: open fds, resident memory, and its children that are zombies.
export function sampleProc(pid) {
  let fds = NaN;
  let rssKb = NaN;
  try {
    fds = readdirSync(`/proc/${pid}/fd`).length;
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) rssKb = Number(m[1]);
  } catch {
    return undefined;
  }
  const zombies = [];
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid ...: comm may hold spaces or parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) !== pid) continue;
    children.push(Number(entry));
    if (fields[0] === 'Z') zombies.push(Number(entry));
  }
  return { fds, rssKb, zombies, children };
}
