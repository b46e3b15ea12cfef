// How far V8 compiles the code of a serving process: chosen once from its timers, before the
// first is armed (V8 flags are the process's, so only the CLI sets them; the library never does).
//
// A few timers that sleep between wake-ups run a few microseconds of JavaScript per tick: what
// costs is TurboFan compiling that path in the first seconds, 0.5–10 ms of a compile thread per
// function, ~30 functions, competing for the two cores with the wake-ups it is meant to speed up
// (measured, every 5ms --json, ticks 1–400: p90 at the reader 110 → 50 µs and CPU per wake-up
// 216 → 108 µs with baseline code only; ticks 401–800 the same within the noise). So such a
// process keeps to Sparkplug's baseline code, compiled on the main thread as each function is
// first run. Many timers, or a period too short for the warm-up wake, make the work throughput:
// there TurboFan pays (100,000 timers from `run -`: 30 % less CPU), and it is asked for within
// the first ticks by a low interrupt budget.
//
// Chosen at the start: V8 does not take up TurboFan again for code compiled while it was off, so
// a table reloaded to more timers keeps the baseline tier (flags switched to optimizing 2 s in:
// --trace-opt shows no function optimized in the next 2 s).
//
// Checked again for --lean, whose bar is CPU: TurboFan from the start, every 5ms --lean, each run
// beside the bare loop (6 runs): 2.01x the bare loop's CPU per wake-up at 0.75–2.75 s against
// baseline's 1.38x, 1.24x against 1.33x at 4–6 s, 1.68x against 1.74x at 6–10 s (budget 1024:
// 1.79x, 1.32x, 1.77x). Its compiles run from tick 89 to tick 750 and a GC's code-dependency
// deoptimization recompiles later: no steady state cheap enough to pay for them.
import { setFlagsFromString } from 'node:v8';
import type { TimerSpec } from '../kinds/kind.js';
import { WARMUP_MAX_SOURCES, WARMUP_MIN_NS } from '../loop/warmup-mode.js';

export type Tier = 'baseline' | 'optimizing';

// V8's interrupt budget when optimizing (its default is 67,584 bytes of bytecode run: at 5 ms,
// 4 functions were optimized in 400 ticks; with 4096, the whole path within the first ticks).
const TIER_UP_BUDGET = 4096;

// Baseline code from a function's first call: without --always-sparkplug a function runs in the
// interpreter until it has used up a budget (the first ~50 ticks at 5 ms), and those ticks were
// the slow tenth (wake-up to write(1), every 5ms --json, 3 alternating runs: ticks 1–50 p90
// 75–87 → 31–39 µs, ticks 1–400 p90 39–84 → 23–33 µs, p50 13.5–15.0 → 12.9–14.6 µs).
export const TIER_FLAGS: Readonly<Record<Tier, string>> = {
  baseline: '--max-opt=1 --always-sparkplug',
  optimizing: `--interrupt-budget=${TIER_UP_BUDGET}`,
};

export function tierFor(specs: readonly TimerSpec[]): Tier {
  if (specs.length > WARMUP_MAX_SOURCES) return 'optimizing';
  return specs.some((spec) => spec.intervalNs > 0n && spec.intervalNs < WARMUP_MIN_NS) ? 'optimizing' : 'baseline';
}

// Set after start-up, so that start-up itself compiles as Node's defaults have it.
export function setTier(tier: Tier): void {
  setFlagsFromString(TIER_FLAGS[tier]);
}
