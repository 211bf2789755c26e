/**
 * The window: requests sent and not yet answered, keyed by sequence_number (gosmpp's request
 * store). Each entry has its own deadline; one sweep timer serves them all, so the hot path
 * (add, take) never touches a timer.
 *
 * Storage is a ring indexed by `sequence_number & mask` in flat arrays, with a Map only for the
 * rare entry whose slot is still taken when its number comes round (one request outliving
 * `capacity` later ones). No object is allocated per request, and — measured in bench/session —
 * a JS Map churned by one insert and one delete per submit keeps megabytes of dead requests
 * alive across young-generation collections, which grew the client's heap by 40 MB at 70k/s.
 *
 * "Full" is not an error here: the session checks `hasRoom` and keeps requests queued until a
 * response frees a slot.
 */
import { Timer, type Clock } from './clock.js';

export interface WindowOptions<T> {
  /** Maximum requests in flight; >= 1. */
  readonly size: number;
  /** Default response timeout, ms. */
  readonly timeoutMs: number;
  readonly clock: Clock;
  /** Called once per entry whose deadline passed; the entry has already left the window. */
  readonly onTimeout: (sequenceNumber: number, entry: T) => void;
}

interface Overflow<T> {
  readonly entry: T;
  readonly deadline: number;
  readonly order: number;
}

export class RequestWindow<T> {
  private readonly mask: number;
  private readonly sequences: Float64Array;
  private readonly deadlines: Float64Array;
  /** Sending order, to hand entries back in the order they went out. */
  private readonly orders: Float64Array;
  private readonly entries: Array<T | undefined>;
  private readonly overflow = new Map<number, Overflow<T>>();
  private count = 0;
  private sent = 0;
  private readonly sweeper: Timer;
  private limit: number;
  /** When the sweep timer fires, or Infinity when it is not armed. */
  private wakeAt = Infinity;

  constructor(private readonly options: WindowOptions<T>) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`window size must be >= 1, got ${options.size}`);
    this.limit = options.size;
    let capacity = 64;
    while (capacity < options.size * 4) capacity *= 2;
    this.mask = capacity - 1;
    this.sequences = new Float64Array(capacity).fill(-1);
    this.deadlines = new Float64Array(capacity);
    this.orders = new Float64Array(capacity);
    this.entries = new Array<T | undefined>(capacity).fill(undefined);
    this.sweeper = new Timer(options.clock, () => {
      this.wakeAt = Infinity;
      this.sweep();
    });
  }

  get inFlight(): number {
    return this.count;
  }

  /** The current limit (may be below the configured size while the SMSC reports congestion). */
  get size(): number {
    return this.limit;
  }

  get hasRoom(): boolean {
    return this.count < this.limit;
  }

  /** Changes the limit; entries already in flight stay (the window simply admits nothing until it drains below). */
  resize(size: number): void {
    this.limit = Math.max(1, Math.floor(size));
  }

  has(sequenceNumber: number): boolean {
    return this.sequences[sequenceNumber & this.mask] === sequenceNumber || this.overflow.has(sequenceNumber);
  }

  /**
   * Adds a request. The caller checked `hasRoom`; adding beyond it is allowed for requests that
   * must go now (unbind, enquire_link). `now` may be passed by a caller that already read the clock.
   */
  add(sequenceNumber: number, entry: T, timeoutMs = this.options.timeoutMs, now = this.options.clock.now()): void {
    const deadline = now + timeoutMs;
    const order = this.sent++;
    const index = sequenceNumber & this.mask;
    if (this.sequences[index] === -1) {
      this.sequences[index] = sequenceNumber;
      this.entries[index] = entry;
      this.deadlines[index] = deadline;
      this.orders[index] = order;
    } else {
      this.overflow.set(sequenceNumber, { entry, deadline, order });
    }
    this.count++;
    // One pending wake-up is enough: the sweep re-arms itself for the earliest remaining deadline.
    // Only a request with a shorter timeout than the armed one moves it (rare: timeouts are mostly equal).
    if (deadline < this.wakeAt) this.wake(deadline, timeoutMs);
  }

  /** Removes and returns the request a response answers, or undefined for an unexpected response. */
  take(sequenceNumber: number): T | undefined {
    const index = sequenceNumber & this.mask;
    if (this.sequences[index] === sequenceNumber) {
      const entry = this.entries[index];
      this.sequences[index] = -1;
      this.entries[index] = undefined;
      this.count--;
      // The sweep timer stays armed even when the window empties: at window 1 cancelling and
      // re-arming it per request would cost a timer per submit. A sweep that finds nothing stops.
      return entry;
    }
    const spilled = this.overflow.get(sequenceNumber);
    if (spilled === undefined) return undefined;
    this.overflow.delete(sequenceNumber);
    this.count--;
    return spilled.entry;
  }

  /** Empties the window (link dropped): every entry, in the order sent. */
  drain(): Array<[number, T]> {
    const all = this.collect(() => true);
    this.sleep();
    return all;
  }

  private wake(at: number, inMs: number): void {
    this.wakeAt = at;
    this.sweeper.arm(inMs);
  }

  private sleep(): void {
    this.wakeAt = Infinity;
    this.sweeper.cancel();
  }

  /** Removes the entries `due` selects, returned in sending order. */
  private collect(due: (deadline: number) => boolean): Array<[number, T]> {
    const found: Array<[number, T, number]> = [];
    for (let index = 0; index <= this.mask; index++) {
      const sequence = this.sequences[index]!;
      if (sequence === -1 || !due(this.deadlines[index]!)) continue;
      found.push([sequence, this.entries[index] as T, this.orders[index]!]);
      this.sequences[index] = -1;
      this.entries[index] = undefined;
    }
    for (const [sequence, spilled] of this.overflow) {
      if (!due(spilled.deadline)) continue;
      found.push([sequence, spilled.entry, spilled.order]);
      this.overflow.delete(sequence);
    }
    this.count -= found.length;
    found.sort((a, b) => a[2] - b[2]);
    return found.map(([sequence, entry]): [number, T] => [sequence, entry]);
  }

  private sweep(): void {
    const now = this.options.clock.now();
    const expired = this.collect((deadline) => deadline <= now);
    let earliest = Infinity;
    for (let index = 0; index <= this.mask; index++) {
      if (this.sequences[index] !== -1 && this.deadlines[index]! < earliest) earliest = this.deadlines[index]!;
    }
    for (const spilled of this.overflow.values()) if (spilled.deadline < earliest) earliest = spilled.deadline;
    if (earliest !== Infinity) this.wake(earliest, earliest - now);
    for (const [sequenceNumber, entry] of expired) this.options.onTimeout(sequenceNumber, entry);
  }
}
