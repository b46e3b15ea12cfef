// Wall-clock now and the local zone's offset, read together, for the pure spec builders.
import type { WallNow } from '../kinds/kind.js';

export type { WallNow };

export function wallNow(): WallNow {
  const nowMs = Date.now();
  return {
    nowNs: BigInt(nowMs) * 1_000_000n,
    utcOffsetNs: BigInt(-new Date(nowMs).getTimezoneOffset()) * 60_000_000_000n,
  };
}
