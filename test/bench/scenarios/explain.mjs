// Where timerstack's latency goes: stripped-down ways for Node to wait on a timerfd (uv_poll on
// an epoll fd, uv_poll on the timerfd, a pool thread blocked in epoll_wait via koffi .async, a
// blocking epoll_wait on the main thread), timerstack's Loop alone, and the whole CLI — in
// alternating rounds with the C loop, each through the reader and under the rusage wrapper
// (CPU per tick). Also heap bytes allocated per tick on the CLI path.
import path from 'node:path';
import { median, round, summary } from '../lib/stats.mjs';
import { run, runStamped } from '../lib/spawn.mjs';
import { BENCH_DIR, BIN } from '../lib/tools.mjs';
import { analyze } from './latency.mjs';
import { fmtUs } from '../lib/svg.mjs';

const node = process.execPath;
const variant = path.join(BENCH_DIR, 'contenders', 'variant.mjs');

export function variants(tools) {
  const v = [];
  if (tools.cloop) v.push({ id: 'c', label: 'C: epoll_wait(-1), printf', argv: (n) => [tools.cloop, 'tick', '5000000', String(n)] });
  v.push(
    { id: 'sync', label: 'Node: blocking epoll_wait(-1) on the main thread', argv: (n) => [node, variant, 'sync', '5', String(n)] },
    { id: 'direct', label: 'Node: uv_poll on the timerfd itself', argv: (n) => [node, variant, 'direct', '5', String(n)] },
    { id: 'poll', label: 'Node: uv_poll on an epoll fd (timerstack\'s design)', argv: (n) => [node, variant, 'poll', '5', String(n)] },
    { id: 'async', label: 'Node: koffi .async epoll_wait(-1) on a pool thread', argv: (n) => [node, variant, 'async', '5', String(n)] },
    { id: 'loop', label: 'timerstack Loop + stdout.write', argv: (n) => [node, variant, 'loop', '5', String(n)] },
    { id: 'loop-fs', label: 'timerstack Loop + fs.writeSync(1)', argv: (n) => [node, variant, 'loop', '5', String(n), 'fs'] },
    { id: 'cli', label: 'timerstack every 5ms --json (whole CLI)', argv: (n) => [node, BIN, 'every', '5ms', '--count', String(n), '--json'] },
  );
  return v;
}

async function once(tools, v, count) {
  const r = await runStamped(tools, v.argv(count), { timeoutMs: 60_000 });
  if (r.status !== 0 || r.lines.length === 0) return { error: `exit ${r.status}: ${r.stderr.trim().split('\n').pop()}` };
  const a = analyze(r.lines, 5000);
  // The contender's own CPU between its first and last wake-up, when it reports it on stderr.
  let cpuUsPerTick = NaN;
  const line = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('{"cpu_us"'));
  if (line) {
    const u = JSON.parse(line);
    cpuUsPerTick = u.cpu_us / Math.max(1, u.wakeups - 1);
  }
  return { reader: summary(a.lateness), inside: summary(a.internal), cpuUsPerTick };
}

export async function explain(tools, { rounds, count = 400, log }) {
  const list = variants(tools);
  const per = Object.fromEntries(list.map((v) => [v.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const v of list) {
      const res = await once(tools, v, count);
      per[v.id].push(res);
      log(`  explain ${r + 1}/${rounds} ${v.id.padEnd(8)} ${res.error ?? `reader p50 ${round(res.reader.p50)} µs, inside p50 ${round(res.inside.p50)} µs`}`);
    }
  }
  const out = { rounds, ticks: count, variants: {} };
  const cRounds = per.c ?? [];
  for (const v of list) {
    const ok = per[v.id].filter((x) => !x.error);
    if (!ok.length) {
      out.variants[v.id] = { label: v.label, error: per[v.id][0]?.error };
      continue;
    }
    const m = (f) => round(median(ok.map(f)));
    const e = {
      label: v.label,
      reader_p50_us: m((x) => x.reader.p50),
      reader_p90_us: m((x) => x.reader.p90),
      inside_p50_us: m((x) => x.inside.p50),
      inside_p90_us: m((x) => x.inside.p90),
      cpu_us_per_tick: m((x) => x.cpuUsPerTick),
    };
    if (v.id !== 'c' && cRounds.length) {
      const ratios = per[v.id].map((x, i) => (x.error || cRounds[i]?.error ? NaN : x.reader.p50 / cRounds[i].reader.p50)).filter(Number.isFinite);
      e.reader_p50_ratio = round(median(ratios), 2);
    }
    out.variants[v.id] = e;
  }
  // Heap allocated and CPU per tick on the CLI path (text and JSON), in-process: at 5 ms as
  // above, and warmed up (3000 ticks at 1 ms).
  out.alloc = {};
  for (const [id, args] of [['text 5ms', ['5ms', '400']], ['json 5ms', ['5ms', '400', '--json']], ['text 1ms', ['1ms', '3000']], ['json 1ms', ['1ms', '3000', '--json']]]) {
    const r = await run([node, path.join(BENCH_DIR, 'contenders', 'alloc.mjs'), ...args], { timeoutMs: 30_000 });
    try {
      out.alloc[id] = JSON.parse(r.stdout.trim().split('\n').pop());
    } catch {
      out.alloc[id] = { error: r.stderr.trim().split('\n').pop() };
    }
  }
  out.text = report(out);
  return out;
}

function report(out) {
  const head = '| every 5 ms, 400 ticks | reader p50 | reader p90 | inside p50 | inside p90 | CPU per wake-up | reader p50 / C |';
  const rows = Object.values(out.variants).map((v) =>
    v.error
      ? `| ${v.label} | ${v.error} | | | | | |`
      : `| ${v.label} | ${fmtUs(v.reader_p50_us)} | ${fmtUs(v.reader_p90_us)} | ${fmtUs(v.inside_p50_us)} | ${fmtUs(v.inside_p90_us)} | ${Number.isFinite(v.cpu_us_per_tick) ? `${v.cpu_us_per_tick} µs` : '–'} | ${v.reader_p50_ratio ?? 1}x |`,
  );
  const alloc = Object.entries(out.alloc)
    .map(([id, a]) => (a.error ? `${id}: ${a.error}` : `${id}: ~${a.bytes_per_tick_median} bytes of heap and ${a.cpu_us_per_tick} µs CPU per tick`))
    .join('; ');
  return [head, '| --- | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n') + `\n\nCLI path, in-process (main() with a counting stdout): ${alloc}`;
}
