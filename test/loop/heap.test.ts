import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap, type HeapItem } from '../../src/loop/heap.js';

interface Item extends HeapItem {
  id: number;
}

let nextId = 0;
const item = (deadline: bigint): Item => ({ deadline, heapIndex: -1, id: nextId++ });

// The heap's array, read for invariant checks only.
const slots = (heap: DeadlineHeap<Item>): Item[] => (heap as unknown as { items: Item[] }).items;

// Heap order, and every item knows its slot.
function checkInvariants(heap: DeadlineHeap<Item>, present: ReadonlySet<Item>, gone: Iterable<Item>): void {
  const items = slots(heap);
  expect(items.length).toBe(present.size);
  expect(heap.size).toBe(present.size);
  items.forEach((it, i) => {
    expect(it.heapIndex).toBe(i);
    expect(present.has(it)).toBe(true);
    if (i > 0) expect(items[(i - 1) >> 1]!.deadline <= it.deadline).toBe(true);
  });
  for (const it of gone) expect(it.heapIndex).toBe(-1);
}

// Pops everything: the deadlines in order, and every item marked out of the heap.
function drain(heap: DeadlineHeap<Item>): Item[] {
  const out: Item[] = [];
  for (let it = heap.pop(); it; it = heap.pop()) {
    expect(it.heapIndex).toBe(-1);
    out.push(it);
  }
  return out;
}

const byDeadline = (a: Item, b: Item) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0);

describe('DeadlineHeap', () => {
  it('starts empty', () => {
    const heap = new DeadlineHeap<Item>();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
  });

  it('pops in deadline order, bigint keys beyond 2^53 included', () => {
    const heap = new DeadlineHeap<Item>();
    const deadlines = [5n, 2n ** 63n - 1n, 0n, 2n ** 53n + 1n, 2n ** 53n, 3n, 3n, -1n];
    for (const d of deadlines) heap.push(item(d));
    expect(heap.peek()!.deadline).toBe(-1n);
    expect(drain(heap).map((i) => i.deadline)).toEqual([...deadlines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(heap.size).toBe(0);
  });

  it('removes by identity, once', () => {
    const heap = new DeadlineHeap<Item>();
    const [a, b, c] = [item(1n), item(2n), item(3n)];
    for (const it of [a, b, c]) heap.push(it);
    expect(heap.remove(b)).toBe(true);
    expect(b.heapIndex).toBe(-1);
    expect(heap.remove(b)).toBe(false);
    expect(heap.size).toBe(2);
    expect(drain(heap)).toEqual([a, c]);
  });

  it('does not remove an item it does not hold, even one whose index points into it', () => {
    const heap = new DeadlineHeap<Item>();
    const other = new DeadlineHeap<Item>();
    const mine = item(1n);
    const theirs = item(1n);
    heap.push(mine);
    other.push(theirs);
    expect(theirs.heapIndex).toBe(0);
    expect(heap.remove(theirs)).toBe(false);
    expect(heap.remove(item(0n))).toBe(false);
    expect(heap.size).toBe(1);
    expect(mine.heapIndex).toBe(0);
  });

  it('takes an item back after it was popped', () => {
    const heap = new DeadlineHeap<Item>();
    const a = item(1n);
    heap.push(a);
    heap.push(item(2n));
    expect(heap.pop()).toBe(a);
    a.deadline = 3n;
    heap.push(a);
    expect(drain(heap).map((i) => i.deadline)).toEqual([2n, 3n]);
  });

  it('random pushes, pops and removes keep heap order and every heapIndex', () => {
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), deadline: fc.bigInt({ min: -5n, max: 2n ** 64n }) }) },
      // few distinct deadlines, so ties are common
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('push' as const), deadline: fc.bigInt({ min: 0n, max: 4n }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const heap = new DeadlineHeap<Item>();
        const present = new Set<Item>();
        const gone = new Set<Item>();
        for (const o of ops) {
          if (o.kind === 'push') {
            const it = item(o.deadline);
            heap.push(it);
            present.add(it);
          } else if (o.kind === 'pop') {
            const min = [...present].sort(byDeadline)[0];
            const top = heap.pop();
            if (min === undefined) {
              expect(top).toBeUndefined();
            } else {
              expect(top!.deadline).toBe(min.deadline);
              present.delete(top!);
              gone.add(top!);
            }
          } else {
            // remove a present item, or one already gone (refused)
            const pool = [...present, ...gone];
            if (pool.length === 0) continue;
            const it = pool[o.pick % pool.length]!;
            const held = present.has(it);
            expect(heap.remove(it)).toBe(held);
            present.delete(it);
            gone.add(it);
          }
          checkInvariants(heap, present, gone);
          expect(heap.peek()?.deadline).toBe([...present].sort(byDeadline)[0]?.deadline);
        }
        // What is left comes out sorted, and is exactly what the reference holds.
        const rest = drain(heap);
        expect(rest.map((i) => i.deadline)).toEqual([...present].sort(byDeadline).map((i) => i.deadline));
        expect(new Set(rest)).toEqual(present);
      }),
      { numRuns: 300 },
    );
  });
});
