// The latency plot: one horizontal box per contender on a log axis of lateness (box p25–p75,
// bar at p50, whiskers p1–p99, dot at the maximum). Hand-written SVG, no plotting library.
import { summary } from './stats.mjs';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function fmtUs(us) {
  if (!Number.isFinite(us)) return '–';
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e5) return `${Math.round(us / 1e3)} ms`;
  if (us >= 1e4) return `${(us / 1e3).toFixed(1)} ms`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(2)} ms`;
  return `${Math.round(us)} µs`;
}

// 10^d µs as an axis label: 1 µs, 10 µs, 100 µs, 1 ms, 10 ms, 100 ms, 1 s, 10 s.
function decade(d) {
  const units = ['µs', 'ms', 's'];
  const u = Math.min(2, Math.floor(d / 3));
  return `${10 ** (d - u * 3)} ${units[u]}`;
}

// rows: [{ label, samples: number[] (µs), kind: 'floor' | 'timerstack' | 'other' }]
export function latencySvg(rows, { title, subtitle }) {
  const data = rows.filter((r) => r.samples && r.samples.length).map((r) => ({ ...r, s: summary(r.samples) }));
  const left = 230;
  const right = 200;
  const plotW = 560;
  const top = 58;
  const rowH = 34;
  const width = left + plotW + right;
  const height = top + data.length * rowH + 62;
  const lo = 0; // log10(1 µs)
  const hi = Math.max(3, Math.ceil(Math.log10(Math.max(10, ...data.map((d) => d.s.max)))));
  const x = (us) => left + ((Math.log10(Math.max(1, us)) - lo) / (hi - lo)) * plotW;
  const colour = { floor: '#555', timerstack: '#1f6feb', other: '#d9822b' };
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  parts.push(`<text x="${left}" y="22" font-size="15" font-weight="600">${esc(title)}</text>`);
  parts.push(`<text x="${left}" y="40" fill="#555">${esc(subtitle)}</text>`);
  for (let d = lo; d <= hi; d++) {
    const gx = x(10 ** d).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${top + data.length * rowH}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${gx}" y="${top + data.length * rowH + 16}" text-anchor="middle" fill="#555">${decade(d)}</text>`);
  }
  data.forEach((d, i) => {
    const cy = top + i * rowH + rowH / 2;
    const c = colour[d.kind] ?? colour.other;
    parts.push(`<text x="${left - 10}" y="${cy + 4}" text-anchor="end">${esc(d.label)}</text>`);
    parts.push(`<line x1="${x(d.s.p1).toFixed(1)}" y1="${cy}" x2="${x(d.s.p99).toFixed(1)}" y2="${cy}" stroke="${c}" stroke-width="1.5"/>`);
    for (const q of [d.s.p1, d.s.p99]) parts.push(`<line x1="${x(q).toFixed(1)}" y1="${cy - 5}" x2="${x(q).toFixed(1)}" y2="${cy + 5}" stroke="${c}" stroke-width="1.5"/>`);
    const bx = x(d.s.p25);
    parts.push(`<rect x="${bx.toFixed(1)}" y="${cy - 9}" width="${Math.max(1.5, x(d.s.p75) - bx).toFixed(1)}" height="18" fill="${c}" fill-opacity="0.25" stroke="${c}"/>`);
    parts.push(`<line x1="${x(d.s.p50).toFixed(1)}" y1="${cy - 11}" x2="${x(d.s.p50).toFixed(1)}" y2="${cy + 11}" stroke="${c}" stroke-width="3"/>`);
    parts.push(`<circle cx="${x(d.s.max).toFixed(1)}" cy="${cy}" r="3" fill="none" stroke="${c}" stroke-width="1.5"/>`);
    parts.push(`<text x="${left + plotW + 12}" y="${cy + 4}" fill="#333">p50 ${fmtUs(d.s.p50)} · p99 ${fmtUs(d.s.p99)}</text>`);
  });
  const fy = top + data.length * rowH + 38;
  parts.push(`<text x="${left}" y="${fy}" fill="#555">lateness (log scale): box p25–p75, bar p50, whiskers p1–p99, circle max</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
