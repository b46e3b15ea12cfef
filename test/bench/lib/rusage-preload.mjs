// The rusage wrapper's fallback for Node processes (no C compiler): loaded with --import, writes
// the process's own CPU time and peak RSS to $BENCH_RUSAGE_FILE when it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
const t0 = process.hrtime.bigint();
if (file) {
  process.on('exit', (code) => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({
      status: code,
      utime_us: u.userCPUTime,
      stime_us: u.systemCPUTime,
      maxrss_kb: u.maxRSS,
      wall_ns: Number(process.hrtime.bigint() - t0),
      preload: true,
    }));
  });
}
