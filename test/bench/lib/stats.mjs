// Small statistics helpers: quantiles by linear interpolation, medians, rounding for reports.

export function sorted(values) {
  return Float64Array.from(values).sort();
}

// q in [0, 1] over an ascending array (linear interpolation between closest ranks).
export function quantileSorted(s, q) {
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function quantile(values, q) {
  return quantileSorted(sorted(values), q);
}

export function median(values) {
  return quantile(values, 0.5);
}

// p50 / p90 / p99 / max (and p25 / p75 / p1 for plots) of a list.
export function summary(values) {
  const s = sorted(values);
  return {
    n: s.length,
    p1: quantileSorted(s, 0.01),
    p25: quantileSorted(s, 0.25),
    p50: quantileSorted(s, 0.5),
    p75: quantileSorted(s, 0.75),
    p90: quantileSorted(s, 0.9),
    p99: quantileSorted(s, 0.99),
    max: s.length ? s[s.length - 1] : NaN,
  };
}

export function round(x, digits = 1) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
