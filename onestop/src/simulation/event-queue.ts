/**
 * The simulation's future-event list: a binary min-heap of event slots ordered by
 * time, ties broken by the order of scheduling so that a run is deterministic
 * whatever the heap's internal order. Keys live in typed arrays and the heap holds
 * slot numbers, so scheduling allocates nothing once the arrays have grown.
 */
export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private heap = new Int32Array(1024);
  private size = 0;
  private nextSeq = 0;

  get length(): number {
    return this.size;
  }

  /** Schedules slot `slot` (a caller's index into its own payload arrays) at `time`. */
  push(time: number, slot: number): void {
    if (slot >= this.times.length) this.growSlots(slot + 1);
    if (this.size === this.heap.length) {
      const heap = new Int32Array(this.heap.length * 2);
      heap.set(this.heap);
      this.heap = heap;
    }
    this.times[slot] = time;
    this.seqs[slot] = this.nextSeq++;
    let i = this.size++;
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(slot, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = slot;
  }

  /** The time of the earliest event; undefined when empty. */
  peekTime(): number | undefined {
    return this.size > 0 ? this.times[this.heap[0]] : undefined;
  }

  /** Removes and returns the earliest event's slot (-1 when empty). */
  pop(): number {
    if (this.size === 0) return -1;
    const heap = this.heap;
    const top = heap[0];
    const last = heap[--this.size];
    let i = 0;
    const n = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(heap[child + 1], heap[child])) child++;
      if (!this.before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** The time slot `slot` was scheduled at. */
  timeOf(slot: number): number {
    return this.times[slot];
  }

  private before(x: number, y: number): boolean {
    const tx = this.times[x];
    const ty = this.times[y];
    return tx < ty || (tx === ty && this.seqs[x] < this.seqs[y]);
  }

  private growSlots(min: number): void {
    let length = this.times.length;
    while (length < min) length *= 2;
    const times = new Float64Array(length);
    times.set(this.times);
    const seqs = new Float64Array(length);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
  }
}
