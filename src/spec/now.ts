// The one impure input of the spec layer: wall-clock now and the local zone's offset, read
// together, for the CLI and run tables to pass into the pure builders.
export interface WallNow {
  nowNs: bigint;
  // Local time's offset from UTC, east positive.
  utcOffsetNs: bigint;
}

export function wallNow(): WallNow {
  const nowMs = Date.now();
  return {
    nowNs: BigInt(nowMs) * 1_000_000n,
    utcOffsetNs: BigInt(-new Date(nowMs).getTimezoneOffset()) * 60_000_000_000n,
  };
}
