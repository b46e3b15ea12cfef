// systemd-analyze for the export tests: whether it is here (tests that need it skip with a
// visible note when it is not), `verify` over unit files, and `calendar` elapses as UTC instants.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const HAS_SYSTEMD_ANALYZE = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).status === 0;

if (!HAS_SYSTEMD_ANALYZE) {
  process.stderr.write('note: systemd-analyze is not installed (apt-get install systemd): the systemd checks of the export tests are skipped\n');
}

export interface Analyzed {
  status: number | null;
  stdout: string;
  stderr: string;
}

// `systemd-analyze verify FILES` (the user manager's with `user`: it needs a runtime directory).
export function verifyUnits(files: readonly string[], user = false): Analyzed {
  const runtime = mkdtempSync(path.join(tmpdir(), 'ts-xdg-'));
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const args = [...(user ? ['--user'] : []), 'verify', '--man=no', ...files];
  const r = spawnSync('systemd-analyze', args, { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The next `n` elapses of each calendar expression after `baseSec` (epoch seconds), in `zone`,
// as epoch seconds (systemd-analyze prints whole seconds), from one run of systemd-analyze.
export function calendarElapses(expressions: readonly string[], n: number, baseSec: bigint, zone: string): bigint[][] {
  const r = spawnSync('systemd-analyze', ['calendar', `--iterations=${n}`, `--base-time=@${baseSec}`, ...expressions], {
    encoding: 'utf8',
    env: { ...process.env, TZ: zone, SYSTEMD_COLORS: '0' },
  });
  if (r.status !== 0) throw new Error(`systemd-analyze calendar failed: ${r.stderr}`);
  const out: bigint[][] = [];
  let current: bigint[] | undefined;
  for (const line of r.stdout.split('\n')) {
    if (/^\s*Normalized form:/.test(line)) out.push((current = []));
    // "(in UTC): Fri 2027-01-15 23:00:00 UTC" follows a local time; lines in UTC have no such line.
    const m = /^\s*(?:Next elapse|Iter\. #\d+|\(in UTC\)): \w{3} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (\S+)$/.exec(line);
    if (!m || !current) continue;
    const sec = BigInt(Date.parse(`${m[1]!.replace(' ', 'T')}Z`) / 1000);
    if (m[2] === 'UTC') {
      // A local line was just pushed for this elapse when "(in UTC)" follows it: replace it.
      if (line.includes('(in UTC)')) current[current.length - 1] = sec;
      else current.push(sec);
    } else {
      current.push(-1n);
    }
  }
  return out;
}
