// Markdown tables from the bench's figures (printed, and pasted into the README as they are).
import { fmtUs } from './svg.mjs';

const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const x = (r) => (r === undefined ? '' : `${r.toFixed(2)}x`);
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

export function latencyTable(lat, watch) {
  const rows = [];
  for (const [id, c] of Object.entries(lat.contenders)) {
    if (c.error) {
      rows.push([c.label, `${c.error}`, '', '', '', '', '']);
      continue;
    }
    const note = c.missed ? ` (${c.missed} missed)` : '';
    const st = c.steady;
    // The C loop's own ratios, when it ran beside another C loop, are the method's error.
    const own = id === 'c' && c.p50_ratio === undefined;
    const steady = !st ? ['', ''] : [`${fmtUs(st.p50_us)} / ${fmtUs(st.p90_us)}`, own ? '1.00x / 1.00x' : `${x(st.p50_ratio)} / ${x(st.p90_ratio)}`];
    const label = id === 'c' && !own ? `${c.label} (its ratios: beside another C loop)` : c.label;
    rows.push([`${label}${note}`, fmtUs(c.p50_us), fmtUs(c.p90_us), fmtUs(c.p99_us), fmtUs(c.max_us), own ? '1.00x' : x(c.p50_ratio), own ? '1.00x' : x(c.p90_ratio), ...steady]);
  }
  for (const c of Object.values(watch?.contenders ?? {})) {
    if (c.error) rows.push([`${c.label} (100 ms period)`, c.error, '', '', '', '', '', '', '']);
    else rows.push([`${c.label} (its 100 ms period)`, fmtUs(c.p50_us), fmtUs(c.p90_us), fmtUs(c.p99_us), fmtUs(c.max_us), '', '', '', '']);
  }
  const later = steadyTicks(lat);
  return table([`every 5 ms, ticks 1–${lat.ticks}: lateness at the reader`, 'p50', 'p90', 'p99', 'max', 'p50 / C', 'p90 / C', `${later}: p50 / p90`, `${later}: / C`], rows);
}

// The ticks measured apart as the steady state ("ticks 401–800").
export function steadyTicks(lat) {
  return lat.steady_ticks ? `ticks ${lat.ticks + 1}–${lat.ticks + lat.steady_ticks}` : 'steady';
}

export function cpuTable(cpu) {
  // vs_same: to the bare loop printing the contender's own line, where one ran beside it.
  const steady = (c) => (c.steady_cpu_us === undefined ? ['', '', ''] : [`${c.steady_cpu_us} µs`, x(c.steady_vs_bare), x(c.steady_vs_same)]);
  const rows = Object.values(cpu.contenders).map((c) => (c.error ? [c.label, c.error, '', '', '', '', '', ''] : [c.label, `${c.cpu_us} µs`, x(c.vs_c), x(c.vs_bare), x(c.vs_same), ...steady(c)]));
  const head = [`CPU per wake-up, every ${cpu.period_ms} ms (${cpu.method}; medians of ${cpu.rounds} runs)`, 'CPU per tick', 'vs C', 'vs bare Node', 'vs bare Node, same line'];
  return table([...head, `${cpu.steady_window}: CPU per tick`, 'vs bare Node', 'vs bare Node, same line'], rows);
}

export function instructionsTable(ins) {
  const rows = Object.values(ins.contenders).map((c) => (c.error ? [c.label, c.error, '', ''] : [c.label, c.instructions.toLocaleString('en-US'), x(c.vs_bare), x(c.vs_same)]));
  return table([`instructions per wake-up, every ${ins.period_ms} ms (${ins.method}; medians of ${ins.rounds} runs)`, 'instructions', 'vs bare Node', 'vs bare Node, same line'], rows);
}

export function wakePathTable(wake) {
  const rows = Object.values(wake.contenders).map((c) =>
    c.error ? [c.label, c.error, '', '', ''] : [c.label, `${c.p50_us} µs`, `${c.p90_us} µs`, `${c.first_p90_us} µs`, x(c.p50_vs_bare)],
  );
  const title = `in the process: epoll_pwait's return → write(1), every ${wake.period_ms} ms (perf tracepoints; medians of ${wake.rounds} runs)`;
  return table([title, `p50, ticks 1–${wake.ticks}`, 'p90', `p90, ticks 1–${wake.first}`, 'p50 vs bare Node'], rows);
}

