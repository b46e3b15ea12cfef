// A calendar timer firing every second against `every 1s --align`, side by side (alternating
// runs): the lateness each reports (lateness_us: when the event was handled minus when it was
// due, both on the wall clock). Both are the kernel waiting on a timerfd: the calendar one an
// absolute one-shot re-armed after each elapse, the other the kernel's own interval.
import { BIN } from '../lib/tools.mjs';
import { runStamped } from '../lib/spawn.mjs';
import { round, summary } from '../lib/stats.mjs';

// One run: per-tick lateness (µs) as timerstack reports it.
async function once(tools, words, ticks) {
  const r = await runStamped(tools, [process.execPath, BIN, ...words, '--count', String(ticks), '--json'], { timeoutMs: (ticks + 10) * 1000 });
  const reported = r.lines.map(({ text }) => JSON.parse(text).lateness_us);
  return { reported, status: r.status };
}

export async function calendarLatency(tools, { rounds = 3, ticks = 10, log = () => {} } = {}) {
  const contenders = [
    ['calendar *:*:0/1', ['calendar', '*:*:0/1']],
    ["cron '* * * * * *'", ['cron', '* * * * * *']],
    ['every 1s --align', ['every', '1s', '--align']],
  ];
  const all = new Map(contenders.map(([name]) => [name, []]));
  for (let round_ = 0; round_ < rounds; round_++) {
    for (const [name, words] of contenders) {
      log(`calendar: ${name}, round ${round_ + 1}/${rounds}`);
      const { reported } = await once(tools, words, ticks);
      all.get(name).push(...reported);
    }
  }
  const base = summary(all.get('every 1s --align'));
  const rows = contenders.map(([name]) => {
    const s = summary(all.get(name));
    return { name, n: s.n, p50: round(s.p50), p90: round(s.p90), max: round(s.max), p50Ratio: round(s.p50 / base.p50, 2), p90Ratio: round(s.p90 / base.p90, 2) };
  });
  const text = [
    `| every second, ${rounds} x ${ticks} ticks each, alternating: lateness_us | p50 | p90 | max | p50 / every | p90 / every |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.p50} µs | ${r.p90} µs | ${r.max} µs | ${r.p50Ratio}x | ${r.p90Ratio}x |`),
  ].join('\n');
  return { rows, text };
}
