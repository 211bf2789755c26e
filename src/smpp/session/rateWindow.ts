/**
 * The two records the rate controller (rate.ts) keeps of recent submits: when we sent the last few
 * (to keep any one-second window at or under the limit), and how many the SMSC accepted in each
 * millisecond of send time (to read the account's limit off a throttled answer).
 */

/** The newest `capacity` send times in a ring. */
export class SendLog {
  private times: Float64Array;
  private next = 0;
  private size = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(Math.max(1, capacity));
  }

  get capacity(): number {
    return this.times.length;
  }

  /** Entries recorded (at most the capacity). */
  get count(): number {
    return this.size;
  }

  push(time: number): void {
    this.times[this.next] = time;
    this.next = (this.next + 1) % this.times.length;
    if (this.size < this.times.length) this.size++;
  }

  /** The k-th newest time (1: the newest), or -Infinity when fewer than k were recorded. */
  nthNewest(k: number): number {
    if (k < 1 || k > this.size) return -Infinity;
    return this.times[(this.next - k + this.times.length * 2) % this.times.length] ?? -Infinity;
  }

  /** Keeps the newest entries that fit a new capacity. */
  resize(capacity: number): void {
    const wanted = Math.max(1, capacity);
    if (wanted === this.times.length) return;
    const kept = Math.min(this.size, wanted);
    const times = new Float64Array(wanted);
    for (let k = kept; k >= 1; k--) times[kept - k] = this.nthNewest(k);
    this.times = times;
    this.size = kept;
    this.next = kept % wanted;
  }

  /**
   * Forgets one entry recorded at `time` (the newest such), if the log still holds one: a send the
   * SMSC refused does not count in its window, so it must not hold back the next send in ours.
   */
  remove(time: number): boolean {
    let found = 0;
    for (let k = 1; k <= this.size; k++) {
      if (this.nthNewest(k) === time) {
        found = k;
        break;
      }
    }
    if (found === 0) return false;
    const kept: number[] = [];
    for (let k = this.size; k >= 1; k--) if (k !== found) kept.push(this.nthNewest(k));
    this.times.fill(0);
    for (let i = 0; i < kept.length; i++) this.times[i] = kept[i]!;
    this.size = kept.length;
    this.next = kept.length % this.times.length;
    return true;
  }

  /** Fills the log's free places with `time`, as older entries: as if the sends we did not record had gone then. */
  padOlder(time: number): void {
    const missing = this.times.length - this.size;
    if (missing === 0) return;
    const times = new Float64Array(this.times.length).fill(time);
    for (let k = this.size; k >= 1; k--) times[missing + this.size - k] = this.nthNewest(k);
    this.times = times;
    this.size = times.length;
    this.next = 0;
  }
}

/** Slots of one millisecond each: two seconds and a bit, more than any span asked about. */
const SLOTS = 4096;

/** Accepted submits counted per millisecond of their send time, over the last few seconds. */
export class AcceptedCounter {
  private readonly counts = new Int32Array(SLOTS);
  /** The millisecond each slot counts for now; a slot holding an older one is stale (zero). */
  private readonly stamps = new Float64Array(SLOTS).fill(-1);

  add(sentAt: number): void {
    const ms = Math.floor(sentAt);
    const slot = ms & (SLOTS - 1);
    if (this.stamps[slot] !== ms) {
      this.stamps[slot] = ms;
      this.counts[slot] = 0;
    }
    this.counts[slot]!++;
  }

  /** Accepted submits sent in (from, to], to the millisecond; spans longer than the record are cut to it. */
  between(from: number, to: number): number {
    const last = Math.floor(to);
    const first = Math.max(Math.floor(from) + 1, last - SLOTS + 1);
    let total = 0;
    for (let ms = first; ms <= last; ms++) {
      const slot = ms & (SLOTS - 1);
      if (this.stamps[slot] === ms) total += this.counts[slot]!;
    }
    return total;
  }
}