export function internalLine(lat) {
  const rows = Object.values(lat.contenders)
    .filter((c) => c.internal)
    .map((c) => [c.label, fmtUs(c.internal.p50_us), fmtUs(c.internal.p90_us), fmtUs(c.internal.p99_us), fmtUs(c.internal.max_us)]);
  if (rows.length === 0) return '';
  return table(['lateness seen inside (wake-up − deadline, as the contender reports it)', 'p50', 'p90', 'p99', 'max'], rows);
}

export function driftTable(drift, watch) {
  const rows = Object.values(drift.contenders).map((c) =>
    c.error ? [c.label, c.error, ''] : [c.label, `${c.drift_ms.toFixed(3)} ms`, `${c.per_tick_us} µs`],
  );
  for (const c of Object.values(watch?.contenders ?? {})) {
    if (!c.error) rows.push([`${c.label} (${c.lines} ticks of 100 ms)`, `${c.drift_ms.toFixed(2)} ms`, `${((c.drift_ms * 1000) / Math.max(1, c.lines - 3)).toFixed(0)} µs`]);
  }
  return table([`every 5 ms, ${drift.ticks} ticks`, 'drift (last tenth − first tenth, medians)', 'per tick'], rows);
}

export function scaleTable(scale) {
  const rows = [];
  for (const [n, e] of Object.entries(scale.counts)) {
    const t = e.timerstack;
    const c = e.c;
    const tArm = t.error ? t.error : `${int(t.armed_per_s)} (${t.arm_ms} ms)`;
    const cArm = c.error ?? c.skipped ?? `${int(c.armed_per_s)} (${c.arm_ms} ms)`;
    const tExp = t.error ? '' : `${int(t.expirations_per_cpu_s)}${t.lines !== t.expected ? ` (${t.lines}/${t.expected} lines!)` : ''}`;
    const cExp = c.error || c.skipped ? '' : int(c.expirations_per_cpu_s);
    const rss = t.error ? '' : `${t.peak_rss_mb} MB`;
    rows.push([int(Number(n)), tArm, cArm, tExp, cExp, rss]);
  }
  let text = table(['timers', 'timerstack armed/s', 'C armed/s', 'timerstack expirations / CPU s', 'C expirations / CPU s', 'timerstack peak RSS'], rows);
  if (scale.cli) {
    const c = scale.cli;
    text += `\n\n\`run -\` with 100,000 timers (period 2 s + i µs, 2 ticks, --json, ulimit -n 20000): ${c.error ? `${c.error}; ` : ''}${int(c.events)}/${int(c.expected)} events, ${c.wall_s} s wall, ${c.cpu_s ?? '?'} s CPU, peak RSS ${c.peak_rss_mb ?? '?'} MB, ${int(c.expirations_per_cpu_s)} events / CPU s (parsing and arming included)`;
  }
  for (const n of scale.notes) text += `\n\n${n}`;
  return text;
}

export function startupTable(st, idle) {
  const label = (id) => st.commands[id]?.label ?? id;
  const rows = Object.values(st.commands).map((c) => [
    c.label,
    `${c.median_ms} ms`,
    `${c.min_ms} ms`,
    c.ratio === undefined ? '1.00x' : x(c.ratio),
    c.pair ? `${x(c.pair_ratio)} \`${label(c.pair).replace('timerstack ', '')}\`` : '',
  ]);
  let text = rows.length ? table([`startup (${st.rounds} alternating rounds)`, 'median', 'min', 'vs node -e 0', 'vs its pair'], rows) : '';
  if (idle) {
    text += `${text ? '\n\n' : ''}idle: \`once 10s\` ${idle.once10s_cpu_ms} ms CPU − \`once 0\` ${idle.once0_cpu_ms} ms = **${idle.idle_cpu_ms} ms** for a 10 s wait`;
    if (idle.during_wait_cpu_ms !== null) text += ` (of which ${idle.during_wait_cpu_ms} ms between 3 s and 9.7 s into the wait, from /proc schedstat)`;
    if (idle.rss_mb !== null) text += `; while waiting: **${idle.rss_mb} MB** RSS, **${idle.threads}** threads (/proc/PID/status)`;
  }
  return text;
}

export function targetsTable(targets) {
  return table(['target', 'bar', 'measured', ''], targets.map((t) => [t.name, t.bar, t.measured, t.met === undefined ? 'n/a' : t.met ? 'met' : '**missed**']));
}
