// How a timer's deadlines follow one another. Fixed: an absolute first deadline and the kernel's
// own interval (the kernel keeps the grid; nothing is re-armed). Computed: each deadline from the
// one before it, by a rule that lives above the loop (a calendar, cron, a backoff); the loop arms
// one absolute one-shot per deadline and never asks for "now" to decide the next one.

export interface Recurrence {
  // Absolute first deadline, on the timer's clock.
  readonly first: bigint;
  // The kernel's interval for a fixed recurrence; 0n for a one-shot or a computed one.
  readonly interval: bigint;
  readonly computed: boolean;
  // The deadline after `prev`, or undefined when the schedule ends there.
  after(prev: bigint): bigint | undefined;
}

// A timer's recurrence from its options (nanoseconds): `at`, or `delay` (else one `interval`)
// after `now`, then every `interval` (0n: once) or by the rule `next`.
export function recurrenceFor(options: { at?: bigint; delay?: bigint; interval?: bigint; next?: (prev: bigint) => bigint | undefined }, now: bigint): Recurrence {
  const interval = options.interval ?? 0n;
  const first = options.at ?? now + (options.delay ?? interval);
  return options.next ? computedRecurrence(first, options.next) : fixedRecurrence(first, interval);
}

// What a computed schedule's slot needs to look ahead (the loop's Slot has these fields).
export interface LookAhead {
  readonly recurrence: Recurrence;
  readonly deadline: bigint;
  following: bigint | null | undefined;
}

// Works out the deadline after the armed one now, while nothing is due, so that the expiration
// is delivered without waiting for the rule.
export function lookAhead(slot: LookAhead): void {
  if (slot.recurrence.computed && slot.following === undefined) slot.following = slot.recurrence.after(slot.deadline) ?? null;
}

export interface CatchUp {
  // Deadlines due by `now`, the first one included (at least 1).
  count: number;
  // The latest of them, and the first deadline after `now` (undefined: the schedule ended).
  last: bigint;
  next: bigint | undefined;
}

// A computed rule that returns a deadline not after the one before would loop forever: refused.
const MAX_CATCH_UP = 10_000_000;

export function fixedRecurrence(first: bigint, interval: bigint): Recurrence {
  return {
    first,
    interval,
    computed: false,
    after: (prev) => (interval > 0n ? prev + interval : undefined),
  };
}

export function computedRecurrence(first: bigint, next: (prev: bigint) => bigint | undefined): Recurrence {
  return { first, interval: 0n, computed: true, after: next };
}

// The deadlines from `deadline` (due) up to `now`: how many, the last, and the one after.
// `following` is the deadline after `deadline` when it is already known (computed ahead, off the
// path of the expiration).
export function catchUp(r: Recurrence, deadline: bigint, now: bigint, following?: bigint | null): CatchUp {
  if (!r.computed) {
    if (r.interval === 0n) return { count: 1, last: deadline, next: undefined };
    const extra = now > deadline ? (now - deadline) / r.interval : 0n;
    const last = deadline + extra * r.interval;
    return { count: Number(extra) + 1, last, next: last + r.interval };
  }
  let count = 1;
  let last = deadline;
  for (let next = following === undefined ? r.after(last) : (following ?? undefined); ; next = r.after(last)) {
    if (next === undefined || next > now) return { count, last, next };
    if (next <= last) throw new RangeError(`a computed recurrence went back from ${last} to ${next}`);
    last = next;
    if (++count > MAX_CATCH_UP) throw new RangeError(`more than ${MAX_CATCH_UP} deadlines passed at once`);
  }
}

// After `n` kernel expirations of a fixed recurrence that were due from `deadline`: the last one
// (the next deadline is an interval after it; none for a one-shot). A number, not an object of
// the last and the next: this runs at every expiration, and each object is an allocation.
export function fixedLast(r: Recurrence, deadline: bigint, n: number): bigint {
  // (One expiration, the usual case, without BigInt arithmetic: each result is a new object.)
  return n === 1 || r.interval === 0n ? deadline : deadline + BigInt(n - 1) * r.interval;
}
