// A crontab file served by `timerstack run` for about two minutes, as cron would: every line's
// runs on time (within a bound of the whole minute they are due), the % input reaching the
// command, and a SIGHUP reload that adds a line mid-way. Minutes are slow, so this lives in
// `npm run soak`, not in npm test.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { round } from '../lib/stats.mjs';
import { BIN } from '../lib/tools.mjs';

const LATE_BOUND_MS = 250;

// Milliseconds until the next whole minute, plus `extra`.
function untilMinute(extra = 0) {
  return 60_000 - (Date.now() % 60_000) + extra;
}

export async function crontabSoak({ log = () => {} } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'timerstack-crontab-'));
  const out = path.join(dir, 'runs.log');
  const table = path.join(dir, 'crontab');
  // One printf per run (a single write): tag, the time it ran, and what came on stdin.
  const line = (tag) => `* * * * * printf '\\%s \\%s \\%s\\n' ${tag} "$(date +\\%s.\\%N)" "$(cat)" >> ${out}%${tag} input`;
  writeFileSync(table, `SHELL=/bin/sh\nCRON_TZ=UTC\n${line('a')}\n`);
  // Start a few seconds after a minute boundary, so the next two boundaries both come.
  const wait = untilMinute(3000) % 60_000;
  log(`crontab: starting in ${round(wait / 1000, 1)} s, for two minute boundaries`);
  await new Promise((r) => setTimeout(r, wait));
  const child = spawn(process.execPath, [BIN, 'run', table, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  // After the first boundary, add a line and reload.
  await new Promise((r) => setTimeout(r, untilMinute(5000)));
  writeFileSync(table, `SHELL=/bin/sh\nCRON_TZ=UTC\n${line('a')}\n${line('b')}\n`);
  child.kill('SIGHUP');
  await new Promise((r) => setTimeout(r, untilMinute(3000)));
  child.kill('SIGTERM');
  const status = await new Promise((r) => child.on('close', (code, signal) => r(signal ?? code)));
  const runs = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => {
    const [tag, at, ...input] = l.split(' ');
    return { tag, lateMs: (Number(at) * 1000) % 60_000, input: input.join(' ') };
  });
  rmSync(dir, { recursive: true, force: true });
  const a = runs.filter((r) => r.tag === 'a');
  const b = runs.filter((r) => r.tag === 'b');
  const worst = Math.max(...runs.map((r) => r.lateMs));
  const inputs = runs.every((r) => r.input === `${r.tag} input`);
  const reloaded = /"event":"reload".*"kept":1.*"added":1/.test(stderr);
  const targets = [
    { name: 'crontab: line a ran at both minute boundaries, line b (added by reload) at the second', bar: 'a: 2, b: 1', measured: `a: ${a.length}, b: ${b.length}`, met: a.length === 2 && b.length === 1 },
    { name: 'crontab: each run within the bound of its whole minute', bar: `< ${LATE_BOUND_MS} ms`, measured: `${round(worst, 1)} ms`, met: worst < LATE_BOUND_MS },
    { name: 'crontab: the % part reached each run on stdin; the reload was reported', bar: 'yes', measured: inputs && reloaded ? 'yes' : `input ${inputs}, reload ${reloaded}`, met: inputs && reloaded },
    { name: 'crontab: ended by SIGTERM', bar: 'SIGTERM', measured: String(status), met: status === 'SIGTERM' },
  ];
  const text = [
    '| crontab file under `run`, two minute boundaries | runs | worst lateness |',
    '| --- | ---: | ---: |',
    `| line a | ${a.length} | ${round(Math.max(...a.map((r) => r.lateMs)), 1)} ms |`,
    `| line b (added by SIGHUP) | ${b.length} | ${b.length ? `${round(Math.max(...b.map((r) => r.lateMs)), 1)} ms` : '-'} |`,
  ].join('\n');
  return { runs, targets, text };
}
