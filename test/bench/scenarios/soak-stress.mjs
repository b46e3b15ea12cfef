// Soak under stress, watched from outside through /proc:
//  - a stderr that dies mid-run: the reader of timerstack's stderr leaves after a second of
//    activity (every later write there is EPIPE); the commands, which fork grandchildren, go on:
//    every tick of theirs run (each run appends its tick and expirations to a log), the printing
//    timer's ticks all on stdout, no process of any run's group left, fds back at rest, and the
//    status says reports were lost (125);
//  - a reload storm: 100 SIGHUPs, 30 ms apart, during activity, with the table rewritten between
//    them (a line added, changed, removed): the kept lines' ticks all accounted, no process left,
//    fds back at rest, SIGTERM then ends it (143).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats.mjs';
import { sampleProc } from '../lib/spawn.mjs';
import { BIN } from '../lib/tools.mjs';
import { inGroups } from './soak.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Replaces a table at once (a reload never reads half of it).
function replaceFile(file, text) {
  writeFileSync(`${file}.new`, text);
  renameSync(`${file}.new`, file);
}

// The command of the stressed timers: logs "tick expirations pgid", leaves a grandchild.
const command = (log) => `sh -c 'echo "$TIMERSTACK_TICK $TIMERSTACK_EXPIRATIONS $$" >> ${log}; (sleep 0.02 &); true'`;

// What the runs logged: Σ expirations, distinct ticks, the last tick, their groups.
function runsLogged(log) {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    // no run yet
  }
  const ticks = new Set();
  const groups = new Set();
  let sum = 0;
  let last = 0;
  for (const line of text.split('\n')) {
    const [tick, expirations, pgid] = line.split(' ').map(Number);
    if (!tick) continue;
    ticks.add(tick);
    groups.add(pgid);
    sum += expirations;
    last = Math.max(last, tick);
  }
  return { runs: ticks.size, sum, last, groups };
}

// Spawns timerstack; samples its fds every 100 ms; counts the printing timer's expirations.
function start(args, { onStderr } = {}) {
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { child, samples: [], printed: 0, lastPrinted: 0, stderr: '' };
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      const ev = JSON.parse(line);
      if (ev.event === 'tick' && ev.timer === 'p') {
        run.printed += ev.expirations;
        run.lastPrinted = ev.tick;
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d) => {
    run.stderr += d;
    onStderr?.(d);
  });
  const timer = setInterval(() => {
    const s = sampleProc(child.pid);
    if (s) run.samples.push({ ms: Date.now() - t0, fds: s.fds });
  }, 100);
  run.closed = new Promise((resolve) => child.on('close', (status, signal) => (clearInterval(timer), resolve({ status, signal, wallMs: Date.now() - t0 }))));
  run.fdsBetween = (from, to) => median(run.samples.filter((s) => s.ms >= from && s.ms < to).map((s) => s.fds));
  return run;
}

async function dyingStderr(log, runs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-soak-stderr-'));
  const logFile = path.join(dir, 'runs');
  const printed = runs * 2;
  // Idle 1 s before the runs and ~1.5 s after them (the `end` timer), so fds compare at rest.
  const table = path.join(dir, 'timers');
  const endMs = 1000 + runs * 5 + 1500;
  writeFileSync(table, `g: every 5ms --after 1s --count ${runs} --overlap parallel -- ${command(logFile)}\np: every 2ms --after 1s --count ${printed}\nend: once ${endMs}ms\n`);
  const run = start(['run', table, '--json', '--verbose']);
  await sleep(2000);
  run.child.stderr.destroy(); // the reader of stderr leaves mid-run
  const end = await run.closed;
  const result = { ...tally(run, end, logFile, dir, run.fdsBetween(endMs - 1000, endMs)), wall_s: Math.round(end.wallMs / 10) / 100 };
  log(`  soak dying stderr: ${result.runs} runs (Σ expirations ${result.expirations_sum} of ${runs}), printed Σ ${run.printed} of ${printed}, ${result.processes_left} processes left, fds ${result.fds_start} → ${result.fds_end}, exit ${end.status}`);
  return { result, runs, printed };
}

// What a finished stress run left: its runs (from the commands' own log), what it printed, the
// processes of its groups still there, and its fds at rest before and after (the directory goes).
function tally(run, end, logFile, dir, fdsEnd) {
  const logged = runsLogged(logFile);
  const left = inGroups(logged.groups);
  rmSync(dir, { recursive: true, force: true });
  return {
    status: end.status,
    signal: end.signal,
    runs: logged.runs,
    expirations_sum: logged.sum,
    last_tick: logged.last,
    printed_sum: run.printed,
    printed_last: run.lastPrinted,
    processes_left: left.length,
    fds_start: run.fdsBetween(400, 900),
    fds_end: fdsEnd,
  };
}

