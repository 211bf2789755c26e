/**
 * The window: requests sent and not yet answered, keyed by sequence_number (gosmpp's request
 * store). Each entry has its own deadline; one sweep timer serves them all, so the hot path
 * (add, take) never touches a timer: a submit costs a Map insert and a Map delete.
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

interface Slot<T> {
  readonly entry: T;
  readonly deadline: number;
}

export class RequestWindow<T> {
  private readonly slots = new Map<number, Slot<T>>();
  private readonly sweeper: Timer;
  private limit: number;
  /** When the sweep timer fires, or Infinity when it is not armed. */
  private wakeAt = Infinity;

  constructor(private readonly options: WindowOptions<T>) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`window size must be >= 1, got ${options.size}`);
    this.limit = options.size;
    this.sweeper = new Timer(options.clock, () => {
      this.wakeAt = Infinity;
      this.sweep();
    });
  }

  get inFlight(): number {
    return this.slots.size;
  }

  /** The current limit (may be below the configured size while the SMSC reports congestion). */
  get size(): number {
    return this.limit;
  }

  get hasRoom(): boolean {
    return this.slots.size < this.limit;
  }

  /** Changes the limit; entries already in flight stay (the window simply admits nothing until it drains below). */
  resize(size: number): void {
    this.limit = Math.max(1, Math.floor(size));
  }

  has(sequenceNumber: number): boolean {
    return this.slots.has(sequenceNumber);
  }

  /** Adds a request. The caller checked `hasRoom`; adding beyond it is allowed for requests that must go now (unbind, enquire_link). */
  add(sequenceNumber: number, entry: T, timeoutMs = this.options.timeoutMs): void {
    const deadline = this.options.clock.now() + timeoutMs;
    this.slots.set(sequenceNumber, { entry, deadline });
    // One pending wake-up is enough: the sweep re-arms itself for the earliest remaining deadline.
    // Only a request with a shorter timeout than the armed one moves it (rare: timeouts are mostly equal).
    if (deadline < this.wakeAt) this.wake(deadline, timeoutMs);
  }

  /** Removes and returns the request a response answers, or undefined for an unexpected response. */
  take(sequenceNumber: number): T | undefined {
    const slot = this.slots.get(sequenceNumber);
    if (slot === undefined) return undefined;
    this.slots.delete(sequenceNumber);
    // The sweep timer stays armed even when the window empties: at window 1 cancelling and
    // re-arming it per request would cost a timer per submit. A sweep that finds nothing stops.
    return slot.entry;
  }

  /** Empties the window (link dropped): every entry, in the order sent. */
  drain(): Array<[number, T]> {
    const entries = [...this.slots].map(([sequenceNumber, slot]): [number, T] => [sequenceNumber, slot.entry]);
    this.slots.clear();
    this.sleep();
    return entries;
  }

  private wake(at: number, inMs: number): void {
    this.wakeAt = at;
    this.sweeper.arm(inMs);
  }

  private sleep(): void {
    this.wakeAt = Infinity;
    this.sweeper.cancel();
  }

  private sweep(): void {
    const now = this.options.clock.now();
    let earliest = Infinity;
    const expired: Array<[number, T]> = [];
    for (const [sequenceNumber, slot] of this.slots) {
      if (slot.deadline <= now) expired.push([sequenceNumber, slot.entry]);
      else if (slot.deadline < earliest) earliest = slot.deadline;
    }
    for (const [sequenceNumber] of expired) this.slots.delete(sequenceNumber);
    if (earliest !== Infinity) this.wake(earliest, earliest - now);
    for (const [sequenceNumber, entry] of expired) this.options.onTimeout(sequenceNumber, entry);
  }
}
