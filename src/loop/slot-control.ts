// What a LoopTimer's methods do to its slot: the time left, cancel, pause, resume and flush,
// on the loop's batch (what a paused timer's shared read held is delivered on resume).
import type { Batch } from './batch.js';
import type { Slot, TimerControl } from './timer.js';

export function slotControl(batch: Batch, detach: (slot: Slot) => void, resumed: () => void): TimerControl {
  const deliverHeld = (slot: Slot): void => {
    const held = slot.held;
    if (!held || !slot.source) return;
    slot.held = undefined;
    batch.run(() => {
      batch.deliver(slot, held.count, held.last, held.final);
      if (held.final) detach(slot);
    });
  };
  return {
    remaining: (slot) => slot.source?.remaining(slot) ?? 0n,
    cancel: detach,
    pause: (slot) => {
      if (!slot.source || slot.paused) return;
      slot.paused = true;
      slot.source.pause(slot);
    },
    // Back on its source; what a shared read held for it meanwhile is delivered at once.
    resume: (slot) => {
      if (!slot.paused) return;
      slot.paused = false;
      slot.source?.resume(slot);
      deliverHeld(slot);
      if (!batch.active) resumed();
    },
    flush: (slot) => {
      const source = slot.source;
      if (source) batch.run(() => (source.poll(slot), deliverHeld(slot)));
    },
  };
}