async function reloadStorm(log, runs, hups = 100) {
  const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-soak-reload-'));
  const logFile = path.join(dir, 'runs');
  const table = path.join(dir, 'timers');
  const printed = runs * 2;
  const base = `g: every 5ms --after 1s --count ${runs} --overlap parallel -- ${command(logFile)}\np: every 2ms --after 1s --count ${printed}\nidle: once 1h\n`;
  const variants = [base, `${base}h: every 7ms -- true\n`, `${base}h: every 9ms -- sh -c '(sleep 0.01 &)'\n`];
  writeFileSync(table, base);
  let reloads = 0;
  const run = start(['run', table, '--json'], { onStderr: () => (reloads = (run.stderr.match(/"event":"reload",/g) ?? []).length) });
  await sleep(1500);
  for (let i = 0; i < hups; i++) {
    replaceFile(table, variants[(i + 1) % variants.length]);
    run.child.kill('SIGHUP');
    await sleep(30);
  }
  replaceFile(table, base);
  run.child.kill('SIGHUP');
  // Until g and p are done (or it is clear they never will be), then a second at rest.
  const until = Date.now() + 30_000;
  while ((runsLogged(logFile).sum < runs || run.printed < printed) && Date.now() < until) await sleep(50);
  const doneMs = run.samples.at(-1)?.ms ?? 0;
  await sleep(1500);
  const fdsEnd = run.fdsBetween(doneMs + 500, doneMs + 1500);
  run.child.kill('SIGTERM');
  const end = await run.closed;
  const result = {
    ...tally(run, end, logFile, dir, fdsEnd),
    sighups: hups + 1,
    reloads,
    // Reported events (reloads, a skip of the changing line h) are fine; anything else is not.
    problems: run.stderr.split('\n').filter((l) => l && !/^\{"event":"(reload|skip|run)",/.test(l)).slice(0, 3),
  };
  log(`  soak reload storm: ${hups + 1} SIGHUPs, ${reloads} reloads, g Σ ${result.expirations_sum} of ${runs}, p Σ ${run.printed} of ${printed}, ${result.processes_left} processes left, fds ${result.fds_start} → ${result.fds_end}, ${end.signal ?? end.status}`);
  return { result, runs, printed };
}

export async function stressSoak({ log, runs = 1000 }) {
  const d = await dyingStderr(log, runs);
  const s = await reloadStorm(log, runs);
  const dr = d.result;
  const sr = s.result;
  const targets = [
    { name: 'soak: dying stderr, every tick run', bar: `${runs}`, measured: `Σ ${dr.expirations_sum} (last ${dr.last_tick}), printed Σ ${dr.printed_sum}`, met: dr.expirations_sum === runs && dr.last_tick === runs && dr.printed_sum === d.printed },
    { name: 'soak: dying stderr, status', bar: '125', measured: `${dr.signal ?? dr.status}`, met: dr.status === 125 },
    { name: 'soak: dying stderr, processes left', bar: '0', measured: `${dr.processes_left}`, met: dr.processes_left === 0 },
    { name: 'soak: dying stderr, fds at rest', bar: 'before + 3', measured: `${dr.fds_start} → ${dr.fds_end}`, met: dr.fds_end <= dr.fds_start + 3 },
    { name: 'soak: reload storm, every tick accounted', bar: `${runs} / ${s.printed}`, measured: `Σ ${sr.expirations_sum} (last ${sr.last_tick}) / Σ ${sr.printed_sum}`, met: sr.expirations_sum === runs && sr.last_tick === runs && sr.printed_sum === s.printed },
    { name: 'soak: reload storm, processes left', bar: '0', measured: `${sr.processes_left}`, met: sr.processes_left === 0 },
    { name: 'soak: reload storm, fds at rest', bar: 'before + 3', measured: `${sr.fds_start} → ${sr.fds_end}`, met: sr.fds_end <= sr.fds_start + 3 },
    { name: 'soak: reload storm, ends on SIGTERM', bar: 'SIGTERM, no problem line', measured: `${sr.signal ?? sr.status}${sr.problems.length ? `; ${sr.problems[0]}` : ''}`, met: sr.signal === 'SIGTERM' && sr.problems.length === 0 },
  ];
  const text = [
    `soak, dying stderr: \`run\` of \`g: every 5ms --count ${runs} --overlap parallel -- sh -c '…(sleep 0.02 &)'\` and \`p: every 2ms --count ${d.printed}\` with -v, stderr's reader gone after 2 s: ${dr.runs} runs, Σ expirations ${dr.expirations_sum} (last tick ${dr.last_tick}); p printed Σ ${dr.printed_sum}; ${dr.processes_left} processes of any run's group left; fds at rest ${dr.fds_start} → ${dr.fds_end}; exit ${dr.status} (${dr.wall_s} s)`,
    `soak, reload storm: the same g and p, ${sr.sighups} SIGHUPs 30 ms apart with the table rewritten between them (a line added, changed, removed): ${sr.reloads} reloads; g Σ expirations ${sr.expirations_sum} (last tick ${sr.last_tick}), p Σ ${sr.printed_sum}; ${sr.processes_left} processes left; fds at rest ${sr.fds_start} → ${sr.fds_end}; ended by ${sr.signal ?? sr.status}`,
  ].join('\n\n');
  return { dyingStderr: dr, reloadStorm: sr, targets, text };
}
