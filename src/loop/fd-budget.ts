// How many timerfds this process may hold, shared by every Loop in it: the open-file soft limit
// less the fds open when first asked and a reserve of 256 for everything else (sockets, pipes,
// spawned commands' stdio). Past it, timers share deadline queues instead of failing with EMFILE.
import { getFdLimit, openFdCount } from '../native/fd-limit.js';

const RESERVE = 256;
let left: number | undefined;

function initial(): number {
  const { soft } = getFdLimit();
  const limit = soft === Infinity ? 1 << 20 : soft;
  return Math.max(0, limit - openFdCount() - RESERVE);
}

// Takes one fd from the budget; false when none is left.
export function takeFd(): boolean {
  left ??= initial();
  if (left <= 0) return false;
  left--;
  return true;
}

export function releaseFd(): void {
  if (left !== undefined) left++;
}

// Forgets the budget so the next take measures again (after the soft limit was raised).
export function resetFdBudget(): void {
  left = undefined;
}
